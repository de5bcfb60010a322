// `invoke` as a terminal report: the per-invocation table, the summary, the cost and the notes.
import { chalk } from './style.js';
import type { Percentiles } from '../analysis/invoke-stats.js';
import type { InvocationRecord } from '../model/invocation.js';
import type { InvokeReport } from './inputs.js';
import type { Renderer } from './renderer.js';
import { loadTables, renderTable } from './text-table.js';

const fmt = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined ? '-' : x.toFixed(digits));

/** The short id of an environment: the 32-hex tail of its log stream, first 8 characters. */
export function shortStream(stream: string | null): string {
  if (!stream) return '-';
  const m = /\]([0-9a-f]{8,})$/i.exec(stream);
  return m ? (m[1] as string).slice(0, 8) : stream.length > 12 ? `…${stream.slice(-11)}` : stream;
}

function kindCell(r: InvocationRecord): string {
  switch (r.kind) {
    case 'cold':
      return chalk.cyan('cold');
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

const percentile = (p: Percentiles | null, key: keyof Percentiles): string => (p ? fmt(p[key]) : '-');

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
    fmt(r.restoreDurationMs !== null && r.initDurationMs === null ? r.restoreDurationMs : r.initDurationMs),
    fmt(r.durationMs),
    r.billedDurationMs === null ? '-' : String(r.billedDurationMs),
    r.maxMemoryUsedMB === null ? '-' : `${r.maxMemoryUsedMB} MB`,
    statusCell(r),
  ]);
  out.push(
    renderTable(rows, {
      head: ['#', 'start', 'env', 'PID', 'init ms', 'duration ms', 'billed ms', 'max mem', 'status'],
      align: ['right', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
      headStyle: (h) => chalk.bold(h),
    }),
  );
  const s = report.summary;
  out.push('');
  out.push(chalk.bold('Summary'));
  out.push(
    `  cold starts     ${s.cold.count} of ${s.count} (${(s.cold.rate * 100).toFixed(0)} %)` +
      (s.reinit ? `, ${s.reinit} suppressed re-init` : '') +
      `; ${s.environments} environment${s.environments === 1 ? '' : 's'} seen` +
      (s.errors || s.timeouts ? `; ${s.errors} error(s), ${s.timeouts} timeout(s)` : ''),
  );
  out.push(`  init ms         p50 ${percentile(s.cold.initDurationMs, 'p50')}  p90 ${percentile(s.cold.initDurationMs, 'p90')}  p99 ${percentile(s.cold.initDurationMs, 'p99')}  max ${percentile(s.cold.initDurationMs, 'max')}`);
  out.push(`  cold total ms   p50 ${percentile(s.cold.totalMs, 'p50')}  p90 ${percentile(s.cold.totalMs, 'p90')}   (init + duration)`);
  out.push(`  warm ms         p50 ${percentile(s.warm.durationMs, 'p50')}  p90 ${percentile(s.warm.durationMs, 'p90')}   (${s.warm.count} warm)`);
  out.push(`  cold penalty    ${s.coldPenaltyMs ? `p50 +${fmt(s.coldPenaltyMs.p50)} ms  p90 +${fmt(s.coldPenaltyMs.p90)} ms` : '- (needs cold and warm samples)'}`);
  const c = s.cost;
  const perMillion = (x: number | null): string => (x === null ? '-' : `$${(x * 1e6).toFixed(2)}`);
  const initPerCold = s.cold.count ? c.initUsd / s.cold.count : null;
  out.push(
    `  cold cost       ${perMillion(c.perColdStartUsd)} per million cold starts (INIT ${perMillion(initPerCold)} of it)` +
      `; a warm invocation ${perMillion(c.warmPerInvocationUsd)} per million`,
  );
  out.push(
    chalk.dim(
      `                  these ${s.cold.count}: ${c.coldBilledMs} billed ms × ${c.memorySizeMB} MB = $${c.coldUsd.toPrecision(3)} at $${c.pricePerGbSecond}/GB-s (${c.architecture}), INIT billed`,
    ),
  );
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
