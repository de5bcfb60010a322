// The terminal report of `package`: totals against Lambda's limits, size per top-level entry, the largest
// shared objects, strippable files, packages never imported at init, the .pyc check and sys.path.
import { wrap, wrapStyled } from '../util/wrap.js';
import { chalk } from './style.js';
import { compileRecipe } from '../package/pyc.js';
import { STRIP_REASON_TEXT } from '../package/strip.js';
import type { PackageAnalysis, StripReason } from '../package/types.js';
import { bytes, pct, plural } from './format.js';
import type { PackageInput } from './inputs.js';
import type { Renderer } from './renderer.js';
import { loadTables, renderTable } from './text-table.js';

const head = (h: string): string => chalk.bold(h);
const title = (t: string): string => chalk.bold.underline(t);

function where(layer: number | null): string {
  return layer === null ? 'function' : `layer ${layer + 1}`;
}

function more(n: number, what: string): string {
  return n > 0 ? `\n  … ${n} more ${n === 1 ? what : `${what}s`}` : '';
}

/** The report (tables need loadTables() first). */
export function renderPackageReport(a: PackageAnalysis, opts: { top: number }): string {
  const out: string[] = [];
  const top = opts.top;
  const layerNote = a.layers.length > 0 ? ` + ${plural(a.layers.length, 'layer')}` : '';
  out.push(
    `lambda-cold package ${chalk.bold(a.target.display)} (${a.target.type})${layerNote} → python${a.python.label}` +
      ` (${a.python.source === 'runtime' ? '--runtime' : `local interpreter ${a.python.interpreter}`})`,
  );
  const rows: Array<[string, string]> = [];
  rows.push(['Function code', `${bytes(a.target.bytes)} in ${plural(a.target.files, 'file')}${a.target.zippedBytes !== null ? ` (zip ${bytes(a.target.zippedBytes)})` : ''}`]);
  for (const l of a.layers) {
    rows.push([
      `Layer ${l.index + 1}`,
      `${l.display}: ${bytes(l.bytes)} in ${plural(l.files, 'file')}${l.zippedBytes !== null ? ` (zip ${bytes(l.zippedBytes)})` : ''}`,
    ]);
  }
  const lim = a.limits;
  const over = (v: number, limit: number): string => (v >= limit ? chalk.red(' — OVER THE LIMIT') : '');
  rows.push(['Unzipped total', `${bytes(lim.unzippedBytes)} of ${bytes(lim.unzippedLimit)} (${pct(lim.unzippedBytes, lim.unzippedLimit)}), function + layers${over(lim.unzippedBytes, lim.unzippedLimit)}`]);
  rows.push([
    'Zipped upload',
    lim.zippedBytes === null
      ? `a folder: the limit for a direct .zip upload is ${bytes(lim.zippedLimit)} (pass the .zip to check it)`
      : `${bytes(lim.zippedBytes)} of ${bytes(lim.zippedLimit)} (${pct(lim.zippedBytes, lim.zippedLimit)})${over(lim.zippedBytes, lim.zippedLimit)}`,
  ]);
  rows.push(['Strippable', `${bytes(a.strippableBytes)} in ${plural(a.strippable.length, 'file')} (${pct(a.strippableBytes, a.totalBytes)} of the total)`]);
  if (a.neverImported) {
    rows.push([
      'Never imported at init',
      `${bytes(a.neverImported.bytes)} in ${plural(a.neverImported.packages.length, 'top-level package')} (by ${a.neverImported.profile})`,
    ]);
  }
  const bc = a.bytecode;
  const problems = [
    bc.counts.missing ? `${bc.counts.missing} without` : '',
    bc.counts['wrong-magic'] ? `${bc.counts['wrong-magic']} for another Python` : '',
    bc.counts.stale ? `${bc.counts.stale} stale` : '',
    bc.counts.invalid ? `${bc.counts.invalid} unreadable` : '',
  ].filter(Boolean);
  rows.push([
    'Bytecode',
    `${bc.counts.ok} of ${plural(bc.pyFiles, '.py file')} ship a .pyc for Python ${bc.target} (${bc.cacheTag}, magic ${bc.magic})${problems.length ? `; ${problems.join(', ')}` : ''}`,
  ]);
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) out.push(wrap(`  ${k.padEnd(w)}  ${v}`, undefined, ' '.repeat(w + 4)));
  out.push('');

  // sizes per top-level entry
  const pk = a.packages.slice(0, top);
  out.push(title(`Size by top-level entry${a.packages.length > top ? ` (top ${top} of ${a.packages.length})` : ''}`));
  out.push(
    renderTable(
      pk.map((p, i) => [String(i + 1), p.name, p.kind, where(p.layer), bytes(p.bytes), String(p.files), pct(p.bytes, a.totalBytes)]),
      { head: ['#', 'name', 'kind', 'where', 'size', 'files', 'share'], align: ['right', 'left', 'left', 'left', 'right', 'right', 'right'], headStyle: head },
    ),
  );
  out.push('');

  out.push(...whoseAndWhich(a, top));

  if (a.sharedObjects.count > 0) {
    const so = a.sharedObjects.largest.slice(0, top);
    out.push(title(`Largest shared objects (${plural(a.sharedObjects.count, '.so file')}, ${bytes(a.sharedObjects.bytes)})`));
    out.push(
      renderTable(
        so.map((s, i) => [String(i + 1), s.path, where(s.layer), bytes(s.bytes)]),
        { head: ['#', 'path', 'where', 'size'], align: ['right', 'left', 'left', 'right'], headStyle: head },
      ) + more(a.sharedObjects.count - so.length, 'file'),
    );
    out.push('');
  }

  if (a.strippable.length > 0) {
    const byReason = new Map<StripReason, { bytes: number; files: number }>();
    for (const s of a.strippable) {
      const r = byReason.get(s.reason) ?? { bytes: 0, files: 0 };
      r.bytes += s.bytes;
      r.files += 1;
      byReason.set(s.reason, r);
    }
    out.push(title(`Strippable: ${bytes(a.strippableBytes)} in ${plural(a.strippable.length, 'file')}`));
    out.push(
      renderTable(
        [...byReason.entries()].sort((x, y) => y[1].bytes - x[1].bytes).map(([reason, r]) => [bytes(r.bytes), String(r.files), STRIP_REASON_TEXT[reason]]),
        { head: ['size', 'files', 'why'], align: ['right', 'right', 'left'], headStyle: head },
      ),
    );
    const files = a.strippable.slice(0, top);
    out.push('');
    out.push(
      renderTable(
        files.map((s) => [s.path, where(s.layer), bytes(s.bytes), s.reason]),
        { head: ['file', 'where', 'size', 'reason'], align: ['left', 'left', 'right', 'left'], headStyle: head },
      ) + more(a.strippable.length - files.length, 'file') + (a.strippable.length > files.length ? ' (all of them with --json)' : ''),
    );
    out.push('');
  }

  if (a.neverImported) {
    const n = a.neverImported;
    out.push(title(`Shipped but never imported at init (${n.profile}: ${plural(n.importedTopLevel, 'top-level name')} imported)`));
    if (n.packages.length === 0) out.push('  none: every top-level package shipped is imported by the handler at init.');
    else {
      const rowsN = n.packages.slice(0, top);
      out.push(
        renderTable(
          rowsN.map((p) => [p.name, p.kind, where(p.layer), bytes(p.bytes), String(p.files), n.importedAtInvoke.includes(p.name) ? 'imported at the first request' : '']),
          {
            head: ['name', 'kind', 'where', 'size', 'files', ...(n.importedAtInvoke.length > 0 ? ['note'] : [])],
            align: ['left', 'left', 'left', 'right', 'right', 'left'],
            headStyle: head,
          },
        ) + more(n.packages.length - rowsN.length, 'package'),
      );
      out.push(wrapStyled('  Not imported at init: candidates to drop, or imported later (inside the handler, at the first request).', (l) => chalk.dim(l)));
    }
    out.push('');
  }

  out.push(title(`Bytecode for Python ${bc.target} (__pycache__/*.${bc.cacheTag}.pyc, magic ${bc.magic})`));
  if (bc.modules) {
    const mods = bc.modules;
    const bad = mods.filter((m) => m.status !== 'ok' && m.status !== 'extension');
    out.push(`  ${plural(mods.length, 'imported module')} found in the deployment: ${mods.length - bad.length} ready, ${bad.length} compiled from source at every cold start.`);
    const shown = [...bad, ...mods.filter((m) => m.status === 'ok' || m.status === 'extension')].slice(0, top);
    if (shown.length > 0) {
      out.push(
        renderTable(
          shown.map((m) => [m.module, where(m.layer), m.status, m.note ?? m.pyc ?? '']),
          { head: ['module', 'where', '.pyc', 'note'], align: ['left', 'left', 'left', 'left'], headStyle: head },
        ) + more(mods.length - shown.length, 'module'),
      );
    }
  } else {
    const missing = bc.packages.filter((p) => p.withPyc < p.pyFiles);
    if (bc.pyFiles === 0) out.push('  no .py files on the runtime\'s sys.path.');
    else if (missing.length === 0) out.push(`  every .py file ships a .pyc for Python ${bc.target}.`);
    else {
      const shown = missing.slice(0, top);
      out.push(
        renderTable(
          shown.map((p) => [p.name, where(p.layer), String(p.pyFiles), String(p.withPyc)]),
          { head: ['package', 'where', '.py files', 'with .pyc'], align: ['left', 'left', 'right', 'right'], headStyle: head },
        ) + more(missing.length - shown.length, 'package'),
      );
    }
    out.push(wrapStyled('  Pass --profile-json <file> or --handler <module> to check each module the handler imports.', (l) => chalk.dim(l)));
  }
  if (bc.counts.ok < bc.pyFiles) {
    out.push(
      chalk.dim(
        `  /var/task and /opt are read-only: a module without a matching .pyc is compiled at every cold start. Build them with Python ${bc.target}: ${compileRecipe(bc.target)}.`,
      ),
    );
  }
  out.push('');

  out.push(title('sys.path added for the code (Lambda order)'));
  const sp = a.sysPath.map((s) => [s.entry, s.layers.length === 0 ? 'function code' : s.layers.map((i) => `layer ${i + 1}`).join(', ')]);
  out.push(renderTable(sp, { head: ['entry', 'from'], align: ['left', 'left'], headStyle: head }));
  return out.join('\n');
}

/** Whose code is shipped, which copy the runtime imports, what the runtime already provides, what Lambda cannot import. */
function whoseAndWhich(a: PackageAnalysis, top: number): string[] {
  const out: string[] = [];
  const dists = new Map<string, { name: string; version: string; where: string; tops: string[]; bytes: number }>();
  for (const p of a.packages) {
    if (p.owner.kind !== 'third-party' || !p.importable) continue;
    const key = `${p.owner.distribution}\0${p.owner.version ?? ''}\0${p.layer ?? 'f'}`;
    const d = dists.get(key) ?? { name: p.owner.distribution, version: p.owner.version ?? '?', where: where(p.layer), tops: [], bytes: 0 };
    if (p.kind !== 'metadata') d.tops.push(p.kind === 'package' ? `${p.name}/` : p.name);
    d.bytes += p.bytes;
    dists.set(key, d);
  }
  if (dists.size > 0) {
    const list = [...dists.values()].sort((x, y) => y.bytes - x.bytes || (x.name < y.name ? -1 : 1));
    const shown = list.slice(0, top);
    const third = list.reduce((s, d) => s + d.bytes, 0);
    const names = new Set(list.map((d) => d.name)).size;
    const copies = list.length > names ? ` in ${plural(list.length, 'copy', 'copies')}` : '';
    out.push(title(`Third-party code: ${plural(names, 'distribution')}${copies}, ${bytes(third)} (${pct(third, a.totalBytes)})`));
    out.push(
      renderTable(
        shown.map((d) => [d.name, d.version, d.where, d.tops.join(' '), bytes(d.bytes)]),
        { head: ['distribution', 'version', 'where', 'top-level', 'size'], align: ['left', 'left', 'left', 'left', 'right'], headStyle: head },
      ) + more(list.length - shown.length, 'distribution'),
    );
    out.push(wrapStyled('  From the installation records shipped beside them (*.dist-info RECORD, top_level.txt); everything else is counted as your code.', (l) => chalk.dim(l)));
    out.push('');
  }
  if (a.shadowed.length > 0) {
    out.push(title(`Shadowed copies: ${plural(a.shadowed.length, 'copy', 'copies')}, ${bytes(a.shadowedBytes)} never imported`));
    const shown = a.shadowed.slice(0, top);
    out.push(
      renderTable(
        shown.map((c) => [
          c.name,
          `${where(c.used.layer)}: ${c.used.path}`,
          `${where(c.shadowed.layer)}: ${c.shadowed.path}`,
          bytes(c.bytes),
          c.mixedFiles > 0 ? `${plural(c.mixedFiles, 'file')} of it still mixed in` : '',
        ]),
        { head: ['name', 'imported', 'shadowed', 'wasted', 'note'], align: ['left', 'left', 'left', 'right', 'left'], headStyle: head },
      ) + more(a.shadowed.length - shown.length, 'row'),
    );
    out.push(
      chalk.dim(
        `  sys.path is ${a.sysPath.map((s) => s.entry).join(', ')}: the first entry holding a name wins, and a later layer is extracted over an earlier one. Drop the shadowed copy, or check that the copy imported is the version you test with.`,
      ),
    );
    out.push('');
  }
  if (a.runtimeProvided.length > 0) {
    const total = a.runtimeProvided.reduce((s, r) => s + r.bytes, 0);
    out.push(title(`Also provided by the python${a.python.label} runtime: ${a.runtimeProvided.map((r) => r.name).join(', ')} (${bytes(total)} shipped)`));
    out.push(
      renderTable(
        a.runtimeProvided.map((r) => [r.name, r.distribution, r.version ?? '?', `${where(r.layer)}: ${r.path}`, bytes(r.bytes)]),
        { head: ['name', 'distribution', 'version', 'shipped in', 'size'], align: ['left', 'left', 'left', 'left', 'right'], headStyle: head },
      ),
    );
    out.push(
      chalk.dim(
        "  The runtime ships boto3 and its dependencies; the shipped copies win (the task root and /opt come before the runtime's own site-packages). Shipping them pins their versions, a sound reason to keep them; without that need, leaving them out saves their size.",
      ),
    );
    for (const m of a.runtimeMixed) {
      out.push(chalk.dim(`  The runtime's own ${m.runtime} (not shipped) imports the shipped ${m.imports}, not the runtime's: ship ${m.runtime} too, or leave ${m.imports} out, so that both come from one place.`));
    }
    out.push('');
  }
  const unreachable = a.packages.filter((p) => p.notImportable === 'layer-root');
  if (unreachable.length > 0) {
    out.push(title(`Not importable on Lambda: ${plural(unreachable.length, 'entry', 'entries')} at a layer's root`));
    out.push(
      renderTable(
        unreachable.slice(0, top).map((p) => [p.path, p.kind, where(p.layer), bytes(p.bytes), `put it under python/: python/${p.path}`]),
        { head: ['path', 'kind', 'where', 'size', 'fix'], align: ['left', 'left', 'left', 'right', 'left'], headStyle: head },
      ) + more(unreachable.length - Math.min(unreachable.length, top), 'row'),
    );
    out.push(wrapStyled('  Lambda extracts a layer to /opt and puts only /opt/python and /opt/python/lib/pythonX.Y/site-packages on sys.path, never /opt itself.', (l) => chalk.dim(l)));
    out.push('');
  }
  return out;
}

export const renderer: Renderer<PackageInput> = {
  async render({ analysis, top }, sink) {
    await loadTables();
    sink.write(renderPackageReport(analysis, { top }));
  },
};
