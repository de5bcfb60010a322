// The gate section of the terminal report: the verdict, one row per check, the failures, and — against a
// baseline or a base revision — the biggest changes in median self time and the new and removed modules.
import { chalk } from './style.js';
import type { GateResult, ModuleChange } from '../gate/types.js';
import { usAsMs, plural } from './format.js';
import { renderTable } from './text-table.js';
import { wrap, wrapStyled } from '../util/wrap.js';

export function signedMs(us: number): string {
  return `${us > 0 ? '+' : us < 0 ? '−' : '±'}${usAsMs(Math.abs(us))}`;
}

export function changeLabel(c: ModuleChange): string {
  return c.status === 'new' ? 'new' : c.status === 'removed' ? 'removed' : '';
}

/** What the second batch of runs decided. */
export function confirmationText(c: NonNullable<GateResult['confirmation']>): string {
  return (
    `A timing check failed or came close, so a second batch of ${plural(c.runs, 'run')} was measured ` +
    `(budgets must fail in both batches; the regression is decided on both batches pooled): ` +
    `${c.confirmed.length > 0 ? `failed ${c.confirmed.join(', ')}` : 'no failure confirmed'}${c.dismissed.length > 0 ? `; dismissed ${c.dismissed.join(', ')}` : ''}.`
  );
}

/** How the compared values were made comparable. */
export function adjustmentText(c: GateResult['comparison'] & object): string {
  if (!c.adjustment) return '  Timings as measured (no machine-speed control on one side).';
  const a = c.adjustment;
  const parts: string[] = [];
  if (a.stdlibModules > 0) parts.push(`${plural(a.stdlibModules, 'standard-library module')} counted at their median (${usAsMs(a.stdlibUs)} ms)`);
  if (a.slope > 0) parts.push(`runs brought to the same machine speed (start-up + bootstrap as the control, slope ${a.slope.toFixed(2)})`);
  if (parts.length === 0) return '  Timings as measured (no machine noise to remove).';
  return `  Machine noise removed: ${parts.join('; ')}. As measured: ${usAsMs(c.raw.base.median)} → ${usAsMs(c.raw.head.median)} ms.`;
}

export function verdictText(gate: GateResult): string {
  const failed = gate.checks.filter((c) => !c.passed).length;
  if (gate.checks.length === 0) return 'no gate configured';
  return gate.passed ? `passed (${plural(gate.checks.length, 'check')})` : `FAILED (${failed} of ${plural(gate.checks.length, 'check')})`;
}

export function listNames(names: readonly string[], max = 12): string {
  if (names.length === 0) return 'none';
  return `${names.slice(0, max).join(', ')}${names.length > max ? ` … ${names.length - max} more` : ''}`;
}

export function renderGateSection(gate: GateResult, opts: { top: number } = { top: 10 }): string {
  const out: string[] = [];
  const verdict = verdictText(gate);
  out.push(`${chalk.bold.underline('Gate')}  ${gate.passed ? chalk.green(verdict) : chalk.red.bold(verdict)}`);
  if (gate.checks.length > 0) {
    out.push(
      renderTable(
        gate.checks.map((c) => [c.label, c.limit, c.measured, c.passed ? (c.unconfirmed ? chalk.yellow('ok (not confirmed)') : chalk.green('ok')) : chalk.red('FAIL')]),
        { head: ['check', 'limit', 'measured', 'result'], align: ['left', 'left', 'left', 'left'], headStyle: (h) => chalk.bold(h) },
      ),
    );
  }
  if (gate.confirmation) out.push(wrapStyled(confirmationText(gate.confirmation), (l) => chalk.dim(l)));
  if (gate.failures.length > 0) {
    out.push('');
    out.push(chalk.bold('Failures'));
    for (const f of gate.failures) out.push(wrap(`  ${chalk.red('✗')} ${chalk.bold(f.kind)}: ${f.message}`, undefined, '    '));
  }
  const c = gate.comparison;
  if (c) {
    out.push('');
    out.push(
      wrap(`${chalk.bold.underline(`Against ${c.baseLabel}`)}  handler import ${usAsMs(c.base.median)} → ${usAsMs(c.head.median)} ms ` +
        `(${signedMs(c.deltaUs)} ms, ${c.deltaPct >= 0 ? '+' : '−'}${Math.abs(c.deltaPct).toFixed(1)}%; ` +
        `Mann–Whitney U p ${c.p < 0.0001 ? '< 0.0001' : `= ${c.p.toFixed(4)}`}, ${c.base.n} vs ${c.head.n} runs)`, undefined, '  '),
    );
    out.push(wrapStyled(adjustmentText(c), (l) => chalk.dim(l), undefined, '  '));
    const rows = c.changes.slice(0, opts.top);
    if (rows.length > 0) {
      out.push(chalk.dim('Biggest changes in median self time'));
      out.push(
        renderTable(
          rows.map((x) => [x.name, usAsMs(x.baseSelfUs), usAsMs(x.headSelfUs), signedMs(x.deltaUs), changeLabel(x)]),
          { head: ['module', 'base ms', 'head ms', 'change', ''], align: ['left', 'right', 'right', 'right', 'left'], headStyle: (h) => chalk.bold(h) },
        ),
      );
    }
    out.push(wrap(`  New modules      ${listNames(c.newModules)}`, undefined, ' '.repeat(19)));
    out.push(wrap(`  Removed modules  ${listNames(c.removedModules)}`, undefined, ' '.repeat(19)));
  }
  return `${out.join('\n')}\n`;
}
