import { describe, expect, it } from 'vitest';
import { createAsyncQueue } from '../src/pubsub/async-queue.ts';

async function drain<T>(iterator: AsyncIterable<T>): Promise<{ values: T[]; error?: unknown }> {
  const values: T[] = [];
  try {
    for await (const value of iterator) values.push(value);
    return { values };
  } catch (error) {
    return { values, error };
  }
}

describe('createAsyncQueue', () => {
  it('end drops what is buffered and runs onEnd once', async () => {
    let ended = 0;
    const queue = createAsyncQueue<number>(() => ended++);
    queue.push(1);
    queue.end();
    queue.end();
    expect(await drain(queue.iterator)).toEqual({ values: [] });
    expect(ended).toBe(1);
  });

  it('close delivers what is buffered first, then ends; later pushes are ignored', async () => {
    let ended = 0;
    const queue = createAsyncQueue<number>(() => ended++);
    queue.push(1);
    queue.push(2);
    queue.close();
    queue.push(3);
    expect(await drain(queue.iterator)).toEqual({ values: [1, 2] });
    expect(ended).toBe(1);
  });

  it('close with an error throws it after the buffered values, also to a consumer already waiting', async () => {
    const buffered = createAsyncQueue<number>(() => {});
    buffered.push(1);
    buffered.close(new Error('bad line'));
    const first = await drain(buffered.iterator);
    expect(first.values).toEqual([1]);
    expect(first.error).toBeInstanceOf(Error);

    const waiting = createAsyncQueue<number>(() => {});
    const result = drain(waiting.iterator);
    await new Promise((resolve) => setImmediate(resolve));
    waiting.push(7);
    await new Promise((resolve) => setImmediate(resolve));
    waiting.close(new Error('bad line'));
    const second = await result;
    expect(second.values).toEqual([7]);
    expect((second.error as Error).message).toBe('bad line');
  });
});
