// Whose code is a module: the user's, a third-party distribution's, or the standard library's.
// pip puts libraries into the task root too (`pip install -t`), so the folder says nothing: a module belongs to
// a distribution when that distribution's installation record names its file (`*.dist-info/RECORD`, PEP 376 /
// https://packaging.python.org/en/latest/specifications/recording-installed-packages/), or, for records
// without a file list (`*.egg-info`), when its `top_level.txt` names the module's top-level package.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, normalize, relative, resolve } from 'node:path';
import { cacheDir } from '../util/paths.js';

export type Owner =
  | { kind: 'user' }
  | { kind: 'stdlib' }
  | { kind: 'third-party'; distribution: string; version: string | null }
  | { kind: 'unknown' };

export interface Distribution {
  name: string;
  version: string | null;
}

interface DirIndex {
  /**
   * File path relative to the indexed folder (normalised) → its distribution (from RECORD), only for the files of
   * a top-level name that the records of several distributions claim (a namespace package such as `google`):
   * any other top-level name has one owner, which `topLevel` gives for each of its files.
   */
  files: Map<string, Distribution>;
  /** Top-level name (package folder or module) → its distribution (RECORD paths, top_level.txt). */
  topLevel: Map<string, Distribution>;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * A distribution from its record folder's name (`name-version.dist-info`) and its METADATA / PKG-INFO text,
 * whose `Name:` and `Version:` headers win. Pure: shared with the `package` analysis, which reads zips.
 */
export function distributionOf(folder: string, meta: string | null | undefined): Distribution {
  const stem = folder.replace(/\.(dist|egg)-info$/, '');
  const dash = stem.indexOf('-');
  let name = dash < 0 ? stem : stem.slice(0, dash);
  let version: string | null = dash < 0 ? null : stem.slice(dash + 1) || null;
  if (meta) {
    const head = meta.split(/\r?\n\r?\n/, 1)[0] ?? '';
    name = /^Name:\s*(.+)$/m.exec(head)?.[1]?.trim() ?? name;
    version = /^Version:\s*(.+)$/m.exec(head)?.[1]?.trim() ?? version;
  }
  return { name, version };
}

/** The first path column of a RECORD line (CSV: a path with a comma is quoted). */
export function recordPath(line: string): string | null {
  if (line.length === 0) return null;
  if (line.startsWith('"')) {
    const end = line.indexOf('",');
    return end < 0 ? null : line.slice(1, end).replace(/""/g, '"');
  }
  const comma = line.indexOf(',');
  return comma < 0 ? line : line.slice(0, comma);
}

/** A RECORD path's top-level name: its first folder, or the module its file is (`six.py`, `_x.cpython-311-….so`). */
const topLevelOf = (rel: string): string => (rel.split('/', 1)[0] as string).replace(/\.py$/, '').replace(/\..*\.so$|\.so$|\.pyd$/, '');

function indexDir(dir: string): DirIndex {
  const index: DirIndex = { files: new Map(), topLevel: new Map() };
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return index;
  }
  // every recorded file, and which distributions' records claim each top-level name
  const files = new Map<string, Distribution>();
  const claims = new Map<string, Set<Distribution>>();
  for (const folder of entries) {
    if (!folder.endsWith('.dist-info') && !folder.endsWith('.egg-info')) continue;
    const infoDir = join(dir, folder);
    const dist = distributionOf(folder, readText(join(infoDir, 'METADATA')) ?? readText(join(infoDir, 'PKG-INFO')));
    const record = readText(join(infoDir, 'RECORD'));
    if (record) {
      for (const line of record.split(/\r?\n/)) {
        const rel = recordPath(line);
        if (!rel || rel.startsWith('..') || rel.startsWith('/')) continue;
        const first = rel.split('/', 1)[0] as string;
        if (first.endsWith('.dist-info') || first.endsWith('.egg-info') || first === '__pycache__') continue;
        const top = topLevelOf(rel);
        files.set(normalize(rel), dist);
        index.topLevel.set(top, dist);
        (claims.get(top) ?? claims.set(top, new Set()).get(top)!).add(dist);
      }
    }
    for (const name of (readText(join(infoDir, 'top_level.txt')) ?? '').split(/\r?\n/)) {
      const top = name.trim().split('/', 1)[0];
      if (top && !index.topLevel.has(top)) index.topLevel.set(top, dist);
    }
  }
  // A top-level name one distribution's record claims is that distribution's, file by file (`topLevel` answers,
  // and is kept small: a site-packages with boto3 and numpy records ~40,000 files under ~120 names). Only the
  // files of a name several records claim need their own entries.
  for (const [rel, dist] of files) if ((claims.get(topLevelOf(rel))?.size ?? 0) > 1) index.files.set(rel, dist);
  return index;
}

/** An index as kept in the cache: the distributions once, paths relative to the folder. */
interface KeptIndex {
  v: 2;
  dir: string;
  mtimeMs: number;
  dists: Distribution[];
  files: Array<[string, number]>;
  topLevel: Array<[string, number]>;
}

/**
 * A folder's index, kept in the cache while the folder's modification time stays the same: installing,
 * upgrading or removing a distribution adds or removes a `*.dist-info` folder, which changes it. A large
 * site-packages holds tens of thousands of recorded files; reading every RECORD again on each profile
 * would cost more than the rest of the profile's own work.
 */
function cachedIndexDir(dir: string): DirIndex {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(dir).mtimeMs;
  } catch {
    return indexDir(dir);
  }
  const file = join(cacheDir(), 'owners', `${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 24)}.json`);
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as KeptIndex;
    if (kept.v === 2 && kept.dir === resolve(dir) && kept.mtimeMs === mtimeMs) {
      const dist = (i: number) => kept.dists[i] as Distribution;
      return {
        files: new Map(kept.files.map(([rel, i]) => [rel, dist(i)])),
        topLevel: new Map(kept.topLevel.map(([name, i]) => [name, dist(i)])),
      };
    }
  } catch {
    // none kept yet, or unreadable: index the folder
  }
  const index = indexDir(dir);
  if (index.topLevel.size === 0) return index;
  const ids = new Map<Distribution, number>();
  const id = (d: Distribution) => ids.get(d) ?? (ids.set(d, ids.size), ids.size - 1);
  const kept: KeptIndex = {
    v: 2,
    dir: resolve(dir),
    mtimeMs,
    files: [...index.files].map(([rel, d]) => [rel, id(d)]),
    topLevel: [...index.topLevel].map(([name, d]) => [name, id(d)]),
    dists: [],
  };
  kept.dists = [...ids.keys()];
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(kept));
  } catch {
    // an unwritable cache only means indexing again next time
  }
  return index;
}

/**
 * The folder on sys.path a module was found in: its file with the module's dotted parts taken off
 * (`/var/task/botocore/compat.py` for `botocore.compat` → `/var/task`). Null when the path does not end so.
 */
export function importRoot(moduleName: string, file: string): string | null {
  const parts = moduleName.split('.');
  const isPackage = basename(file).startsWith('__init__.');
  let dir = dirname(file);
  // a package's __init__ sits in the folder of its last part; a module's file sits in its parent package's
  for (let i = isPackage ? parts.length - 1 : parts.length - 2; i >= 0; i--) {
    if (basename(dir) !== parts[i]) return null;
    dir = dirname(dir);
  }
  return dir;
}

/** Owners of modules, reading each import root's installation records once. */
export class OwnerIndex {
  private readonly dirs = new Map<string, DirIndex>();

  private index(dir: string): DirIndex {
    let i = this.dirs.get(dir);
    if (!i) this.dirs.set(dir, (i = cachedIndexDir(dir)));
    return i;
  }

  /**
   * A module's owner from its file and where the harness found it. Standard library and built-in modules
   * are the standard library's; anything else is a distribution's when a record claims it, else the user's.
   */
  ownerOf(moduleName: string, file: string | null, origin: string): Owner {
    if (origin === 'stdlib' || origin === 'builtin') return { kind: 'stdlib' };
    if (!file) return { kind: 'unknown' };
    const root = importRoot(moduleName, file);
    if (root === null) return { kind: 'unknown' };
    const index = this.index(root);
    const top = moduleName.split('.', 1)[0] as string;
    const dist = index.files.get(relative(root, resolve(file))) ?? index.topLevel.get(top);
    if (dist) return { kind: 'third-party', distribution: dist.name, version: dist.version };
    return origin === 'site-packages' ? { kind: 'unknown' } : { kind: 'user' };
  }
}

/** The owner of every module the harness reported (name → file and origin). */
export function ownersOf(modules: Readonly<Record<string, { file: string | null; origin: string }>>, index = new OwnerIndex()): Map<string, Owner> {
  const out = new Map<string, Owner>();
  for (const [name, info] of Object.entries(modules)) out.set(name, index.ownerOf(name, info.file, info.origin));
  return out;
}
