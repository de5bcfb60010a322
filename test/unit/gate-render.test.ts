// The gate's outputs: the markdown summary (a snapshot of deterministic input), the terminal section,
// GitHub annotations as exact strings, and finding the import statement they point at.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateGates } from '../../src/gate/gates.js';
import { baseFromSession } from '../../src/gate/sides.js';
import { DEFAULT_ALPHA, type GateOptions } from '../../src/gate/types.js';
import { gateWording } from '../../src/render/gate-text.js';
import { locateImport } from '../../src/analysis/locate.js';
import { gateJson } from '../../src/render/gate-json.js';
import { renderGateMarkdown } from '../../src/render/gate-markdown.js';
import { renderGateSection } from '../../src/render/gate-report.js';
import { loadTables } from '../../src/render/text-table.js';
import { annotationLines, appendStepSummary, escapeData, escapeProperty, workspacePath } from '../../src/render/github.js';
import { runsOf, session } from '../support/sessions.js';

const opts: GateOptions = {
  forbid: ['pandas'],
  maxModules: 5,
  budgetMs: 200,
  budgetPackages: [{ name: 'app', ms: 60 }],
  allowNew: [],
  maxRegressionPct: 10,
  minDeltaMs: 5,
  alpha: DEFAULT_ALPHA,
};
const base = baseFromSession(session(runsOf(10, 20_000)), 'main (1a2b3c4)');
const head = session(runsOf(10, 45_000, undefined, { pandas: true }));
const failed = evaluateGates(head, base, opts, gateWording);
const passed = evaluateGates(session(runsOf(10, 20_000)), base, { ...opts, forbid: ['numpy'], maxModules: 50, budgetPackages: [] }, gateWording);

const work = mkdtempSync(join(tmpdir(), 'lambda-cold-render-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('markdown (--format markdown)', () => {
  it('a failed gate: verdict, gate table, failures, biggest changes, new modules', () => {
    expect(renderGateMarkdown(head, failed)).toMatchSnapshot();
  });
  it('a passed gate', () => {
    expect(renderGateMarkdown(session(runsOf(10, 20_000)), passed)).toMatchSnapshot();
  });
  it('no gate: the verdict and the slowest imports', () => {
    const s = session(runsOf(3, 20_000));
    const none = evaluateGates(s, null, { ...opts, forbid: [], maxModules: undefined, budgetMs: undefined, budgetPackages: [] }, gateWording);
    expect(renderGateMarkdown(s, none)).toMatchSnapshot();
  });
});

describe('terminal gate section', () => {
  beforeAll(loadTables);
  it('lists every check and the failures', () => {
    const text = renderGateSection(failed);
    expect(text).toContain('Gate  FAILED (5 of 6 checks)');
    expect(text).toMatch(/forbid pandas\s+not imported\s+handler → app\.db → pandas\s+FAIL/);
    expect(text).toMatch(/budget\s+≤ 200 ms\s+\d+\.\d ms\s+ok/);
    expect(text).toContain('  ✗ new-module: new package pandas at init (2 modules): handler → app.db → pandas');
    expect(text).toMatch(/Against main \(1a2b3c4\)  handler import 51\.5 → 118\.5 ms \(\+67\.0 ms, \+130\.0%; Mann–Whitney U p < 0\.0001, 10 vs 10 runs\)/);
    expect(text).toContain('  New modules      pandas.core, pandas');
  });
});

describe('JSON "gate"', () => {
  it('has exactly passed and failures of { kind, module, message }', () => {
    const doc = gateJson(failed);
    expect(Object.keys(doc.gate as object)).toEqual(['passed', 'failures']);
    expect((doc.gate as { failures: unknown[] }).failures).toEqual([
      { kind: 'forbid', module: 'pandas', message: 'forbidden module pandas is imported at init: handler → app.db → pandas' },
      { kind: 'max-modules', module: null, message: 'the handler imports 6 modules at init, more than the limit of 5' },
      { kind: 'new-module', module: 'pandas', message: 'new package pandas at init (2 modules): handler → app.db → pandas' },
      { kind: 'budget-package', module: 'app', message: 'app takes 118.0 ms to import (median, dependencies included), over its budget of 60 ms' },
      {
        kind: 'regression',
        module: 'pandas.core',
        message:
          "the handler's import got slower than main (1a2b3c4): 51.5 → 118.5 ms (+67.0 ms, +130.0%, p < 0.0001), past +10% and +5 ms; biggest change: pandas.core +40.0 ms (new) self time",
      },
    ]);
  });
});

describe('annotations', () => {
  const root = join(work, 'task');
  // what facts.py says of handler.py (`import json`, `from app import db` on line 3) and app/db.py (`import pandas` on line 3)
  const imp = (line: number, module: string) => ({ line, module, names: [module], kind: 'import' as const, uses: 'module-level' as const, firstUseLine: null });
  const facts = [
    { module: 'handler', file: join(root, 'handler.py'), imports: [imp(1, 'json'), imp(3, 'app.db')] },
    { module: 'app.db', file: join(root, 'app', 'db.py'), imports: [imp(1, 'csv'), imp(2, 'time'), imp(3, 'pandas')] },
  ];
  const locate = (chain: string[] | null) => (chain ? locateImport(chain, facts) : null);

  it('point at the import statement in the user\'s own code, as exact workflow commands', () => {
    expect(locate(['handler', 'app.db', 'pandas', 'pandas.core'])).toEqual({ file: join(root, 'app', 'db.py'), line: 3 });
    expect(locate(['handler', 'app.db'])).toEqual({ file: join(root, 'handler.py'), line: 3 });
    expect(locate(['handler'])).toEqual({ file: join(root, 'handler.py'), line: 1 });
    const lines = annotationLines(failed.failures, failed.failures.map((f) => locate(f.chain)), work);
    // the three failures `import pandas` (app/db.py line 3) caused are one annotation, on that line
    expect(lines).toEqual([
      '::error file=task/app/db.py,line=3,title=lambda-cold forbid%2C new-module%2C regression::' +
        '- forbidden module pandas is imported at init: handler → app.db → pandas%0A' +
        '- new package pandas at init (2 modules): handler → app.db → pandas%0A' +
        "- the handler's import got slower than main (1a2b3c4): 51.5 → 118.5 ms (+67.0 ms, +130.0%25, p < 0.0001), past +10%25 and +5 ms; biggest change: pandas.core +40.0 ms (new) self time",
      '::error title=lambda-cold max-modules::the handler imports 6 modules at init, more than the limit of 5',
      '::error file=task/handler.py,line=3,title=lambda-cold budget-package::app takes 118.0 ms to import (median, dependencies included), over its budget of 60 ms',
    ]);
    // failures with no statement are never merged
    expect(annotationLines([failed.failures[1]!, failed.failures[1]!], [null, null], work)).toHaveLength(2);
  });

  it('escape what the workflow-command syntax reserves', () => {
    expect(escapeData('50% of init\nnext')).toBe('50%25 of init%0Anext');
    expect(escapeProperty('C:\\a,b')).toBe('C%3A\\a%2Cb');
    expect(workspacePath(join(work, 'task', 'handler.py'), work)).toBe('task/handler.py');
    expect(workspacePath('/elsewhere/x.py', work)).toBe('/elsewhere/x.py');
  });

  it('append the markdown to $GITHUB_STEP_SUMMARY', () => {
    const summary = join(work, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    expect(appendStepSummary('### lambda-cold\n', { GITHUB_STEP_SUMMARY: summary })).toBe(true);
    expect(readFileSync(summary, 'utf8')).toBe('# earlier step\n### lambda-cold\n\n');
    expect(appendStepSummary('x', {})).toBe(false);
    // a summary file that cannot be written: the reason, for a warning (the caller keeps the gate's result)
    expect(appendStepSummary('x', { GITHUB_STEP_SUMMARY: join(work, 'no-such-folder', 'summary.md') })).toMatch(/^could not write the step summary to .*summary\.md \(ENOENT\)$/);
  });
});
