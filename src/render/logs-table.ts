// `logs` as a terminal report: one row per function, ranked by total cold-start time, then re-inits,
// signs of init ahead of traffic, skipped functions and notes.
import { INIT_BILLING_NOTE, usd } from '../analysis/cost.js';
import type { LogsReport, StreamingPercentiles } from './logs-input.js';
import type { Renderer } from './renderer.js';
import { chalk } from './style.js';
import { loadTables, renderTable } from './text-table.js';

const ms = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : x.toFixed(1));
const p = (s: StreamingPercentiles | null, q: 'p50' | 'p90' | 'p99' | 'max'): string => (s ? ms(s[q]) : '-');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function renderLogsTable(report: LogsReport): string {
  const out: string[] = [];
  const span = `${new Date(report.window.start).toISOString()} → ${new Date(report.window.end).toISOString()}`;
  out.push(chalk.bold(`Cold starts in real traffic`) + `  ${report.region} · ${span} · ${report.engine} (${report.engineReason})`);
  out.push('');
  if (report.functions.length === 0) out.push('No function to report.');
  else {
    const rows = report.functions.map((f) => {
      const h = f.history;
      return [
        f.name,
        String(h.invocations),
        String(h.coldStarts),
        h.invocations ? pct(h.coldStartRate) : '-',
        p(h.initDurationMs, 'p50'),
        p(h.initDurationMs, 'p90'),
        p(h.initDurationMs, 'p99'),
        p(h.initDurationMs, 'max'),
        `${p(h.coldDurationMs, 'p50')} / ${p(h.coldDurationMs, 'p99')}`,
        `${p(h.warmDurationMs, 'p50')} / ${p(h.warmDurationMs, 'p99')}`,
        String(h.errors),
        String(h.timeouts),
        String(h.environments),
        ms(h.totalColdStartMs),
        usd(h.coldCostUsd, 6),
      ];
    });
    out.push(
      renderTable(rows, {
        head: ['function', 'invocations', 'cold', 'rate', 'init p50', 'p90', 'p99', 'max', 'cold dur p50/p99', 'warm dur p50/p99', 'errors', 'timeouts', 'envs', 'cold total ms', 'cold cost'],
        align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
        headStyle: (s) => chalk.bold(s),
      }),
    );
    for (const f of report.functions) {
      const h = f.history;
      if (h.reinits > 0) {
        out.push(`${f.name}: ${h.reinits} re-init${h.reinits === 1 ? '' : 's'} (init re-run inside an invoke, not counted as cold)` + (h.reinitInitDurationMs ? `, init p50 ${ms(h.reinitInitDurationMs.p50)} ms max ${ms(h.reinitInitDurationMs.max)} ms` : ''));
      }
      if (h.restores > 0 && h.restoreDurationMs) {
        out.push(`${f.name}: ${h.restores} SnapStart restore${h.restores === 1 ? '' : 's'} (cold), restore p50 ${ms(h.restoreDurationMs.p50)} ms max ${ms(h.restoreDurationMs.max)} ms`);
      }
      if (h.initAhead.provisioned > 0 || h.initAhead.aheadOfTraffic > 0) {
        out.push(
          `${f.name}: init ahead of traffic: ${h.initAhead.provisioned} provisioned-concurrency init${h.initAhead.provisioned === 1 ? '' : 's'}, ` +
            `${h.initAhead.aheadOfTraffic} cold start${h.initAhead.aheadOfTraffic === 1 ? '' : 's'} whose init ended over 1 s before its request (proactive initialisation: nobody waited for it)`,
        );
      }
    }
  }
  for (const s of report.skipped) out.push(chalk.yellow(`skipped ${s.name}: ${s.reason}`));
  out.push('');
  for (const n of [...report.notes, INIT_BILLING_NOTE]) out.push(chalk.dim(n));
  return `${out.join('\n')}\n`;
}

export const renderer: Renderer<LogsReport> = {
  async render(report, sink) {
    await loadTables();
    sink.write(renderLogsTable(report));
  },
};
