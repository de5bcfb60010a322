// `invoke` as a terminal report: the per-invocation table, the summary, the cost and the notes.
import { chalk } from './style.js';
import { billedMs, INIT_BILLING_NOTE, usd, type CostLine } from '../analysis/cost.js';
import type { InvokeSummary, Percentiles } from '../analysis/invoke-stats.js';
import { isSnapStartRestore, type InvocationRecord } from '../model/invocation.js';
import type { InvokeReport } from './inputs.js';
import type { Renderer } from './renderer.js';
import { loadTables, renderTable } from './text-table.js';

const fmt = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined ? '-' : x.toFixed(digits));

/** How many environments the run saw, and how it knows: "3 environments seen in the log streams". */
export function environmentsText(s: Pick<InvokeSummary, 'environments' | 'environmentsFrom'>): string {
  return s.environmentsFrom === 'log-streams'
    ? `${s.environments} environment${s.environments === 1 ? '' : 's'} seen in the log streams`
    : `${s.environments} new environment${s.environments === 1 ? '' : 's'} (one per cold start)`;
}

/** The short id of an environment: the 32-hex tail of its log stream, first 8 characters. */
export function shortStream(stream: string | null): string {
  if (!stream) return '-';
  const m = /\]([0-9a-f]{8,})$/i.exec(stream);
  return m ? (m[1] as string).slice(0, 8) : stream.length > 12 ? `…${stream.slice(-11)}` : stream;
}

function kindCell(r: InvocationRecord): string {
  switch (r.kind) {
    case 'cold':
      return isSnapStartRestore(r) ? chalk.cyan('restore') : chalk.cyan('cold');
    case 're-init':
      return chalk.magenta('re-init');
    case 'warm':
      return 'warm';
    default:
      // No REPORT at all (never arrived): all that is known is how it ended.
      return r.status === 'success' ? chalk.yellow('?') : chalk.red(r.status);
  }
}

function statusCell(r: InvocationRecord): string {
  if (r.status === 'success') return chalk.green('ok');
  const what = r.status === 'timeout' ? 'timeout' : 'error';
  return chalk.red(r.errorType ? `${what} ${r.errorType}` : what);
}

const signed = (x: number): string => `${x >= 0 ? '+' : '−'}${fmt(Math.abs(x))}`;

/** A figure set with its n: the values themselves below FEW_VALUES, percentiles from there on. */
export function stat(p: Percentiles | null, withSign = false): string {
  if (!p) return '- (n=0)';
  const f = withSign ? signed : (x: number): string => fmt(x);
  if (p.values) return `n=${p.n}: ${p.values.map(f).join(', ')}`;
  return `p50 ${f(p.p50)}  p90 ${f(p.p90)}  p99 ${f(p.p99)}  max ${f(p.max)}  (n=${p.n})`;
}

/** The report (tables need loadTables() first). */
export function renderInvokeTable(report: InvokeReport): string {
  const out: string[] = [];
  const fn = report.function;
  out.push(
    chalk.bold(`${fn.functionName}${fn.qualifier ? `:${fn.qualifier}` : ''}`) +
      `  ${fn.runtime ?? fn.packageType ?? 'unknown runtime'} · ${fn.memorySizeMB} MB · ${fn.architecture} · ${fn.logFormat} logs in ${fn.logGroup} · ${report.region}`,
  );
  if (report.forced.cold) {
    out.push(`--cold: ${report.forced.updates} configuration update${report.forced.updates === 1 ? '' : 's'} for ${report.summary.cold.count} cold sample${report.summary.cold.count === 1 ? '' : 's'}; environment ${report.forced.restore}`);
  }
  out.push('');
  const rows = report.invocations.map((r) => [
    String(r.index),
    kindCell(r),
    shortStream(r.logStream),
    r.pid === null ? '-' : String(r.pid),
    fmt(isSnapStartRestore(r) ? r.restoreDurationMs : r.initDurationMs),
    fmt(r.durationMs),
    r.billedDurationMs === null ? '-' : String(billedMs(r)),
    r.maxMemoryUsedMB === null ? '-' : `${r.maxMemoryUsedMB} MB`,
    statusCell(r),
  ]);
  out.push(
    renderTable(rows, {
      head: ['#', 'start', 'env', 'PID', 'init/restore ms', 'duration ms', 'billed ms', 'max mem', 'status'],
      align: ['right', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
      headStyle: (h) => chalk.bold(h),
    }),
  );
  const s = report.summary;
  out.push('');
  out.push(chalk.bold('Summary'));
  if (report.interrupted) out.push(chalk.yellow(`  interrupted after ${s.count} of ${s.requested} invocations`));
  const envs = environmentsText(s);
  out.push(
    `  cold starts     ${s.cold.count} of ${s.count} (${(s.cold.rate * 100).toFixed(0)} %)` +
      (s.cold.restore.count ? `, ${s.cold.restore.count} of them SnapStart restores` : '') +
      `; ${s.warm.count + s.warm.failed} warm` +
      (s.reinit.count ? `, ${s.reinit.count} re-init` : '') +
      (s.unknown ? `, ${s.unknown} unknown (no REPORT)` : '') +
      `; ${envs}`,
  );
  if (s.errors || s.timeouts) out.push(`  failures        ${s.errors} error(s), ${s.timeouts} timeout(s)`);
  if (s.cold.initDurationMs || !s.cold.restore.count) out.push(`  init ms         ${stat(s.cold.initDurationMs)}`);
  if (s.cold.restore.count) out.push(`  restore ms      ${stat(s.cold.restore.restoreDurationMs)}   (SnapStart)`);
  out.push(`  cold total ms   ${stat(s.cold.totalMs)}   (${s.cold.restore.count ? 'init or restore' : 'init'} + duration)`);
  out.push(`  warm ms         ${stat(s.warm.durationMs)}   (successful warm only${s.warm.failed ? `; ${s.warm.failed} failed warm apart` : ''})`);
  out.push(
    `  cold penalty    ${s.coldPenaltyMs ? `${stat(s.coldPenaltyMs, true)}   (each cold start's total − the warm median)` : '- (needs successful cold and warm samples)'}`,
  );
  if (s.reinit.count) {
    out.push(
      `  re-inits        ${s.reinit.count} after a timeout or crash (not cold starts); init ${stat(s.reinit.initDurationMs)}` +
        (s.reinit.errors || s.reinit.timeouts ? `; ${s.reinit.errors} error(s), ${s.reinit.timeouts} timeout(s)` : ''),
    );
  }
  const c = s.cost;
  out.push(`  cost            per invocation     per million   billed ms   (${c.architecture}, ${c.memorySizeMB} MB, $${c.pricePerGbSecond}/GB-s)`);
  const costRow = (label: string, l: CostLine): string =>
    `    ${label.padEnd(12)}  ${usd(l.perInvocationUsd, 10).padStart(14)}  ${usd(l.perMillionUsd, 4).padStart(12)}  ${String(l.billedMs).padStart(10)}   n=${l.count}`;
  out.push(costRow('cold', c.cold));
  out.push(costRow('warm', c.warm));
  if (s.reinit.count) out.push(costRow('re-init', c.reinit));
  out.push(costRow('all', c.total) + `   total ${usd(c.total.usd, 10)}`);
  out.push(chalk.dim(`    ${INIT_BILLING_NOTE}`));
  for (const p of s.repeatedPids) {
    out.push(chalk.yellow(`  PID ${p.pid} appeared in ${p.environments} different environments: a repeated PID is not evidence of a warm start.`));
  }
  if (report.notes.length) {
    out.push('');
    out.push(chalk.bold('Notes'));
    for (const n of report.notes) out.push(`  - ${n}`);
  }
  return `${out.join('\n')}\n`;
}

export const renderer: Renderer<InvokeReport> = {
  async render(report, sink) {
    await loadTables();
    sink.write(renderInvokeTable(report));
  },
};
