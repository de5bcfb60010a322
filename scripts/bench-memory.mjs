#!/usr/bin/env node
// Benchmark for `lambda-cold invoke --cold --memory`, against the local Lambda emulator
// (test/support/lambda-emulator.ts, transpiled into .bench/ with the project's TypeScript) with its init-boost
// model on (cpuModel 'init-boost': init at full speed, the invoke phase at the CPU share min(1, MB / 1769)).
// It prints:
//  - configuration updates per size for `--memory 128,256,512,1024,1769 --count 10 --concurrency 10` (goal 1:
//    the update that sets MemorySize is the one that retires the environments), and the restore;
//  - the sweep's wall time against its critical path: the sum over sizes of the update's own wait (from the
//    request to LastUpdateStatus Successful, in the emulator's record) and the slowest cold start (init +
//    first call), plus the restore's update wait.
// Medians of several repetitions; ratios, not absolute times (the machine is shared and noisy).
// Usage: node scripts/bench-memory.mjs [--quick] [--json]
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'lambda-cold.js');
const benchDir = join(root, '.bench', 'memory');
const quick = process.argv.includes('--quick');
const asJson = process.argv.includes('--json');
const reps = quick ? 1 : 3;
const SIZES = [128, 256, 512, 1024, 1769];
const log = (s) => process.stderr.write(`${s}\n`);

// ── the emulator, transpiled from the test support code (one implementation, no copy) ──
mkdirSync(benchDir, { recursive: true });
const require = createRequire(import.meta.url);
const ts = require('typescript');
const source = readFileSync(join(root, 'test', 'support', 'lambda-emulator.ts'), 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
writeFileSync(join(benchDir, 'lambda-emulator.mjs'), js);
copyFileSync(join(root, 'test', 'support', 'lambda_bootstrap.py'), join(benchDir, 'lambda_bootstrap.py'));
const { LambdaEmulator, findPython } = await import(pathToFileURL(join(benchDir, 'lambda-emulator.mjs')).href);

try {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'ignore' });
} catch {
  log('warning: the build failed; benchmarking the dist/ already there');
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const home = mkdtempSync(join(tmpdir(), 'lc-bench-memory-'));
const env = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_CACHE_HOME: home,
  NO_COLOR: '1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: join(home, 'none'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
};

function runCli(args) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`lambda-cold ${args.join(' ')} exited ${code}: ${err}`));
      else resolve({ ms, doc: JSON.parse(out) });
    });
  });
}

const rows = [];
function row(what, value, unit, against, againstValue, goal) {
  const ratio = againstValue ? value / againstValue : null;
  rows.push({ what, value, unit, against, againstValue, ratio, goal: goal ?? null });
  const r = ratio === null ? '' : `  = ${ratio.toFixed(2)}×`;
  const g = goal === undefined ? '' : ratio !== null && ratio <= goal ? `  ok (goal ≤ ${goal}×)` : `  OVER (goal ≤ ${goal}×)`;
  (asJson ? log : console.log)(
    `${what.padEnd(60)} ${value.toFixed(unit === 'ms' ? 1 : 2).padStart(9)} ${unit.padEnd(3)}` +
      (against ? ` vs ${against} ${againstValue.toFixed(unit === 'ms' ? 1 : 2).padStart(8)} ${unit}${r}${g}` : ''),
  );
}

const python = await findPython();
const em = new LambdaEmulator({ python, ingestionLagMs: 0, updateDelayMs: 150 });
await em.start();
try {
  em.addFunction({
    name: 'bench',
    codeDir: join(root, 'python-fixtures', 'lambda'),
    handler: 'deferred.handler',
    cpuModel: 'init-boost',
    memorySize: 1024,
    environment: { STAGE: 'bench', INIT_SLEEP_MS: '300', FIRST_CALL_MS: '40' },
  });
  const walls = [];
  const paths = [];
  const perSize = [];
  let last = null;
  for (let i = 0; i < reps; i++) {
    const u0 = em.updates.length;
    const r0 = em.record.length;
    const { ms, doc } = await runCli(['invoke', 'bench', '--cold', '--memory', SIZES.join(','), '--count', '10', '--concurrency', '10', '--json', '--endpoint-url', em.url]);
    const updates = em.updates.slice(u0);
    const record = em.record.slice(r0);
    // Critical path: per size, the update's own wait and the slowest cold start; then the restore's wait.
    const wait = (u) => (u.successfulAt ?? u.at) - u.at;
    let path = 0;
    for (const mb of SIZES) {
      const cold = record.filter((t) => t.memorySizeMB === mb && t.kind === 'cold');
      path += Math.max(0, ...cold.map((t) => (t.initMs ?? 0) + t.durationMs));
    }
    path += updates.reduce((a, u) => a + wait(u), 0);
    walls.push(ms);
    paths.push(path);
    perSize.push(...doc.sizes.map((s) => s.updates));
    last = { doc, updates: updates.length };
  }
  row(`--memory ${SIZES.join(',')} --count 10 --concurrency 10: updates per size`, Math.max(...perSize), 'x', 'goal', 1, 1);
  log(`  (the most any size took, over ${reps} run(s): ${perSize.join(', ')}; ${last.updates} UpdateFunctionConfiguration calls in all, the restore included; cold samples per size ${last.doc.sizes.map((s) => s.coldSamples).join(', ')})`);
  row('  the sweep: wall', median(walls), 'ms', 'critical path', median(paths));
  log('  (critical path = Σ over sizes of the update wait + the slowest cold start, + the restore wait; the rest is Node start, the waiter polling GetFunction from 0.5 s on while the emulator keeps an update InProgress 150 ms, and the control-plane reads)');
  const b = last.doc.initBoost;
  log(`  (init boost in the emulator's model: init ratio ${b.initRatio}×, first call ratio ${b.firstCallRatio}× (128 MB over 1769 MB); recommended ${last.doc.recommendation?.memorySizeMB} MB, fastest ${last.doc.recommendation?.fastestMemorySizeMB} MB)`);
} finally {
  await em.stop();
  rmSync(home, { recursive: true, force: true });
}

if (asJson) process.stdout.write(`${JSON.stringify({ kind: 'bench-memory', reps, rows }, null, 2)}\n`);
writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify({ kind: 'bench-memory', reps, rows }, null, 2)}\n`);
