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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnv, loadEmulator, log, median, resultRows, runCli as runCliIn } from './emulator-bench.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'lambda-cold.js');
const benchDir = join(root, '.bench', 'memory');
const quick = process.argv.includes('--quick');
const asJson = process.argv.includes('--json');
const reps = quick ? 1 : 3;
const SIZES = [128, 256, 512, 1024, 1769];

const { LambdaEmulator, findPython } = await loadEmulator(root, benchDir);
const home = mkdtempSync(join(tmpdir(), 'lc-bench-memory-'));
const env = benchEnv(home);
const runCli = (args) => runCliIn(cli, env, args);
const { rows, row } = resultRows({ asJson, width: 60, digits: 2 });

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
