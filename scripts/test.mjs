// `npm test`'s last step: the two lanes of vitest.config.ts side by side, each one file at a time — the
// tests that time imports on this machine ("measuring") and the rest ("other": unit tests, the Lambda
// emulator, moto, packaging). vitest runs a project group on one pool, so the lanes are two vitest
// processes. The measuring lane prints as it goes; the other lane's output follows when it is done.
// Arguments are passed to both (e.g. `node scripts/test.mjs -t "restore"`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// vitest's own bin file (its package exports do not name it)
const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const args = process.argv.slice(2);

function lane(project, live) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', '--project', project, ...args], {
      stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') },
    });
    const out = [];
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr?.on('data', (d) => out.push(d));
    const stop = (signal) => child.kill(signal);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    child.on('close', (code, signal) => resolve({ project, code: code ?? (signal ? 1 : 0), output: Buffer.concat(out) }));
  });
}

const [measuring, other] = await Promise.all([lane('measuring', true), lane('other', false)]);
process.stdout.write(`\n── lane "other" ──\n`);
process.stdout.write(other.output);
const failed = [measuring, other].filter((l) => l.code !== 0).map((l) => `${l.project} (exit ${l.code})`);
process.stdout.write(failed.length ? `\nnpm test: failed in ${failed.join(' and ')}\n` : '\nnpm test: both lanes passed\n');
process.exit(failed.length ? 1 : 0);
