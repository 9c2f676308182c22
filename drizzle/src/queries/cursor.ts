import { isUuid } from '../uuid.ts';

/** A position in the runs list: the (createdAt, id) of the last row a page returned. */
export interface RunCursor {
  createdAt: Date;
  id: string;
}

/** A cursor that did not come from `listRuns` (tampered, truncated, or from another API). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(readonly cursor: string) {
    super(
      `invalid cursor: expected a value returned as endCursor by a runs page, got ${JSON.stringify(cursor)}`,
    );
  }
}

// The separator cannot occur in an ISO timestamp or a uuid.
const SEPARATOR = '|';

/** Opaque to clients; base64url so it survives URLs and GraphQL strings unescaped. */
export function encodeCursor(cursor: RunCursor): string {
  const text = `${cursor.createdAt.toISOString()}${SEPARATOR}${cursor.id}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): RunCursor {
  const [iso, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(SEPARATOR);
  if (iso === undefined || id === undefined || rest.length > 0 || !isUuid(id)) {
    throw new InvalidCursorError(cursor);
  }
  const createdAt = new Date(iso);
  // The round trip rejects anything that only half-parses as a date (toISOString throws on an invalid one).
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso)
    throw new InvalidCursorError(cursor);
  return { createdAt, id: id.toLowerCase() };
}
