// Unit tests of the package analysis's building blocks: the known .pyc magic numbers, .pyc headers, cache
// tags, the strippable classifier, and the stale/size checks (the magic numbers of the interpreters on
// this machine are checked in test/integration/package.test.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analysePackage, type AnalyseInput } from '../../src/package/analysis.js';
import { readAnalysisFiles } from '../../src/package/acquire.js';
import { openInventory, type Inventory } from '../../src/package/inventory.js';
import { stripReason } from '../../src/package/strip.js';
import { parsePycHeader, pycCacheTag, pythonTarget, versionOfMagic, type PythonTarget } from '../../src/package/pyc.js';
import { fixtures } from '../support/cli.js';

/** Acquire (the .pyc headers the check needs, the installation records), then analyse: what `lambda-cold package` does. */
async function analyse(input: Omit<AnalyseInput, 'pycHeads' | 'records' | 'function' | 'layers'> & { function: Inventory; layers: Inventory[] }) {
  return analysePackage({ ...input, ...(await readAnalysisFiles(input.function, input.layers, input.target)) });
}

describe('.pyc magic numbers', () => {
  it('knows every Lambda Python runtime from 3.7 to 3.14, and names pre-release magics', () => {
    expect([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16].filter((m) => pythonTarget(m) !== null)).toEqual([7, 8, 9, 10, 11, 12, 13, 14]);
    expect(pythonTarget(14)).toMatchObject({ label: '3.14', cacheTag: 'cpython-314', magic: 3627 });
    expect(versionOfMagic(3624)).toBe('3.14'); // 3.14b1
    expect(versionOfMagic(3656)).toBe('3.15');
    expect(versionOfMagic(20121)).toBeNull();
    expect(pythonTarget(6)).toBeNull();
    expect(pythonTarget(99)).toBeNull();
  });
});

describe('.pyc headers and cache tags', () => {
  const pycache = join(fixtures, 'package', 'deploy', 'app', '__pycache__');
  it('reads the magic and the flags of real .pyc files', () => {
    const h312 = parsePycHeader(readFileSync(join(pycache, 'core.cpython-312.pyc')));
    expect(h312).toMatchObject({ magic: 3531, flags: 1, sourceMtime: null, sourceSize: null }); // unchecked hash
    const legacy = parsePycHeader(readFileSync(join(pycache, 'legacy.cpython-312.pyc')));
    expect(legacy?.magic).toBe(3495);
    expect(parsePycHeader(Buffer.from('print("hello")\n'))).toBeNull();
    const ts = Buffer.alloc(16);
    ts.writeUInt16LE(3531, 0);
    ts.write('\r\n', 2, 'latin1');
    ts.writeUInt32LE(0, 4);
    ts.writeUInt32LE(1_700_000_000, 8);
    ts.writeUInt32LE(42, 12);
    expect(parsePycHeader(ts)).toEqual({ magic: 3531, flags: 0, sourceMtime: 1_700_000_000, sourceSize: 42 });
  });

  it('splits cache file names', () => {
    expect(pycCacheTag('core.cpython-312.pyc')).toEqual({ stem: 'core', tag: 'cpython-312', opt: null });
    expect(pycCacheTag('__init__.cpython-39.opt-2.pyc')).toEqual({ stem: '__init__', tag: 'cpython-39', opt: 'opt-2' });
    expect(pycCacheTag('core.pyc')).toBeNull();
  });
});

describe('strippable files', () => {
  const t = pythonTarget(12) as PythonTarget;
  it.each([
    ['pkg/tests/test_a.py', 'tests'],
    ['tests/conftest.py', 'tests'],
    ['conftest.py', 'tests'],
    ['pkg/test/data.json', 'tests'],
    ['pkg/docs/index.html', 'docs'],
    ['README.rst', 'docs'],
    ['pkg/examples/x.json', 'examples'],
    ['pkg/docs/api.txt', 'docs'],
    ['pkg/__init__.pyi', 'type-stubs'],
    ['pkg/__pycache__/a.cpython-311.pyc', 'other-python-bytecode'],
    ['pkg/__pycache__/a.cpython-312.opt-1.pyc', 'optimized-bytecode'],
    ['x-1.0.dist-info/RECORD', 'dist-info-extras'],
    ['x-1.0.dist-info/INSTALLER', 'dist-info-extras'],
    ['.pytest_cache/v/cache/nodeids', 'tool-caches'],
    ['__MACOSX/pkg/._a.py', 'os-metadata'],
    ['pkg/.DS_Store', 'os-metadata'],
  ])('%s: %s', (path, reason) => {
    expect(stripReason(path, t)).toBe(reason);
  });
  it.each([
    'pkg/__pycache__/a.cpython-312.pyc',
    'pkg/core.py',
    'x-1.0.dist-info/METADATA',
    'x-1.0.dist-info/entry_points.txt',
    'x-1.0.dist-info/licenses/LICENSE.md',
    'pkg/testing.py',
    'certifi/cacert.pem',
    // botocore.docs and boto3.docs are imported by every client: a docs/ package's code stays
    'botocore/docs/__init__.py',
    'botocore/docs/docstring.py',
    'boto3/docs/__pycache__/docstring.cpython-312.pyc',
    'pkg/examples/_native.cpython-312-x86_64-linux-gnu.so',
  ])('%s is kept', (path) => {
    expect(stripReason(path, t)).toBeNull();
  });
});

describe('timestamp-based .pyc: stale when the source changed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-cold-pyc-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compares the recorded source size and mtime with the shipped source', async () => {
    mkdirSync(join(dir, 'pkg', '__pycache__'), { recursive: true });
    const src = 'X = 1\n';
    writeFileSync(join(dir, 'pkg', '__init__.py'), src);
    writeFileSync(join(dir, 'pkg', 'other.py'), src);
    utimesSync(join(dir, 'pkg', '__init__.py'), 1_700_000_000, 1_700_000_000);
    utimesSync(join(dir, 'pkg', 'other.py'), 1_700_000_000, 1_700_000_000);
    const header = (mtime: number, size: number): Buffer => {
      const b = Buffer.alloc(20);
      b.writeUInt16LE(3531, 0);
      b.write('\r\n', 2, 'latin1');
      b.writeUInt32LE(0, 4);
      b.writeUInt32LE(mtime, 8);
      b.writeUInt32LE(size, 12);
      return b;
    };
    writeFileSync(join(dir, 'pkg', '__pycache__', '__init__.cpython-312.pyc'), header(1_700_000_000, src.length));
    writeFileSync(join(dir, 'pkg', '__pycache__', 'other.cpython-312.pyc'), header(1_700_000_000, src.length + 5));
    const fn = await openInventory(dir, 'deployment');
    const t = pythonTarget(12) as PythonTarget;
    const a = await analyse({
      function: fn,
      layers: [],
      python: { label: t.label, cacheTag: t.cacheTag, magic: t.magic, source: 'runtime', interpreter: null },
      target: t,
      profile: { display: 'test', init: ['pkg', 'pkg.other'], all: ['pkg', 'pkg.other'] },
      top: 10,
    });
    expect(a.bytecode.counts).toMatchObject({ ok: 1, stale: 1, missing: 0 });
    expect(a.bytecode.modules?.map((m) => [m.module, m.status])).toEqual([
      ['pkg', 'ok'],
      ['pkg.other', 'stale'],
    ]);
    utimesSync(join(dir, 'pkg', '__init__.py'), 1_700_000_100, 1_700_000_100);
    const again = await analyse({
      function: await openInventory(dir, 'deployment'),
      layers: [],
      python: { label: t.label, cacheTag: t.cacheTag, magic: t.magic, source: 'runtime', interpreter: null },
      target: t,
      profile: null,
      top: 10,
    });
    expect(again.bytecode.counts).toMatchObject({ ok: 0, stale: 2 });
  });
});

describe('inventories and layers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-cold-inventory-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const t = pythonTarget(12) as PythonTarget;
  const python = { label: t.label, cacheTag: t.cacheTag, magic: t.magic, source: 'runtime' as const, interpreter: null };

  it('follows a symbolic link to a file, not one to a folder, and says so', async () => {
    mkdirSync(join(dir, 'fn', 'pkg'), { recursive: true });
    writeFileSync(join(dir, 'fn', 'pkg', '__init__.py'), 'X = 1\n');
    writeFileSync(join(dir, 'real.py'), 'Y = 2\n');
    execFileSync('ln', ['-s', join(dir, 'real.py'), join(dir, 'fn', 'linked.py')]);
    execFileSync('ln', ['-s', join(dir, 'fn', 'pkg'), join(dir, 'fn', 'pkg_link')]);
    const fn = await openInventory(join(dir, 'fn'), 'deployment');
    expect(fn.files.map((f) => [f.path, f.bytes])).toEqual([
      ['linked.py', 6],
      ['pkg/__init__.py', 6],
    ]);
    expect(fn.skippedLinks).toEqual(['pkg_link']);
    const a = await analyse({ function: fn, layers: [], python, target: t, profile: null, top: 10 });
    expect(a.warnings.join('\n')).toContain('pkg_link is a symbolic link to a folder');
  });

  it('warns past five layers, and about a layer that adds nothing to sys.path', async () => {
    mkdirSync(join(dir, 'layer', 'python'), { recursive: true });
    writeFileSync(join(dir, 'layer', 'python', 'shared.py'), 'Z = 3\n');
    mkdirSync(join(dir, 'flat'), { recursive: true });
    writeFileSync(join(dir, 'flat', 'mod.py'), 'W = 4\n');
    const fn = await openInventory(join(dir, 'fn'), 'deployment');
    const layer = await openInventory(join(dir, 'layer'), 'layer');
    const flat = await openInventory(join(dir, 'flat'), 'layer');
    const a = await analyse({ function: fn, layers: [layer, layer, layer, layer, layer, flat], python, target: t, profile: null, top: 10 });
    expect(a.warnings.join('\n')).toContain('6 layers: a function can use at most 5.');
    expect(a.warnings.join('\n')).toContain('layer 6 (');
    expect(a.warnings.join('\n')).toContain('adds nothing to the python3.12 runtime');
    expect(a.sysPath).toEqual([
      { entry: '/var/task', layers: [] },
      { entry: '/opt/python', layers: [0, 1, 2, 3, 4] },
    ]);
    // the same file in five layers: each layer's copy is counted (Lambda's 250 MB counts every layer)
    expect(a.totalBytes).toBe(fn.totalBytes + 5 * 6 + 6);
  });
});
