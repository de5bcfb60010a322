// Which copy of a top-level package or module the runtime imports when a deployment ships several, and
// what it ships of what the runtime already provides. Pure: it reads the placed files and the entry rows.
//
// The import system takes the first sys.path entry that holds the name as a regular package (a folder
// with __init__) or a module (an extension module before a .py); folders without __init__ are namespace
// portions, merged only when no entry has the name otherwise
// (https://docs.python.org/3/reference/import.html#regular-packages, https://peps.python.org/pep-0420/).
// On Lambda, sys.path is /var/task, then /opt/python/lib/pythonX.Y/site-packages and /opt/python (the
// layers, extracted into /opt in order, a later layer's file replacing an earlier one's), then the
// runtime's own site-packages (docs/lambda-platform.md, "The Lambda Python runtime at a cold start").
import { entryOf, type Placed, type RuntimeView } from './layout.js';
import type { PythonTarget } from './pyc.js';
import type { PackageRow, RuntimeProvided, Shadowed } from './types.js';

/**
 * What the Lambda Python runtimes provide besides the standard library: the AWS SDK for Python (boto3)
 * "and its dependencies" (https://docs.aws.amazon.com/lambda/latest/dg/python-package.html). Its
 * dependencies, from the installed distributions' Requires-Dist: boto3 → botocore, jmespath, s3transfer;
 * botocore → jmespath, python-dateutil, urllib3; python-dateutil → six. Import name → distribution, and
 * what each imports of the others.
 */
export const RUNTIME_PROVIDED: ReadonlyArray<{ name: string; distribution: string; imports: readonly string[] }> = [
  { name: 'boto3', distribution: 'boto3', imports: ['botocore', 'jmespath', 's3transfer'] },
  { name: 'botocore', distribution: 'botocore', imports: ['jmespath', 'dateutil', 'urllib3'] },
  { name: 's3transfer', distribution: 's3transfer', imports: ['botocore'] },
  { name: 'jmespath', distribution: 'jmespath', imports: [] },
  { name: 'dateutil', distribution: 'python-dateutil', imports: ['six'] },
  { name: 'urllib3', distribution: 'urllib3', imports: [] },
  { name: 'six', distribution: 'six', imports: [] },
];

const CODE_KINDS = new Set<PackageRow['kind']>(['package', 'module', 'extension']);

/** sys.path order of the deployment's entries for this runtime. */
export function sysPathOrder(t: PythonTarget): string[] {
  return ['/var/task', `/opt/python/lib/python${t.label}/site-packages`, '/opt/python'];
}

const rowKey = (layer: number | null, root: string, path: string): string => `${layer ?? 'f'}\0${root}\0${path}`;

export interface Resolution {
  /** Per top-level name: the row the runtime imports (absent: nothing shipped, or namespace portions only). */
  used: Map<string, PackageRow>;
  shadowed: Shadowed[];
}

/** The copy of each top-level name the runtime imports, and every other copy it hides. */
export function resolveCopies(rows: readonly PackageRow[], placed: readonly Placed[], view: RuntimeView, t: PythonTarget): Resolution {
  const byName = new Map<string, PackageRow[]>();
  for (const r of rows) {
    if (!r.importable || r.root === null || !CODE_KINDS.has(r.kind)) continue;
    const list = byName.get(r.name) ?? [];
    list.push(r);
    byName.set(r.name, list);
  }
  const filesOf = new Map<string, Placed[]>();
  for (const p of placed) {
    if (p.root === null) continue;
    const { top, isDir } = entryOf(p.rel);
    const k = rowKey(p.layer, p.root, `${p.prefix}${top}${isDir ? '/' : ''}`);
    const list = filesOf.get(k) ?? [];
    list.push(p);
    filesOf.set(k, list);
  }
  const order = sysPathOrder(t);
  const used = new Map<string, PackageRow>();
  const shadowed: Shadowed[] = [];
  for (const [name, copies] of byName) {
    let winner: PackageRow | undefined;
    for (const root of order) {
      const init =
        view.extensions.get(`${root}\0${name}/__init__`) ?? view.files.get(`${root}\0${name}/__init__.py`) ?? view.files.get(`${root}\0${name}/__init__.pyc`);
      const mod = view.extensions.get(`${root}\0${name}`) ?? view.files.get(`${root}\0${name}.py`);
      const hit = init ?? mod;
      if (!hit) continue;
      const isDir = init !== undefined;
      winner = copies.find((r) => r.root === root && r.layer === hit.layer && r.path.endsWith('/') === isDir && filesOf.get(rowKey(r.layer, root, r.path))?.includes(hit));
      if (winner) break;
    }
    if (!winner) continue;
    used.set(name, winner);
    for (const r of copies) {
      if (r === winner) continue;
      const files = filesOf.get(rowKey(r.layer, r.root as string, r.path)) ?? [];
      // an earlier layer's copy of the same folder: the later layer replaces the files both have
      const merged = r.root === winner.root && r.path.endsWith('/') === winner.path.endsWith('/');
      const hidden = merged ? files.filter((p) => view.files.get(`${p.root}\0${p.rel}`) !== p) : files;
      if (hidden.length === 0) continue;
      shadowed.push({
        name,
        used: { layer: winner.layer, path: winner.path, root: winner.root as string },
        shadowed: { layer: r.layer, path: r.path, root: r.root as string },
        bytes: hidden.reduce((s, p) => s + p.file.bytes, 0),
        files: hidden.length,
        mixedFiles: files.length - hidden.length,
      });
    }
  }
  shadowed.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { used, shadowed };
}

/** What the deployment ships of the runtime's own packages (the copy imported), and runtime packages that would import a shipped one. */
export function runtimeProvided(used: ReadonlyMap<string, PackageRow>): { shipped: RuntimeProvided[]; mixed: Array<{ runtime: string; imports: string }> } {
  const shipped: RuntimeProvided[] = [];
  const mixed: Array<{ runtime: string; imports: string }> = [];
  for (const p of RUNTIME_PROVIDED) {
    const row = used.get(p.name);
    if (!row) {
      for (const dep of p.imports) if (used.has(dep)) mixed.push({ runtime: p.name, imports: dep });
      continue;
    }
    const owner = row.owner.kind === 'third-party' ? row.owner : null;
    shipped.push({
      name: p.name,
      distribution: owner?.distribution ?? p.distribution,
      version: owner?.version ?? null,
      layer: row.layer,
      path: row.path,
      bytes: row.bytes,
      files: row.files,
    });
  }
  return { shipped, mixed };
}
