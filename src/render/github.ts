// Under GitHub Actions (GITHUB_ACTIONS=true): `::error file=…,line=…::` workflow commands on the import
// statement in the user's own code that brought in a forbidden module, a new package or the regression,
// and the markdown summary appended to $GITHUB_STEP_SUMMARY.
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

/** One `::error` line per failure, placed on the import statement when one was found (`located[i]` for `failures[i]`). */
export function annotationLines(failures: readonly GateFailure[], located: ReadonlyArray<ImportLine | null>, workspace: string): string[] {
  return failures.map((f, i) => {
    const loc = located[i] ?? null;
    const props = [
      ...(loc ? [`file=${escapeProperty(workspacePath(loc.file, workspace))}`, `line=${loc.line}`] : []),
      `title=${escapeProperty(`lambda-cold ${f.kind}`)}`,
    ];
    return `::error ${props.join(',')}::${escapeData(f.message)}`;
  });
}

export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? `${markdown}\n` : `${markdown}\n\n`);
  return true;
}
