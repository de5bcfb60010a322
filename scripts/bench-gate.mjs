#!/usr/bin/env node
// Gate quality, measured: does the CI gate stay quiet on unchanged code and catch a real regression?
//
//   node scripts/bench-gate.mjs [--n 20] [--runs 10] [--quick]
//
// On python-fixtures/gate/base (a handler of ≈ 100 ms: sleep-based work plus real standard-library
// imports) and its variant plus25 (one module's body 25 ms slower, same module set — so that only the
// timing gate can see it), it runs the real CLI with its default thresholds and counts:
//   1. --baseline: a fresh baseline of the unchanged code, then N gate runs on the unchanged code
//      (false failures, goal 0/N) and N on the +25 ms variant (detections, goal N/N), alternated;
//   2. --against HEAD: a git repository made on the fly (base committed), N runs on a clean clone
//      (goal 0/N) and N on a clone whose working tree holds the +25 ms change (goal N/N), alternated.
// Prints the counts, each failing run's message, and how long it took. Not a pass/fail test.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'lambda-cold.js');
const fixture = join(root, 'python-fixtures', 'gate');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const quick = process.argv.includes('--quick');
const n = arg('--n', quick ? 5 : 20);
const runs = arg('--runs', undefined);

if (!existsSync(join(root, 'dist', 'cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

const work = mkdtempSync(join(tmpdir(), 'lambda-cold-bench-gate-'));
const cache = join(work, 'cache');
const env = { ...process.env, NO_COLOR: '1', LAMBDA_COLD_CACHE_DIR: cache, GITHUB_ACTIONS: '' };
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const common = ['--python', python, ...(runs ? ['--runs', String(runs)] : [])];

function tree(name, variant) {
  const dir = join(work, name);
  cpSync(join(fixture, 'base'), dir, { recursive: true });
  if (variant) cpSync(join(fixture, 'variants', variant), dir, { recursive: true });
  return dir;
}

function gate(args, cwd = root) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'profile', ...args, ...common, '--json'], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`lambda-cold exited ${r.status}: ${r.stderr}`);
  const doc = JSON.parse(r.stdout);
  return { code: r.status, failures: doc.gate.failures, comparison: doc.comparison, confirmation: doc.confirmation, sec };
}

function git(args, cwd) {
  execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid' } });
}

const fmt = (r) => {
  const c = r.comparison;
  const d = c ? `${(c.base.importUs.median / 1000).toFixed(1)} → ${(c.head.importUs.median / 1000).toFixed(1)} ms, p=${c.test.p.toExponential(1)}` : '';
  const conf = r.confirmation ? ` [2nd batch: ${r.confirmation.confirmed.length ? 'confirmed' : 'dismissed'}]` : '';
  return `${d}${conf}`;
};

/** Alternate unchanged and changed runs; count failures of each. */
function series(label, unchanged, changed) {
  const t0 = Date.now();
  let falseFailures = 0;
  let detected = 0;
  let confirmations = 0;
  for (let i = 0; i < n; i++) {
    const u = unchanged();
    if (u.confirmation) confirmations++;
    if (u.code === 1) {
      falseFailures++;
      console.log(`  ${label} unchanged #${i + 1}: FAILED ${u.failures.map((f) => f.kind).join(', ')} — ${fmt(u)}`);
    }
    const c = changed();
    if (c.confirmation) confirmations++;
    const hit = c.code === 1 && c.failures.some((f) => f.kind === 'regression');
    if (hit) detected++;
    else console.log(`  ${label} +25 ms #${i + 1}: missed — ${fmt(c)}`);
    if (process.stdout.isTTY) process.stdout.write(`\r  ${label}: ${i + 1}/${n}`);
  }
  if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K');
  const sec = (Date.now() - t0) / 1000;
  console.log(
    `${label.padEnd(22)} false failures ${falseFailures}/${n} (goal 0)   detections ${detected}/${n} (goal ${n})   ` +
      `second batches ${confirmations}   ${sec.toFixed(0)} s`,
  );
  return { label, falseFailures, detected, sec };
}

const started = Date.now();
const pyVersion = execFileSync(python, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' }).trim();
console.log(`lambda-cold gate quality — Python ${pyVersion}, ${n} runs each, ${runs ?? 'default'} runs per measurement, default thresholds (+10%, +5 ms, p < 0.01)\n`);
const results = [];
try {
  // 1. --baseline
  const same = tree('unchanged');
  const slow = tree('plus25', 'plus25');
  const baseline = join(work, 'baseline.json');
  const saved = spawnSync(process.execPath, [cli, 'profile', join(same, 'handler.py'), ...common, '--save-baseline', baseline], { env, encoding: 'utf8' });
  if (saved.status !== 0) throw new Error(`--save-baseline failed: ${saved.stderr}`);
  results.push(
    series(
      '--baseline',
      () => gate([join(same, 'handler.py'), '--baseline', baseline]),
      () => gate([join(slow, 'handler.py'), '--baseline', baseline]),
    ),
  );

  // 2. --against HEAD on a git repository made on the fly
  const repo = tree('repo');
  git(['init', '--quiet', '--initial-branch=main'], repo);
  git(['add', '-A'], repo);
  git(['commit', '--quiet', '-m', 'base'], repo);
  const changedRepo = join(work, 'repo-changed');
  git(['clone', '--quiet', repo, changedRepo], work);
  cpSync(join(fixture, 'variants', 'plus25'), changedRepo, { recursive: true }); // uncommitted, as a developer's edit
  results.push(
    series(
      '--against HEAD',
      () => gate([join(repo, 'handler.py'), '--against', 'HEAD'], repo),
      () => gate([join(changedRepo, 'handler.py'), '--against', 'HEAD'], changedRepo),
    ),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
const total = (Date.now() - started) / 1000;
console.log(`\nTotal ${total.toFixed(0)} s. Goals: 0/${n} false failures and ${n}/${n} detections in both modes → ${results.every((r) => r.falseFailures === 0 && r.detected === n) ? 'met' : 'NOT met'}.`);
