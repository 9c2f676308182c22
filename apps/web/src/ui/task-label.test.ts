import { describe, expect, it } from 'vitest';
import { taskLabel } from './task-label.ts';

describe('taskLabel', () => {
  it('writes the operation', () => {
    expect(taskLabel('add', 23)).toBe('(a + b) mod 23');
    expect(taskLabel('div', 7)).toBe('(a / b) mod 7');
    expect(taskLabel('mul', '?')).toBe('(a · b) mod ?');
  });
});
