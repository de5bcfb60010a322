// Under GitHub Actions (GITHUB_ACTIONS=true): `::error file=…,line=…::` workflow commands on the import
// statement in the user's own code that brought in a forbidden module, a new package or the regression
// (always on stderr: GitHub reads workflow commands from both streams, and stdout carries the document),
// one per statement, and the markdown summary appended to $GITHUB_STEP_SUMMARY. Workflow commands:
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import { appendFileSync, realpathSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import type { GateFailure } from '../gate/types.js';

/** Workflow-command message escaping (as @actions/core does). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command property escaping: also `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function isGitHubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** A file path as GitHub wants it: relative to the workspace (the repository's root), with forward slashes. */
export function workspacePath(file: string, workspace: string): string {
  let ws = resolve(workspace);
  try {
    ws = realpathSync(ws); // the file's path comes from Python, symlinks resolved
  } catch {
    // a workspace that does not exist: compare as given
  }
  const rel = relative(ws, resolve(file));
  const shown = rel.startsWith('..') ? resolve(file) : rel;
  return shown.split(sep).join('/');
}

/** Where a failure's import statement is (found before rendering): the file and its 1-based line. */
export interface ImportLine {
  file: string;
  line: number;
}

/**
 * One `::error` line per import statement, placed on it when one was found (`located[i]` for
 * `failures[i]`): the failures one statement caused (a new package and the regression it brings) are
 * merged into one message, in the order they came, under the kinds' joined title. Failures with no
 * statement get one line each.
 */
export function annotationLines(failures: readonly GateFailure[], located: ReadonlyArray<ImportLine | null>, workspace: string): string[] {
  const groups: Array<{ loc: ImportLine | null; failures: GateFailure[] }> = [];
  const byLine = new Map<string, (typeof groups)[number]>();
  failures.forEach((f, i) => {
    const loc = located[i] ?? null;
    const key = loc ? `${workspacePath(loc.file, workspace)}:${loc.line}` : null;
    const group = key ? byLine.get(key) : undefined;
    if (group) {
      group.failures.push(f);
      return;
    }
    const fresh = { loc, failures: [f] };
    groups.push(fresh);
    if (key) byLine.set(key, fresh);
  });
  return groups.map(({ loc, failures: fs }) => {
    const kinds = [...new Set(fs.map((f) => f.kind))];
    const props = [
      ...(loc ? [`file=${escapeProperty(workspacePath(loc.file, workspace))}`, `line=${loc.line}`] : []),
      `title=${escapeProperty(`lambda-cold ${kinds.join(', ')}`)}`,
    ];
    const message = fs.length === 1 ? (fs[0] as GateFailure).message : fs.map((f) => `- ${f.message}`).join('\n');
    return `::error ${props.join(',')}::${escapeData(message)}`;
  });
}

/**
 * Append the markdown to $GITHUB_STEP_SUMMARY. Returns false when there is none, the reason when it
 * could not be written (the gate's result stands: the caller warns).
 */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): true | false | string {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  try {
    appendFileSync(file, markdown.endsWith('\n') ? `${markdown}\n` : `${markdown}\n\n`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `could not write the step summary to ${file} (${code ?? (e instanceof Error ? e.message : String(e))})`;
  }
  return true;
}
