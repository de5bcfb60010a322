// What the `profile --python A --python B …` renderers take: one handler measured on several interpreters
// (src/profile/pythons.ts builds it), each compared with the first, the baseline (src/analysis/pythons.ts).
import type { PythonsComparison } from '../analysis/pythons.js';
import type { Origin } from '../importtime/packages.js';
import type { LambdaRuntime } from '../python/lambda-runtimes.js';

export interface PythonsInterpreter {
  version: string;
  implementation: string;
  /** The real executable every run used. */
  executable: string;
  /** What --python named (a path or a command). */
  requested: string;
  viaShim: boolean;
  /** The Lambda runtime of the same minor version, and whether Lambda offers it. */
  runtime: LambdaRuntime;
  /** Its own private bytecode cache (PYTHONPYCACHEPREFIX). */
  bytecodeCache: string;
  /** Warm-up runs it had (its cache was cold). */
  warmup: number;
}

export interface PythonsInput {
  target: { display: string; module: string; root: string; layers: string[] };
  bytecode: 'cached' | 'compile';
  /** Measured runs per interpreter. */
  runs: number;
  /** In --python order; the first is the baseline. */
  interpreters: PythonsInterpreter[];
  comparison: PythonsComparison;
  /** Where each top-level package came from (the first interpreter that imported it says). */
  origins: Record<string, Origin>;
  warnings: string[];
  /** Rows of the package table in the terminal report (--top; the JSON document has them all). */
  top: number;
  toolVersion: string;
}

/** The sentence every report of several interpreters carries. */
export function standInNote(interpreters: readonly Pick<PythonsInterpreter, 'version' | 'runtime'>[]): string {
  const map = interpreters.map((i) => {
    const r = i.runtime;
    const status = r.status === 'supported' ? '' : r.status === 'deprecated' ? ` (deprecated by Lambda on ${r.deprecatedOn ?? '?'})` : ' (no Lambda runtime)';
    return `Python ${i.version} → ${r.id}${status}`;
  });
  return `The local interpreters stand in for the Lambda runtimes of the same minor version: ${map.join(', ')}.`;
}
