// The sys.path layout of a deployment as Lambda's Python runtime sees it: the function's code in
// /var/task, each layer's python/ and python/lib/pythonX.Y/site-packages/ under /opt (a later layer's
// file wins), anything else not importable. Pure: it reads listings, never files.
import type { FileEntry } from './inventory.js';
import type { PythonTarget } from './pyc.js';
import type { Owner } from '../python/distributions.js';
import type { EntryKind, LayerReport, Listing, NotImportable, PackageAnalysis, PackageRow, SharedObject } from './types.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EXTENSION = /^([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z0-9_-]+)?\.(so|pyd)$/;
const SHARED_OBJECT = /\.so(\.\d+)*$/;
const CODE = /\.(py|pyc|so|pyd)$/;
const OTHER_VERSION_SITE = /^python\/lib\/python\d+\.\d+\/site-packages\//;
const OTHER_VERSION = /^python\/lib\/python\d+\.\d+\//;

/** A file as the runtime sees it: its location and its path relative to the sys.path entry holding it. */
export interface Placed {
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
  if (file.path.startsWith('python/') && !OTHER_VERSION.test(file.path)) {
    return { file, layer, rel: file.path.slice('python/'.length), root: '/opt/python', prefix: 'python/' };
  }
  const other = /^python\/lib\/python\d+\.\d+\/(site-packages\/)?/.exec(file.path);
  const prefix = other ? other[0] : '';
  return { file, layer, rel: file.path.slice(prefix.length), root: null, prefix };
}

/** Every file of the function (layer null) and of its layers (0-based, Lambda order), placed. */
export function placeFiles(fn: Listing, layers: readonly Listing[], t: PythonTarget): Placed[] {
  const placed: Placed[] = [];
  for (const f of fn.files) placed.push({ file: f, layer: null, rel: f.path, root: '/var/task', prefix: '' });
  layers.forEach((inv, i) => {
    for (const f of inv.files) placed.push(placeLayerFile(f, i, t));
  });
  return placed;
}

export function entryOf(rel: string): { top: string; isDir: boolean } {
  const slash = rel.indexOf('/');
  return slash < 0 ? { top: rel, isDir: false } : { top: rel.slice(0, slash), isDir: true };
}

function classify(top: string, isDir: boolean): { name: string; kind: EntryKind } {
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

/** The import name of the top-level entry an importable file belongs to. */
export function topLevelName(rel: string): string {
  const { top, isDir } = entryOf(rel);
  return classify(top, isDir).name;
}

/** Largest first, then the function before the layers, then by path. */
export function sortRows<T extends { bytes: number; path: string; layer: number | null }>(rows: T[]): T[] {
  return rows.sort((a, b) => b.bytes - a.bytes || (a.layer ?? -1) - (b.layer ?? -1) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Why a file outside the runtime's sys.path is not importable, from where it sits in its layer. */
function notImportableReason(prefix: string): NotImportable {
  return prefix === '' ? 'layer-root' : OTHER_VERSION.test(prefix) ? 'other-python-version' : 'outside-python';
}

/**
 * Sizes per top-level entry (package, module, extension, metadata, data), largest first. Code outside the
 * runtime's sys.path keeps its kind (a module at a layer's root is a module Lambda cannot import), named by
 * its path; `owner` names whose each entry is (owners.ts), the user's by default.
 */
export function entryRows(placed: readonly Placed[], owner: (row: Pick<PackageRow, 'name' | 'layer' | 'root'>) => Owner = () => ({ kind: 'user' })): PackageRow[] {
  const rows = new Map<string, PackageRow>();
  const withCode = new Set<PackageRow>();
  const withSource = new Set<PackageRow>();
  for (const p of placed) {
    const { top, isDir } = entryOf(p.rel);
    const importable = p.root !== null;
    const key = `${p.layer ?? 'f'}\0${importable ? '' : '!'}${p.prefix}\0${top}`;
    let row = rows.get(key);
    if (!row) {
      const c = classify(top, isDir);
      const path = `${p.prefix}${top}${isDir ? '/' : ''}`;
      // code outside the runtime's sys.path is named by its path: python/lib/python3.11/site-packages/x/
      row = {
        name: importable ? c.name : path,
        kind: c.kind,
        layer: p.layer,
        path,
        importable,
        root: p.root,
        notImportable: importable ? null : notImportableReason(p.prefix),
        owner: { kind: 'user' },
        bytes: 0,
        files: 0,
      };
      rows.set(key, row);
    }
    row.bytes += p.file.bytes;
    row.files += 1;
    if (CODE.test(p.file.path)) withCode.add(row);
    if (p.file.path.endsWith('.py')) withSource.add(row);
  }
  for (const r of rows.values()) {
    // a folder with no code in it (docs/, static/) is data, whatever its name
    if (r.kind === 'package' && !withCode.has(r)) r.kind = 'data';
    // outside sys.path only Python sources say "code": lib/ with native libraries is data (on LD_LIBRARY_PATH)
    if (!r.importable && !((r.kind === 'package' || r.kind === 'module') && withSource.has(r))) r.kind = 'data';
    if (r.notImportable === 'layer-root' && r.kind === 'data') r.notImportable = 'outside-python';
    r.owner = owner(r);
  }
  return sortRows([...rows.values()]);
}

/** Shared objects (.so, .so.N), largest first. */
export function sharedObjects(placed: readonly Placed[]): SharedObject[] {
  return sortRows(placed.filter((p) => SHARED_OBJECT.test(p.file.path)).map((p) => ({ path: p.file.path, layer: p.layer, bytes: p.file.bytes })));
}

/** Each layer's sizes and sys.path entries, the runtime's sys.path, and what a layer ships in vain. */
export function layerLayout(
  layers: readonly Listing[],
  t: PythonTarget,
  rows: readonly PackageRow[] = [],
): { layers: LayerReport[]; sysPath: PackageAnalysis['sysPath']; warnings: string[] } {
  const warnings: string[] = [];
  const site = sitePackages(t);
  const order = [`/opt/${site.slice(0, -1)}`, '/opt/python'];
  const reports: LayerReport[] = layers.map((inv, i) => {
    const entries = new Set<string>();
    const other = new Map<string, { path: string; bytes: number; files: number }>();
    let notImportable = 0;
    for (const f of inv.files) {
      if (f.path.startsWith(site)) entries.add(`/opt/${site.slice(0, -1)}`);
      else if (f.path.startsWith('python/')) {
        const m = OTHER_VERSION_SITE.exec(f.path);
        if (m) {
          const o = other.get(m[0]) ?? { path: m[0], bytes: 0, files: 0 };
          o.bytes += f.bytes;
          o.files += 1;
          other.set(m[0], o);
        } else if (!OTHER_VERSION.test(f.path)) entries.add('/opt/python');
        else notImportable += f.bytes;
      } else notImportable += f.bytes;
    }
    const otherVersions = [...other.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
    for (const o of otherVersions) {
      warnings.push(
        `layer ${i + 1} (${inv.display}) ships ${o.path} (${o.files} file${o.files === 1 ? '' : 's'}, ${o.bytes} bytes), which the python${t.label} runtime never puts on sys.path.`,
      );
    }
    // Lambda extracts a layer to /opt and puts only /opt/python and its site-packages on sys.path, never /opt
    const atRoot = rows.filter((r) => r.layer === i && r.notImportable === 'layer-root').map((r) => r.path);
    if (atRoot.length > 0) {
      const named = atRoot.slice(0, 5).join(', ') + (atRoot.length > 5 ? ` and ${atRoot.length - 5} more` : '');
      warnings.push(
        `layer ${i + 1} (${inv.display}) ships Python code at its root (${named}): Lambda extracts a layer to /opt and puts only /opt/python and /opt/${site.slice(0, -1)} on sys.path, never /opt itself, so ${atRoot.length === 1 ? 'it is' : 'they are'} not importable on Lambda` +
          `${entries.size === 0 ? ` and the layer adds nothing to the python${t.label} runtime's sys.path` : ''}; put ${atRoot.length === 1 ? 'it' : 'them'} under python/ (python/${atRoot[0]}).`,
      );
    } else if (entries.size === 0 && inv.files.length > 0) {
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
  for (const e of order) {
    const from = reports.filter((l) => l.sysPath.includes(e)).map((l) => l.index);
    if (from.length > 0) sysPath.push({ entry: e, layers: from });
  }
  return { layers: reports, sysPath, warnings };
}

/** The runtime's view of the importable files: one per sys.path entry and path (a later layer's file wins). */
export interface RuntimeView {
  /** Key: sys.path entry + '\0' + path relative to it. */
  files: Map<string, Placed>;
  /** Extension modules by sys.path entry + '\0' + dotted path as a path: app/_speedups.cpython-312-x86_64-linux-gnu.so → app/_speedups. */
  extensions: Map<string, Placed>;
}

export function runtimeView(placed: readonly Placed[]): RuntimeView {
  const files = new Map<string, Placed>();
  for (const p of placed) if (p.root !== null) files.set(`${p.root}\0${p.rel}`, p);
  const extensions = new Map<string, Placed>();
  for (const p of files.values()) {
    const slash = p.rel.lastIndexOf('/');
    const m = EXTENSION.exec(p.rel.slice(slash + 1));
    if (m) extensions.set(`${p.root}\0${p.rel.slice(0, slash + 1)}${m[1]}`, p);
  }
  return { files, extensions };
}
