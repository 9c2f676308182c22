import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, InvalidCursorError } from './cursor.ts';

const id = '0190c3a4-5b6c-7d8e-9f00-112233445566';

describe('run cursors', () => {
  it('round-trip createdAt to the millisecond and the id', () => {
    const cursor = { createdAt: new Date('2024-05-06T07:08:09.123Z'), id };
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  it.each([
    ['not base64 of anything', '!!!'],
    ['a missing id', Buffer.from('2024-05-06T07:08:09.123Z').toString('base64url')],
    ['a non-uuid id', Buffer.from('2024-05-06T07:08:09.123Z|42').toString('base64url')],
    ['an invalid date', Buffer.from(`yesterday|${id}`).toString('base64url')],
    ['a non-canonical date', Buffer.from(`2024-05-06|${id}`).toString('base64url')],
    ['extra fields', Buffer.from(`2024-05-06T07:08:09.123Z|${id}|x`).toString('base64url')],
  ])('reject %s', (_why, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
