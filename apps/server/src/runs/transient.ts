/** SQLSTATE classes that say "the database is away or busy", not "this statement is wrong". */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '40', '53', '57', '58']);
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// node-postgres reports a dropped or refused connection with these messages and no code.
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /connection error/i,
  /timeout exceeded when trying to connect/i,
  /server closed the connection/i,
];

/** The error and its causes, outermost first (drizzle wraps the driver's error in a DrizzleQueryError). */
function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && out.length < 8; ) {
    out.push(e);
    e = e instanceof Error ? e.cause : undefined;
  }
  return out;
}

/**
 * True when a failed query is worth retrying because the connection, not the query, failed: PostgreSQL
 * restarting or unreachable, a network cut. A constraint violation or bad data is never transient.
 */
export function isTransientDbError(error: unknown): boolean {
  for (const e of chain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (TRANSIENT_SYSTEM_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
    }
    if (e instanceof Error && TRANSIENT_MESSAGES.some((re) => re.test(e.message))) return true;
  }
  return false;
}

/** The innermost message: the driver's reason, without drizzle's query text and parameters. */
export function describeDbError(error: unknown): string {
  const last = chain(error).at(-1);
  return last instanceof Error ? last.message : String(last);
}
