// `profile --format markdown`: a summary ready for a pull-request comment or $GITHUB_STEP_SUMMARY — the verdict,
// the gate table, the biggest changes against the base, the new modules.
import { topK } from '../analysis/topk.js';
import type { GateResult } from '../gate/types.js';
import type { ProfileSession } from '../importtime/session.js';
import type { ProfileInput } from './inputs.js';
import type { Renderer } from './renderer.js';
import { usAsMs, plural } from './format.js';
import { adjustmentText, changeLabel, confirmationText, signedMs, verdictText } from './gate-report.js';

const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

function table(head: string[], rows: string[][], align: Array<'l' | 'r'>): string {
  const rule = align.map((a) => (a === 'r' ? '---:' : '---'));
  return [head, rule, ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}

export function renderGateMarkdown(session: ProfileSession, gate: GateResult, opts: { top?: number } = {}): string {
  const top = opts.top ?? 10;
  const out: string[] = [];
  const what = session.target ? code(session.target.module) : session.files.map(code).join(', ');
  const icon = gate.passed ? '✅' : '❌';
  out.push(gate.checks.length === 0 ? `### lambda-cold: ${what}` : `### ${icon} lambda-cold: ${gate.passed ? 'gate passed' : 'gate failed'} — ${what}`);
  out.push('');
  const agg = session.aggregate;
  const c = gate.comparison;
  const head = `Handler import: **${usAsMs(agg.totalUs.median)} ms** (median of ${plural(agg.runs, 'run')}, ${plural(agg.modules.filter((m) => !m.cached).length, 'module')})`;
  out.push(
    c
      ? `${head}; ${cell(c.baseLabel)}: ${usAsMs(c.base.median)} ms → **${signedMs(c.deltaUs)} ms** (${c.deltaPct >= 0 ? '+' : '−'}${Math.abs(c.deltaPct).toFixed(1)}%, Mann–Whitney U p ${c.p < 0.0001 ? '< 0.0001' : `= ${c.p.toFixed(4)}`}).`
      : `${head}.`,
  );
  if (c) out.push(adjustmentText(c).trim());
  if (session.python) out.push(`Python ${session.python.version} (${session.python.implementation}), bytecode: ${session.bytecode ?? '—'}.`);
  out.push('');
  if (gate.checks.length > 0) {
    out.push(
      table(
        ['check', 'limit', 'measured', 'result'],
        gate.checks.map((k) => [k.label, k.limit, k.measured, k.passed ? (k.unconfirmed ? '✅ ok (not confirmed)' : '✅ ok') : '❌ fail']),
        ['l', 'l', 'l', 'l'],
      ),
    );
    out.push('');
  } else {
    out.push(`Verdict: ${verdictText(gate)}.`);
    out.push('');
  }
  if (gate.confirmation) {
    out.push(confirmationText(gate.confirmation));
    out.push('');
  }
  if (gate.failures.length > 0) {
    out.push('**Failures**');
    out.push('');
    for (const f of gate.failures) out.push(`- **${f.kind}**: ${f.message}`);
    out.push('');
  }
  if (c) {
    if (c.changes.length > 0) {
      out.push(`**Biggest changes in median self time** (against ${cell(c.baseLabel)})`);
      out.push('');
      out.push(
        table(
          ['module', 'base ms', 'head ms', 'change ms', ''],
          c.changes.slice(0, top).map((x) => [code(x.name), usAsMs(x.baseSelfUs), usAsMs(x.headSelfUs), signedMs(x.deltaUs), changeLabel(x)]),
          ['l', 'r', 'r', 'r', 'l'],
        ),
      );
      out.push('');
    }
    out.push(`**New modules at init:** ${c.newModules.length > 0 ? c.newModules.map(code).join(', ') : 'none'}`);
    out.push('');
    out.push(`**Removed modules:** ${c.removedModules.length > 0 ? c.removedModules.map(code).join(', ') : 'none'}`);
    out.push('');
  } else {
    const live = agg.modules.filter((m) => !m.cached);
    const slow = topK(live, Math.min(top, 5), (m) => m.cumulativeUs.median);
    if (slow.length > 0) {
      out.push('**Slowest imports** (cumulative)');
      out.push('');
      out.push(table(['module', 'cum ms', 'self ms'], slow.map((m) => [code(m.name), usAsMs(m.cumulativeUs.median), usAsMs(m.selfUs.median)]), ['l', 'r', 'r']));
      out.push('');
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** A profile without a gate reads as one with no check configured. */
const NO_GATE: GateResult = { passed: true, checks: [], failures: [], comparison: null, confirmation: null };

export const renderer: Renderer<ProfileInput> = {
  render({ session, gate, options }, sink) {
    sink.write(renderGateMarkdown(session, gate ?? NO_GATE, { top: Math.min(options.top, 10) }));
  },
};
