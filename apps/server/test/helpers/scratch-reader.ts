import { createHash, randomBytes } from 'node:crypto';
import { createDb, insertApiToken, migrate } from '@grokscope/db';
import pg from 'pg';

/**
 * Migrates a scratch database and stores an admin API token in it, as `pnpm grokscope token create` does (the
 * table keeps the SHA-256 of the secret): team mode refuses requests without one. Returns the secret.
 */
export async function createTestToken(databaseUrl: string): Promise<string> {
  const database = await createDb({ databaseUrl });
  try {
    await migrate(database);
    const secret = `gks_${randomBytes(32).toString('base64url')}`;
    const secretHash = createHash('sha256').update(secret, 'utf8').digest('hex');
    await insertApiToken(database.db, { name: 'reliability test', scope: 'admin', secretHash });
    return secret;
  } finally {
    await database.close();
  }
}

/** A GraphQL POST to a server's URL (with a bearer token when given); throws on GraphQL errors. */
export async function gqlAt<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Polls `check` every 100 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function pollUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The test's own connection to a scratch database, straight to PostgreSQL (not through the server, and not
 * through a proxy a test may cut): what is really stored, whatever the servers say.
 */
export class ScratchReader {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<ScratchReader> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new ScratchReader(client);
  }

  async status(runId: string): Promise<string | undefined> {
    const { rows } = await this.client.query<{ status: string }>('select status from runs where id = $1', [
      runId,
    ]);
    return rows[0]?.status;
  }

  async run(runId: string): Promise<{ status: string; error: string | null } | undefined> {
    const { rows } = await this.client.query<{ status: string; error: string | null }>(
      'select status, error from runs where id = $1',
      [runId],
    );
    return rows[0];
  }

  async instanceOf(runId: string): Promise<string | null | undefined> {
    const { rows } = await this.client.query<{ instance_id: string | null }>(
      'select instance_id from runs where id = $1',
      [runId],
    );
    return rows[0]?.instance_id;
  }

  /** The highest step stored for the run, -1 when none. */
  async maxStep(runId: string): Promise<number> {
    const { rows } = await this.client.query<{ max: number | null }>(
      'select max(step) as max from metric_points where run_id = $1',
      [runId],
    );
    return rows[0]?.max ?? -1;
  }

  /** Stored steps of one scalar series, ascending, with their values. */
  async series(runId: string, name: string): Promise<{ step: number; value: number | null }[]> {
    const { rows } = await this.client.query<{ step: number; value: number | null }>(
      'select step, value from metric_points where run_id = $1 and name = $2 order by step',
      [runId, name],
    );
    return rows;
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
