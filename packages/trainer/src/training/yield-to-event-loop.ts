/** Lets timers, I/O and signal handlers (Ctrl-C) run between steps: on cpu/wasm a read-back is only a microtask. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}
