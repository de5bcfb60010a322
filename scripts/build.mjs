// Build: compile src/ with tsc into dist/ and copy the Python harness beside the compiled runner.
// Runs on `npm ci` / `npm install` (prepare) and on `npm pack`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
const pySrc = join(root, 'src', 'python');
const pyDst = join(root, 'dist', 'python');
mkdirSync(pyDst, { recursive: true });
for (const f of readdirSync(pySrc)) {
  if (f.endsWith('.py')) cpSync(join(pySrc, f), join(pyDst, f));
}
