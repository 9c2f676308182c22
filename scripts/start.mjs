// `npm start` / `pnpm start`: install, build the dashboard, start the API (embedded PGlite, or PostgreSQL with
// DATABASE_URL) and the dashboard, and queue a demo run when an embedded store is empty. Ctrl-C stops everything.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildWeb, installDependencies, root, spawnPnpm, step } from './lib.mjs';
import { useSupportedNode } from './node-runtime.mjs';

await useSupportedNode(root);

const port = Number(process.env.PORT ?? 4000);
const webPort = Number(process.env.WEB_PORT ?? 3000);
const apiUrl = `http://127.0.0.1:${port}/graphql`;
const rebuild = process.argv.includes('--rebuild');
// Team mode (as the server decides it, env.ts): every request needs an API token, so nothing anonymous is sent.
const teamMode = Boolean(process.env.DATABASE_URL) || process.env.GROKSCOPE_AUTH === 'required';

/** Whether nothing listens on 127.0.0.1:port (another grokscope, or any server, would make a start fail later). */
function portFree(p) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(p, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
for (const [variable, p] of [
  ['PORT', port],
  ['WEB_PORT', webPort],
]) {
  if (!(await portFree(p))) {
    console.error(
      `✗ port ${p} on 127.0.0.1 is in use (is grokscope already running?): stop that process, or choose another with ${variable}=…`,
    );
    process.exit(1);
  }
}

step('Installing dependencies');
installDependencies();
step('Building the dashboard');
buildWeb(rebuild);

const children = [];
// Each child leads its own process group (pnpm → tsx → node, pnpm → next-server), so stopping signals the whole
// group: a SIGTERM to this script alone (a service manager, `kill`) would otherwise leave the servers running.
function stopAll(code = 0) {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // The group is already gone.
    }
  }
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

function launch(name, args, env, readyPattern) {
  return new Promise((resolve, reject) => {
    const child = spawnPnpm(args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.push(child);
    let ready = false;
    const onData = (chunk) => {
      const text = chunk.toString();
      process.stdout.write(text.replace(/^(?=.)/gm, `[${name}] `));
      if (!ready && readyPattern.test(text)) {
        ready = true;
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (!ready) reject(new Error(`${name} exited (code ${code}) before it was ready`));
      else {
        console.error(`${name} exited (code ${code}); stopping`);
        stopAll(code ?? 1);
      }
    });
  });
}

step('Starting the API and the dashboard');
// WEB_PORT tells the API which browser origin is the dashboard's (GROKSCOPE_ALLOWED_ORIGINS' default).
await launch(
  'api',
  ['--filter', '@grokscope/server', 'start'],
  { PORT: String(port), WEB_PORT: String(webPort) },
  /listening on/,
);
await launch(
  'web',
  ['--filter', '@grokscope/web', 'start'],
  { GROKSCOPE_API_URL: apiUrl, WEB_PORT: String(webPort) },
  // Next prints its Local: address before it binds; only Ready means it listens.
  /Ready in|started server/i,
);

async function gql(query, variables) {
  const response = await fetch(apiUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

if (teamMode) {
  console.log(`
API tokens are required (team mode). Create the first one while grokscope runs, in another terminal:
  pnpm grokscope token create --name <your-name> --scope admin
and paste it into the dashboard when it asks. An admin token can create and revoke others with the
createToken / revokeToken mutations, or with \`pnpm grokscope token …\` (see \`pnpm grokscope token help\`).`);
} else {
  const { runs } = await gql('{ runs(first: 1) { totalCount } }');
  if (runs.totalCount === 0) {
    const { startRun } = await gql('mutation($input: StartRunInput!) { startRun(input: $input) { id } }', {
      // The demo's config lives with the trainer (DEMO_CONFIG, docs/measures.md “The demo run”): memorisation,
      // grokking and surviving circles within about two minutes of training.
      input: {
        name: 'demo: MLP on a + b mod 59',
        config: JSON.parse(readFileSync(join(root, 'packages/trainer/demo-config.json'), 'utf8')),
      },
    });
    console.log(`\nQueued a demo run: http://127.0.0.1:${webPort}/runs/${startRun.id}`);
  }
}

console.log(`\n✓ grokscope is running
  dashboard  http://127.0.0.1:${webPort}
  GraphQL    ${apiUrl}   (GraphiQL in the browser; graphql-ws on the same URL)
  data       ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : (process.env.GROKSCOPE_DATA ?? './.grokscope')}
Press Ctrl-C to stop.`);
