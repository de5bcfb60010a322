// Build: bundle src/cli.ts with esbuild into dist/ (ESM, code splitting so that each command's code —
// and the AWS SDK — loads only when that command runs), and copy the Python harness beside it.
// Type-checking is `tsc --noEmit` in `npm test`. Runs on `npm ci` / `npm install` (prepare) and `npm pack`.
// The build is made in a folder of its own and then moved into dist/ file by file (each a rename, which
// replaces a file atomically), so that a CLI started from dist/ meanwhile — a test running beside `npm pack`
// — reads each file whole, old or new, never half written or missing.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist');
const dist = mkdtempSync(join(root, '.dist-build-'));
const result = await build({
  metafile: true,
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
  legalComments: 'none',
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

// The bundle carries third-party code: ship each bundled package's licence with it.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m && !packages.has(m[1])) packages.set(m[1], join(root, m[1]));
}
const notices = [];
for (const dir of [...packages.values()].sort()) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text = licenceFile ? readFileSync(join(dir, licenceFile), 'utf8').trim() : `License: ${pkg.license ?? 'see the package'}`;
  notices.push(`${pkg.name}@${pkg.version}\n${'-'.repeat(40)}\n${text}\n`);
}
writeFileSync(join(dist, 'THIRD-PARTY-LICENSES.txt'), `lambda-cold bundles the following packages.\n\n${notices.join('\n')}`);

// Move the build into dist/: every file by a rename over the old one, then the files the build no longer has
// (the harness's own bytecode, which it writes beside itself at run time, stays).
const filesOf = (dir) =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath ?? e.path, e.name))) : [];
const built = new Set(filesOf(dist));
for (const f of built) {
  mkdirSync(dirname(join(target, f)), { recursive: true });
  renameSync(join(dist, f), join(target, f));
}
for (const f of filesOf(target)) if (!built.has(f) && !f.includes('__pycache__')) rmSync(join(target, f), { force: true });
rmSync(dist, { recursive: true, force: true });
