/** A named tensor read from a checkpoint file: row-major float32 values and their shape. */
export interface NamedTensor {
  shape: number[];
  values: Float32Array;
}

/** A state dict: tensor name → tensor, in the file's order. */
export type StateDict = Map<string, NamedTensor>;

/** A checkpoint file that cannot be read or a model that cannot be represented; `code` names the kind of problem. */
export class CheckpointError extends Error {
  constructor(
    readonly code: 'UNREADABLE' | 'UNSUPPORTED' | 'MISSING_CONFIG',
    message: string,
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
