#!/usr/bin/env node
// Benchmark for `lambda-cold logs`: memory stays bounded however many events a window holds.
// 1,000,000 synthetic Text-format platform events (REPORT lines, an INIT_START before each cold start,
// 2,000 execution environments, 3% cold, some timeouts and re-inits) go through the same parser
// (src/aws/log-lines.ts) and aggregator (src/logs/aggregate.ts) the command uses, bundled with esbuild into
// .bench/logs/, in a child process of its own so its peak RSS is its own. Prints throughput (events/s)
// and the peak RSS against the goal (under 150 MB); exits 1 if the goal is missed.
// Usage: node scripts/bench-logs.mjs [--quick] [--events N] [--json]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.bench', 'logs');
mkdirSync(dir, { recursive: true });
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const quick = process.argv.includes('--quick');
const events = Number(arg('--events') ?? (quick ? 200_000 : 1_000_000));
const GOAL_MB = 150;

const entry = join(dir, 'entry.ts');
writeFileSync(
  entry,
  `import { parseLogText } from ${JSON.stringify(join(root, 'src/aws/log-lines.ts'))};
import { HistoryAggregator } from ${JSON.stringify(join(root, 'src/logs/aggregate.ts'))};
const total = Number(process.argv[2]);
const envs = 2000;
const agg = new HistoryAggregator(512, 0.0000166667);
let seed = 12345;
const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
const t0 = performance.now();
let t = 1_700_000_000_000;
let n = 0;
for (let i = 0; n < total; i++) {
  const stream = '2026/01/01/[$LATEST]' + (i % envs).toString(16).padStart(32, '0');
  const r = rnd();
  const id = '00000000-0000-4000-8000-' + i.toString(16).padStart(12, '0');
  const d = (2 + rnd() * 40).toFixed(2);
  let messages;
  if (r < 0.03) {
    const init = (300 + rnd() * 500).toFixed(2);
    messages = ['INIT_START Runtime Version: python:3.12.v40\\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:x',
      'REPORT RequestId: ' + id + '\\tDuration: ' + d + ' ms\\tBilled Duration: ' + Math.ceil(Number(d) + Number(init)) + ' ms\\tMemory Size: 512 MB\\tMax Memory Used: 80 MB\\tInit Duration: ' + init + ' ms\\t'];
  } else if (r < 0.032) {
    messages = ['INIT_REPORT Init Duration: 150.00 ms\\tPhase: invoke\\tStatus: success',
      'REPORT RequestId: ' + id + '\\tDuration: ' + d + ' ms\\tBilled Duration: ' + Math.ceil(Number(d)) + ' ms\\tMemory Size: 512 MB\\tMax Memory Used: 80 MB\\t'];
  } else {
    const status = r > 0.999 ? 'Status: timeout\\t' : '';
    messages = ['REPORT RequestId: ' + id + '\\tDuration: ' + d + ' ms\\tBilled Duration: ' + Math.ceil(Number(d)) + ' ms\\tMemory Size: 512 MB\\tMax Memory Used: 80 MB\\t' + status];
  }
  for (const m of messages) {
    t += 1;
    for (const line of parseLogText(m)) agg.add(line, stream, t);
    n++;
  }
}
const s = agg.summary();
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ events: n, ms, maxRssMB: process.resourceUsage().maxRSS / 1024, invocations: s.invocations, coldStarts: s.coldStarts, reinits: s.reinits, timeouts: s.timeouts, environments: s.environments, initP50: s.initDurationMs?.p50, initP99: s.initDurationMs?.p99 }));
`,
);
const out = join(dir, 'bench-logs.mjs');
await build({ entryPoints: [entry], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" } });
const r = spawnSync(process.execPath, [out, String(events)], { encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(2);
}
const res = JSON.parse(r.stdout);
const ok = res.maxRssMB < GOAL_MB;
if (process.argv.includes('--json')) console.log(JSON.stringify({ ...res, goalMB: GOAL_MB, ok }));
else {
  console.log(`logs: ${res.events.toLocaleString('en')} platform events parsed and aggregated in ${(res.ms / 1000).toFixed(2)} s: ${Math.round(res.events / (res.ms / 1000)).toLocaleString('en')} events/s`);
  console.log(`  ${res.invocations.toLocaleString('en')} invocations, ${res.coldStarts.toLocaleString('en')} cold starts, ${res.reinits} re-inits, ${res.timeouts} timeouts, ${res.environments} environments; init p50 ${res.initP50} ms, p99 ${res.initP99} ms`);
  console.log(`  peak RSS ${res.maxRssMB.toFixed(1)} MB (goal: under ${GOAL_MB} MB) ${ok ? 'ok' : 'MISSED'}`);
}
process.exit(ok ? 0 : 1);
