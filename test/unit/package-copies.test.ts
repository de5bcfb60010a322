// Unit tests of which copy of a name the runtime imports (shadowing), whose each top-level entry is (owners
// from the installation records shipped beside it), what the runtime already provides, code at a layer's
// root, and the one .pyc recipe — on python-fixtures/package/shadowing, as folders and as zips. Which copy
// a real interpreter imports is checked in test/integration/package-copies.test.ts.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnalysisFiles } from '../../src/package/acquire.js';
import { analysePackage } from '../../src/package/analysis.js';
import { openInventory, type Inventory } from '../../src/package/inventory.js';
import { compileRecipe, pythonTarget, type PythonTarget } from '../../src/package/pyc.js';
import type { PackageAnalysis } from '../../src/package/types.js';
import { renderPackageReport } from '../../src/render/package-report.js';
import { loadTables } from '../../src/render/text-table.js';
import { fixtures } from '../support/cli.js';
import { listFiles, zipFolder } from '../support/zip.js';

const t = pythonTarget(12) as PythonTarget;
const python = { label: t.label, cacheTag: t.cacheTag, magic: t.magic, source: 'runtime' as const, interpreter: null };
const base = join(fixtures, 'package', 'shadowing');
const SITE = 'python/lib/python3.12/site-packages/';
const size = (dir: string, rel: string): number => statSync(join(base, dir, rel)).size;
const sizeUnder = (dir: string, prefix: string): number => listFiles(join(base, dir)).filter((f) => f.startsWith(prefix)).reduce((s, f) => s + size(dir, f), 0);

async function analyseDirs(fn: string, layers: string[]): Promise<PackageAnalysis> {
  const inv: Inventory[] = [];
  try {
    const f = await openInventory(fn, 'deployment');
    inv.push(f);
    const ls: Inventory[] = [];
    for (const l of layers) {
      const i = await openInventory(l, 'layer');
      inv.push(i);
      ls.push(i);
    }
    return analysePackage({ function: f, layers: ls, python, target: t, profile: null, top: 20, ...(await readAnalysisFiles(f, ls, t)) });
  } finally {
    for (const i of inv) i.close();
  }
}

const work = mkdtempSync(join(tmpdir(), 'lambda-cold-copies-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(loadTables);

describe('package: shadowed copies, owners, runtime-provided packages (python-fixtures/package/shadowing)', () => {
  let folders: PackageAnalysis;
  let zips: PackageAnalysis;
  beforeAll(async () => {
    const parts = ['fn', 'layer-a', 'layer-b', 'flat'];
    folders = await analyseDirs(join(base, 'fn'), parts.slice(1).map((p) => join(base, p)));
    for (const p of parts) await zipFolder(join(base, p), join(work, `${p}.zip`));
    zips = await analyseDirs(join(work, 'fn.zip'), parts.slice(1).map((p) => join(work, `${p}.zip`)));
  });

  it('names the copy imported and the copy hidden, with the bytes the hidden one wastes', () => {
    expect(folders.shadowed).toEqual([
      // the task root comes first: layer a's whole shared/ is never imported
      {
        name: 'shared',
        used: { layer: null, path: 'shared/', root: '/var/task' },
        shadowed: { layer: 0, path: 'python/shared/', root: '/opt/python' },
        bytes: sizeUnder('layer-a', 'python/shared/'),
        files: 3,
        mixedFiles: 0,
      },
      // site-packages comes before /opt/python: layer a's lonely.py wins although layer b is extracted later
      {
        name: 'lonely',
        used: { layer: 0, path: `${SITE}lonely.py`, root: `/opt/${SITE.slice(0, -1)}` },
        shadowed: { layer: 1, path: 'python/lonely.py', root: '/opt/python' },
        bytes: size('layer-b', 'python/lonely.py'),
        files: 1,
        mixedFiles: 0,
      },
      // the same folder in two layers: layer b's __init__.py replaces layer a's, layer a's a.py stays mixed in
      {
        name: 'common',
        used: { layer: 1, path: `${SITE}common/`, root: `/opt/${SITE.slice(0, -1)}` },
        shadowed: { layer: 0, path: `${SITE}common/`, root: `/opt/${SITE.slice(0, -1)}` },
        bytes: size('layer-a', `${SITE}common/__init__.py`),
        files: 1,
        mixedFiles: 1,
      },
    ]);
    expect(folders.shadowedBytes).toBe(folders.shadowed.reduce((s, c) => s + c.bytes, 0));
    // nsp/ has no __init__.py in either place: one namespace package, nothing hidden
    expect(folders.shadowed.map((c) => c.name)).not.toContain('nsp');
  });

  it('attributes each top-level entry to the distribution whose record claims it, else to the user', () => {
    const owner = (name: string, layer: number | null) => folders.packages.find((p) => p.name === name && p.layer === layer)?.owner;
    expect(owner('six', null)).toEqual({ kind: 'third-party', distribution: 'six', version: '1.16.0' });
    expect(owner('six-1.16.0.dist-info', null)).toEqual({ kind: 'third-party', distribution: 'six', version: '1.16.0' });
    // an egg-info without a file list: top_level.txt names it
    expect(owner('lonely', 0)).toEqual({ kind: 'third-party', distribution: 'toolkit', version: '0.3' });
    // a record claims names in its own folder only: layer b's lonely.py is not toolkit's
    expect(owner('lonely', 1)).toEqual({ kind: 'user' });
    expect(owner('handler', null)).toEqual({ kind: 'user' });
    expect(owner('shared', null)).toEqual({ kind: 'user' });
  });

  it('says what the deployment ships of what the runtime provides, and which runtime package would import it', () => {
    expect(folders.runtimeProvided).toEqual([
      { name: 'six', distribution: 'six', version: '1.16.0', layer: null, path: 'six.py', bytes: size('fn', 'six.py'), files: 1 },
    ]);
    expect(folders.runtimeMixed).toEqual([{ runtime: 'dateutil', imports: 'six' }]);
    const text = renderPackageReport(folders, { top: 20 });
    expect(text).toContain('Also provided by the python3.12 runtime: six');
    expect(text).toMatch(/Shipping them pins their versions, a sound reason to keep them/);
  });

  it("marks code at a layer's root as not importable, says why and what to do; native libraries stay data", () => {
    const flat = folders.packages.filter((p) => p.layer === 2);
    expect(flat.map((p) => [p.path, p.kind, p.importable, p.notImportable]).sort()).toEqual([
      ['helper.py', 'module', false, 'layer-root'],
      ['lib/', 'data', false, 'outside-python'],
      ['tools/', 'package', false, 'layer-root'],
    ]);
    const w = folders.warnings.find((x) => x.startsWith('layer 3 '));
    expect(w).toContain('ships Python code at its root (helper.py, tools/)');
    expect(w).toContain('never /opt itself');
    expect(w).toContain('put them under python/');
    expect(renderPackageReport(folders, { top: 20 })).toContain('put it under python/: python/helper.py');
  });

  it('finds the same from zips: the records are read from the archives, nothing extracted', () => {
    const strip = (a: PackageAnalysis) => ({ shadowed: a.shadowed, provided: a.runtimeProvided, owners: a.packages.map((p) => [p.path, p.layer, p.owner]) });
    expect(strip(zips)).toEqual(strip(folders));
  });
});

describe('package: which copy wins, beyond the fixture', () => {
  it('a module beats a namespace folder that comes earlier on sys.path; a regular package beats a module beside it', async () => {
    const fn = join(work, 'ns-fn');
    const layer = join(work, 'ns-layer');
    mkdirSync(join(fn, 'thing'), { recursive: true });
    writeFileSync(join(fn, 'thing', 'part.py'), 'X = 1\n'); // no __init__.py: a namespace portion
    mkdirSync(join(layer, 'python', 'both'), { recursive: true });
    writeFileSync(join(layer, 'python', 'thing.py'), 'Y = 2\n');
    writeFileSync(join(layer, 'python', 'both', '__init__.py'), 'Z = 3\n');
    writeFileSync(join(layer, 'python', 'both.py'), 'W = 4\n');
    const a = await analyseDirs(fn, [layer]);
    expect(a.shadowed.map((c) => [c.name, c.used.path, c.shadowed.path, c.bytes])).toEqual([
      ['both', 'python/both/', 'python/both.py', 6],
      ['thing', 'python/thing.py', 'thing/', 6],
    ]);
  });
});

describe('one .pyc recipe', () => {
  it("names the runtime's exact Python, unchecked hash-based bytecode, whatever form the version comes in", () => {
    const want = 'python3.12 -m compileall -q --invalidation-mode unchecked-hash <dir>';
    expect(compileRecipe('3.12')).toBe(want);
    expect(compileRecipe('python3.12')).toBe(want);
    expect(compileRecipe('3.12.4')).toBe(want);
    expect(compileRecipe(null, 'build/')).toBe('python3.X -m compileall -q --invalidation-mode unchecked-hash build/');
  });
});
