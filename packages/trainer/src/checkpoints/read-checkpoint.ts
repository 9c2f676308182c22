import { parseReleaseConfig, type ReleaseConfig } from './released-layout.ts';
import { decodeSafetensors } from './safetensors.ts';
import { CheckpointError, type StateDict, sizeOf } from './tensors.ts';
import { findStateDict, readTorchFile } from './torch-pt.ts';

export type CheckpointFormat = 'pytorch' | 'safetensors' | 'json';

/**
 * A checkpoint file's tensors, whichever of the three formats it is (told by its first bytes, not its name):
 * a PyTorch zip (`PK`), safetensors (8-byte header length, then `{`), or the clock-pizza fixtures' JSON
 * (`{ p, attentionRate, …, tensors: { name: { shape, float32_le_base64 } } }`, whose header doubles as its config).
 */
export function readCheckpointFile(bytes: Uint8Array): {
  format: CheckpointFormat;
  tensors: StateDict;
  embeddedConfig?: ReleaseConfig;
} {
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b)
    return { format: 'pytorch', tensors: findStateDict(readTorchFile(bytes)) };
  if (bytes.length > 9 && bytes[8] === 0x7b) {
    const { tensors, metadata } = decodeSafetensors(bytes);
    const embedded = metadata.grokscope_config;
    return embedded
      ? { format: 'safetensors', tensors, embeddedConfig: parseReleaseConfig(JSON.parse(embedded)) }
      : { format: 'safetensors', tensors };
  }
  const first = bytes.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first >= 0 && bytes[first] === 0x7b) return readJsonCheckpoint(new TextDecoder().decode(bytes));
  if (bytes[0] === 0x80) readTorchFile(bytes); // throws the legacy-format message
  throw new CheckpointError('UNREADABLE', 'not a PyTorch (.pt), safetensors or grokscope JSON checkpoint');
}

function readJsonCheckpoint(text: string): {
  format: 'json';
  tensors: StateDict;
  embeddedConfig: ReleaseConfig;
} {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CheckpointError('UNREADABLE', 'JSON checkpoint: not valid JSON');
  }
  return { format: 'json', ...jsonCheckpoint(json) };
}

/** The tensors and header of a parsed JSON checkpoint (the clock-pizza fixtures' format). */
export function jsonCheckpoint(json: unknown): { tensors: StateDict; embeddedConfig: ReleaseConfig } {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new CheckpointError('UNREADABLE', 'JSON checkpoint: not an object');
  const file = json as { tensors?: unknown };
  if (typeof file.tensors !== 'object' || file.tensors === null)
    throw new CheckpointError('UNREADABLE', 'JSON checkpoint: no "tensors" object');
  const tensors: StateDict = new Map();
  for (const [name, value] of Object.entries(file.tensors as Record<string, unknown>)) {
    const { shape, float32_le_base64: data } = (value ?? {}) as {
      shape?: unknown;
      float32_le_base64?: unknown;
    };
    if (
      !Array.isArray(shape) ||
      !shape.every((d) => Number.isInteger(d) && d >= 0) ||
      typeof data !== 'string'
    )
      throw new CheckpointError('UNREADABLE', `JSON checkpoint: ${name} needs shape and float32_le_base64`);
    const bytes = Buffer.from(data, 'base64');
    const count = sizeOf(shape as number[]);
    if (bytes.length !== 4 * count)
      throw new CheckpointError(
        'UNREADABLE',
        `JSON checkpoint: ${name} has ${bytes.length} bytes, expected ${4 * count}`,
      );
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(4 * i, true);
    tensors.set(name, { shape: shape as number[], values });
  }
  return { tensors, embeddedConfig: parseReleaseConfig(json) };
}
