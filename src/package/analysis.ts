// Analyse: what a deployment (function code + layers) ships, measured against how Lambda loads it.
// Pure functions over inventories (acquire: inventory.ts); the renderers only format what this returns.
import type { FileEntry, Inventory } from './inventory.js';
import { parsePycHeader, pycCacheTag, versionOfMagic, type PythonTarget } from './pyc.js';

/** Lambda's quotas: the error says "Unzipped size must be smaller than 262144000 bytes" (250 MiB). */
export const UNZIPPED_LIMIT = 250 * 1024 * 1024;
/** Direct upload of a .zip through the API: 50 MiB. */
export const ZIPPED_LIMIT = 50 * 1024 * 1024;
export const LAYER_LIMIT = 5;

export type EntryKind = 'package' | 'module' | 'extension' | 'metadata' | 'cache' | 'data';

export interface PackageRow {
  /** The import name for code (package, module, extension); the entry's own name otherwise. */
  name: string;
  kind: EntryKind;
  /** null: the function's code; n: layer n (0-based, Lambda order). */
  layer: number | null;
  /** The entry's path inside the deployment or layer (a folder ends with '/'). */
  path: string;
  /** Whether it is on the runtime's sys.path (a layer's files outside python/ are not). */
  importable: boolean;
  bytes: number;
  files: number;
}

export type StripReason =
  | 'tests'
  | 'docs'
  | 'examples'
  | 'type-stubs'
  | 'other-python-bytecode'
  | 'optimized-bytecode'
  | 'dist-info-extras'
  | 'tool-caches'
  | 'os-metadata';

export const STRIP_REASON_TEXT: Readonly<Record<StripReason, string>> = {
  tests: 'tests: test suites are never imported by the handler',
  docs: 'docs: documentation files',
  examples: 'examples: sample code',
  'type-stubs': '.pyi stubs: only type checkers read them',
  'other-python-bytecode': 'bytecode for another Python version: the runtime ignores it',
  'optimized-bytecode': 'optimised bytecode (.opt-N.pyc): Lambda never runs Python with -O',
  'dist-info-extras': 'dist-info extras (RECORD, WHEEL, INSTALLER…): install records, never read at run time',
  'tool-caches': 'tool caches (.pytest_cache, .mypy_cache…)',
  'os-metadata': 'OS metadata (__MACOSX, .DS_Store)',
};

export interface StripFile {
  path: string;
  layer: number | null;
  bytes: number;
  reason: StripReason;
}

export interface SharedObject {
  path: string;
  layer: number | null;
  bytes: number;
}

export type PycStatus = 'ok' | 'missing' | 'wrong-magic' | 'stale' | 'invalid';

export interface ModulePyc {
  module: string;
  path: string;
  layer: number | null;
  status: PycStatus | 'extension';
  /** The cached file looked for (or found). */
  pyc: string | null;
  /** Its magic number and the Python version that writes it. */
  magic: number | null;
  magicVersion: string | null;
  note: string | null;
}

export interface BytecodeCheck {
  target: string;
  cacheTag: string;
  magic: number;
  /** .py files on the runtime's sys.path, and how many ship a usable .pyc. */
  pyFiles: number;
  counts: Record<PycStatus, number>;
  /** Per top-level package: its .py files and how many ship a usable .pyc. */
  packages: Array<{ name: string; layer: number | null; pyFiles: number; withPyc: number }>;
  /** The profile's imported modules found in the deployment (null without a profile). */
  modules: ModulePyc[] | null;
}

export interface LayerReport {
  index: number;
  display: string;
  type: 'folder' | 'zip';
  bytes: number;
  files: number;
  zippedBytes: number | null;
  /** The sys.path entries this layer puts files in, for the target runtime. */
  sysPath: string[];
  /** python/lib/pythonX.Y/site-packages folders for other versions: never on this runtime's sys.path. */
  otherVersionSitePackages: Array<{ path: string; bytes: number; files: number }>;
  /** Bytes outside python/: not importable (native libraries in lib/, tools in bin/, data). */
  notImportableBytes: number;
}

export interface NeverImported {
  profile: string;
  importedTopLevel: number;
  packages: PackageRow[];
  /** Those of them the profile saw imported during the first call (profile --invoke): deferred, not unused. */
  importedAtInvoke: string[];
  bytes: number;
  files: number;
}

export interface PackageAnalysis {
  target: { display: string; type: 'folder' | 'zip'; bytes: number; files: number; zippedBytes: number | null };
  python: { label: string; cacheTag: string; magic: number; source: 'runtime' | 'interpreter'; interpreter: string | null };
  totalBytes: number;
  fileCount: number;
  packages: PackageRow[];
  layers: LayerReport[];
  sysPath: Array<{ entry: string; layers: number[] }>;
  strippableBytes: number;
  strippable: StripFile[];
  sharedObjects: { count: number; bytes: number; largest: SharedObject[] };
  neverImported: NeverImported | null;
  bytecode: BytecodeCheck;
  limits: {
    unzippedBytes: number;
    unzippedLimit: number;
    zippedBytes: number | null;
    zippedLimit: number;
    layerCount: number;
    layerLimit: number;
  };
  warnings: string[];
}

// ---------------------------------------------------------------- import roots

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EXTENSION = /^([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z0-9_-]+)?\.(so|pyd)$/;
const SHARED_OBJECT = /\.so(\.\d+)*$/;
const CODE = /\.(py|pyc|so|pyd)$/;
const CODE_FILE = /\.(py|pyc|so|pyd)$|\.so\.\d+/;

/** A file as the runtime sees it: its location and its path relative to the sys.path entry holding it. */
interface Placed {
  file: FileEntry;
  layer: number | null;
  /** Path relative to its import root ('' root for non-importable files: relative to the layer). */
  rel: string;
  /** The sys.path entry, or null when not importable. */
  root: string | null;
  /** Prefix of `file.path` that is the root (e.g. 'python/'). */
  prefix: string;
}

function sitePackages(t: PythonTarget): string {
  return `python/lib/python${t.label}/site-packages/`;
}

function placeLayerFile(file: FileEntry, layer: number, t: PythonTarget): Placed {
  const site = sitePackages(t);
  if (file.path.startsWith(site)) {
    return { file, layer, rel: file.path.slice(site.length), root: `/opt/${site.slice(0, -1)}`, prefix: site };
  }
  if (file.path.startsWith('python/') && !/^python\/lib\/python\d+\.\d+\//.test(file.path)) {
    return { file, layer, rel: file.path.slice('python/'.length), root: '/opt/python', prefix: 'python/' };
  }
  const other = /^python\/lib\/python\d+\.\d+\/(site-packages\/)?/.exec(file.path);
  const prefix = other ? other[0] : '';
  return { file, layer, rel: file.path.slice(prefix.length), root: null, prefix };
}

function entryOf(rel: string): { top: string; isDir: boolean } {
  const slash = rel.indexOf('/');
  return slash < 0 ? { top: rel, isDir: false } : { top: rel.slice(0, slash), isDir: true };
}

function classify(top: string, isDir: boolean, importable: boolean): { name: string; kind: EntryKind } {
  if (!importable) return { name: top, kind: 'data' };
  if (isDir) {
    if (top.endsWith('.dist-info') || top.endsWith('.egg-info')) return { name: top, kind: 'metadata' };
    if (top === '__pycache__') return { name: top, kind: 'cache' };
    return { name: top, kind: IDENT.test(top) ? 'package' : 'data' };
  }
  if (top.endsWith('.py') && IDENT.test(top.slice(0, -3))) return { name: top.slice(0, -3), kind: 'module' };
  const ext = EXTENSION.exec(top);
  if (ext) return { name: ext[1] as string, kind: 'extension' };
  return { name: top, kind: 'data' };
}

// ---------------------------------------------------------------- strippable

const TEST_DIRS = new Set(['tests', 'test']);
const DOC_DIRS = new Set(['docs', 'doc']);
const EXAMPLE_DIRS = new Set(['examples', 'example', 'samples']);
const TOOL_CACHES = new Set(['.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.nox', '.hypothesis']);
const DIST_INFO_EXTRAS = new Set(['RECORD', 'WHEEL', 'INSTALLER', 'REQUESTED', 'direct_url.json', 'SOURCES.txt']);

export function stripReason(rel: string, t: PythonTarget): StripReason | null {
  const parts = rel.split('/');
  const name = parts[parts.length - 1] as string;
  const dirs = parts.slice(0, -1);
  if (dirs.includes('__MACOSX') || name === '.DS_Store') return 'os-metadata';
  if (dirs.some((d) => TOOL_CACHES.has(d))) return 'tool-caches';
  if (dirs[dirs.length - 1] === '__pycache__' && name.endsWith('.pyc')) {
    const tag = pycCacheTag(name);
    if (tag?.opt) return 'optimized-bytecode';
    if (tag && tag.tag !== t.cacheTag) return 'other-python-bytecode';
    return null;
  }
  if (dirs.some((d) => TEST_DIRS.has(d)) || name === 'conftest.py') return 'tests';
  const inMetadata = dirs.some((d) => d.endsWith('.dist-info') || d.endsWith('.egg-info'));
  if (inMetadata) return DIST_INFO_EXTRAS.has(name) && dirs.length === 1 ? 'dist-info-extras' : null;
  // a docs/ or examples/ folder can be a real package (botocore.docs is imported by every client): its code stays
  const code = CODE_FILE.test(name);
  if ((!code && dirs.some((d) => DOC_DIRS.has(d))) || /\.(md|rst)$/i.test(name)) return 'docs';
  if (!code && dirs.some((d) => EXAMPLE_DIRS.has(d))) return 'examples';
  if (name.endsWith('.pyi')) return 'type-stubs';
  return null;
}

// ---------------------------------------------------------------- bytecode

function pycPathFor(sourcePath: string, t: PythonTarget): string {
  const slash = sourcePath.lastIndexOf('/');
  const dir = slash < 0 ? '' : sourcePath.slice(0, slash + 1);
  const stem = sourcePath.slice(slash + 1, -3);
  return `${dir}__pycache__/${stem}.${t.cacheTag}.pyc`;
}

interface PycVerdict {
  status: PycStatus;
  pyc: string;
  magic: number | null;
  note: string | null;
}

function judgePyc(source: FileEntry, pycPath: string, head: Buffer | undefined, t: PythonTarget): PycVerdict {
  if (!head) return { status: 'missing', pyc: pycPath, magic: null, note: `no ${pycPath}` };
  const h = parsePycHeader(head);
  if (!h) return { status: 'invalid', pyc: pycPath, magic: null, note: 'not a .pyc file' };
  if (h.magic !== t.magic) {
    const v = versionOfMagic(h.magic);
    return {
      status: 'wrong-magic',
      pyc: pycPath,
      magic: h.magic,
      note: `magic ${h.magic} is ${v ? `Python ${v}'s` : 'of an unknown Python'}; ${t.label} expects ${t.magic}`,
    };
  }
  if (h.sourceSize !== null && h.sourceSize !== source.bytes % 2 ** 32) {
    return { status: 'stale', pyc: pycPath, magic: h.magic, note: `compiled from a ${h.sourceSize}-byte source; the shipped source has ${source.bytes} bytes` };
  }
  if (h.sourceMtime !== null && source.mtimeSec !== null && h.sourceMtime !== source.mtimeSec % 2 ** 32) {
    return { status: 'stale', pyc: pycPath, magic: h.magic, note: 'the source was modified after it was compiled' };
  }
  return { status: 'ok', pyc: pycPath, magic: h.magic, note: null };
}

// ---------------------------------------------------------------- the analysis

export interface AnalyseInput {
  function: Inventory;
  layers: Inventory[];
  python: PackageAnalysis['python'];
  target: PythonTarget;
  /** A profile's modules (dotted names): imported at init, and all of them (init and invoke). */
  profile: { display: string; init: string[]; all: string[] } | null;
  top: number;
}

function sortRows<T extends { bytes: number; path: string; layer: number | null }>(rows: T[]): T[] {
  return rows.sort((a, b) => b.bytes - a.bytes || (a.layer ?? -1) - (b.layer ?? -1) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function analysePackage(input: AnalyseInput): Promise<PackageAnalysis> {
  const t = input.target;
  const warnings: string[] = [];
  const placed: Placed[] = [];
  for (const f of input.function.files) placed.push({ file: f, layer: null, rel: f.path, root: '/var/task', prefix: '' });
  input.layers.forEach((inv, i) => {
    for (const f of inv.files) placed.push(placeLayerFile(f, i, t));
  });

  // sizes per top-level entry, strippable files, shared objects
  const rows = new Map<string, PackageRow>();
  const withCode = new Set<PackageRow>();
  const strippable: StripFile[] = [];
  const shared: SharedObject[] = [];
  let sharedBytes = 0;
  for (const p of placed) {
    const { top, isDir } = entryOf(p.rel);
    const importable = p.root !== null;
    const key = `${p.layer ?? 'f'}\0${importable ? '' : '!'}${p.prefix}\0${top}`;
    let row = rows.get(key);
    if (!row) {
      const c = classify(top, isDir, importable);
      const path = `${p.prefix}${top}${isDir ? '/' : ''}`;
      // code outside the runtime's sys.path is named by its path: python/lib/python3.11/site-packages/x/
      row = { name: importable ? c.name : path, kind: c.kind, layer: p.layer, path, importable, bytes: 0, files: 0 };
      rows.set(key, row);
    }
    row.bytes += p.file.bytes;
    row.files += 1;
    if (CODE.test(p.file.path)) withCode.add(row);
    const reason = stripReason(p.rel, t);
    if (reason) strippable.push({ path: p.file.path, layer: p.layer, bytes: p.file.bytes, reason });
    if (SHARED_OBJECT.test(p.file.path)) {
      shared.push({ path: p.file.path, layer: p.layer, bytes: p.file.bytes });
      sharedBytes += p.file.bytes;
    }
  }
  // a folder with no code in it (docs/, static/) is data, whatever its name
  for (const r of rows.values()) if (r.kind === 'package' && !withCode.has(r)) r.kind = 'data';
  const packages = sortRows([...rows.values()]);
  sortRows(strippable);
  sortRows(shared);

  // layers: sizes, sys.path entries, site-packages for other Python versions
  const site = sitePackages(t);
  const layers: LayerReport[] = input.layers.map((inv, i) => {
    const entries = new Set<string>();
    const other = new Map<string, { path: string; bytes: number; files: number }>();
    let notImportable = 0;
    for (const f of inv.files) {
      if (f.path.startsWith(site)) entries.add(`/opt/${site.slice(0, -1)}`);
      else if (f.path.startsWith('python/')) {
        const m = /^python\/lib\/python\d+\.\d+\/site-packages\//.exec(f.path);
        if (m) {
          const o = other.get(m[0]) ?? { path: m[0], bytes: 0, files: 0 };
          o.bytes += f.bytes;
          o.files += 1;
          other.set(m[0], o);
        } else if (!/^python\/lib\/python\d+\.\d+\//.test(f.path)) entries.add('/opt/python');
        else notImportable += f.bytes;
      } else notImportable += f.bytes;
    }
    const order = [`/opt/${site.slice(0, -1)}`, '/opt/python'];
    const otherVersions = [...other.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
    for (const o of otherVersions) {
      warnings.push(
        `layer ${i + 1} (${inv.display}) ships ${o.path} (${o.files} file${o.files === 1 ? '' : 's'}, ${o.bytes} bytes), which the python${t.label} runtime never puts on sys.path.`,
      );
    }
    if (entries.size === 0 && inv.files.length > 0) {
      warnings.push(`layer ${i + 1} (${inv.display}) adds nothing to the python${t.label} runtime's sys.path: its code must be under python/ or ${site}.`);
    }
    return {
      index: i,
      display: inv.display,
      type: inv.type,
      bytes: inv.totalBytes,
      files: inv.files.length,
      zippedBytes: inv.zippedBytes,
      sysPath: order.filter((e) => entries.has(e)),
      otherVersionSitePackages: otherVersions,
      notImportableBytes: notImportable,
    };
  });
  const sysPath: PackageAnalysis['sysPath'] = [{ entry: '/var/task', layers: [] }];
  for (const e of [`/opt/${site.slice(0, -1)}`, '/opt/python']) {
    const from = layers.filter((l) => l.sysPath.includes(e)).map((l) => l.index);
    if (from.length > 0) sysPath.push({ entry: e, layers: from });
  }
  if (input.layers.length > LAYER_LIMIT) warnings.push(`${input.layers.length} layers: a function can use at most ${LAYER_LIMIT}.`);
  for (const inv of [input.function, ...input.layers]) {
    for (const l of inv.skippedLinks) warnings.push(`${inv.display}: ${l} is a symbolic link to a folder and was not followed.`);
  }

  // the runtime's view: /var/task, then the layers merged into /opt (a later layer's file wins)
  const view = new Map<string, Placed>(); // key: sys.path entry + rel
  for (const p of placed) if (p.root !== null) view.set(`${p.root}\0${p.rel}`, p);
  const roots = sysPath.map((s) => s.entry);
  // extension modules by dotted path: app/_speedups.cpython-312-x86_64-linux-gnu.so → app/_speedups
  const extensions = new Map<string, Placed>();
  for (const p of view.values()) {
    const slash = p.rel.lastIndexOf('/');
    const m = EXTENSION.exec(p.rel.slice(slash + 1));
    if (m) extensions.set(`${p.root}\0${p.rel.slice(0, slash + 1)}${m[1]}`, p);
  }

  // bytecode: every .py on sys.path, then the profile's modules
  const sources = [...view.values()].filter((p) => p.rel.endsWith('.py'));
  const pycWanted = sources.map((p) => ({ p, pyc: pycPathFor(p.file.path, t) }));
  const heads = new Map<string, Buffer>();
  const byInventory = new Map<number | null, string[]>();
  for (const { p, pyc } of pycWanted) {
    const list = byInventory.get(p.layer);
    if (list) list.push(pyc);
    else byInventory.set(p.layer, [pyc]);
  }
  const inventories = new Map<number | null, Inventory>([[null, input.function], ...input.layers.map((l, i) => [i, l] as [number, Inventory])]);
  const present = new Map<number | null, Set<string>>();
  for (const [layer, inv] of inventories) present.set(layer, new Set(inv.files.map((f) => f.path)));
  for (const [layer, paths] of byInventory) {
    const inv = inventories.get(layer) as Inventory;
    const have = present.get(layer) as Set<string>;
    const got = await inv.readHeads(paths.filter((x) => have.has(x)), 16);
    for (const [k, v] of got) heads.set(`${layer ?? 'f'}\0${k}`, v);
  }
  const verdicts = new Map<Placed, PycVerdict>();
  const counts: Record<PycStatus, number> = { ok: 0, missing: 0, 'wrong-magic': 0, stale: 0, invalid: 0 };
  const perPackage = new Map<string, { name: string; layer: number | null; pyFiles: number; withPyc: number }>();
  for (const { p, pyc } of pycWanted) {
    const v = judgePyc(p.file, pyc, heads.get(`${p.layer ?? 'f'}\0${pyc}`), t);
    verdicts.set(p, v);
    counts[v.status] += 1;
    const { top, isDir } = entryOf(p.rel);
    const name = classify(top, isDir, true).name;
    const key = `${p.layer ?? 'f'}\0${p.prefix}\0${name}`;
    const pk = perPackage.get(key) ?? { name, layer: p.layer, pyFiles: 0, withPyc: 0 };
    pk.pyFiles += 1;
    if (v.status === 'ok') pk.withPyc += 1;
    perPackage.set(key, pk);
  }

  let modules: ModulePyc[] | null = null;
  let neverImported: NeverImported | null = null;
  if (input.profile) {
    modules = [];
    const seen = new Set<string>();
    for (const name of input.profile.all) {
      if (seen.has(name)) continue;
      seen.add(name);
      const rel = name.split('.').join('/');
      let found: { p: Placed; ext: boolean } | null = null;
      for (const root of roots) {
        const pkg = view.get(`${root}\0${rel}/__init__.py`);
        const mod = view.get(`${root}\0${rel}.py`);
        const hit = pkg ?? mod;
        if (hit) {
          found = { p: hit, ext: false };
          break;
        }
        const ext = extensions.get(`${root}\0${rel}`);
        if (ext) {
          found = { p: ext, ext: true };
          break;
        }
        if (found) break;
      }
      if (!found) continue; // the standard library or the runtime's own site-packages
      const v = found.ext ? null : verdicts.get(found.p);
      modules.push({
        module: name,
        path: found.p.file.path,
        layer: found.p.layer,
        status: v ? v.status : 'extension',
        pyc: v ? v.pyc : null,
        magic: v ? v.magic : null,
        magicVersion: v?.magic != null ? versionOfMagic(v.magic) : null,
        note: v ? v.note : 'an extension module: nothing to compile',
      });
    }
    const imported = new Set(input.profile.init.map((m) => m.split('.')[0] as string));
    const never = packages.filter((r) => r.importable && (r.kind === 'package' || r.kind === 'module' || r.kind === 'extension') && !imported.has(r.name));
    const later = new Set(input.profile.all.map((m) => m.split('.')[0] as string));
    neverImported = {
      profile: input.profile.display,
      importedTopLevel: imported.size,
      packages: never,
      importedAtInvoke: [...new Set(never.filter((r) => later.has(r.name)).map((r) => r.name))].sort(),
      bytes: never.reduce((s, r) => s + r.bytes, 0),
      files: never.reduce((s, r) => s + r.files, 0),
    };
  }

  const totalBytes = input.function.totalBytes + input.layers.reduce((s, l) => s + l.totalBytes, 0);
  const fileCount = input.function.files.length + input.layers.reduce((s, l) => s + l.files.length, 0);
  return {
    target: {
      display: input.function.display,
      type: input.function.type,
      bytes: input.function.totalBytes,
      files: input.function.files.length,
      zippedBytes: input.function.zippedBytes,
    },
    python: input.python,
    totalBytes,
    fileCount,
    packages,
    layers,
    sysPath,
    strippableBytes: strippable.reduce((s, f) => s + f.bytes, 0),
    strippable,
    sharedObjects: { count: shared.length, bytes: sharedBytes, largest: shared.slice(0, Math.max(input.top, 10)) },
    neverImported,
    bytecode: {
      target: t.label,
      cacheTag: t.cacheTag,
      magic: t.magic,
      pyFiles: sources.length,
      counts,
      packages: [...perPackage.values()].sort((a, b) => b.pyFiles - b.withPyc - (a.pyFiles - a.withPyc) || (a.name < b.name ? -1 : 1)),
      modules,
    },
    limits: {
      unzippedBytes: totalBytes,
      unzippedLimit: UNZIPPED_LIMIT,
      zippedBytes: input.function.zippedBytes,
      zippedLimit: ZIPPED_LIMIT,
      layerCount: input.layers.length,
      layerLimit: LAYER_LIMIT,
    },
    warnings,
  };
}
