// `npm test` / `pnpm test`: everything CI checks, on a fresh machine with Node and npm (an older Node than 22
// brings Node 24 from the npm registry first: node-runtime.mjs).
// Installs dependencies, makes sure PostgreSQL is up and Chromium is present, then typecheck, lint, unit and
// integration tests (PGlite and PostgreSQL), and the browser test against a real server and dashboard.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildWeb, installDependencies, pnpm, pnpmCounted, root, run, step } from './lib.mjs';
import { useSupportedNode } from './node-runtime.mjs';

await useSupportedNode(root);

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
const isRoot = process.getuid?.() === 0;
const sh = (command) => spawnSync('sh', ['-c', command], { stdio: 'ignore' }).status === 0;
// A fresh machine's own package jobs (unattended upgrades, cloud-init) may hold dpkg's lock for a while: wait for it.
const apt = 'apt-get -o DPkg::Lock::Timeout=600';

step('Installing dependencies');
installDependencies();

const pgUrl = process.env.GROKSCOPE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.GROKSCOPE_TEST_PG_URL = pgUrl;
step(`Checking PostgreSQL (${pgUrl})`);
const pgUp = () => sh('pg_isready -h 127.0.0.1 -p 5432 -t 3');
if (!pgUp() && sh('command -v pg_ctlcluster')) {
  sh('pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -1) main start');
  for (let i = 0; i < 20 && !pgUp(); i++) spawnSync('sleep', ['0.5']);
}
if (!pgUp()) {
  if (process.env.CI) {
    console.error('✗ PostgreSQL is not reachable on 127.0.0.1:5432 and CI needs it');
    process.exit(1);
  }
  console.warn(
    '! PostgreSQL is not reachable on 127.0.0.1:5432: the PostgreSQL suites are SKIPPED (PGlite suites run).',
  );
  process.env.GROKSCOPE_SKIP_PG = '1';
}

if (want('e2e')) {
  step('Checking Chromium for the browser test');
  if (!existsSync('/usr/bin/chromium')) {
    if (isRoot && sh('command -v apt-get')) {
      run('sh', [
        '-c',
        `${apt} update -qq && DEBIAN_FRONTEND=noninteractive ${apt} install -y -qq chromium >/dev/null`,
      ]);
    } else {
      console.error(
        '✗ /usr/bin/chromium is missing: install Debian/Ubuntu `chromium` (the browser test drives it)',
      );
      process.exit(1);
    }
  }
}

if (want('unit')) {
  // docs/examples/follow_run.py runs in the server tests; its test is skipped (loudly) only without python3.
  step('Checking Python modules for the API example test');
  const hasModules = (python) => sh(`${python} -c 'import requests, websockets' 2>/dev/null`);
  if (!sh('command -v python3')) {
    if (process.env.CI) {
      console.error('✗ python3 is not installed and CI runs the Python API example test');
      process.exit(1);
    }
    console.warn('! python3 is not installed: the Python API example test is SKIPPED');
  } else if (!hasModules('/usr/bin/python3') && !hasModules('python3')) {
    if (isRoot && sh('command -v apt-get')) {
      run('sh', [
        '-c',
        `${apt} update -qq && DEBIAN_FRONTEND=noninteractive ${apt} install -y -qq python3-requests python3-websockets >/dev/null`,
      ]);
    } else {
      console.error(
        '✗ python3 lacks requests/websockets: install Debian/Ubuntu `python3-requests python3-websockets` (or pip install requests websockets)',
      );
      process.exit(1);
    }
  }
  // The checkpoint tests write torch.save files and the release code's reference logits with numpy
  // (packages/trainer/test/helpers/torch_pt.py); they need no PyTorch.
  const hasNumpy = (python) => sh(`${python} -c 'import numpy' 2>/dev/null`);
  if (sh('command -v python3') && !hasNumpy('python3') && !hasNumpy('/usr/bin/python3')) {
    if (isRoot && sh('command -v apt-get')) {
      run('sh', [
        '-c',
        `${apt} update -qq && DEBIAN_FRONTEND=noninteractive ${apt} install -y -qq python3-numpy >/dev/null`,
      ]);
    } else {
      console.error(
        '✗ python3 lacks numpy (checkpoint tests): install Debian/Ubuntu `python3-numpy` (or pip install numpy)',
      );
      process.exit(1);
    }
  }
}

if (want('unit')) {
  // apps/server/test/python-client.test.ts trains a PyTorch MLP with clients/python; skipped (loudly) only
  // without python3, and never in CI.
  step('Checking PyTorch for the Python client test');
  const hasTorch =
    sh(`/usr/bin/python3 -c 'import torch' 2>/dev/null`) || sh(`python3 -c 'import torch' 2>/dev/null`);
  if (!hasTorch && isRoot && sh('command -v apt-get')) {
    run('sh', [
      '-c',
      `${apt} update -qq && DEBIAN_FRONTEND=noninteractive ${apt} install -y -qq python3-torch libopenblas0 >/dev/null`,
    ]);
  } else if (!hasTorch) {
    if (process.env.CI) {
      console.error(
        '✗ python3 lacks torch and CI runs the Python client test: install Debian/Ubuntu `python3-torch`',
      );
      process.exit(1);
    }
    console.warn('! python3 lacks torch (Debian/Ubuntu `python3-torch`): the Python client test is SKIPPED');
  }
}

if (want('unit')) {
  // packages/trainer/test/webgpu.test.ts trains on WebGPU through Dawn; without a GPU, Mesa's lavapipe (Vulkan on the
  // CPU) provides the adapter. Debian 12's own lavapipe is too old for Dawn, hence bookworm-backports.
  step('Checking a Vulkan driver for the webgpu test');
  const hasIcd = sh('ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json 2>/dev/null | grep -q .');
  // Installing Chromium (above) brings Debian 12's own Mesa 22 lavapipe as a recommendation: an ICD that Dawn
  // refuses, so its presence alone does not mean a usable driver.
  const mesa = spawnSync('dpkg-query', ['-W', 'mesa-vulkan-drivers'], { encoding: 'utf8' }); // "name\tversion"
  const usableIcd = hasIcd && !/\t22\./.test(mesa.stdout ?? '');
  if (!usableIcd && isRoot && sh('command -v apt-get') && sh('grep -q bookworm /etc/os-release')) {
    const backports = '/etc/apt/sources.list.d/grokscope-bookworm-backports.list';
    if (!sh('grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/')) {
      run('sh', ['-c', `echo 'deb http://deb.debian.org/debian bookworm-backports main' > ${backports}`]);
    }
    run('sh', [
      '-c',
      `${apt} update -qq && DEBIAN_FRONTEND=noninteractive ${apt} install -y -qq libvulkan1 >/dev/null && ` +
        `DEBIAN_FRONTEND=noninteractive ${apt} install -y -qq -t bookworm-backports mesa-vulkan-drivers >/dev/null`,
    ]);
  } else if (!usableIcd) {
    if (process.env.CI) {
      console.error('✗ no Vulkan driver (e.g. Mesa lavapipe) and CI runs the webgpu test');
      process.exit(1);
    }
    console.warn('! no Vulkan driver (e.g. Mesa lavapipe): the webgpu test is SKIPPED');
  }
}

if (want('static')) {
  step('Typecheck');
  pnpm(['-r', 'typecheck']);
  step('Generated files match their sources (graphql-env.d.ts, drizzle migrations)');
  run('node', ['scripts/check-generated.mjs']);
  step('Lint and format check (biome)');
  pnpm(['exec', 'biome', 'ci', '.']);
}
const tally = { passed: 0, failed: 0, skipped: 0 };
let failures = 0;
if (want('unit')) {
  step('Unit and integration tests (vitest, every package)');
  // --no-bail: one package's failure must not hide another's.
  if ((await pnpmCounted(['-r', '--no-bail', '--workspace-concurrency=1', 'test'], tally)) !== 0) failures++;
}
if (want('e2e')) {
  step('Browser test (Playwright + Chromium against a real server and dashboard)');
  buildWeb(true);
  if ((await pnpmCounted(['--filter', '@grokscope/web', 'test:e2e'], tally)) !== 0) failures++;
}
const skipped = tally.skipped ? `, ${tally.skipped} skipped` : '';
console.log(`\n${tally.passed} passed, ${tally.failed} failed${skipped}`);
if (failures > 0 || tally.failed > 0) {
  console.error('✗ tests failed');
  process.exit(1);
}
console.log('✓ all checks passed');
