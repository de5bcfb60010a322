// Build: bundle src/cli.ts with esbuild into dist/ (ESM, code splitting so that each command's code —
// and the AWS SDK — loads only when that command runs), and copy the Python harness beside it.
// Type-checking is `tsc --noEmit` in `npm test`. Runs on `npm ci` / `npm install` (prepare) and `npm pack`.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'src', 'cli.ts')],
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: process.env.LC_NO_MINIFY ? false : true,
  keepNames: true,
  sourcemap: false,
  legalComments: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies bundled into ESM still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __lcRequire } from 'node:module'; const require = __lcRequire(import.meta.url);" },
  logLevel: 'warning',
});
const pySrc = join(root, 'src', 'python');
const pyDst = join(dist, 'python');
mkdirSync(pyDst, { recursive: true });
for (const f of readdirSync(pySrc)) {
  if (f.endsWith('.py')) cpSync(join(pySrc, f), join(pyDst, f));
}
