import { unzipSync } from 'fflate';
import { NameRegistry, Parser } from 'pickleparser';
import { toFloat32 } from './safetensors.ts';
import { CheckpointError, type NamedTensor, sizeOf } from './tensors.ts';

/**
 * Reads a PyTorch `torch.save` file without Python: since PyTorch 1.6 it is a zip holding `<name>/data.pkl` (a
 * pickle, protocol 2) and one raw little-endian file per storage, `<name>/data/<key>`. The pickle is read by
 * `pickleparser` (a maintained pure-JS unpickler) with three hooks: storages arrive as persistent ids
 * `('storage', torch.FloatStorage, key, location, numel)`, tensors are rebuilt by `torch._utils._rebuild_tensor_v2`
 * (storage, offset, size, stride) and parameters by `_rebuild_parameter`, and `collections.OrderedDict` becomes a
 * Map. Every other class stays an inert object, so nothing in the file runs. The device a storage was saved on
 * ('cuda:0') does not matter: the values are copied to the host.
 *
 * Returns the unpickled root: a state dict is a Map of name → NamedTensor; a dict wrapping one (a training script's
 * `{ 'model': state_dict, … }`) is a Map too, and `findStateDict` picks the tensors out.
 */
export function readTorchFile(bytes: Uint8Array): unknown {
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new CheckpointError(
      'UNREADABLE',
      bytes[0] === 0x80
        ? 'a legacy (pre-1.6, non-zip) torch.save file: load and save it again with a current PyTorch, or convert it to safetensors'
        : 'not a PyTorch zip file (torch.save) nor a safetensors file',
    );
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new CheckpointError('UNREADABLE', `PyTorch file: the zip cannot be read (${String(error)})`);
  }
  const pickles = Object.keys(files).filter((name) => name.endsWith('/data.pkl') || name === 'data.pkl');
  if (pickles.length !== 1)
    throw new CheckpointError('UNREADABLE', `PyTorch file: expected one data.pkl, found ${pickles.length}`);
  const pickleName = pickles[0]!;
  const prefix = pickleName.slice(0, pickleName.length - 'data.pkl'.length);

  const names = new TorchNames((key) => {
    const raw = files[`${prefix}data/${key}`];
    if (!raw) throw new CheckpointError('UNREADABLE', `PyTorch file: storage ${key} is missing`);
    return raw;
  });
  const parser = new Parser({
    nameResolver: names,
    persistentResolver: { resolve: (pid: unknown) => names.storage(pid) },
    unpicklingTypeOfDictionary: 'Map',
  });
  try {
    return parser.parse(files[pickleName]!);
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError('UNREADABLE', `PyTorch file: the pickle cannot be read (${String(error)})`);
  }
}

/** A storage as the persistent id names it; its bytes are read when a tensor views it. */
interface StorageRef {
  readonly storage: true;
  dtype: string;
  key: string;
  bytesPer: number;
}

/** PyTorch's typed storage classes → safetensors dtype names (toFloat32's) and element sizes. */
const STORAGE_DTYPES: Record<string, [dtype: string, bytes: number]> = {
  FloatStorage: ['F32', 4],
  DoubleStorage: ['F64', 8],
  HalfStorage: ['F16', 2],
  BFloat16Storage: ['BF16', 2],
  LongStorage: ['I64', 8],
  IntStorage: ['I32', 4],
  BoolStorage: ['BOOL', 1],
  ByteStorage: ['U8', 1],
};

class TorchNames extends NameRegistry {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(private readonly read: (key: string) => Uint8Array) {
    super();
    this.register('collections', 'OrderedDict', () => new Map());
    this.register(
      'torch._utils',
      '_rebuild_tensor_v2',
      (storage: unknown, offset: number, size: number[], stride: number[]) =>
        this.tensor(storage, offset, size, stride),
    );
    this.register(
      'torch._utils',
      '_rebuild_tensor',
      (storage: unknown, offset: number, size: number[], stride: number[]) =>
        this.tensor(storage, offset, size, stride),
    );
    this.register('torch._utils', '_rebuild_parameter', (data: unknown) => data);
    this.register('torch._utils', '_rebuild_parameter_with_state', (data: unknown) => data);
  }

  override resolve(module: string, name: string) {
    if (module === 'torch' && name in STORAGE_DTYPES) {
      const [dtype, bytesPer] = STORAGE_DTYPES[name]!;
      // Only ever referenced from a persistent id, never called.
      return Object.assign(() => undefined, { torchStorage: { dtype, bytesPer } });
    }
    return super.resolve(module, name);
  }

  storage(pid: unknown): StorageRef {
    if (!Array.isArray(pid) || pid[0] !== 'storage')
      throw new CheckpointError('UNREADABLE', `PyTorch file: unknown persistent id ${JSON.stringify(pid)}`);
    const info = (pid[1] as { torchStorage?: { dtype: string; bytesPer: number } } | undefined)?.torchStorage;
    if (!info)
      throw new CheckpointError(
        'UNSUPPORTED',
        'PyTorch file: a storage of an unknown type (float, double, half, bfloat16, integer or bool only)',
      );
    return { storage: true, dtype: info.dtype, bytesPer: info.bytesPer, key: String(pid[2]) };
  }

  private tensor(storage: unknown, offset: number, size: number[], stride: number[]): NamedTensor {
    const ref = storage as StorageRef;
    if (ref?.storage !== true)
      throw new CheckpointError('UNREADABLE', 'PyTorch file: a tensor without a storage');
    let raw = this.cache.get(ref.key);
    if (!raw) {
      raw = this.read(ref.key);
      this.cache.set(ref.key, raw);
    }
    const elements = raw.length / ref.bytesPer;
    const all = storageValues(raw, ref.dtype, elements);
    const shape = [...size];
    const count = sizeOf(shape);
    const values = new Float32Array(count);
    // Strided read (a saved view need not be contiguous): index → offset + Σ i_d · stride_d.
    const index = new Array<number>(shape.length).fill(0);
    for (let n = 0; n < count; n++) {
      let at = offset;
      for (let d = 0; d < shape.length; d++) at += index[d]! * stride[d]!;
      if (at >= elements)
        throw new CheckpointError('UNREADABLE', `PyTorch file: a tensor reads past storage ${ref.key}`);
      values[n] = all[at]!;
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++index[d]! < shape[d]!) break;
        index[d] = 0;
      }
    }
    return { shape, values };
  }
}

function storageValues(raw: Uint8Array, dtype: string, count: number): Float32Array {
  if (dtype === 'F32' || dtype === 'F64' || dtype === 'F16' || dtype === 'BF16')
    return toFloat32(raw, dtype, count);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++)
    out[i] =
      dtype === 'I64'
        ? Number(view.getBigInt64(8 * i, true))
        : dtype === 'I32'
          ? view.getInt32(4 * i, true)
          : view.getUint8(i);
  return out;
}

const isTensor = (value: unknown): value is NamedTensor =>
  typeof value === 'object' &&
  value !== null &&
  'values' in value &&
  (value as NamedTensor).values instanceof Float32Array;

/**
 * The state dict inside an unpickled file: the root when its values are tensors, else the first entry named
 * `model`, `state_dict` or `model_state_dict` that is one (Nanda's `full_run_data.pth` keeps it under `model`).
 */
export function findStateDict(root: unknown): Map<string, NamedTensor> {
  if (root instanceof Map) {
    const tensors = [...root.entries()].filter(([, v]) => isTensor(v));
    if (tensors.length > 0 && tensors.length === root.size)
      return new Map(tensors as [string, NamedTensor][]);
    for (const key of ['model', 'state_dict', 'model_state_dict']) {
      const inner = root.get(key);
      if (inner instanceof Map) return findStateDict(inner);
    }
  }
  throw new CheckpointError(
    'UNSUPPORTED',
    'PyTorch file: no state dict found (save model.state_dict(), or a dict holding it under "model" or "state_dict"; a whole pickled nn.Module is not read)',
  );
}
