import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type LocalServer, startLocalServer } from './local-server.ts';
import { formatSweepProgress, type SweepProgress } from './runs-bar.ts';

export const SWEEP_USAGE = `Usage: grokscope sweep --config sweep.json [--detach]

Starts a sweep (the JSON is StartSweepInput: { name?, base, axes: [{ path, values }], seeds?, random? }) and
follows it with a progress bar over its runs until every run has ended. Ctrl-C stops the sweep.

  --config <file>  the sweep (required)
  --detach         start it, print its id, and return without following

Server: GROKSCOPE_URL (e.g. http://host:4000/graphql, with GROKSCOPE_TOKEN where tokens are required); without it,
the local server at http://127.0.0.1:$PORT/graphql (PORT default 4000) if one runs, else an embedded server started
for this command on the same storage as \`pnpm start\` (GROKSCOPE_DATA or DATABASE_URL), stopped at the end.
Exit status: 0 every run COMPLETED, 1 some run did not, 2 bad arguments or a refused sweep, 130 stopped.`;

export interface SweepIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

const SWEEP_FIELDS = 'id name status total completed failed running queued stopped stepsDone totalSteps';
const START = `mutation($input: StartSweepInput!) { startSweep(input: $input) { ${SWEEP_FIELDS} } }`;
const STOP = `mutation($id: ID!) { stopSweep(id: $id) { id } }`;
const PROGRESS = `subscription($id: ID!) { sweepProgress(sweepId: $id) { ${SWEEP_FIELDS} } }`;

interface SweepEvent extends SweepProgress {
  id: string;
  name: string;
  status: string;
}

interface GqlResponse<T> {
  data?: T | null;
  errors?: {
    message: string;
    extensions?: { code?: string; issues?: { path: string; message: string; code?: string }[] };
  }[];
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { config?: string; detach: boolean; help: boolean } {
  const out: { config?: string; detach: boolean; help: boolean } = { detach: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') out.help = true;
    else if (arg === '--detach') out.detach = true;
    else if (arg === '--config') {
      const value = argv[++i];
      if (value === undefined) throw new UsageError('--config needs a file');
      out.config = value;
    } else if (arg?.startsWith('--config=')) out.config = arg.slice('--config='.length);
    else throw new UsageError(`unknown argument '${arg}'`);
  }
  return out;
}

/** The server to talk to: GROKSCOPE_URL, else a local one already listening, else one started for this command. */
async function connect(io: SweepIo): Promise<{ url: string; token?: string; local?: LocalServer }> {
  const token = io.env.GROKSCOPE_TOKEN;
  if (io.env.GROKSCOPE_URL) return { url: io.env.GROKSCOPE_URL, ...(token && { token }) };
  const url = `http://127.0.0.1:${io.env.PORT ?? 4000}/graphql`;
  const running = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  }).then(
    (response) => response.ok,
    () => false,
  );
  if (running) return { url, ...(token && { token }) };
  io.stderr.write(`no server at ${url}: starting the embedded one for this sweep\n`);
  const local = await startLocalServer(io.env, (line) => io.stderr.write(`${line}\n`));
  return { url: local.url, ...(token && { token }), local };
}

async function post<T>(url: string, token: string | undefined, query: string, variables: object) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GqlResponse<T>;
}

function describeErrors(errors: NonNullable<GqlResponse<unknown>['errors']>): string {
  return errors
    .flatMap((e) =>
      e.extensions?.issues?.length
        ? e.extensions.issues.map((i) => `  ${i.path}: ${i.message}${i.code ? ` (${i.code})` : ''}`)
        : [`  ${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ''}`],
    )
    .join('\n');
}

/** Follows sweepProgress until it completes; each event redraws the bar. Resolves with the last event. */
function follow(
  client: Client,
  id: string,
  onEvent: (event: SweepEvent) => void,
): Promise<SweepEvent | undefined> {
  return new Promise((resolve, reject) => {
    let last: SweepEvent | undefined;
    client.subscribe<{ sweepProgress: SweepEvent }>(
      { query: PROGRESS, variables: { id } },
      {
        next: (value) => {
          if (value.errors) return reject(new Error(value.errors.map((e) => e.message).join('; ')));
          if (!value.data) return;
          last = value.data.sweepProgress;
          onEvent(last);
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(last),
      },
    );
  });
}

/** `grokscope sweep …`; returns the exit status. */
export async function runSweepCommand(argv: readonly string[], io: SweepIo): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
    if (args.help) {
      io.stdout.write(`${SWEEP_USAGE}\n`);
      return 0;
    }
    if (!args.config) throw new UsageError('--config <file> is required');
  } catch (error) {
    io.stderr.write(`grokscope sweep: ${(error as Error).message}\n\n${SWEEP_USAGE}\n`);
    return 2;
  }
  const file = path.resolve(io.cwd, args.config);
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    io.stderr.write(`grokscope sweep: cannot read ${args.config}: ${(error as Error).message}\n`);
    return 2;
  }

  const server = await connect(io);
  try {
    const started = await post<{ startSweep: SweepEvent }>(server.url, server.token, START, { input });
    if (started.errors || !started.data) {
      io.stderr.write(
        `grokscope sweep: the server refused the sweep in ${args.config}:\n${describeErrors(started.errors ?? [])}\n`,
      );
      return 2;
    }
    const sweep = started.data.startSweep;
    io.stdout.write(`sweep ${sweep.id} "${sweep.name}": ${sweep.total} runs on ${server.url}\n`);
    if (args.detach) return 0;

    const client = createClient({
      url: server.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      ...(server.token && { connectionParams: { token: server.token } }),
    });
    const t0 = performance.now();
    let stepsAtStart: number | undefined;
    let lastDraw = Number.NEGATIVE_INFINITY;
    const tty = io.stderr.isTTY === true;
    const draw = (event: SweepEvent, force = false) => {
      const now = performance.now();
      if (!force && now - lastDraw < (tty ? 100 : 2000)) return;
      lastDraw = now;
      stepsAtStart ??= event.stepsDone;
      const line = formatSweepProgress(
        event,
        { seconds: (now - t0) / 1000, stepsAtStart },
        io.stderr.columns,
      );
      io.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    };
    const stop = () => {
      io.stderr.write('\nstopping the sweep…\n');
      void post(server.url, server.token, STOP, { id: sweep.id });
    };
    io.signal?.addEventListener('abort', stop, { once: true });
    try {
      const last = await follow(client, sweep.id, (event) => draw(event));
      if (last) draw(last, true);
      if (tty) io.stderr.write('\n');
      const seconds = (performance.now() - t0) / 1000;
      io.stdout.write(
        `${last?.status ?? 'UNKNOWN'}: ${last?.completed ?? 0} completed, ${last?.failed ?? 0} failed, ` +
          `${last?.stopped ?? 0} stopped of ${sweep.total} runs in ${seconds.toFixed(1)} s\n` +
          `phase diagram: query { sweep(id: "${sweep.id}") { phaseDiagram(x: "…", measure: "test_acc") { cells { x y value } } } }\n`,
      );
      if (io.signal?.aborted) return 130;
      return last?.status === 'COMPLETED' && last.failed === 0 ? 0 : 1;
    } finally {
      io.signal?.removeEventListener('abort', stop);
      await client.dispose();
    }
  } finally {
    await server.local?.close();
  }
}
