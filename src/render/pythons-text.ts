// `profile --python A --python B …`'s terminal report: the handler's init per interpreter, then each
// top-level package per interpreter with its difference from the first (the baseline), the packages and
// modules that differ, and which Lambda runtime each interpreter stands in for.
import type { Difference } from '../analysis/pythons.js';
import { plural, usAsMs } from './format.js';
import { standInNote, type PythonsInput } from './pythons-input.js';
import type { Renderer } from './renderer.js';
import { chalk } from './style.js';
import { loadTables, renderTable } from './text-table.js';

export const WITHIN_NOISE = 'no difference (within noise)';

/** A difference in words: "+12.3 ms (+8.1 %) slower, p = 0.001", or no difference; `brief`: "+12.3 ms slower", "within noise". */
export function differenceText(d: Difference | null, brief = false): string {
  if (!d) return '';
  if (d.verdict === 'within-noise') return chalk.dim(brief ? 'within noise' : WITHIN_NOISE);
  const sign = d.deltaUs > 0 ? '+' : '−';
  const text = brief
    ? `${sign}${usAsMs(Math.abs(d.deltaUs))} ms ${d.verdict}`
    : `${sign}${usAsMs(Math.abs(d.deltaUs))} ms (${sign}${Math.abs(d.deltaPct).toFixed(1)} %) ${d.verdict}, ${pValue(d.p)}`;
  return d.verdict === 'slower' ? chalk.red(text) : chalk.green(text);
}

function pValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** Names, the first `max` of them and how many more. */
function someOf(names: readonly string[], max = 8): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export const renderer: Renderer<PythonsInput> = {
  async render(input, sink) {
    await loadTables();
    const c = input.comparison;
    const t = c.thresholds;
    const head = (s: string): string => chalk.bold(s);
    const name = (k: number): string => `Python ${input.interpreters[k]?.version ?? '?'}`;
    const base = name(0);
    sink.write(
      `${chalk.bold(`lambda-cold: ${input.target.display} on ${input.interpreters.length} interpreters`)} ` +
        chalk.dim(`(${plural(input.runs, 'measured run')} each, interleaved A B B A …, bytecode ${input.bytecode}; baseline ${base})\n\n`),
    );
    const short = (k: number): string => input.interpreters[k]?.version ?? '?';
    const initRows = input.interpreters.map((i, k) => {
      const s = c.init[k]?.spread;
      const runtime = i.runtime.status === 'supported' ? i.runtime.id : chalk.yellow(`${i.runtime.id} (${i.runtime.status === 'deprecated' ? 'deprecated' : 'none'})`);
      return [
        short(k),
        runtime,
        s ? usAsMs(s.median) : '—',
        s ? usAsMs(s.p90) : '—',
        s ? `${usAsMs(s.min)}–${usAsMs(s.max)}` : '—',
        k === 0 ? '' : differenceText(c.init[k]?.vsBaseline ?? null, true),
      ];
    });
    sink.write(`${chalk.bold.underline("The handler's init (its import)")} ${chalk.dim('(ms)')}\n`);
    sink.write(
      `${renderTable(initRows, { head: ['Python', 'Lambda runtime', 'median', 'p90', 'min–max', `vs ${short(0)}`], align: ['left', 'left', 'right', 'right', 'right', 'left'], headStyle: head })}\n`,
    );
    for (const [k, i] of input.interpreters.entries()) {
      const d = c.init[k]?.vsBaseline;
      const delta = d ? `${d.deltaUs >= 0 ? '+' : '−'}${usAsMs(Math.abs(d.deltaUs))} ms (${d.deltaUs >= 0 ? '+' : '−'}${Math.abs(d.deltaPct).toFixed(1)} %)` : '';
      const said = !d
        ? 'the baseline'
        : d.verdict === 'within-noise'
          ? `${WITHIN_NOISE} with ${base} (${d.significant ? `${delta}: below --min-delta ${t.minDeltaMs} ms or --max-regression ${t.maxRegressionPct} %` : `not significant, ${pValue(d.p)}`})`
          : (d.verdict === 'slower' ? chalk.red : chalk.green)(`${delta} ${d.verdict} than ${base} (${pValue(d.p)})`);
      sink.write(`  ${name(k)}: ${said}${chalk.dim(`; ${i.executable}${i.viaShim ? ` (resolved from ${i.requested})` : ''}`)}\n`);
    }
    const rows = c.packages.slice(0, input.top).map((p) => [
      p.name,
      input.origins[p.name] ?? 'unknown',
      ...p.medianUs.map((m) => (m === null ? chalk.dim('—') : usAsMs(m))),
      ...p.vsBaseline.slice(1).map((d, j) => (d ? differenceText(d, true) : p.medianUs[j + 1] === null ? chalk.dim(`not on ${short(j + 1)}`) : chalk.dim(`not on ${short(0)}`))),
    ]);
    if (rows.length > 0) {
      const versions = input.interpreters.map((_, k) => short(k));
      sink.write(`\n${chalk.bold.underline('Per top-level package')} ${chalk.dim('(median import ms, dependencies included; — : not imported there; within noise: no difference)')}\n`);
      sink.write(
        `${renderTable(rows, {
          head: ['package', 'origin', ...versions, ...versions.slice(1).map((v) => (versions.length === 2 ? `vs ${short(0)}` : `${v} Δ`))],
          align: ['left', 'left', ...versions.map(() => 'right' as const), ...versions.slice(1).map(() => 'left' as const)],
          headStyle: head,
        })}\n`,
      );
      if (c.packages.length > input.top) sink.write(chalk.dim(`  … ${c.packages.length - input.top} more packages (--top)\n`));
    }
    const notes: string[] = [];
    for (const x of c.packagesOnly) {
      const what = plural(x.names.length, 'package');
      notes.push(input.interpreters.length === 2 ? `Only ${name(x.interpreter)} imports ${what}: ${someOf(x.names)}.` : `${name(x.interpreter)} imports ${what} that another interpreter does not: ${someOf(x.names)}.`);
    }
    for (const m of c.modules) {
      if (m.only.length > 0) notes.push(`${name(m.interpreter)} imports ${plural(m.only.length, 'module')} that ${base} does not: ${someOf(m.only)}.`);
      if (m.missing.length > 0) notes.push(`${name(m.interpreter)} does not import ${plural(m.missing.length, 'module')} that ${base} does: ${someOf(m.missing)}.`);
    }
    if (notes.length > 0) sink.write(`\n${chalk.bold.underline('What differs')}\n${notes.map((n) => `  ${n}\n`).join('')}`);
    if (!c.canDetect) sink.write(chalk.yellow(`\nWith ${plural(input.runs, 'run')} each no difference can reach p < ${t.alpha}: every one reads as within noise; give more --runs (20 by default).\n`));
    sink.write(
      `\n${standInNote(input.interpreters)}\n` +
        chalk.dim(
          `A difference counts only when it is significant (two-sided Mann–Whitney U, p < ${t.alpha}) and at least ${t.minDeltaMs} ms and ${t.maxRegressionPct} % (--min-delta, --max-regression); otherwise: ${WITHIN_NOISE}.\n`,
        ),
    );
  },
};
