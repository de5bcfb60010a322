// What the benchmarks against the local Lambda emulator share (scripts/bench-invoke.mjs, scripts/bench-memory.mjs):
// the emulator itself, transpiled from the test support code into .bench/<name>/ (one implementation, no copy),
// a fresh build of dist/, a credentials-only environment, the CLI run with its JSON document, and the result rows.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const log = (s) => process.stderr.write(`${s}\n`);

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Transpile test/support/lambda-emulator.ts into `benchDir`, build dist/, and load the emulator. */
export async function loadEmulator(root, benchDir) {
  mkdirSync(benchDir, { recursive: true });
  const require = createRequire(import.meta.url);
  const ts = require('typescript');
  const source = readFileSync(join(root, 'test', 'support', 'lambda-emulator.ts'), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
  writeFileSync(join(benchDir, 'lambda-emulator.mjs'), js);
  copyFileSync(join(root, 'test', 'support', 'lambda_bootstrap.py'), join(benchDir, 'lambda_bootstrap.py'));
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'ignore' });
  } catch {
    log('warning: the build failed; benchmarking the dist/ already there');
  }
  return import(pathToFileURL(join(benchDir, 'lambda-emulator.mjs')).href);
}

/** The CLI's environment: made-up credentials, no shared AWS files, no colour, a home of its own. */
export function benchEnv(home) {
  return {
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
}

/** Run `node cli args` in `env`; resolves with its wall time and the JSON document it printed. */
export function runCli(cli, env, args) {
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

/**
 * The result rows: `row(what, value, unit, against?, againstValue?, goal?)` records one and prints it (to stderr
 * with --json, where stdout carries the document), with its ratio against the floor and the goal's verdict.
 */
export function resultRows({ asJson, width = 56, digits = 3 }) {
  const rows = [];
  function row(what, value, unit, against, againstValue, goal) {
    const ratio = againstValue ? value / againstValue : null;
    rows.push({ what, value, unit, against, againstValue, ratio, goal: goal ?? null });
    const r = ratio === null ? '' : `  = ${ratio.toFixed(2)}×`;
    const g = goal === undefined ? '' : ratio !== null && ratio <= goal ? `  ok (goal ≤ ${goal}×)` : `  OVER (goal ≤ ${goal}×)`;
    (asJson ? log : console.log)(
      `${what.padEnd(width)} ${value.toFixed(unit === 'ms' ? 1 : digits).padStart(9)} ${unit.padEnd(3)}` +
        (against ? ` vs ${against} ${againstValue.toFixed(unit === 'ms' ? 1 : digits).padStart(8)} ${unit}${r}${g}` : ''),
    );
  }
  return { rows, row };
}
