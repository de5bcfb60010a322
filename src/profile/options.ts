// The profile command's options: the zod/mini schema that validates commander's strings, and the
// settled type every layer of the profile path takes.
import { _default, array, boolean, enum as oneOf, literal, minLength, object, optional, pipe, regex, string, transform, union, type infer as Infer } from 'zod/mini';
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from '../analysis/memory-scaling.js';
import type { ProfileRenderOptions } from '../render/inputs.js';
import { formatsOf } from '../render/registry.js';
import { intFlag, nonEmpty, numberFlag } from '../util/options.js';

export const ProfileOptionsSchema = object({
  root: optional(nonEmpty),
  layer: _default(array(nonEmpty), []),
  /** --python, repeatable: one interpreter, or several to compare (src/profile/pythons.ts). */
  python: optional(union([nonEmpty, array(nonEmpty)])),
  runs: optional(intFlag(1, 10_000)),
  warmup: union([literal('auto'), intFlag(0, 1_000)], { error: 'expected auto or a whole number from 0 to 1000' }),
  bytecode: oneOf(['cached', 'compile', 'both']),
  /** false with --no-pth: python -S, no .pth file processed at start-up. */
  pth: _default(boolean(), true),
  handler: optional(nonEmpty),
  invoke: optional(union([literal(true), nonEmpty])),
  warm: intFlag(0, 10_000),
  advice: intFlag(0, 100),
  initTarget: numberFlag(0),
  runtime: optional(string().check(regex(/^python3\.\d+$/, { error: 'expected a Lambda Python runtime such as python3.12' }))),
  /** The function's memory size (MB) the advice is worded for; --function-name or --memory-profile (profile/memory.ts). */
  memory: optional(intFlag(MIN_MEMORY_MB, MAX_MEMORY_MB)),
  functionName: optional(nonEmpty),
  memoryProfile: optional(nonEmpty),
  sam: optional(nonEmpty),
  function: optional(nonEmpty),
  fromFile: optional(array(nonEmpty).check(minLength(1))),
  top: intFlag(1, 100_000),
  tree: _default(boolean(), false),
  /** false with --no-statements: no attribution run (the top-level statements of the user's modules). */
  statements: _default(boolean(), true),
  /** With --tree: each user module's costliest statements under it. */
  lines: _default(boolean(), false),
  maxDepth: optional(intFlag(0, 10_000)),
  minMs: optional(numberFlag(0)),
  json: _default(boolean(), false),
  /** Also write the profile to these files, in speedscope's format, as a Chrome trace, as an HTML page. */
  speedscope: optional(nonEmpty),
  trace: optional(nonEmpty),
  html: optional(nonEmpty),
  timeout: numberFlag(0, { exclusiveMin: true, max: 86_400 }),
  // CI gate
  forbid: _default(array(nonEmpty), []),
  maxModules: optional(intFlag(0)),
  budget: optional(numberFlag(0, { exclusiveMin: true })),
  budgetPackage: _default(
    array(
      pipe(
        string().check(regex(/^[A-Za-z_][A-Za-z0-9_.-]*=\d+(\.\d+)?$/, { error: 'expected name=ms, as in boto3=150' })),
        transform((s: string) => ({ name: s.slice(0, s.indexOf('=')), ms: Number(s.slice(s.indexOf('=') + 1)) })),
      ),
    ),
    [],
  ),
  saveBaseline: optional(nonEmpty),
  baseline: optional(nonEmpty),
  against: optional(nonEmpty),
  maxRegression: _default(numberFlag(0), 10),
  minDelta: _default(numberFlag(0), 5),
  allowNew: _default(array(nonEmpty), []),
  allowEnvMismatch: _default(boolean(), false),
  confirm: _default(boolean(), true),
  format: _default(oneOf(formatsOf('profile')), 'text'),
  config: optional(union([nonEmpty, boolean()])),
});
export type ParsedOptions = Infer<typeof ProfileOptionsSchema>;
/**
 * The options once defaults that depend on other options are settled. `python`: the one interpreter
 * (undefined with several); `pythons`: every --python given, in order.
 */
export type ProfileOptions = Omit<ParsedOptions, 'runs' | 'python'> & { runs: number; python: string | undefined; pythons: string[] };

/** Every --python given (a configuration file gives one), in order. */
export function pythonsOf(python: ParsedOptions['python']): string[] {
  return python === undefined ? [] : typeof python === 'string' ? [python] : [...python];
}

/** Runs a side by default: a profile; a baseline or a comparison (more runs, more power against noise). */
export const DEFAULT_RUNS = 10;
export const DEFAULT_COMPARE_RUNS = 20;

/** The files --speedscope, --trace and --html name, each with the registry's format it is written in. */
export function exportFiles(o: Pick<ParsedOptions, 'speedscope' | 'trace' | 'html'>): Array<{ flag: string; format: 'speedscope' | 'trace' | 'html'; file: string }> {
  const files: Array<{ flag: string; format: 'speedscope' | 'trace' | 'html'; file: string }> = [];
  if (o.speedscope !== undefined) files.push({ flag: '--speedscope', format: 'speedscope', file: o.speedscope });
  if (o.trace !== undefined) files.push({ flag: '--trace', format: 'trace', file: o.trace });
  if (o.html !== undefined) files.push({ flag: '--html', format: 'html', file: o.html });
  return files;
}

/** What the terminal report shows of a profile. */
export function reportOptions(o: ProfileOptions): ProfileRenderOptions {
  return { top: o.top, tree: o.tree, maxDepth: o.maxDepth, minMs: o.minMs, lines: o.lines };
}
