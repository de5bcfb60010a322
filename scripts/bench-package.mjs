#!/usr/bin/env node
// `lambda-cold package` speed: a generated 5,000-file deployment folder (and the same as a .zip, and with a
// profile), medians of several runs against `node -e 0` measured in the same run. Goal: under 2 s.
// Run on its own (`node scripts/bench-package.mjs [--quick]`) or from `npm run bench`.
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'lambda-cold.js');
const quick = process.argv.includes('--quick');
const reps = quick ? 3 : 9;
const benchDir = join(root, '.bench', 'package');
const deploy = join(benchDir, 'deploy-5000');
const zipPath = join(benchDir, 'deploy-5000.zip');
const profilePath = join(benchDir, 'profile.json');
const GOAL_MS = 2000;

if (!existsSync(join(root, 'dist', 'cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

// 5,000 files: 50 packages of 100 files — sources with bytecode for two Pythons, tests, docs, stubs,
// dist-info and a shared object each, the shape of a real `pip install -t` folder.
function pyc(magic, size) {
  const b = Buffer.alloc(size);
  b.writeUInt16LE(magic, 0);
  b.write('\r\n', 2, 'latin1');
  b.writeUInt32LE(1, 4); // hash-based: no source mtime to match
  return b;
}
function generate() {
  rmSync(benchDir, { recursive: true, force: true });
  const files = [];
  for (let p = 0; p < 50; p++) {
    const pkg = `pkg${String(p).padStart(2, '0')}`;
    const add = (rel, data) => files.push([`${pkg}/${rel}`, data]);
    for (let m = 0; m < 28; m++) {
      const src = `# module ${m}\n${'X = 1\n'.repeat(20 + m)}`;
      add(`mod${m}.py`, src);
      add(`__pycache__/mod${m}.cpython-312.pyc`, pyc(3531, 200 + m));
      add(`__pycache__/mod${m}.cpython-311.pyc`, pyc(3495, 200 + m));
    }
    for (let m = 0; m < 5; m++) add(`mod${m}.pyi`, `X: int\n`);
    for (let m = 0; m < 2; m++) add(`_ext${m}.cpython-312-x86_64-linux-gnu.so`, Buffer.alloc(4096 * (m + 1), 1));
    for (let m = 0; m < 3; m++) add(`docs/page${m}.md`, `# page ${m}\n`);
    add('__init__.py', 'from . import mod0\n');
    files.push([`${pkg}-1.0.dist-info/METADATA`, `Name: ${pkg}\n`], [`${pkg}-1.0.dist-info/RECORD`, '']);
    for (let m = 0; files.filter((f) => f[0].startsWith(`${pkg}/`) || f[0].startsWith(`${pkg}-`)).length < 100; m++) {
      add(`tests/test_${m}.py`, `def test_${m}():\n    pass\n`);
    }
  }
  for (const [rel, data] of files) {
    const p = join(deploy, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
  }
  // a profile that imported a tenth of the packages
  const modules = [];
  for (let p = 0; p < 5; p++) for (let m = 0; m < 28; m++) modules.push({ name: `pkg${String(p).padStart(2, '0')}.mod${m}` });
  writeFileSync(profilePath, JSON.stringify({ schemaVersion: 1, kind: 'profile', modules }));
  return files.length;
}

function zipFolder(files) {
  const zip = new yazl.ZipFile();
  for (const [rel, data] of files) zip.addBuffer(Buffer.from(data), rel);
  zip.end();
  return new Promise((res, rej) => zip.outputStream.pipe(createWriteStream(zipPath)).on('close', res).on('error', rej));
}

function time(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const count = generate();
const { readdirSync, readFileSync, statSync } = await import('node:fs');
const all = [];
(function walk(rel) {
  for (const d of readdirSync(join(deploy, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) walk(p);
    else all.push([p, readFileSync(join(deploy, p))]);
  }
})('');
await zipFolder(all);
console.log(`lambda-cold package bench — ${count} files (${(all.reduce((s, f) => s + f[1].length, 0) / 1024 / 1024).toFixed(1)} MiB), zip ${(statSync(zipPath).size / 1024 / 1024).toFixed(1)} MiB, ${reps} repetitions, medians\n`);

const cases = [
  ['package <5,000-file folder> --runtime python3.12', [cli, 'package', deploy, '--runtime', 'python3.12']],
  ['  same, --json', [cli, 'package', deploy, '--runtime', 'python3.12', '--json']],
  ['  same, --profile (140 modules checked)', [cli, 'package', deploy, '--runtime', 'python3.12', '--profile', profilePath]],
  ['  same, runtime from the local Python', [cli, 'package', deploy]],
  ['package <the same as a .zip> --runtime python3.12', [cli, 'package', zipPath, '--runtime', 'python3.12']],
];
const floor = [];
const results = cases.map(() => []);
for (const [, args] of cases) time(args); // one unmeasured pass: file-system caches warm, as a user's second run finds them
for (let i = 0; i < reps; i++) {
  floor.push(time(['-e', '0']));
  cases.forEach(([, args], k) => results[k].push(time(args)));
}
const node0 = median(floor);
let missed = 0;
cases.forEach(([what], k) => {
  const ms = median(results[k]);
  const ok = ms < GOAL_MS;
  if (!ok) missed++;
  console.log(`${what.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms  vs node -e 0 ${node0.toFixed(1).padStart(6)} ms = ${(ms / node0).toFixed(2)}×  goal < ${GOAL_MS} ms → ${ok ? 'ok' : 'OVER'}`);
});
console.log(missed === 0 ? '\npackage: all goals met.' : `\npackage: ${missed} goal(s) missed.`);
process.exitCode = missed === 0 ? 0 : 1;
