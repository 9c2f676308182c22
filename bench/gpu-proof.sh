#!/usr/bin/env bash
# GPU proof: the native backend on the runtime's WebGPU and CUDA providers and tfjs webgpu against PyTorch CUDA,
# for mlp-59 and transformer-113, on a machine with an NVIDIA GPU, PyTorch (CUDA) and no Node and no network.
#
#   bench/gpu-proof.sh pack   (here, with pnpm install done) writes bench/results/gpu-proof/: node, one esbuild
#                             bundle of the proof, the native packages it loads (onnxruntime-node's Linux x64 binaries
#                             with their bundled WebGPU provider, tfjs wasm files, Dawn for tfjs webgpu) and
#                             peer_torch.py, as bundle.tar.xz (checked to stay under 60 MiB: one transfer).
#   bench/gpu-proof.sh run    (on the GPU machine, from the repository root, with bench/results/gpu-proof copied
#                             over) unpacks it into a temporary folder and runs the proof; results go to $OUT (or
#                             bench/results/gpu-proof/) as gpu-proof.md and gpu-proof.json.
#
# The CUDA provider is not on the npm registry (onnxruntime-node's install script downloads it from NuGet), so
# native_cuda reports what is missing unless libonnxruntime_providers_{cuda,shared}.so for ORT 1.31 are placed in
# $GROKSCOPE_ORT_CUDA_DIR, which `run` copies next to the binding.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
dest="$root/bench/results/gpu-proof"

pack() {
  local stage
  stage="$(mktemp -d)"
  trap 'rm -rf "$stage"' RETURN
  local pnpm_dir="$root/node_modules/.pnpm"
  node -e "
    require('$pnpm_dir/node_modules/esbuild').buildSync({
      entryPoints: ['$here/gpu-proof/proof.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20',
      outfile: '$stage/proof.mjs', external: ['onnxruntime-node', 'webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
      banner: { js: \"import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);\" },
      logLevel: 'warning',
    });"
  cp "$(command -v node)" "$stage/node"
  local mods="$stage/node_modules"
  mkdir -p "$mods/@tensorflow/tfjs-backend-wasm/dist" "$mods/webgpu/dist/linux-x64"
  local ort; ort="$(readlink -f "$root/packages/trainer/node_modules/onnxruntime-node")"
  cp -rL "$ort" "$mods/onnxruntime-node"
  rm -rf "$mods/onnxruntime-node/bin/napi-v6/"{darwin,win32} "$mods/onnxruntime-node/bin/napi-v6/linux/arm64" "$mods/onnxruntime-node/lib" "$mods/onnxruntime-node/script"
  cp -rL "$(dirname "$ort")/onnxruntime-common" "$mods/onnxruntime-common"
  local wasm; wasm="$(readlink -f "$root/packages/trainer/node_modules/@tensorflow/tfjs-backend-wasm")"
  cp "$wasm/package.json" "$mods/@tensorflow/tfjs-backend-wasm/"
  cp "$wasm"/dist/*.wasm "$wasm/dist/index.js" "$mods/@tensorflow/tfjs-backend-wasm/dist/"
  local main; main="$(node -p "require('$wasm/package.json').main")"
  mkdir -p "$mods/@tensorflow/tfjs-backend-wasm/$(dirname "$main")"
  cp "$wasm/$main" "$mods/@tensorflow/tfjs-backend-wasm/$main"
  local dawn; dawn="$(readlink -f "$root/packages/trainer/node_modules/webgpu")"
  cp "$dawn/package.json" "$dawn/index.js" "$mods/webgpu/"
  cp "$dawn/dist/linux-x64/dawn.node" "$mods/webgpu/dist/linux-x64/"
  cp "${GROKSCOPE_PEER:-$root/../shared/bench/peer_torch.py}" "$stage/peer_torch.py"
  mkdir -p "$dest"
  tar -C "$stage" -cf - . | xz -9 -T2 > "$dest/bundle.tar.xz"
  local size; size=$(stat -c %s "$dest/bundle.tar.xz")
  echo "bundle: $dest/bundle.tar.xz, $((size / 1048576)) MiB"
  if (( size > 60 * 1048576 )); then echo "bundle over 60 MiB: it will not fit one transfer" >&2; exit 1; fi
}

run() {
  local bundle="$dest/bundle.tar.xz"
  [[ -f "$bundle" ]] || { echo "no $bundle: run 'bench/gpu-proof.sh pack' where Node is installed, and copy it over" >&2; exit 1; }
  local work; work="$(mktemp -d)"
  tar -C "$work" -xJf "$bundle"
  if [[ -n "${GROKSCOPE_ORT_CUDA_DIR:-}" ]]; then
    cp "$GROKSCOPE_ORT_CUDA_DIR"/libonnxruntime_providers_*.so "$work/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/"
  fi
  nvidia-smi || true
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available())' || true
  local out="${OUT:-$dest}"
  mkdir -p "$out"
  (cd "$root" && OUT="$out" GROKSCOPE_PEER="${GROKSCOPE_PEER:-}" "$work/node" "$work/proof.mjs")
}

case "${1:-}" in
  pack) pack ;;
  run) run ;;
  *) echo "usage: bench/gpu-proof.sh pack|run" >&2; exit 2 ;;
esac
