#!/usr/bin/env node
// Benchmark for `lambda-cold invoke`, against the local Lambda + CloudWatch Logs emulator
// (test/support/lambda-emulator.ts, transpiled into .bench/ with the project's TypeScript).
// It prints:
//  - configuration updates per cold sample for `--cold` (the goal: 1 / --concurrency, so 20 samples at
//    concurrency 10 take 2 updates, not 20);
//  - the CLI's wall time against the emulator's own Init Duration + Duration (what the function really
//    spent, from its REPORT lines): sequential runs against the plain sum, concurrent --cold runs against
//    the critical path (per update round, the slowest init + duration);
//  - the time spent waiting for CloudWatch against the emulator's ingestion lag;
//  - configuration updates per cold sample on a function limited to 2 concurrent executions (reserved
//    concurrency: the goal is 1/2 per sample, plus the restore, and no warm invocation among the samples);
//  - FilterLogEvents calls per invocation on a heavy-logging function (goal: 0 when every tail has its
//    REPORT; at most 1 call per 10 invocations whose tail lacks it).
// Medians of several repetitions; ratios, not absolute times (the machine is shared and noisy).
// Usage: node scripts/bench-invoke.mjs [--quick] [--json]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnv, loadEmulator, log, median, resultRows, runCli as runCliIn } from './emulator-bench.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'lambda-cold.js');
const benchDir = join(root, '.bench', 'invoke');
const quick = process.argv.includes('--quick');
const asJson = process.argv.includes('--json');
const reps = quick ? 2 : 5;

const { LambdaEmulator, findPython } = await loadEmulator(root, benchDir);
const home = mkdtempSync(join(tmpdir(), 'lc-bench-invoke-'));
const env = benchEnv(home);
const runCli = (args) => runCliIn(cli, env, args);
const { rows, row } = resultRows({ asJson, width: 56, digits: 3 });

const fixtures = join(root, 'python-fixtures', 'lambda');
const python = await findPython();

async function withEmulator(opts, fn) {
  const em = new LambdaEmulator({ python, updateDelayMs: 150, ...opts });
  await em.start();
  try {
    em.addFunction({ name: 'bench', codeDir: fixtures, handler: 'hello.handler', environment: { STAGE: 'bench', INIT_SLEEP_MS: '300' } });
    return await fn(em);
  } finally {
    await em.stop();
  }
}

const criticalPath = (doc) => {
  const rounds = new Map();
  for (const i of doc.invocations) {
    const t = (i.initDurationMs ?? 0) + (i.durationMs ?? 0);
    rounds.set(i.round, Math.max(rounds.get(i.round) ?? 0, t));
  }
  return [...rounds.values()].reduce((a, b) => a + b, 0);
};

try {
  // 1. Configuration updates per cold sample.
  await withEmulator({ ingestionLagMs: 0 }, async (em) => {
    for (const [count, conc] of [
      [20, 10],
      [8, 4],
      [4, 1],
    ]) {
      const u0 = em.stats.updates;
      const { doc } = await runCli(['invoke', 'bench', '--cold', '--count', String(count), '--concurrency', String(conc), '--json', '--endpoint-url', em.url]);
      const perSample = doc.forced.updates / doc.summary.cold.count;
      row(`--cold --count ${count} --concurrency ${conc}: updates per cold sample`, perSample, 'x', 'ideal 1/concurrency', 1 / conc, 1);
      const warmInRound = doc.invocations.filter((x) => !x.cold).length;
      log(
        `  (${doc.forced.updates} forcing updates + ${em.stats.updates - u0 - doc.forced.updates} restore for ${doc.summary.cold.count} cold samples` +
          (warmInRound ? `; ${warmInRound} invocation(s) of a round reused an environment another had just freed` : '') +
          ')',
      );
    }
  });

  // 2. Wall time against the function's own time, no ingestion lag (lambda-cold's own overhead).
  await withEmulator({ ingestionLagMs: 0 }, async (em) => {
    const walls = [];
    const spent = [];
    const perCall = [];
    const perDuration = [];
    for (let i = 0; i < reps; i++) {
      const r0 = em.stats.reportedMs;
      const { ms, doc } = await runCli(['invoke', 'bench', '--count', '20', '--payload', '{"sleepMs": 20}', '--json', '--endpoint-url', em.url]);
      walls.push(ms);
      spent.push(em.stats.reportedMs - r0);
      for (const inv of doc.invocations.filter((x) => !x.cold)) {
        perCall.push(inv.clientMs);
        perDuration.push(inv.durationMs);
      }
    }
    row('invoke --count 20 (sequential, 20 ms handler): wall', median(walls), 'ms', 'Σ init+duration', median(spent));
    row('  one warm Invoke call as the CLI sees it (median)', median(perCall), 'ms', 'its Duration', median(perDuration));
    const startup = [];
    for (let i = 0; i < reps; i++) startup.push((await runCli(['invoke', 'bench', '--count', '1', '--json', '--no-logs', '--endpoint-url', em.url])).ms);
    log(`  (fixed cost of one CLI run — Node start, SDK load, GetFunctionConfiguration, one invoke: median ${median(startup).toFixed(0)} ms)`);
    const cw = [];
    const cp = [];
    for (let i = 0; i < reps; i++) {
      const { ms, doc } = await runCli(['invoke', 'bench', '--cold', '--count', '20', '--concurrency', '10', '--payload', '{"sleepMs": 20}', '--json', '--endpoint-url', em.url]);
      cw.push(ms);
      cp.push(criticalPath(doc));
    }
    row('invoke --cold --count 20 --concurrency 10: wall', median(cw), 'ms', 'critical path', median(cp));
    log('  (the --cold wall includes 2 update waits + 1 restore wait: the waiter polls GetFunction from 0.5 s on, the emulator keeps an update InProgress 150 ms)');
  });

  // 3. Waiting for CloudWatch: time beyond the run itself, against the ingestion lag.
  const lag = 1500;
  await withEmulator({ ingestionLagMs: lag }, async (em) => {
    const withLogs = [];
    const noLogs = [];
    for (let i = 0; i < reps; i++) {
      // --environments: every invocation's log stream is read, so the run waits for the lag (the tails alone would not).
      withLogs.push((await runCli(['invoke', 'bench', '--count', '5', '--json', '--environments', '--endpoint-url', em.url])).ms);
      noLogs.push((await runCli(['invoke', 'bench', '--count', '5', '--json', '--no-logs', '--endpoint-url', em.url])).ms);
    }
    row(`CloudWatch wait (with logs − --no-logs), ingestion lag ${lag} ms`, median(withLogs) - median(noLogs), 'ms', 'the lag', lag);
  });
  // 4. A function limited to 2 concurrent executions, asked for --concurrency 10.
  await withEmulator({ ingestionLagMs: 0 }, async (em) => {
    em.addFunction({ name: 'limited', codeDir: fixtures, handler: 'hello.handler', reservedConcurrency: 2, environment: { INIT_SLEEP_MS: '300' } });
    const u0 = em.stats.updates;
    const t0 = em.stats.throttled;
    const { doc } = await runCli(['invoke', 'limited', '--cold', '--count', '20', '--concurrency', '10', '--json', '--endpoint-url', em.url]);
    const cold = doc.summary.cold.count;
    row('reserved concurrency 2, --cold --count 20 --concurrency 10: updates per cold sample', doc.forced.updates / cold, 'x', 'ideal 1/2', 0.5, 1);
    const warm = doc.invocations.filter((x) => x.kind !== 'cold').length;
    log(
      `  (${doc.forced.updates} forcing updates + ${em.stats.updates - u0 - doc.forced.updates} restore for ${cold} cold samples of 20; ` +
        `${warm} non-cold invocation(s); ${em.stats.throttled - t0} throttled Invoke call(s))`,
    );
  });

  // 5. FilterLogEvents calls per invocation for a function that logs far past the 4 KB tail.
  await withEmulator({ ingestionLagMs: 0 }, async (em) => {
    em.addFunction({ name: 'noisy', codeDir: fixtures, handler: 'noisy.handler' });
    const f0 = em.stats.filterLogEvents;
    const { doc } = await runCli(['invoke', 'noisy', '--cold', '--count', '20', '--concurrency', '10', '--json', '--endpoint-url', em.url]);
    const calls = em.stats.filterLogEvents - f0;
    row('heavy logging, REPORT in every tail: FilterLogEvents calls per invocation', calls / doc.invocations.length, 'x');
    log(`  (${calls} FilterLogEvents call(s) for ${doc.invocations.length} invocations; goal 0)`);
  });
  await withEmulator({ ingestionLagMs: 0, tailBytes: 40 }, async (em) => {
    em.addFunction({ name: 'noisy', codeDir: fixtures, handler: 'noisy.handler' });
    const f0 = em.stats.filterLogEvents;
    const { doc } = await runCli(['invoke', 'noisy', '--count', '20', '--json', '--endpoint-url', em.url]);
    const calls = em.stats.filterLogEvents - f0;
    const lacking = doc.invocations.filter((x) => x.source === 'cloudwatch').length;
    row('heavy logging, no REPORT in the tails: FilterLogEvents calls per such invocation', calls / Math.max(1, lacking), 'x', 'ideal 1/10', 0.1, 1);
    log(`  (${calls} FilterLogEvents call(s) for ${lacking} invocations completed from CloudWatch)`);
  });
} finally {
  rmSync(home, { recursive: true, force: true });
}

if (asJson) process.stdout.write(`${JSON.stringify({ kind: 'bench-invoke', reps, rows }, null, 2)}\n`);
writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify({ kind: 'bench-invoke', reps, rows }, null, 2)}\n`);
