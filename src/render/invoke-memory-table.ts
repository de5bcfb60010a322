// `invoke --cold --memory` as a terminal report: a row per memory size, the init-boost sentence, the
// recommendation and what the cost columns assume.
import { usd } from '../analysis/cost.js';
import type { Percentiles } from '../analysis/invoke-stats.js';
import { percent, type MemorySizeRow } from '../analysis/memory-sweep.js';
import type { InvokeMemoryReport } from './inputs.js';
import { costBasis, functionLine, recommendationSizes, restoredWord, sizeFailures, stopLines } from './invoke-memory-wording.js';
import type { Renderer } from './renderer.js';
import { chalk } from './style.js';
import { loadTables, renderTable } from './text-table.js';

const fmt = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? '-' : x.toFixed(digits));
const p50 = (p: Percentiles | null): string => fmt(p?.p50);


export function renderInvokeMemoryTable(report: InvokeMemoryReport): string {
  const fn = report.function;
  const { sweep, requested } = report;
  const s = sweep.settings;
  const out: string[] = [];
  out.push(
    chalk.bold(fn.functionName) +
      `  ${functionLine(report)} (${restoredWord(report)})`,
  );
  out.push(
    `--cold --memory: ${requested.sizesMB.length} sizes × ${requested.count} cold samples (${requested.concurrency} per update)` +
      (requested.warm ? ` + ${requested.warm} warm` : '') +
      `; ${report.forced.updates} configuration update${report.forced.updates === 1 ? '' : 's'}`,
  );
  out.push('');
  const fastest = sweep.recommendation?.fastestMemorySizeMB;
  const chosen = sweep.recommendation?.memorySizeMB;
  const mbCell = (r: MemorySizeRow): string => `${r.memorySizeMB}${r.memorySizeMB === chosen ? ' *' : ''}`;
  const right = (n: number): Array<'right'> => Array.from({ length: n }, () => 'right' as const);
  // Two tables that each fit 80 columns: the times (ms, p50 unless said), then what a cold start costs.
  out.push(
    renderTable(
      sweep.sizes.map((r) => [
        mbCell(r),
        String(r.coldSamples),
        p50(r.initDurationMs),
        fmt(r.initDurationMs?.p90),
        p50(r.firstCallMs),
        r.memorySizeMB === fastest ? chalk.bold(p50(r.coldTotalMs)) : p50(r.coldTotalMs),
        p50(r.warmDurationMs),
      ]),
      { head: ['MB', 'cold', 'init p50', 'init p90', 'first call', 'cold total', 'warm'], align: right(7), headStyle: (h) => chalk.bold(h) },
    ),
  );
  out.push('');
  out.push(
    renderTable(
      sweep.sizes.map((r) => [mbCell(r), fmt(r.billedMsPerColdStart, 0), usd(r.costPerColdStartUsd, 10), usd(r.costPerMillionUsd, 4)]),
      {
        head: ['MB', 'billed ms per cold start', 'per cold start', `per million (${percent(s.coldRate)} cold)`],
        align: right(4),
        headStyle: (h) => chalk.bold(h),
      },
    ),
  );
  out.push('');
  for (const l of stopLines(report)) out.push(chalk.yellow(`  ${l}`));
  out.push(`  init boost      ${sweep.initBoost.sentence}`);
  const rec = sweep.recommendation;
  if (rec) {
    out.push(chalk.bold(`  recommended     ${rec.memorySizeMB} MB`) + `  (${recommendationSizes(rec, s.tolerance)})`);
    out.push(`                  ${rec.reason}`);
  } else {
    out.push('  recommended     - (no size had a successful cold start)');
  }
  for (const r of sweep.sizes) {
    const lost = sizeFailures(r);
    if (lost) out.push(chalk.yellow(`  ${lost}`));
  }
  out.push(
    chalk.dim(
      `  ms: p50 over successful cold starts (first call: the cold invocation's Duration; cold total: init + first call), warm: --warm calls; * recommended. ` +
        costBasis(sweep),
    ),
  );
  if (report.notes.length) {
    out.push('');
    out.push(chalk.bold('Notes'));
    for (const n of report.notes) out.push(`  - ${n}`);
  }
  return `${out.join('\n')}\n`;
}

export const renderer: Renderer<InvokeMemoryReport> = {
  async render(report, sink) {
    await loadTables();
    sink.write(renderInvokeMemoryTable(report));
  },
};
