// Helpers for the invoke tests: a built CLI, a captured Output, the environment of a CLI with fake credentials
// (spawn it with test/support/cli.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { createOutput, type Output } from '../../src/util/output.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'python-fixtures', 'lambda');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build dist/ when src/ is newer (the spawned CLI runs the compiled code). */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist', 'cli.js')).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newest(join(ROOT, 'src'))) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'pipe' });
}

export interface Captured {
  output: Output;
  stdout: () => string;
  stderr: () => string;
}

export function capture(): Captured {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        f(String(chunk));
        cb();
      },
    });
  const output = createOutput(sink((s) => (out += s)), sink((s) => (err += s)));
  return { output, stdout: () => out, stderr: () => err };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The environment of a spawned CLI: fake credentials, a private cache, no ambient AWS config. */
export function cliEnv(cacheHome: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: cacheHome,
    XDG_CACHE_HOME: cacheHome,
    NO_COLOR: '1',
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDACOLDTEST',
    AWS_SECRET_ACCESS_KEY: 'lambda-cold-test-secret-value',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(cacheHome, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(cacheHome, 'no-aws-credentials'),
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Set (or, for undefined, unset) environment variables of this process; returns what puts them back. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** This process's environment for in-process invoke/logs tests: fake credentials, no ambient AWS profile or cache. */
export const FAKE_AWS_ENV: Record<string, string | undefined> = {
  AWS_ACCESS_KEY_ID: 'AKIDLAMBDACOLDTEST',
  AWS_SECRET_ACCESS_KEY: 'lambda-cold-test-secret-value',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PROFILE: undefined,
  LAMBDA_COLD_CACHE_DIR: undefined,
};
