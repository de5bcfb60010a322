// `lambda-cold package` end to end: the real CLI on python-fixtures/package (a deployment folder with
// tests, docs, examples, stubs, bytecode for two Pythons, a dist-info and .so files; a layer), as folders
// and as zips built here. Every size is checked to the byte against the files on disk.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonTarget, versionOfMagic } from '../../src/package/pyc.js';
import { fixtures, NODE_STACK, runCli, testCacheDir } from '../support/cli.js';
import { listFiles, zipFolder } from '../support/zip.js';

interface Row {
  name: string;
  bytes: number;
  files: number;
  kind: string;
  layer: number | null;
  path: string;
  importable: boolean;
  notImportable: string | null;
  owner: { kind: string; distribution?: string; version?: string | null };
}
interface ModulePyc {
  module: string;
  path: string;
  layer: number | null;
  status: string;
  pyc: string | null;
  magic: number | null;
  magicVersion: string | null;
}
interface PackageDoc {
  schemaVersion: number;
  kind: string;
  target: { path: string; type: string; bytes: number; files: number; zippedBytes: number | null };
  python: { version: string; cacheTag: string; magic: number; source: string };
  totalBytes: number;
  fileCount: number;
  packages: Row[];
  layers: Array<{ index: number; type: string; bytes: number; files: number; zippedBytes: number | null; sysPath: string[]; otherVersionSitePackages: Array<{ path: string; bytes: number; files: number }> }>;
  sysPath: Array<{ entry: string; layers: number[] }>;
  strippableBytes: number;
  strippable: Array<{ path: string; bytes: number; reason: string; layer: number | null }>;
  largestSharedObjects: Array<{ path: string; bytes: number; layer: number | null }>;
  neverImported: { bytes: number; files: number; packages: Row[] } | null;
  bytecode: {
    pythonVersion: string;
    magic: number;
    pyFiles: number;
    withPyc: number;
    missing: number;
    wrongMagic: number;
    stale: number;
    modules: ModulePyc[] | null;
  };
  limits: { unzippedBytes: number; unzippedLimit: number; zippedBytes: number | null; zippedLimit: number; layerCount: number };
  warnings: string[];
}

const deploy = join(fixtures, 'package', 'deploy');
const layer = join(fixtures, 'package', 'layer');
let cache: string;
let work: string;
let deployZip: string;
let layerZip: string;
const env = (): NodeJS.ProcessEnv => ({ LAMBDA_COLD_CACHE_DIR: cache });

const size = (root: string, rel: string): number => statSync(join(root, rel)).size;
const sumUnder = (root: string, prefix = ''): number => listFiles(root).filter((f) => f.startsWith(prefix)).reduce((s, f) => s + size(root, f), 0);
const countUnder = (root: string, prefix = ''): number => listFiles(root).filter((f) => f.startsWith(prefix)).length;

async function packageJson(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<PackageDoc> {
  const r = await runCli(['package', ...args, '--json'], { env: { ...env(), ...extraEnv } });
  expect(r.stderr).not.toMatch(NODE_STACK);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as PackageDoc;
}

function row(doc: PackageDoc, name: string, layerIndex: number | null = null): Row {
  const r = doc.packages.find((p) => p.name === name && p.layer === layerIndex);
  if (!r) throw new Error(`no row ${name} in ${doc.packages.map((p) => p.name).join(', ')}`);
  return r;
}

// What the fixture was built to hold: which files are strippable, and why (the classifier's specification).
const STRIPPABLE_312: Record<string, string> = {
  'README.md': 'docs',
  'docs/index.md': 'docs',
  'docs/usage.rst': 'docs',
  'app/tests/__init__.py': 'tests',
  'app/tests/test_core.py': 'tests',
  'app/examples/event.json': 'examples',
  'app/core.pyi': 'type-stubs',
  'app/__pycache__/__init__.cpython-311.pyc': 'other-python-bytecode',
  'app/__pycache__/core.cpython-311.pyc': 'other-python-bytecode',
  'app/__pycache__/core.cpython-312.opt-1.pyc': 'optimized-bytecode',
  'unused_pkg-1.0.dist-info/RECORD': 'dist-info-extras',
  'unused_pkg-1.0.dist-info/WHEEL': 'dist-info-extras',
  'unused_pkg-1.0.dist-info/INSTALLER': 'dist-info-extras',
};

beforeAll(async () => {
  cache = testCacheDir();
  work = mkdtempSync(join(tmpdir(), 'lambda-cold-package-test-'));
  deployZip = join(work, 'function.zip');
  layerZip = join(work, 'layer.zip');
  await zipFolder(deploy, deployZip);
  await zipFolder(layer, layerZip);
});
afterAll(() => {
  rmSync(cache, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('package: a deployment folder and a layer folder (--runtime python3.12)', () => {
  let doc: PackageDoc;
  beforeAll(async () => {
    doc = await packageJson([deploy, '--layer', layer, '--runtime', 'python3.12']);
  });

  it('writes the versioned package document', () => {
    expect(doc.schemaVersion).toBe(1);
    expect(doc.kind).toBe('package');
    expect(doc.python).toMatchObject({ version: '3.12', cacheTag: 'cpython-312', magic: 3531, source: 'runtime' });
    for (const key of ['totalBytes', 'fileCount', 'strippableBytes']) expect(typeof (doc as unknown as Record<string, unknown>)[key]).toBe('number');
    for (const p of doc.packages) expect(Object.keys(p)).toEqual(expect.arrayContaining(['name', 'bytes', 'files']));
    for (const s of doc.strippable) expect(Object.keys(s)).toEqual(expect.arrayContaining(['path', 'bytes', 'reason']));
    for (const s of doc.largestSharedObjects) expect(Object.keys(s)).toEqual(expect.arrayContaining(['path', 'bytes']));
  });

  it('totals the function and the layer to the byte', () => {
    expect(doc.target).toMatchObject({ type: 'folder', bytes: sumUnder(deploy), files: countUnder(deploy), zippedBytes: null });
    expect(doc.layers).toHaveLength(1);
    expect(doc.layers[0]).toMatchObject({ type: 'folder', bytes: sumUnder(layer), files: countUnder(layer), zippedBytes: null });
    expect(doc.totalBytes).toBe(sumUnder(deploy) + sumUnder(layer));
    expect(doc.fileCount).toBe(countUnder(deploy) + countUnder(layer));
    expect(doc.limits).toMatchObject({ unzippedBytes: doc.totalBytes, unzippedLimit: 262_144_000, zippedBytes: null, zippedLimit: 52_428_800, layerCount: 1 });
  });

  it('sizes each top-level entry, function and layer apart', () => {
    expect(row(doc, 'app')).toMatchObject({ kind: 'package', bytes: sumUnder(deploy, 'app/'), files: countUnder(deploy, 'app/') });
    expect(row(doc, 'unused_pkg')).toMatchObject({ kind: 'package', bytes: sumUnder(deploy, 'unused_pkg/'), files: 3 });
    expect(row(doc, 'handler')).toMatchObject({ kind: 'module', bytes: size(deploy, 'handler.py'), files: 1 });
    expect(row(doc, 'unused_pkg-1.0.dist-info')).toMatchObject({ kind: 'metadata', files: 5 });
    expect(row(doc, 'docs')).toMatchObject({ kind: 'data', bytes: sumUnder(deploy, 'docs/') });
    const site = 'python/lib/python3.12/site-packages/';
    expect(row(doc, 'layerdep', 0)).toMatchObject({ kind: 'package', bytes: sumUnder(layer, `${site}layerdep/`), files: 2, path: `${site}layerdep/`, importable: true });
    expect(row(doc, 'common_util', 0)).toMatchObject({ kind: 'module', bytes: size(layer, 'python/common_util.py'), importable: true });
    // a layer's files outside the runtime's sys.path are named by their path and not importable
    expect(row(doc, 'python/lib/python3.11/site-packages/layerdep/', 0)).toMatchObject({ importable: false, files: 1 });
    expect(row(doc, 'bin/', 0)).toMatchObject({ importable: false, bytes: size(layer, 'bin/tool') });
    // and say why: another Python's site-packages, or outside python/ (a tool, not Python code)
    expect(row(doc, 'python/lib/python3.11/site-packages/layerdep/', 0).notImportable).toBe('other-python-version');
    expect(row(doc, 'bin/', 0)).toMatchObject({ kind: 'data', notImportable: 'outside-python' });
    // whose: the distribution whose RECORD names it (with its METADATA's version), else the user's
    expect(row(doc, 'unused_pkg').owner).toEqual({ kind: 'third-party', distribution: 'unused_pkg', version: '1.0' });
    expect(row(doc, 'unused_pkg-1.0.dist-info').owner).toEqual({ kind: 'third-party', distribution: 'unused_pkg', version: '1.0' });
    expect(row(doc, 'app').owner).toEqual({ kind: 'user' });
    expect(row(doc, 'handler').owner).toEqual({ kind: 'user' });
    // every file is in exactly one row
    expect(doc.packages.reduce((s, p) => s + p.bytes, 0)).toBe(doc.totalBytes);
    expect(doc.packages.reduce((s, p) => s + p.files, 0)).toBe(doc.fileCount);
    // largest first
    const sizes = doc.packages.map((p) => p.bytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('lists the strippable files with a reason, and their total', () => {
    const got = Object.fromEntries(doc.strippable.map((s) => [s.path, s.reason]));
    expect(got).toEqual(STRIPPABLE_312);
    for (const s of doc.strippable) expect(s.bytes).toBe(size(deploy, s.path));
    expect(doc.strippableBytes).toBe(Object.keys(STRIPPABLE_312).reduce((t, p) => t + size(deploy, p), 0));
    // bytecode for the runtime itself, METADATA and top_level.txt stay
    expect(got['app/__pycache__/core.cpython-312.pyc']).toBeUndefined();
    expect(got['unused_pkg-1.0.dist-info/METADATA']).toBeUndefined();
  });

  it('lists the largest .so files', () => {
    expect(doc.largestSharedObjects).toEqual([
      { path: 'unused_pkg/_native.cpython-312-x86_64-linux-gnu.so', bytes: size(deploy, 'unused_pkg/_native.cpython-312-x86_64-linux-gnu.so'), layer: null },
      { path: 'app/_speedups.cpython-312-x86_64-linux-gnu.so', bytes: size(deploy, 'app/_speedups.cpython-312-x86_64-linux-gnu.so'), layer: null },
    ]);
  });

  it("gives the sys.path entries the layer adds, and warns about its other Python's site-packages", () => {
    expect(doc.sysPath).toEqual([
      { entry: '/var/task', layers: [] },
      { entry: '/opt/python/lib/python3.12/site-packages', layers: [0] },
      { entry: '/opt/python', layers: [0] },
    ]);
    expect(doc.layers[0]?.otherVersionSitePackages).toEqual([
      { path: 'python/lib/python3.11/site-packages/', bytes: size(layer, 'python/lib/python3.11/site-packages/layerdep/__init__.py'), files: 1 },
    ]);
    expect(doc.warnings.join('\n')).toContain('python/lib/python3.11/site-packages/');
  });

  it('counts the .py files that ship a .pyc for 3.12, by magic number', () => {
    // on sys.path: 9 .py in the function, layerdep (3.12 site-packages) and common_util in the layer
    expect(doc.bytecode.pyFiles).toBe(listFiles(deploy).filter((f) => f.endsWith('.py')).length + 2);
    // app/__init__, app/core and layerdep ship 3.12 bytecode; app/legacy's is 3.11's
    expect(doc.bytecode).toMatchObject({ pythonVersion: '3.12', magic: 3531, withPyc: 3, wrongMagic: 1, stale: 0 });
    expect(doc.bytecode.missing).toBe(doc.bytecode.pyFiles - 4);
    expect(doc.bytecode.modules).toBeNull();
    expect(doc.neverImported).toBeNull();
  });
});

describe('package: the same deployment as zips', () => {
  let folder: PackageDoc;
  let zipped: PackageDoc;
  beforeAll(async () => {
    folder = await packageJson([deploy, '--layer', layer, '--runtime', 'python3.12']);
    zipped = await packageJson([deployZip, '--layer', layerZip, '--runtime', 'python3.12']);
  });

  it('reads the zips without extracting them and finds the same files, sizes and findings', () => {
    expect(zipped.target).toMatchObject({ type: 'zip', bytes: folder.target.bytes, files: folder.target.files, zippedBytes: statSync(deployZip).size });
    expect(zipped.layers[0]).toMatchObject({ type: 'zip', bytes: folder.layers[0]?.bytes, files: folder.layers[0]?.files, zippedBytes: statSync(layerZip).size });
    expect(zipped.totalBytes).toBe(folder.totalBytes);
    expect(zipped.packages).toEqual(folder.packages);
    expect(zipped.strippable).toEqual(folder.strippable);
    expect(zipped.largestSharedObjects).toEqual(folder.largestSharedObjects);
    expect(zipped.sysPath).toEqual(folder.sysPath);
    expect(zipped.bytecode).toEqual(folder.bytecode);
    expect(zipped.limits.zippedBytes).toBe(statSync(deployZip).size);
    expect(readdirSync(work).sort()).toEqual(['function.zip', 'layer.zip']);
  });
});

describe('package: a zip whose entries are stored, not deflated', () => {
  it('reads the .pyc headers of stored entries the same way', async () => {
    const stored = join(work, '..', `${work.split('/').pop()}-stored.zip`);
    await zipFolder(deploy, stored, { compress: false });
    try {
      const folder = await packageJson([deploy, '--runtime', 'python3.12']);
      const zipped = await packageJson([stored, '--runtime', 'python3.12']);
      expect(zipped.target.zippedBytes).toBe(statSync(stored).size);
      expect(zipped.target.zippedBytes).toBeGreaterThan(folder.target.bytes); // stored: no smaller than the files
      expect(zipped.bytecode).toEqual(folder.bytecode);
      expect(zipped.bytecode.withPyc).toBe(2);
      expect(zipped.bytecode.wrongMagic).toBe(1);
    } finally {
      rmSync(stored, { force: true });
    }
  });
});

describe('package: never imported at init and the .pyc of each imported module', () => {
  let profilePath: string;
  beforeAll(async () => {
    const r = await runCli(['profile', join(deploy, 'handler.py'), '--layer', layer, '--runs', '1', '--json'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    profilePath = join(work, '..', `${work.split('/').pop()}-profile.json`);
    writeFileSync(profilePath, r.stdout);
  });
  afterAll(() => rmSync(profilePath, { force: true }));

  it('lists what is shipped but never imported, given a profile JSON', async () => {
    const doc = await packageJson([deploy, '--layer', layer, '--runtime', 'python3.12', '--profile-json', profilePath]);
    const never = doc.neverImported;
    expect(never).not.toBeNull();
    expect(never?.packages.map((p) => `${p.name}@${p.layer ?? 'function'}`).sort()).toEqual(['common_util@0', 'unused_pkg@function']);
    expect(never?.bytes).toBe(sumUnder(deploy, 'unused_pkg/') + size(layer, 'python/common_util.py'));
    expect(never?.files).toBe(4);
  });

  it('--profile, the old name of --profile-json, still works with a deprecation warning', async () => {
    const r = await runCli(['package', deploy, '--layer', layer, '--runtime', 'python3.12', '--profile', profilePath, '--json'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe('warning: package --profile is deprecated (in invoke and restore --profile names an AWS profile): use --profile-json');
    const doc = JSON.parse(r.stdout) as PackageDoc;
    expect(doc.neverImported).toEqual((await packageJson([deploy, '--layer', layer, '--runtime', 'python3.12', '--profile-json', profilePath])).neverImported);
    const help = await runCli(['package', '--help']);
    expect(help.stdout).toContain('--profile-json <file>');
    expect(help.stdout).not.toMatch(/--profile </);
  });

  it('checks each imported module against the runtime: python3.12 (the bytecode shipped)', async () => {
    const doc = await packageJson([deploy, '--layer', layer, '--runtime', 'python3.12', '--profile-json', profilePath]);
    const status = Object.fromEntries((doc.bytecode.modules ?? []).map((m) => [m.module, m.status]));
    expect(status).toEqual({ handler: 'missing', app: 'ok', 'app.core': 'ok', 'app.legacy': 'wrong-magic', layerdep: 'ok' });
    const legacy = doc.bytecode.modules?.find((m) => m.module === 'app.legacy');
    expect(legacy).toMatchObject({ path: 'app/legacy.py', pyc: 'app/__pycache__/legacy.cpython-312.pyc', magic: 3495, magicVersion: '3.11', layer: null });
    const layerdep = doc.bytecode.modules?.find((m) => m.module === 'layerdep');
    expect(layerdep).toMatchObject({ layer: 0, path: 'python/lib/python3.12/site-packages/layerdep/__init__.py', magic: 3531 });
  });

  it('checks each imported module against another runtime: python3.11 reads other files', async () => {
    const doc = await packageJson([deploy, '--layer', layer, '--runtime', 'python3.11', '--profile-json', profilePath]);
    const status = Object.fromEntries((doc.bytecode.modules ?? []).map((m) => [m.module, m.status]));
    // 3.11 finds app's own cpython-311 files, no legacy.cpython-311.pyc, and the layer's python3.11 site-packages
    expect(status).toEqual({ handler: 'missing', app: 'ok', 'app.core': 'ok', 'app.legacy': 'missing', layerdep: 'missing' });
    expect(doc.bytecode.modules?.find((m) => m.module === 'layerdep')?.path).toBe('python/lib/python3.11/site-packages/layerdep/__init__.py');
    expect(doc.python).toMatchObject({ version: '3.11', cacheTag: 'cpython-311', magic: 3495 });
    // now the 3.12 bytecode is the other version's, and the 3.11 files stay
    const reasons = Object.fromEntries(doc.strippable.map((s) => [s.path, s.reason]));
    expect(reasons['app/__pycache__/core.cpython-312.pyc']).toBe('other-python-bytecode');
    expect(reasons['app/__pycache__/core.cpython-311.pyc']).toBeUndefined();
    expect(doc.sysPath.map((s) => s.entry)).toEqual(['/var/task', '/opt/python/lib/python3.11/site-packages', '/opt/python']);
  });

  it('runs the handler itself with --handler, from the zips, extracted only into a private temporary folder', async () => {
    // a private TMPDIR for the command: other processes on the machine use the shared one
    const privateTmp = mkdtempSync(join(tmpdir(), 'lc-package-tmp-'));
    const doc = await packageJson([deployZip, '--layer', layerZip, '--runtime', 'python3.12', '--handler', 'handler.lambda_handler'], { TMPDIR: privateTmp });
    expect(doc.neverImported?.packages.map((p) => p.name).sort()).toEqual(['common_util', 'unused_pkg']);
    const status = Object.fromEntries((doc.bytecode.modules ?? []).map((m) => [m.module, m.status]));
    expect(status).toMatchObject({ handler: 'missing', app: 'ok', 'app.legacy': 'wrong-magic', layerdep: 'ok' });
    // nothing extracted beside the user's files, the temporary folder removed
    expect(readdirSync(work).sort()).toEqual(['function.zip', 'layer.zip']);
    expect(readdirSync(privateTmp)).toEqual([]);
    rmSync(privateTmp, { recursive: true, force: true });
  });
});

describe('package: a profile with --invoke (deferred imports are not unused)', () => {
  it('lists a package imported only at the first request as never imported at init, and still checks its .pyc', async () => {
    const phases = join(fixtures, 'phases');
    const r = await runCli(['profile', join(phases, 'handler.py'), '--invoke', '--warm', '0', '--runs', '1', '--json'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const profilePath = join(work, '..', `${work.split('/').pop()}-invoke-profile.json`);
    writeFileSync(profilePath, r.stdout);
    try {
      const doc = await packageJson([phases, '--runtime', 'python3.12', '--profile-json', profilePath]);
      const never = (doc.neverImported?.packages ?? []) as Array<Row & { importedAtInvoke: boolean }>;
      const expected = listFiles(phases)
        .filter((f) => f.endsWith('.py') && f !== 'handler.py')
        .map((f) => f.slice(0, -3));
      expect(never.map((p) => p.name).sort()).toEqual(expected.sort());
      expect(never.find((p) => p.name === 'heavy_lazy')?.importedAtInvoke).toBe(true);
      expect(never.filter((p) => p.importedAtInvoke).map((p) => p.name)).toEqual(['heavy_lazy']);
      expect((doc.bytecode.modules ?? []).map((m) => m.module).sort()).toEqual(['handler', 'heavy_lazy']);
    } finally {
      rmSync(profilePath, { force: true });
    }
  });
});

describe('package: the terminal report', () => {
  it('prints the totals, the tables and the sys.path', async () => {
    const r = await runCli(['package', deployZip, '--layer', layerZip, '--runtime', 'python3.12'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(new RegExp(`Function code +${(sumUnder(deploy) / 1024).toFixed(1)} KiB in ${countUnder(deploy)} files \\(zip ${(statSync(deployZip).size / 1024).toFixed(1)} KiB\\)`));
    expect(out).toMatch(/Unzipped total\s+[\d.]+ KiB of 250\.0 MiB/);
    expect(out).toMatch(/Zipped upload\s+[\d.]+ KiB of 50\.0 MiB/);
    expect(out).toContain(`Strippable: ${(Object.keys(STRIPPABLE_312).reduce((t, p) => t + size(deploy, p), 0) / 1024).toFixed(1)} KiB in 13 files`);
    expect(out).toContain('Largest shared objects (2 .so files');
    expect(out).toContain('unused_pkg/_native.cpython-312-x86_64-linux-gnu.so');
    expect(out).toMatch(/\/opt\/python\/lib\/python3\.12\/site-packages\s+layer 1/);
    const pyFiles = listFiles(deploy).filter((f) => f.endsWith('.py')).length + 2; // + the layer's layerdep and common_util
    expect(out).toContain(`3 of ${pyFiles} .py files ship a .pyc for Python 3.12`);
    expect(r.stderr).toContain('python/lib/python3.11/site-packages/');
  });
});

describe('package: bad input is one sentence and exit 2', () => {
  const bad = async (args: string[], message: RegExp): Promise<void> => {
    const r = await runCli(['package', ...args], { env: env() });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.stdout).toBe('');
  };
  let notZip: string;
  let corrupt: string;
  let notJson: string;
  let wrongDoc: string;
  beforeAll(() => {
    notZip = join(work, '..', `${work.split('/').pop()}-notzip.zip`);
    writeFileSync(notZip, 'this is not a zip file\n'.repeat(10));
    // a real zip whose central directory has been overwritten
    const buf = readFileSync(deployZip);
    const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cdOffset = buf.readUInt32LE(eocd + 16);
    buf.fill(0x41, cdOffset, cdOffset + 64);
    corrupt = join(work, '..', `${work.split('/').pop()}-corrupt.zip`);
    writeFileSync(corrupt, buf);
    notJson = join(work, '..', `${work.split('/').pop()}-notjson.json`);
    writeFileSync(notJson, '{ "schemaVersion": 1, ');
    wrongDoc = join(work, '..', `${work.split('/').pop()}-wrong.json`);
    writeFileSync(wrongDoc, JSON.stringify({ schemaVersion: 1, kind: 'package', totalBytes: 1 }));
  });
  afterAll(() => {
    for (const f of [notZip, corrupt, notJson, wrongDoc]) rmSync(f, { force: true });
  });

  it('a missing path', () => bad([join(work, 'nope'), '--runtime', 'python3.12'], /^lambda-cold: The deployment .*nope does not exist\.\n$/));
  it('a file that is not a zip', () => bad([notZip, '--runtime', 'python3.12'], /^lambda-cold: The deployment .*notzip\.zip is neither a folder nor a zip file\.\n$/));
  it('a corrupt zip', () => bad([corrupt, '--runtime', 'python3.12'], /^lambda-cold: The deployment .*corrupt\.zip is a corrupt zip file: .+\.\n$/));
  it('a zip with an entry outside its root (zip slip)', async () => {
    const zip = join(work, '..', `${work.split('/').pop()}-slip.zip`);
    const src = join(work, '..', `${work.split('/').pop()}-slip`);
    // yazl refuses such names: write a same-length one and rename it in the local and central headers
    mkdirSync(join(src, 'xx'), { recursive: true });
    writeFileSync(join(src, 'xx', 'evil.py'), 'X = 1\n');
    await zipFolder(src, zip);
    const buf = readFileSync(zip);
    const from = Buffer.from('xx/evil.py');
    for (let at = buf.indexOf(from); at >= 0; at = buf.indexOf(from, at + 1)) Buffer.from('../evil.py').copy(buf, at);
    writeFileSync(zip, buf);
    try {
      await bad([zip, '--runtime', 'python3.12'], /^lambda-cold: The deployment .*slip\.zip holds an entry outside its own root \(\.\.\/evil\.py\): not read/);
    } finally {
      rmSync(zip, { force: true });
      rmSync(src, { recursive: true, force: true });
    }
  });
  it('a missing layer', () => bad([deploy, '--layer', join(work, 'nolayer'), '--runtime', 'python3.12'], /The layer .*nolayer does not exist\./));
  it('a layer that is not a zip', () => bad([deploy, '--layer', notZip, '--runtime', 'python3.12'], /The layer .*notzip\.zip is neither a folder nor a zip file\./));
  it('a malformed --runtime', () => bad([deploy, '--runtime', 'nodejs20.x'], /Invalid value for --runtime: expected a Lambda Python runtime such as python3\.12/));
  it('an unknown Python runtime', () => bad([deploy, '--runtime', 'python3.99'], /Invalid value for --runtime: python3\.99 is not a Python runtime lambda-cold knows/));
  it('a missing profile', () => bad([deploy, '--runtime', 'python3.12', '--profile-json', join(work, 'none.json')], /The profile .*none\.json does not exist\./));
  it('a profile that is not JSON', () => bad([deploy, '--runtime', 'python3.12', '--profile-json', notJson], /The profile .*notjson\.json is not valid JSON/));
  it('a JSON that is not a profile', () => bad([deploy, '--runtime', 'python3.12', '--profile-json', wrongDoc], /The profile .*wrong\.json is not a lambda-cold profile document/));
  it('--profile with --handler', () => bad([deploy, '--runtime', 'python3.12', '--profile-json', wrongDoc, '--handler', 'handler'], /Give either --profile-json/));
  it('a handler that cannot be imported', () => bad([deploy, '--runtime', 'python3.12', '--handler', 'no_such_module'], /No module named no_such_module|no_such_module/));
  it('a handler whose dependency is missing (no layer given)', () =>
    bad([deploy, '--runtime', 'python3.12', '--handler', 'handler'], /^lambda-cold: Importing the handler handler from .* raised ModuleNotFoundError: No module named 'layerdep'/m));
  it('a bad --top', () => bad([deploy, '--runtime', 'python3.12', '--top', 'x'], /Invalid value for --top/));
  it('no path', () => bad([], /missing required argument/));
});

describe('.pyc magic numbers of the interpreters on this machine', () => {
  // python3 and python3.X on PATH, and pyenv's installed versions when pyenv is there
  const pyenvRoot = spawnSync('pyenv', ['root'], { encoding: 'utf8' });
  const pyenvVersions = pyenvRoot.status === 0 && existsSync(join(pyenvRoot.stdout.trim(), 'versions')) ? join(pyenvRoot.stdout.trim(), 'versions') : null;
  const candidates = [
    'python3',
    ...Array.from({ length: 10 }, (_, i) => `python3.${i + 6}`),
    ...(pyenvVersions ? readdirSync(pyenvVersions).filter((v) => /^3\.\d+\.\d+$/.test(v)).map((v) => join(pyenvVersions, v, 'bin', 'python')) : []),
  ];
  const found = new Map<string, number>();
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import importlib.util as u, sys; sys.stdout.write("%d.%d %s" % (sys.version_info[0], sys.version_info[1], u.MAGIC_NUMBER.hex()))'], { encoding: 'utf8' });
    const m = r.status === 0 ? /^(3\.\d+) ([0-9a-f]{8})$/.exec(r.stdout) : null;
    if (m) found.set(m[1] as string, Buffer.from(m[2] as string, 'hex').readUInt16LE(0));
  }

  it('finds at least one Python 3 to check against', () => {
    expect(found.size, `no Python 3 ran from PATH (python3, python3.X) or pyenv: tried ${candidates.join(', ')}`).toBeGreaterThan(0);
  });

  it('match importlib.util.MAGIC_NUMBER of every Python found', () => {
    for (const [version, magic] of found) {
      const minor = Number(version.split('.')[1]);
      if (minor < 7) {
        expect(pythonTarget(minor), version).toBeNull(); // older than any runtime lambda-cold targets
        continue;
      }
      expect(versionOfMagic(magic), version).toBe(version);
      expect(pythonTarget(minor), version).toMatchObject({ cacheTag: `cpython-3${minor}`, magic });
    }
  });
});

