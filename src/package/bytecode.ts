// The .pyc check: does each .py on the runtime's sys.path ship the bytecode the runtime would load
// (__pycache__/<name>.<cache tag>.pyc with the runtime's magic number, not stale)? Otherwise the runtime
// compiles the source at every cold start, /var/task being read-only. Pure: the .pyc headers it judges
// are read beforehand (inventory.ts's readPycHeads, for the paths pycFilesWanted names).
import { placeFiles, runtimeView, topLevelName, type Placed, type RuntimeView } from './layout.js';
import { parsePycHeader, versionOfMagic, type PythonTarget } from './pyc.js';
import type { BytecodeCheck, Listing, ModulePyc, PycHeads, PycStatus } from './types.js';

function pycPathFor(sourcePath: string, t: PythonTarget): string {
  const slash = sourcePath.lastIndexOf('/');
  const dir = slash < 0 ? '' : sourcePath.slice(0, slash + 1);
  const stem = sourcePath.slice(slash + 1, -3);
  return `${dir}__pycache__/${stem}.${t.cacheTag}.pyc`;
}

/** Index of a file's listing in [function, ...layers]. */
const listingIndex = (layer: number | null): number => (layer === null ? 0 : layer + 1);

function sourcesOf(view: RuntimeView): Placed[] {
  return [...view.files.values()].filter((p) => p.rel.endsWith('.py'));
}

/** Per listing ([function, ...layers]): the .pyc files the check reads the first bytes of. */
export function pycFilesWanted(fn: Listing, layers: readonly Listing[], t: PythonTarget): string[][] {
  const listings = [fn, ...layers];
  const present = listings.map((l) => new Set(l.files.map((f) => f.path)));
  const wanted: string[][] = listings.map(() => []);
  for (const p of sourcesOf(runtimeView(placeFiles(fn, layers, t)))) {
    const i = listingIndex(p.layer);
    const pyc = pycPathFor(p.file.path, t);
    if (present[i]?.has(pyc)) wanted[i]?.push(pyc);
  }
  return wanted;
}

interface PycVerdict {
  status: PycStatus;
  pyc: string;
  magic: number | null;
  note: string | null;
}

function judgePyc(source: Placed['file'], pycPath: string, head: Buffer | undefined, t: PythonTarget): PycVerdict {
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

/**
 * Every .py on sys.path judged, counted per status and per top-level package; with a profile, each of
 * its modules found in the deployment (in sys.path order: package, module, extension).
 */
export function checkBytecode(view: RuntimeView, roots: readonly string[], heads: PycHeads, t: PythonTarget, profiled: readonly string[] | null): BytecodeCheck {
  const sources = sourcesOf(view);
  const verdicts = new Map<Placed, PycVerdict>();
  const counts: Record<PycStatus, number> = { ok: 0, missing: 0, 'wrong-magic': 0, stale: 0, invalid: 0 };
  const perPackage = new Map<string, { name: string; layer: number | null; pyFiles: number; withPyc: number }>();
  for (const p of sources) {
    const pyc = pycPathFor(p.file.path, t);
    const v = judgePyc(p.file, pyc, heads[listingIndex(p.layer)]?.get(pyc), t);
    verdicts.set(p, v);
    counts[v.status] += 1;
    const name = topLevelName(p.rel);
    const key = `${p.layer ?? 'f'}\0${p.prefix}\0${name}`;
    const pk = perPackage.get(key) ?? { name, layer: p.layer, pyFiles: 0, withPyc: 0 };
    pk.pyFiles += 1;
    if (v.status === 'ok') pk.withPyc += 1;
    perPackage.set(key, pk);
  }
  return {
    target: t.label,
    cacheTag: t.cacheTag,
    magic: t.magic,
    pyFiles: sources.length,
    counts,
    packages: [...perPackage.values()].sort((a, b) => b.pyFiles - b.withPyc - (a.pyFiles - a.withPyc) || (a.name < b.name ? -1 : 1)),
    modules: profiled ? profiledModules(profiled, view, roots, verdicts) : null,
  };
}

function profiledModules(names: readonly string[], view: RuntimeView, roots: readonly string[], verdicts: ReadonlyMap<Placed, PycVerdict>): ModulePyc[] {
  const modules: ModulePyc[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const rel = name.split('.').join('/');
    let found: { p: Placed; ext: boolean } | null = null;
    for (const root of roots) {
      const hit = view.files.get(`${root}\0${rel}/__init__.py`) ?? view.files.get(`${root}\0${rel}.py`);
      if (hit) {
        found = { p: hit, ext: false };
        break;
      }
      const ext = view.extensions.get(`${root}\0${rel}`);
      if (ext) {
        found = { p: ext, ext: true };
        break;
      }
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
  return modules;
}
