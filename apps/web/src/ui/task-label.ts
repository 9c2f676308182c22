const SYMBOL: Record<string, string> = { add: '+', sub: '−', mul: '·', div: '/' };

/** `(a + b) mod 23`, `(a / b) mod 23`: the task as the summary names it. */
export function taskLabel(operation: string, p: string | number): string {
  return `(a ${SYMBOL[operation] ?? '+'} b) mod ${p}`;
}
