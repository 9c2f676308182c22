// A pthread worker for tfjs-backend-wasm's threaded build under Node's worker_threads. The stock build hands
// Emscripten blob: URLs (for this script and for the module factory), which Node workers cannot load; this file
// is started instead, runs the stock worker code, and points its one blob lookup at the factory on disk.
'use strict';
const path = require('node:path');
const vm = require('node:vm');

const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
const wasmOut = path.join(dist, '..', 'wasm-out');
const { wasmWorkerContents } = require(path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js'));

URL.createObjectURL = () => path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
URL.revokeObjectURL = () => {};
// The stock worker code expects to run as a classic script with require and __filename in scope.
globalThis.require = require;
globalThis.__filename = __filename;
// As tfjs does before making its blob: the contents hold raw newlines inside string literals.
vm.runInThisContext(wasmWorkerContents.replace(/\n/g, '\\n'), {
  filename: 'tfjs-backend-wasm-threaded-simd.worker.js',
});
