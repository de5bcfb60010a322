// What `profile` prints, gate or no gate: GitHub Actions annotations and the step summary, then the
// document in the chosen format (terminal report with the gate section, JSON, or markdown).
import type { GateResult } from '../gate/types.js';
import { locateImport } from '../analysis/locate.js';
import type { ProfileSession } from '../importtime/session.js';
import type { ProfileOptions } from '../profile/options.js';
import type { Output } from '../util/output.js';
import { toolVersion } from '../version.js';
import { gateJson } from './gate-json.js';
import { renderGateMarkdown } from './gate-markdown.js';
import { renderGateSection } from './gate-report.js';
import { annotationLines, appendStepSummary, isGitHubActions } from './github.js';
import { renderProfileJson } from './profile-json.js';
import { renderProfileReport } from './profile-report.js';

/** Gate outputs: GitHub Actions annotations and step summary, then the document in the chosen format. */
export function renderWithGate(session: ProfileSession, gate: GateResult, o: ProfileOptions, format: 'text' | 'json' | 'markdown', output: Output): void {
  const gated = gate.checks.length > 0;
  const markdown = (): string => renderGateMarkdown(session, gate, { top: Math.min(o.top, 10) });
  if (isGitHubActions()) {
    const lines = annotationLines(gate.failures, (f) => (f.chain ? locateImport(f.chain, session.facts) : null), process.env.GITHUB_WORKSPACE ?? process.cwd());
    // workflow commands go to stdout, except when stdout carries the JSON document
    for (const l of lines) (format === 'json' ? output.info(l) : output.out(l));
    if (gated || format === 'markdown') appendStepSummary(markdown());
  }
  if (format === 'json') output.out(renderProfileJson(session, toolVersion(), gateJson(gate)));
  else if (format === 'markdown') output.out(markdown());
  else {
    const report = renderProfileReport(session, { top: o.top, tree: o.tree, maxDepth: o.maxDepth, minMs: o.minMs });
    output.out(gated ? `${report}\n${renderGateSection(gate, { top: Math.min(o.top, 10) })}` : report);
  }
}

/** `--sam`: profile each Python function of a SAM template (or the one --function names). */
