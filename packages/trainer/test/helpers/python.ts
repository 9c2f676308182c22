import { spawnSync } from 'node:child_process';

/**
 * A python3 with numpy for test/helpers/torch_pt.py: the one on PATH, else Debian's (scripts/test.mjs installs
 * python3-numpy there when neither has it). Throws rather than skipping: the checkpoint tests need it.
 */
export function pythonWithNumpy(): string {
  for (const python of ['python3', '/usr/bin/python3'])
    if (spawnSync(python, ['-c', 'import numpy']).status === 0) return python;
  throw new Error('the checkpoint tests need python3 with numpy (Debian: python3-numpy)');
}
