// The terminal report of `profile`: a summary, the slowest imports by cumulative and by self time,
// and the cost by top-level package. Colour only when stdout is a colour terminal (chalk's detection
// honours NO_COLOR, FORCE_COLOR and non-TTY output).
import chalk from 'chalk';
import Table from 'cli-table3';
import type { ModuleStat } from '../importtime/aggregate.js';
import { statTree } from '../importtime/aggregate.js';
import type { ProfileSession } from '../importtime/session.js';
import { ms, pct, plural } from './format.js';
import { fromStatNodes, renderTree } from './tree.js';

export interface ReportOptions {
  top: number;
  tree: boolean;
  maxDepth?: number;
  minMs?: number;
}

function table(head: string[], align: Array<'left' | 'right'>): Table.Table {
  return new Table({
    head: head.map((h) => chalk.bold(h)),
    colAligns: align,
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '─',
      'mid-mid': '─',
      right: '',
      'right-mid': '',
      middle: ' ',
    },
  }) as Table.Table;
}

function heat(text: string, share: number): string {
  if (share >= 0.2) return chalk.red(text);
  if (share >= 0.05) return chalk.yellow(text);
  return text;
}

function spread(us: { median: number; min: number; max: number; n: number }): string {
  return us.n > 1 ? `${ms(us.median)} ms  (min ${ms(us.min)}, max ${ms(us.max)})` : `${ms(us.median)} ms`;
}

function moduleTable(title: string, rows: readonly ModuleStat[], totalUs: number, key: 'cumulative' | 'self'): string {
  const t = table(['#', 'module', 'cum ms', 'self ms', 'share', 'package'], ['right', 'left', 'right', 'right', 'right', 'left']);
  rows.forEach((m, i) => {
    const v = key === 'cumulative' ? m.cumulativeUs.median : m.selfUs.median;
    const share = totalUs > 0 ? v / totalUs : 0;
    t.push([
      String(i + 1),
      heat(m.name, share),
      ms(m.cumulativeUs.median),
      ms(m.selfUs.median),
      pct(v, totalUs),
      chalk.dim(m.package),
    ]);
  });
  return `${chalk.bold.underline(title)}\n${t.toString()}\n`;
}

export function renderProfileReport(session: ProfileSession, opts: ReportOptions): string {
  const agg = session.aggregate;
  const total = agg.totalUs.median;
  const out: string[] = [];
  const live = agg.modules.filter((m) => !m.cached);

  // Summary
  const head =
    session.source === 'run'
      ? `lambda-cold profile ${chalk.bold(session.target?.display ?? '')} → import ${session.target?.module}`
      : `lambda-cold profile --from-file ${session.files.join(' ')}`;
  out.push(head);
  const rows: Array<[string, string]> = [];
  if (session.python) {
    rows.push([
      'Python',
      `${session.python.version} (${session.python.implementation}, ${session.python.executable}${session.python.viaShim ? `, resolved from ${session.python.requested}` : ''})`,
    ]);
  }
  if (session.source === 'run') {
    rows.push(['Runs', `${agg.runs} measured in fresh interpreters, ${plural(session.warmup, 'warm-up')}; bytecode: ${session.bytecode}`]);
    if (session.target && session.target.layerPaths.length > 0) rows.push(['Layers', session.target.layerPaths.join(', ')]);
  } else {
    rows.push(['Files', `${plural(agg.runs, 'capture')} (each read as one run)`]);
  }
  if (session.startup) {
    rows.push([
      'Interpreter start-up',
      `${ms(session.startup.totalUs.median)} ms in ${plural(session.startup.moduleCount, 'module')} (site, encodings, .pth files) — not charged to the handler`,
    ]);
  }
  if (session.bootstrap && session.bootstrap.moduleCount > 0) {
    rows.push(['Runtime bootstrap', `${ms(session.bootstrap.totalUs.median)} ms (json, logging, traceback… already loaded by Lambda's bootstrap) — not charged`]);
  }
  rows.push([session.source === 'run' ? 'Handler import (init)' : 'Import total', chalk.bold(spread(agg.totalUs)) + (agg.runs > 1 ? `, MAD ±${ms(agg.totalUs.mad)} ms` : '')]);
  rows.push(['Modules', `${live.length} imported (${plural(session.packages.length, 'top-level package')})`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) out.push(`  ${chalk.dim(k.padEnd(width))}  ${v}`);
  out.push('');

  if (live.length === 0) {
    out.push('The handler imported no module that was not already loaded.');
    return `${out.join('\n')}\n`;
  }

  const byCum = [...live].sort((a, b) => b.cumulativeUs.median - a.cumulativeUs.median).slice(0, opts.top);
  const bySelf = [...live].sort((a, b) => b.selfUs.median - a.selfUs.median).slice(0, opts.top);
  out.push(moduleTable(`Slowest imports by cumulative time (top ${byCum.length})`, byCum, total, 'cumulative'));
  out.push(moduleTable(`Slowest imports by self time (top ${bySelf.length})`, bySelf, total, 'self'));

  const pk = table(['package', 'origin', 'self ms', 'share', 'import ms', 'modules'], ['left', 'left', 'right', 'right', 'right', 'right']);
  for (const p of session.packages.slice(0, opts.top)) {
    const share = total > 0 ? p.selfUs / total : 0;
    pk.push([heat(p.name, share), chalk.dim(p.origin), ms(p.selfUs), pct(p.selfUs, total), ms(p.cumulativeUs), String(p.moduleCount)]);
  }
  const morePk = session.packages.length > opts.top ? chalk.dim(`  … ${session.packages.length - opts.top} more packages\n`) : '';
  out.push(
    `${chalk.bold.underline('Cost by top-level package')} ${chalk.dim('(self: its own modules; import: with what it pulled in)')}\n${pk.toString()}\n${morePk}`,
  );

  if (opts.tree) {
    out.push(chalk.bold.underline('Import tree'));
    out.push(
      renderTree(fromStatNodes(statTree(agg.modules)), {
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
      chalk.dim(
        `Tried and not found (optional dependencies probed at import): ${names.slice(0, 12).join(', ')}${names.length > 12 ? ` … ${names.length - 12} more` : ''}`,
      ),
    );
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
