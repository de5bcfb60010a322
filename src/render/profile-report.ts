// The terminal report of `profile`: a summary, the slowest imports by cumulative and by self time,
// and the cost by top-level package. Colour only when stdout is a colour terminal (chalk's detection
// honours NO_COLOR, FORCE_COLOR and non-TTY output).
import { chalk } from './style.js';
import type { ModuleStat } from '../importtime/aggregate.js';
import { statTree } from '../importtime/aggregate.js';
import type { ProfileSession } from '../importtime/session.js';
import { statementsByModule } from '../importtime/statements.js';
import { adviceGain, usAsMs, pct, plural } from './format.js';
import { topK } from '../analysis/topk.js';
import { renderGateSection } from './gate-report.js';
import type { ProfileInput, ProfileRenderOptions } from './inputs.js';
import type { Renderer } from './renderer.js';
import { loadTables, renderTable } from './text-table.js';
import { fromStatNodes, renderTree } from './tree.js';
import { comparisonSection, remoteHeading, remoteNote, remoteRows } from './remote-text.js';
import { wrap, wrapStyled } from '../util/wrap.js';
import type { Advice } from '../analysis/advice/types.js';

function heat(text: string, share: number): string {
  if (share >= 0.2) return chalk.red(text);
  if (share >= 0.05) return chalk.yellow(text);
  return text;
}

function spread(us: { median: number; min: number; max: number; n: number }): string {
  return us.n > 1 ? `${usAsMs(us.median)} ms  (min ${usAsMs(us.min)}, max ${usAsMs(us.max)})` : `${usAsMs(us.median)} ms`;
}

function moduleTable(title: string, rows: readonly ModuleStat[], totalUs: number, key: 'cumulative' | 'self'): string {
  const body = rows.map((m, i) => {
    const v = key === 'cumulative' ? m.cumulativeUs.median : m.selfUs.median;
    const share = totalUs > 0 ? v / totalUs : 0;
    return [
      String(i + 1),
      heat(m.name, share),
      usAsMs(m.cumulativeUs.median),
      usAsMs(m.selfUs.median),
      pct(v, totalUs),
      chalk.dim(m.package),
    ];
  });
  const t = renderTable(body, {
    head: ['#', 'module', 'cum ms', 'self ms', 'share', 'package'],
    align: ['right', 'left', 'right', 'right', 'right', 'left'],
    headStyle: (h) => chalk.bold(h),
  });
  return `${chalk.bold.underline(title)}\n${t}\n`;
}

/** The report (tables need loadTables() first). */
export function renderProfileReport(session: ProfileSession, advice: readonly Advice[], opts: ProfileRenderOptions): string {
  const agg = session.aggregate;
  const total = agg.totalUs.median;
  const out: string[] = [];
  const live = agg.modules.filter((m) => !m.cached);

  // Summary
  const head =
    session.source === 'remote'
      ? remoteHeading(session)
      : session.source === 'run'
      ? `lambda-cold profile ${chalk.bold(session.target?.display ?? '')} → import ${session.target?.module}`
      : `lambda-cold profile --from-file ${session.files.join(' ')}`;
  out.push(wrap(head, undefined, '    '));
  const rows: Array<[string, string]> = [];
  if (session.python) {
    rows.push([
      'Python',
      `${session.python.version} (${session.python.implementation}, ${session.python.executable}${session.python.viaShim ? `, resolved from ${session.python.requested}` : ''})`,
    ]);
  }
  if (session.source === 'run') {
    const warm = session.warmup === 0 ? 'no warm-up (bytecode cache already warm)' : plural(session.warmup, 'warm-up');
    rows.push(['Runs', `${agg.runs} measured in fresh interpreters, ${warm}; bytecode: ${session.bytecode}`]);
    if (session.target && session.target.layers.length > 0) {
      rows.push(['Layers', `${session.target.layers.join(', ')} (${plural(session.target.layerPaths.length, 'sys.path entry', 'sys.path entries')})`]);
    }
  } else if (session.source === 'remote') {
    rows.push(...remoteRows(session));
  } else {
    rows.push(['Files', `${plural(agg.runs, 'capture')} (each read as one run)`]);
  }
  if (session.startup) {
    rows.push([
      'Interpreter start-up',
      `${usAsMs(session.startup.totalUs.median)} ms in ${plural(session.startup.moduleCount, 'module')} (site, encodings, .pth files) — not charged to the handler`,
    ]);
  }
  if (session.bootstrap && session.bootstrap.moduleCount > 0) {
    rows.push(['Runtime bootstrap', `${usAsMs(session.bootstrap.totalUs.median)} ms (json, logging, traceback… already loaded by Lambda's bootstrap) — not charged`]);
  }
  rows.push([session.source === 'run' ? 'Handler import (init)' : session.source === 'remote' ? 'Imports at init' : 'Import total', chalk.bold(spread(agg.totalUs)) + (agg.runs > 1 ? `, MAD ±${usAsMs(agg.totalUs.mad)} ms` : '')]);
  const st = session.statements;
  if (st) {
    const how = st.overhead.cachedAt
      ? `by an earlier attribution run (${st.tracer}; no loaded file changed since), scaled to these runs`
      : `by one more run (${st.tracer}, not measured): ${st.overhead.ratio.toFixed(1)}× a measured run's wall time`;
    rows.push(['Statements', `timed in ${plural(st.modules.length, 'module')} of yours ${how}${opts.tree && !opts.lines ? '; --lines shows them in the tree' : ''}`]);
  }
  const inv = session.invocation;
  if (inv) {
    rows.push([
      'First invoke',
      `${chalk.bold(`${usAsMs(inv.firstUs.median)} ms`)} (${inv.handler}${inv.eventFile ? ` with ${inv.eventFile}` : ', event {}'})` +
        (inv.imports.modules.length > 0
          ? `, of which ${usAsMs(inv.imports.totalUs.median)} ms importing ${plural(inv.imports.modules.filter((m) => !m.parent).length, 'module')} it deferred`
          : ''),
    ]);
    if (inv.warmUs.n > 0) rows.push(['Warm invokes', `${usAsMs(inv.warmUs.median)} ms median of ${inv.warmUs.n} (min ${usAsMs(inv.warmUs.min)}, max ${usAsMs(inv.warmUs.max)})`]);
  }
  const bc = session.bytecodeComparison;
  if (bc) {
    // within the runs' own spread, a difference is not a saving
    const noise = 2 * (bc.cachedUs.mad + bc.compileUs.mad);
    const verdict =
      bc.savingUs > Math.max(1000, noise)
        ? `shipping .pyc saves ${chalk.bold(`${usAsMs(bc.savingUs)} ms`)} (${pct(bc.savingUs, bc.compileUs.median)})`
        : `no measurable saving from shipping .pyc (the ${usAsMs(bc.savingUs)} ms difference is within the runs' spread)`;
    rows.push(['Without .pyc', `${chalk.bold(`${usAsMs(bc.compileUs.median)} ms`)} handler import when the task root and layers compile from source: ${verdict}`]);
  }
  if (session.runtime) rows.push(['Runtime', session.runtime]);
  rows.push(['Modules', `${live.length} imported (${plural(session.packages.length, 'top-level package')})`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out.push(wrap(`  ${chalk.dim(k.padEnd(width))}  ${v}`, undefined, ' '.repeat(width + 4)));
  if (session.source === 'remote') out.push(wrapStyled(`  ${remoteNote()}`, (l) => chalk.dim(l), undefined, '  '));
  out.push('');

  if (live.length === 0) {
    out.push('The handler imported no module that was not already loaded.');
    return `${out.join('\n')}\n`;
  }

  const byCum = topK(live, opts.top, (m) => m.cumulativeUs.median);
  const bySelf = topK(live, opts.top, (m) => m.selfUs.median);
  out.push(moduleTable(`Slowest imports by cumulative time (top ${byCum.length})`, byCum, total, 'cumulative'));
  out.push(moduleTable(`Slowest imports by self time (top ${bySelf.length})`, bySelf, total, 'self'));

  const pk = renderTable(
    session.packages.slice(0, opts.top).map((p) => {
      const share = total > 0 ? p.selfUs / total : 0;
      return [heat(p.name, share), chalk.dim(p.origin), usAsMs(p.selfUs), pct(p.selfUs, total), usAsMs(p.cumulativeUs), String(p.moduleCount)];
    }),
    {
      head: ['package', 'origin', 'self ms', 'share', 'import ms', 'modules'],
      align: ['left', 'left', 'right', 'right', 'right', 'right'],
      headStyle: (h) => chalk.bold(h),
    },
  );
  const morePk = session.packages.length > opts.top ? chalk.dim(`  … ${session.packages.length - opts.top} more packages\n`) : '';
  out.push(
    `${chalk.bold.underline('Cost by top-level package')} ${chalk.dim('(self: its own modules; import: with what it pulled in)')}\n${pk}\n${morePk}`,
  );

  const compared = comparisonSection(session, opts.top);
  if (compared) out.push(compared);

  if (inv && inv.imports.modules.length > 0) {
    const deferred = topK(
      inv.imports.modules.filter((m) => !m.cached),
      opts.top,
      (m) => m.cumulativeUs.median,
    );
    out.push(moduleTable('Imports during the first invoke (deferred: the first request pays for them)', deferred, inv.firstUs.median, 'cumulative'));
    out.push(
      wrapStyled(
        `Moving an import into the handler moves its cost from init to the first request (here ${usAsMs(inv.imports.totalUs.median)} ms of the first call's ${usAsMs(inv.firstUs.median)} ms); it does not remove it.\n`,
        (l) => chalk.dim(l),
      ),
    );
  }

  if (bc && bc.packages.length > 0) {
    const t = renderTable(
      bc.packages.slice(0, opts.top).map((p) => [p.name, chalk.dim(p.origin), usAsMs(p.cachedUs), usAsMs(p.compileUs), usAsMs(p.savingUs)]),
      { head: ['package', 'origin', 'with .pyc ms', 'compiling ms', 'saving ms'], align: ['left', 'left', 'right', 'right', 'right'], headStyle: (h) => chalk.bold(h) },
    );
    out.push(`${chalk.bold.underline('What shipping .pyc saves, per package')} ${chalk.dim('(self time; the standard library keeps its bytecode in both)')}\n${t}\n`);
  }

  if (advice.length > 0) {
    out.push(chalk.bold.underline('Advice'));
    advice.forEach((a, i) => {
      const g = adviceGain(a);
      const gain = g.tone === 'keep' ? chalk.dim(g.text) : g.tone === 'still' ? chalk.yellow(g.text) : chalk.green(g.text);
      out.push(` ${i + 1}. ${chalk.bold(`${a.file}:${a.line}`)}  ${gain}  ${chalk.dim(`[${a.kind}]`)}`);
      out.push(wrap(`    ${a.message}`));
    });
    out.push('');
  }

  if (opts.tree) {
    out.push(chalk.bold.underline('Import tree'));
    out.push(
      renderTree(fromStatNodes(statTree(agg.modules), opts.lines && session.statements ? statementsByModule(session.statements) : undefined), {
        maxDepth: opts.maxDepth,
        minUs: opts.minMs === undefined ? undefined : opts.minMs * 1000,
        paint: heat,
        dim: (t) => chalk.dim(t),
      }),
    );
  }

  if (session.missing.length > 0) {
    const names = [...new Set(session.missing)];
    out.push(
      wrapStyled(
        `Tried and not found (optional dependencies probed at import): ${names.slice(0, 12).join(', ')}${names.length > 12 ? ` … ${names.length - 12} more` : ''}`,
        (l) => chalk.dim(l),
      ),
    );
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** `profile`'s terminal report, with the gate's section when a gate has checks. */
export const renderer: Renderer<ProfileInput> = {
  async render({ session, advice, gate, options }, sink) {
    await loadTables();
    const report = renderProfileReport(session, advice, options);
    sink.write(gate && gate.checks.length > 0 ? `${report}\n${renderGateSection(gate, { top: Math.min(options.top, 10) })}` : report);
  },
};
