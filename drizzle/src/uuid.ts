// Any RFC 4122 layout (PostgreSQL accepts every version); checked before querying because PostgreSQL rejects a
// malformed literal with an error, and "no such run" is the answer callers want for a bad id.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
