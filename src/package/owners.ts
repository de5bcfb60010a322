// Whose code is each top-level entry of a deployment: a third-party distribution's when an installation
// record next to it claims it (`*.dist-info/RECORD`, https://packaging.python.org/en/latest/specifications/recording-installed-packages/,
// or, for `*.egg-info` records without a file list, `top_level.txt`), the user's otherwise. pip puts
// libraries into the task root too (`pip install -t`), so the folder alone says nothing.
// Pure: it reads listings and the record texts read beforehand (inventory.ts's readDistRecords, for the
// paths distRecordsWanted names) — a zip is never extracted for this.
import { distributionOf, recordPath, type Owner } from '../python/distributions.js';
import { topLevelName, type Placed } from './layout.js';
import type { DistRecords, PackageRow } from './types.js';

const RECORD_FILE = /^([^/]+\.(?:dist|egg)-info)\/(RECORD|METADATA|PKG-INFO|top_level\.txt)$/;

/** Index of a file's listing in [function, ...layers]. */
const listingIndex = (layer: number | null): number => (layer === null ? 0 : layer + 1);

/** Per listing ([function, ...layers]): the installation-record files to read, in every sys.path folder. */
export function distRecordsWanted(placed: readonly Placed[], listings: number): string[][] {
  const wanted: string[][] = Array.from({ length: listings }, () => []);
  for (const p of placed) {
    if (p.root !== null && RECORD_FILE.test(p.rel)) wanted[listingIndex(p.layer)]?.push(p.file.path);
  }
  return wanted;
}

type ThirdParty = Extract<Owner, { kind: 'third-party' }>;

function identify(folder: string, meta: string | undefined): ThirdParty {
  const d = distributionOf(folder, meta);
  return { kind: 'third-party', distribution: d.name, version: d.version };
}

const keyOf = (layer: number | null, root: string, top: string): string => `${layer ?? 'f'}\0${root}\0${top}`;

/**
 * The distribution of each top-level name, per copy (function or layer) and sys.path folder: what the
 * records found next to it claim. A record's own folder is its distribution's too.
 */
export function distributionIndex(placed: readonly Placed[], records: DistRecords): Map<string, ThirdParty> {
  const texts = new Map<string, { layer: number | null; root: string; files: Map<string, string> }>();
  for (const p of placed) {
    const m = p.root !== null ? RECORD_FILE.exec(p.rel) : null;
    const text = m ? records[listingIndex(p.layer)]?.get(p.file.path) : undefined;
    if (!m || text === undefined) continue;
    const key = keyOf(p.layer, p.root as string, m[1] as string);
    const t = texts.get(key) ?? { layer: p.layer, root: p.root as string, files: new Map<string, string>() };
    t.files.set(m[2] as string, text.toString('utf8'));
    texts.set(key, t);
  }
  const index = new Map<string, ThirdParty>();
  const claim = (k: string, d: ThirdParty): void => {
    if (!index.has(k)) index.set(k, d);
  };
  for (const [key, t] of texts) {
    const folder = key.slice(key.lastIndexOf('\0') + 1);
    const dist = identify(folder, t.files.get('METADATA') ?? t.files.get('PKG-INFO'));
    claim(keyOf(t.layer, t.root, folder), dist);
    for (const line of (t.files.get('RECORD') ?? '').split(/\r?\n/)) {
      const rel = recordPath(line);
      // console scripts are recorded as ../../bin/x: outside this folder
      if (!rel || rel.startsWith('..') || rel.startsWith('/')) continue;
      const top = topLevelName(rel);
      if (top === '__pycache__' || top.endsWith('.dist-info') || top.endsWith('.egg-info')) continue;
      claim(keyOf(t.layer, t.root, top), dist);
    }
    for (const name of (t.files.get('top_level.txt') ?? '').split(/\r?\n/)) {
      const top = name.trim().split('/', 1)[0];
      if (top) claim(keyOf(t.layer, t.root, top), dist);
    }
  }
  return index;
}

/** A row's owner: the distribution whose record (in the same copy and sys.path folder) claims it, else the user. */
export function ownerOfRow(row: Pick<PackageRow, 'name' | 'layer' | 'root'>, index: ReadonlyMap<string, ThirdParty>): Owner {
  if (row.root === null) return { kind: 'user' };
  return index.get(keyOf(row.layer, row.root, row.name)) ?? { kind: 'user' };
}
