// grokscope from Node with graphql-ws: start a run, follow it live, drop the connection half-way and resume with
// `sinceStep` without losing or repeating a step. In your own project: `npm install graphql-ws ws`, then
//   GROKSCOPE_URL=http://127.0.0.1:4000/graphql node follow-run.mjs
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.env.GROKSCOPE_URL ?? 'http://127.0.0.1:4000/graphql';
const STEPS = 30;

async function gql(query, variables) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const { data, errors } = await response.json();
  if (errors) throw new Error(errors.map((e) => e.message).join('; '));
  return data;
}

const PROGRESS = `subscription($runId: ID!, $sinceStep: Int) {
  runProgress(runId: $runId, sinceStep: $sinceStep) { step status scalars { name value } }
}`;

/** Prints each step until the run ends, or until `until(step)` holds; resolves with the last event. */
function follow(client, variables, until = () => false) {
  return new Promise((resolve, reject) => {
    let last;
    // Events already on the wire can still arrive after unsubscribe(); the resumed subscription sends them again.
    let done = false;
    const unsubscribe = client.subscribe(
      { query: PROGRESS, variables },
      {
        next: ({ data, errors }) => {
          if (done) return;
          if (errors) return reject(new Error(errors.map((e) => e.message).join('; ')));
          last = data.runProgress;
          const scalars = Object.fromEntries(last.scalars.map((s) => [s.name, s.value]));
          if (last.status === 'RUNNING') {
            console.log(`step ${last.step} train_loss=${scalars.train_loss} test_acc=${scalars.test_acc}`);
          } else console.log(`run ended: ${last.status}`);
          if (until(last.step)) {
            done = true;
            unsubscribe();
            resolve(last);
          }
        },
        error: reject,
        complete: () => resolve(last),
      },
    );
  });
}

const { startRun } = await gql('mutation($input: StartRunInput!) { startRun(input: $input) { id name } }', {
  input: {
    name: 'node-example',
    config: { p: 11, steps: STEPS, backend: 'cpu', model: { kind: 'MLP', embedDim: 8, hiddenDim: 16 } },
  },
});
console.log(`started ${startRun.name} (${startRun.id})`);

const wsUrl = url.replace(/^http/, 'ws');
const first = createClient({ url: wsUrl, webSocketImpl: WebSocket });
const halfway = await follow(first, { runId: startRun.id }, (step) => step >= STEPS / 2);
await first.dispose();
console.log(`disconnected after step ${halfway.step}; resuming with sinceStep=${halfway.step}`);

const second = createClient({ url: wsUrl, webSocketImpl: WebSocket });
const end = await follow(second, { runId: startRun.id, sinceStep: halfway.step });
await second.dispose();
process.exitCode = end?.status === 'COMPLETED' ? 0 : 1;
