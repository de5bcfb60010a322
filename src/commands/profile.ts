// `lambda-cold profile`: validate options, acquire (harness runs or captured files), model, render.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { baseLabel, checkoutBase, describeWorkingTree, type BaseCheckout } from '../gate/against.js';
import {
  buildBaseline,
  describeMismatch,
  environmentMismatches,
  environmentOf,
  loadBaseline,
  saveBaseline,
  type Baseline,
} from '../gate/baseline.js';
import { configAsOptions, loadConfig, mergeOptions } from '../gate/config.js';
import { baseFromBaseline, baseFromSession, DEFAULT_ALPHA, gateWithConfirmation, type GateOptions, type GateResult, type Measured } from '../gate/gates.js';
import { locateImport } from '../gate/locate.js';
import { dropBytecode, measureInterleaved } from '../gate/measure.js';
import { gateJson } from '../render/gate-json.js';
import { renderGateMarkdown } from '../render/gate-markdown.js';
import { renderGateSection } from '../render/gate-report.js';
import { annotationLines, appendStepSummary, isGitHubActions } from '../render/github.js';
import { parseImportTimeStream } from '../importtime/parse.js';
import type { ParseResult } from '../importtime/model.js';
import { sessionFromFiles, sessionFromRuns, type ProfileSession } from '../importtime/session.js';
import { resolveInterpreter, type Interpreter } from '../python/interpreter.js';
import { runImports, type RunOutcome, type RunSpec } from '../python/runner.js';
import { resolveTarget, type Target } from '../python/target.js';
import { renderProfileJson } from '../render/profile-json.js';
import { renderProfileReport } from '../render/profile-report.js';
import { fromImportNodes, renderTree } from '../render/tree.js';
import { EXIT_GATE, EXIT_OK, UserError } from '../util/errors.js';
import { _default, array, boolean, enum as oneOf, literal, minLength, object, optional, pipe, regex, string, transform, union, type infer as Infer } from 'zod/mini';
import { intFlag, numberFlag, parseOptions } from '../util/options.js';
import { createOutput, type Output } from '../util/output.js';
import { toolVersion } from '../version.js';

const nonEmpty = string().check(minLength(1, { error: 'must not be empty' }));
const ProfileOptions = object({
  root: optional(nonEmpty),
  layer: _default(array(nonEmpty), []),
  python: optional(nonEmpty),
  runs: optional(intFlag(1, 10_000)),
  warmup: union([literal('auto'), intFlag(0, 1_000)], { error: 'expected auto or a whole number from 0 to 1000' }),
  bytecode: oneOf(['cached', 'compile']),
  fromFile: optional(array(nonEmpty).check(minLength(1))),
  top: intFlag(1, 100_000),
  tree: _default(boolean(), false),
  maxDepth: optional(intFlag(0, 10_000)),
  minMs: optional(numberFlag(0)),
  json: _default(boolean(), false),
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
  format: _default(oneOf(['text', 'json', 'markdown']), 'text'),
  config: optional(union([nonEmpty, boolean()])),
});
type ParsedOptions = Infer<typeof ProfileOptions>;
/** The options once defaults that depend on other options are settled. */
export type ProfileOptions = Omit<ParsedOptions, 'runs'> & { runs: number };

/** Runs a side by default: a profile; a baseline or a comparison (more runs, more power against noise). */
export const DEFAULT_RUNS = 10;
export const DEFAULT_COMPARE_RUNS = 20;

async function readCaptures(files: readonly string[]): Promise<ParseResult[]> {
  const parsed: ParseResult[] = [];
  for (const f of files) {
    if (!existsSync(f)) throw new UserError(`The file ${f} does not exist.`);
    if (!statSync(f).isFile()) throw new UserError(`${f} is not a file.`);
    // one file's nodes are never matched against another run's: no path ids needed
    const r = await parseImportTimeStream(createReadStream(f), { ids: files.length > 1 });
    if (r.records.length === 0) {
      throw new UserError(
        `${f} holds no import-time lines ("import time: …"): capture it with python -X importtime or PYTHONPROFILEIMPORTTIME=1, which write to stderr.`,
      );
    }
    parsed.push(r);
  }
  return parsed;
}

/** The partial tree of a run that did not finish its import cleanly. */
function partialTree(outcome: RunOutcome): string {
  if (outcome.init.roots.length === 0) return 'No module finished importing before it stopped.';
  return `What finished importing before it stopped (raw µs of this run, as ms):\n${renderTree(fromImportNodes(outcome.init.roots))}`;
}

function where(loc: { file: string; line: number } | null, root: string): string {
  if (!loc) return '';
  const rel = relative(root, loc.file);
  return ` (${rel.startsWith('..') ? loc.file : rel}:${loc.line})`;
}

/** Turn a run that did not import cleanly into the one sentence (plus traceback and partial tree). */
function failure(outcome: RunOutcome, target: Target, layers: readonly string[], timeoutSec: number): UserError {
  const tree = partialTree(outcome);
  const output = outcome.stderrText.trim();
  if (outcome.status === 'timeout') {
    const stack = output ? `${output}\n\n` : '';
    return new UserError(
      `Importing ${target.module} did not finish within --timeout ${timeoutSec} s: it hangs or is slower than that at import; the stacks below show where it was.`,
      { detail: `${stack}${tree}` },
    );
  }
  if (outcome.status === 'crash') {
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
    return new UserError(`Python ${how} while importing ${target.module}, before the import finished.`, {
      detail: `${output ? `${output}\n\n` : ''}${tree}`,
    });
  }
  const err = outcome.result?.error;
  const tb = err?.traceback?.trim() ?? output;
  const detail = `${tb}\n\n${tree}`;
  if (err?.missingModule) {
    const missing = err.missingModule;
    if (missing === target.module || target.module.startsWith(`${missing}.`)) {
      return new UserError(
        `No module named ${missing} under the task root ${target.root}: check the target and --root.`,
        { detail: tb },
      );
    }
    const hint =
      layers.length === 0
        ? ' If it comes from a Lambda layer, pass the layer with --layer <dir>; otherwise install it into the task root.'
        : ' It is in neither the task root, the layers given, nor the interpreter\'s site-packages.';
    return new UserError(
      `${target.module} imports ${missing}, which cannot be found${where(err.location, target.root)}.${hint}`,
      { detail },
    );
  }
  if (err?.type === 'SyntaxError' || err?.type === 'IndentationError' || err?.type === 'TabError') {
    return new UserError(`Syntax error in the handler's code${where(err.location, target.root)}: ${err.message}.`, { detail });
  }
  return new UserError(
    `The handler's import (${target.module}) raised ${err?.type ?? 'an exception'}${err?.message ? `: ${err.message}` : ''}${where(err?.location ?? null, target.root)}.`,
    { detail },
  );
}

function runSpec(interpreter: Interpreter, target: Target, o: ProfileOptions, layers: readonly string[] = o.layer): RunSpec {
  return { interpreter, module: target.module, root: target.root, layers: [...layers], bytecode: o.bytecode, timeoutSec: o.timeout };
}

function checkLayers(layers: readonly string[]): void {
  for (const l of layers) {
    if (!existsSync(l) || !statSync(l).isDirectory()) throw new UserError(`The layer folder ${l} does not exist.`);
  }
}

function sessionOf(outcomes: readonly RunOutcome[], target: Target, o: ProfileOptions, interpreter: Interpreter, layers: readonly string[] = o.layer): ProfileSession {
  const bad = outcomes.find((x) => x.status !== 'ok');
  if (bad) throw failure(bad, target, [...layers], o.timeout);
  return sessionFromRuns(outcomes, {
    target: { display: target.display, module: target.module, root: target.root, layers: [...layers], layerPaths: [] },
    python: {
      version: interpreter.version,
      implementation: interpreter.implementation,
      executable: interpreter.executable,
      requested: interpreter.requested,
      viaShim: interpreter.viaShim,
      platform: outcomes[0]?.result?.python.platform ?? process.platform,
    },
    bytecode: o.bytecode,
    warmup: outcomes.filter((x) => x.warmup).length,
  });
}

async function profileRuns(target: Target, o: ProfileOptions, output: Output, warmup: ProfileOptions['warmup'] = o.warmup): Promise<ProfileSession> {
  checkLayers(o.layer);
  const interpreter = resolveInterpreter(o.python, target.root);
  output.progress(`Python ${interpreter.version}: importing ${target.module}…`);
  const outcomes = await runImports(runSpec(interpreter, target, o), {
    runs: o.runs,
    warmup,
    onRun: (outcome, done, total) => {
      const last = outcome.status === 'ok' ? ` (last: ${(outcome.init.roots.reduce((t, r) => t + r.cumulativeUs, 0) / 1000).toFixed(1)} ms)` : '';
      output.progress(`run ${done}/${total}${outcome.warmup ? ' (warm-up)' : ''}${last}`);
    },
  });
  output.done();
  return sessionOf(outcomes, target, o, interpreter);
}

/** --against: the base revision in a temporary worktree and the working tree, measured interleaved. */
async function againstRuns(
  target: Target,
  o: ProfileOptions,
  output: Output,
  checkout: BaseCheckout,
  interpreter: Interpreter,
  warmup: ProfileOptions['warmup'],
): Promise<Measured> {
  if (!checkout.inRepo(target.root)) {
    throw new UserError(`The task root ${target.root} is outside the git repository ${checkout.repo}: --against compares revisions of it.`);
  }
  const baseRoot = checkout.map(target.root);
  if (!existsSync(baseRoot)) {
    throw new UserError(`The task root ${relative(checkout.repo, target.root) || '.'} does not exist at ${checkout.ref}.`);
  }
  const baseLayers = o.layer.map((l) => checkout.map(l));
  const baseTarget: Target = { ...target, root: baseRoot, path: target.path ? checkout.map(target.path) : null };
  const label = baseLabel(checkout);
  const sides = await measureInterleaved(runSpec(interpreter, baseTarget, o, baseLayers), runSpec(interpreter, target, o), {
    runs: o.runs,
    warmup,
    onRun: (side, outcome, done, total) => output.progress(`run ${done}/${total}: ${side === 'base' ? label : 'working tree'}${outcome.warmup ? ' (warm-up)' : ''}`),
  });
  output.done();
  const base = sessionOf(sides.base, baseTarget, o, interpreter, baseLayers);
  const head = sessionOf(sides.head, target, o, interpreter);
  return { head, base: baseFromSession(base, label) };
}

function gateOptions(o: ProfileOptions): GateOptions {
  return {
    forbid: o.forbid,
    maxModules: o.maxModules,
    budgetMs: o.budget,
    budgetPackages: o.budgetPackage,
    allowNew: o.allowNew,
    maxRegressionPct: o.maxRegression,
    minDeltaMs: o.minDelta,
    alpha: DEFAULT_ALPHA,
  };
}

function checkEnvironment(baseline: Baseline, file: string, session: ProfileSession, o: ProfileOptions, output: Output): void {
  const { blocking, warnings } = environmentMismatches(baseline, environmentOf(session, toolVersion()), o.bytecode);
  if (blocking.length > 0 && !o.allowEnvMismatch) {
    throw new UserError(
      `The baseline ${file} was measured in another environment (${describeMismatch(blocking)}): its timings are not comparable; save a new baseline here, or pass --allow-env-mismatch.`,
    );
  }
  for (const w of [...(o.allowEnvMismatch ? blocking : []), ...warnings]) {
    output.warn(`the baseline was made with ${w.field} ${w.baseline}, this run with ${w.current}`);
  }
}

export async function runProfile(
  targetArg: string | undefined,
  raw: Record<string, unknown>,
  explicit: ReadonlySet<string> = new Set(Object.keys(raw)),
): Promise<number> {
  const output = createOutput();
  // configuration file < flags given on the command line
  const loaded = raw.config === false ? null : await loadConfig(typeof raw.config === 'string' ? raw.config : undefined);
  const fromConfig = loaded ? configAsOptions(loaded) : { target: undefined, options: {} };
  for (const f of loaded?.ignored ?? []) output.warn(`${f} has a [tool.lambda-cold] table too; ${loaded?.file} is used instead`);
  const parsed = parseOptions(ProfileOptions, mergeOptions(raw, explicit, fromConfig.options));
  const comparing = Boolean(parsed.against || parsed.baseline || parsed.saveBaseline);
  const o: ProfileOptions = { ...parsed, runs: parsed.runs ?? (comparing ? DEFAULT_COMPARE_RUNS : DEFAULT_RUNS) };
  const target = targetArg ?? (o.fromFile ? undefined : fromConfig.target);
  const format = o.json ? 'json' : o.format;
  if (o.json && explicit.has('format') && o.format !== 'json') throw new UserError(`--json and --format ${o.format} contradict each other: give one.`);
  if (o.against && o.baseline && explicit.has('against') && explicit.has('baseline')) {
    throw new UserError('Give either --baseline <file> or --against <git-ref>, not both.');
  }
  const against = o.against;
  const baselineFile = against ? undefined : o.baseline;
  const gopts = gateOptions(o);

  let session: ProfileSession;
  let gate: GateResult;
  if (o.fromFile) {
    if (target !== undefined) throw new UserError('Give either a target to run or --from-file captures, not both.');
    if (against || baselineFile || o.saveBaseline) {
      throw new UserError('--baseline, --save-baseline and --against need runs of the handler, not --from-file captures (their environment is unknown).');
    }
    session = sessionFromFiles(o.fromFile, await readCaptures(o.fromFile));
    gate = await gateWithConfirmation({ head: session, base: null }, gopts, null);
  } else {
    if (target === undefined) throw new UserError('No target: give a handler .py file, a package folder, or a module name with --root (or --from-file).');
    const t = resolveTarget(target, o.root);
    if (against) {
      if (o.saveBaseline) throw new UserError('--save-baseline saves a measurement of the working tree: run it without --against.');
      checkLayers(o.layer);
      const checkout = checkoutBase(against, t.root);
      const interpreter = resolveInterpreter(o.python, t.root);
      try {
        const first = await againstRuns(t, o, output, checkout, interpreter, o.warmup);
        session = first.head;
        gate = await gateWithConfirmation(first, gopts, o.confirm ? () => againstRuns(t, o, output, checkout, interpreter, 0) : null);
      } finally {
        dropBytecode(runSpec(interpreter, { ...t, root: checkout.map(t.root) }, o, o.layer.filter((l) => checkout.inRepo(l)).map((l) => checkout.map(l))));
        checkout.dispose();
      }
    } else {
      // read the baseline first: a corrupt one is an error before any run
      const baseline = baselineFile ? loadBaseline(baselineFile) : null;
      session = await profileRuns(t, o, output);
      if (baseline && baselineFile) checkEnvironment(baseline, baselineFile, session, o, output);
      const base = baseline && baselineFile ? baseFromBaseline(baseline, `baseline ${baselineFile}`) : null;
      gate = await gateWithConfirmation(
        { head: session, base },
        gopts,
        o.confirm ? async () => ({ head: await profileRuns(t, o, output, 0), base }) : null,
      );
      if (o.saveBaseline) {
        saveBaseline(o.saveBaseline, buildBaseline(session, toolVersion(), describeWorkingTree(t.root)));
        output.info(`Baseline saved to ${o.saveBaseline} (${session.aggregate.runs} runs, ${session.aggregate.modules.length} modules).`);
      }
    }
  }
  for (const w of session.warnings) output.warn(w);

  const gated = gate.checks.length > 0;
  const markdown = (): string => renderGateMarkdown(session, gate, { top: Math.min(o.top, 10) });
  if (isGitHubActions()) {
    const sources = { root: session.target?.root ?? process.cwd(), files: session.moduleFiles };
    const lines = annotationLines(gate.failures, (f) => (f.chain ? locateImport(f.chain, sources) : null), process.env.GITHUB_WORKSPACE ?? process.cwd());
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
  return gate.passed ? EXIT_OK : EXIT_GATE;
}
