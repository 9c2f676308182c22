/**
 * A minimal protobuf writer for the parts of onnx.proto a training-step graph needs: ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto and ValueInfoProto (field numbers from onnx/onnx.proto, IR version 8).
 * Encoding only: the runtime parses the bytes, nothing here reads them back.
 */

/** onnx TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'tensor'; value: TensorValue };

export interface TensorValue {
  name?: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  /** Values in row-major order; encoded as raw little-endian bytes of `dataType`. */
  values: Float32Array | Int32Array | BigInt64Array | Uint8Array;
}

export interface NodeSpec {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface ValueInfoSpec {
  name: string;
  dataType: DataTypeCode;
  dims: readonly number[];
}

export interface GraphSpec {
  name: string;
  nodes: readonly NodeSpec[];
  initializers: readonly TensorValue[];
  inputs: readonly ValueInfoSpec[];
  outputs: readonly ValueInfoSpec[];
}

/** Growable byte buffer with the protobuf wire primitives (varint, length-delimited, fixed32). */
class Writer {
  private buffer = new Uint8Array(1024);
  length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  varint(value: number | bigint): void {
    // Negative int64 values are ten-byte two's complement varints.
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (v >= 0x80n) {
      this.buffer[this.length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buffer[this.length++] = Number(v);
  }

  tag(field: number, wireType: 0 | 1 | 2 | 5): void {
    this.varint((field << 3) | wireType);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  string(field: number, text: string): void {
    this.bytes(field, new TextEncoder().encode(text));
  }

  int(field: number, value: number): void {
    this.tag(field, 0);
    this.varint(value);
  }

  float(field: number, value: number): void {
    this.tag(field, 5);
    this.reserve(4);
    new DataView(this.buffer.buffer, this.buffer.byteOffset + this.length, 4).setFloat32(0, value, true);
    this.length += 4;
  }

  message(field: number, write: (w: Writer) => void): void {
    const inner = new Writer();
    write(inner);
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function rawBytes(values: TensorValue['values']): Uint8Array {
  // Typed arrays are little-endian on every platform the runtime ships for.
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function writeTensor(w: Writer, t: TensorValue): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  if (t.name !== undefined) w.string(8, t.name);
  w.bytes(9, rawBytes(t.values));
}

function writeAttribute(w: Writer, name: string, a: AttributeValue): void {
  w.string(1, name);
  switch (a.kind) {
    case 'float':
      w.float(2, a.value);
      w.int(20, 1);
      break;
    case 'int':
      w.int(3, a.value);
      w.int(20, 2);
      break;
    case 'tensor':
      w.message(5, (t) => writeTensor(t, a.value));
      w.int(20, 4);
      break;
    case 'ints':
      for (const v of a.value) w.int(8, v);
      w.int(20, 7);
      break;
  }
}

function writeNode(w: Writer, n: NodeSpec): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name !== undefined) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, value] of Object.entries(n.attributes ?? {}))
    w.message(5, (a) => writeAttribute(a, name, value));
}

function writeValueInfo(w: Writer, v: ValueInfoSpec): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.dataType);
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => dim.int(1, d));
      });
    }),
  );
}

/** Serialises one model: IR version 8, the default ONNX domain at `opset`. */
export function encodeModel(graph: GraphSpec, opset = 17): Uint8Array {
  const w = new Writer();
  w.int(1, 8);
  w.string(2, 'grokscope');
  w.message(8, (o) => {
    o.string(1, '');
    o.int(2, opset);
  });
  w.message(7, (g) => {
    for (const n of graph.nodes) g.message(1, (node) => writeNode(node, n));
    g.string(2, graph.name);
    for (const t of graph.initializers) g.message(5, (tensor) => writeTensor(tensor, t));
    for (const v of graph.inputs) g.message(11, (info) => writeValueInfo(info, v));
    for (const v of graph.outputs) g.message(12, (info) => writeValueInfo(info, v));
  });
  return w.finish();
}
