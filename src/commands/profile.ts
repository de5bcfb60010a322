// `lambda-cold profile`: validate options, acquire (harness runs or captured files), model, render.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
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
import { compareBytecode, sessionFromFiles, sessionFromRuns, type ProfileSession, type SessionPython } from '../importtime/session.js';
import { adviseProfile } from '../analysis/advice.js';
import { resolveInterpreter, type Interpreter } from '../python/interpreter.js';
import { runInterleaved, type RunOutcome, type RunSpec } from '../python/runner.js';
import { resolveTarget, type Target } from '../python/target.js';
import { profileDocument, renderProfileJson } from '../render/profile-json.js';
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
  bytecode: oneOf(['cached', 'compile', 'both']),
  handler: optional(nonEmpty),
  invoke: optional(union([literal(true), nonEmpty])),
  warm: intFlag(0, 10_000),
  advice: intFlag(0, 100),
  initTarget: numberFlag(0),
  runtime: optional(string().check(regex(/^python3\.\d+$/, { error: 'expected a Lambda Python runtime such as python3.12' }))),
  sam: optional(nonEmpty),
  function: optional(nonEmpty),
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
    const requirements = join(target.root, 'requirements.txt');
    const hint = existsSync(requirements)
      ? ` The task root has a requirements.txt whose dependencies are not installed in it: lambda-cold installs nothing, so install them as the deployment does (pip install -r ${requirements} -t ${target.root}, or into a layer given with --layer) and profile again.`
      : layers.length === 0
        ? ' If it comes from a Lambda layer, pass the layer with --layer <dir>; otherwise install it into the task root.'
        : " It is in neither the task root, the layers given, nor the interpreter's site-packages.";
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

/** `--handler`: `module.function` or `function`; without it, lambda_handler then handler. */
function handlerFunction(handler: string | undefined, module: string): string | string[] {
  if (!handler) return ['lambda_handler', 'handler'];
  const dot = handler.lastIndexOf('.');
  if (dot < 0) return handler;
  const mod = handler.slice(0, dot);
  if (mod !== module) {
    throw new UserError(`--handler ${handler} names the module ${mod}, but the target imports ${module}: give the target's module (or only the function name).`);
  }
  return handler.slice(dot + 1);
}

function readEvent(invoke: true | string | undefined): { event: unknown; file: string | null } {
  if (invoke === undefined || invoke === true) return { event: {}, file: null };
  if (!existsSync(invoke)) throw new UserError(`The event file ${invoke} does not exist.`);
  try {
    return { event: JSON.parse(readFileSync(invoke, 'utf8')) as unknown, file: invoke };
  } catch (e) {
    throw new UserError(`The event file ${invoke} is not valid JSON: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

interface ProfileResult {
  session: ProfileSession;
  /** Set when the handler's call raised (with --invoke): reported after the init profile. */
  invokeError: UserError | null;
}

async function profileRuns(target: Target, o: ProfileOptions, output: Output): Promise<ProfileResult> {
  for (const l of o.layer) {
    if (!existsSync(l) || !statSync(l).isDirectory()) throw new UserError(`The layer folder ${l} does not exist.`);
  }
  const interpreter = resolveInterpreter(o.python, target.root);
  const localRuntime = `python${interpreter.major}.${interpreter.minor}`;
  if (o.runtime && o.runtime !== localRuntime) {
    output.warn(
      `the function runs on ${o.runtime} but this profile uses Python ${interpreter.version} (${interpreter.executable}): import times and bytecode differ between versions; pass --python with a ${o.runtime.replace('python', 'Python ')} interpreter for faithful figures.`,
    );
  }
  const event = o.invoke === undefined ? null : readEvent(o.invoke);
  const base: RunSpec = {
    interpreter,
    module: target.module,
    root: target.root,
    layers: o.layer,
    bytecode: o.bytecode === 'compile' ? 'compile' : 'cached',
    timeoutSec: o.timeout,
    invoke: event ? { function: handlerFunction(o.handler, target.module), event: event.event, warm: o.warm } : undefined,
  };
  const specs = o.bytecode === 'both' ? [base, { ...base, bytecode: 'compile' as const }] : [base];
  output.progress(`Python ${interpreter.version}: importing ${target.module}…`);
  const results = await runInterleaved(specs, {
    runs: o.runs,
    warmup: o.warmup,
    onRun: (outcome, done, total) => {
      const last = outcome.status === 'ok' ? ` (last: ${(outcome.init.roots.reduce((t, r) => t + r.cumulativeUs, 0) / 1000).toFixed(1)} ms)` : '';
      output.progress(`run ${done}/${total}${outcome.warmup ? ' (warm-up)' : ''}${last}`);
    },
  });
  output.done();
  const all = results.flat();
  const bad = all.find((x) => x.status !== 'ok');
  if (bad) throw failure(bad, target, o.layer, o.timeout);
  const outcomes = results[0] as RunOutcome[];
  const invokeFailed = all.find((x) => x.result?.invoke?.status === 'error');
  // with a failing call, the init profile still stands: measured runs, or the warm-up if none finished
  let measured = outcomes.filter((x) => !x.warmup);
  if (measured.length === 0) measured = outcomes.map((x) => ({ ...x, warmup: false }));
  const invokedFn = measured.find((x) => x.result?.invoke?.function)?.result?.invoke?.function;
  const session = sessionFromRuns(measured, {
    target: { display: target.display, module: target.module, root: target.root, path: target.path, layers: o.layer, layerPaths: [] },
    python: {
      version: interpreter.version,
      implementation: interpreter.implementation,
      executable: interpreter.executable,
      requested: interpreter.requested,
      viaShim: interpreter.viaShim,
      platform: outcomes[0]?.result?.python.platform ?? process.platform,
    },
    bytecode: o.bytecode === 'compile' ? 'compile' : 'cached',
    warmup: outcomes.filter((x) => x.warmup).length,
    invoke: event && !invokeFailed ? { handler: `${target.module}.${invokedFn ?? String(base.invoke?.function)}`, eventFile: event.file, warmCalls: o.warm } : undefined,
    runtime: o.runtime ?? null,
  });
  if (o.bytecode === 'both') {
    const compiled = (results[1] as RunOutcome[]).filter((x) => !x.warmup);
    session.bytecodeComparison = compareBytecode(session, sessionFromRuns(compiled, { ...session, target: session.target, python: session.python as SessionPython, bytecode: 'compile', warmup: 0 }));
  }
  let invokeError: UserError | null = null;
  if (invokeFailed) {
    const err = invokeFailed.result?.invoke?.error;
    invokeError = new UserError(
      err?.type === 'HandlerNotFound'
        ? `${err.message}: pass the function with --handler module.function.`
        : `The handler raised ${err?.type ?? 'an exception'}${err?.message ? `: ${err.message}` : ''} on its first call${where(err?.location ?? null, target.root)} (the init profile above stands).`,
      { detail: err?.traceback?.trim() || undefined },
    );
  }
  return { session, invokeError };
}

function sessionOf(outcomes: readonly RunOutcome[], target: Target, o: ProfileOptions, interpreter: Interpreter, layers: readonly string[]): ProfileSession {
  const bad = outcomes.find((x) => x.status !== 'ok');
  if (bad) throw failure(bad, target, [...layers], o.timeout);
  return sessionFromRuns(
    outcomes.filter((x) => !x.warmup),
    {
      target: { display: target.display, module: target.module, root: target.root, path: target.path, layers: [...layers], layerPaths: [] },
      python: {
        version: interpreter.version,
        implementation: interpreter.implementation,
        executable: interpreter.executable,
        requested: interpreter.requested,
        viaShim: interpreter.viaShim,
        platform: outcomes[0]?.result?.python.platform ?? process.platform,
      },
      bytecode: o.bytecode === 'compile' ? 'compile' : 'cached',
      warmup: outcomes.filter((x) => x.warmup).length,
      runtime: o.runtime ?? null,
    },
  );
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
  const spec = (t: Target, layers: string[]): RunSpec => ({
    interpreter,
    module: t.module,
    root: t.root,
    layers,
    bytecode: o.bytecode === 'compile' ? 'compile' : 'cached',
    timeoutSec: o.timeout,
  });
  const label = baseLabel(checkout);
  const sides = await measureInterleaved(spec(baseTarget, baseLayers), spec(target, o.layer), {
    runs: o.runs,
    warmup,
    onRun: (side, outcome, done, total) => output.progress(`run ${done}/${total}: ${side === 'base' ? label : 'working tree'}${outcome.warmup ? ' (warm-up)' : ''}`),
  });
  output.done();
  const base = sessionOf(sides.base, baseTarget, o, interpreter, baseLayers);
  const head = sessionOf(sides.head, target, o, interpreter, o.layer);
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
  const module = session.target?.module ?? '';
  if (baseline.measurement.module !== module) {
    throw new UserError(`The baseline ${file} measures the handler ${baseline.measurement.module}, not ${module}: save a baseline of this handler with --save-baseline.`);
  }
  const { blocking, warnings } = environmentMismatches(baseline, environmentOf(session, toolVersion()), session.bytecode ?? 'cached');
  if (blocking.length > 0 && !o.allowEnvMismatch) {
    throw new UserError(
      `The baseline ${file} was measured in another environment (${describeMismatch(blocking)}): its timings are not comparable; save a new baseline here, or pass --allow-env-mismatch.`,
    );
  }
  for (const w of [...(o.allowEnvMismatch ? blocking : []), ...warnings]) {
    output.warn(`the baseline was made with ${w.field} ${w.baseline}, this run with ${w.current}`);
  }
}

/** Gate outputs: GitHub Actions annotations and step summary, then the document in the chosen format. */
function renderWithGate(session: ProfileSession, gate: GateResult, o: ProfileOptions, format: 'text' | 'json' | 'markdown', output: Output): void {
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
}

/** `--sam`: profile each Python function of a SAM template (or the one --function names). */
async function profileSam(o: ProfileOptions, output: Output): Promise<number> {
  const template = o.sam as string;
  // the YAML parser is loaded only for templates
  const { readSamTemplate } = await import('../sam/template.js');
  const { functions, skipped } = readSamTemplate(template);
  let chosen = functions;
  if (o.function) {
    chosen = functions.filter((f) => f.logicalId === o.function);
    if (chosen.length === 0) {
      const why = skipped.find((s) => s.logicalId === o.function);
      throw new UserError(
        why
          ? `The function ${o.function} in ${template} cannot be profiled: ${why.reason}.`
          : `${template} has no function ${o.function}; its Python functions: ${functions.map((f) => f.logicalId).join(', ') || 'none'}.`,
      );
    }
  } else {
    for (const s of skipped) output.warn(`${s.logicalId} skipped: ${s.reason}.`);
  }
  if (chosen.length === 0) throw new UserError(`${template} declares no Python function whose code is in a local folder.`);
  const docs: Array<Record<string, unknown>> = [];
  const reports: string[] = [];
  let invokeError: UserError | null = null;
  for (const fn of chosen) {
    for (const l of fn.skippedLayers) output.warn(`${fn.logicalId}: layer ${l} is not a local folder and is left out: its imports will be missing or come from elsewhere.`);
    const file = join(fn.root, `${fn.module.replace(/\./g, sep)}.py`);
    const target: Target = {
      module: fn.module,
      root: fn.root,
      path: existsSync(file) ? file : null,
      display: `${fn.logicalId} (${fn.handler} in ${relative(process.cwd(), fn.root) || '.'})`,
    };
    const opts: ProfileOptions = { ...o, layer: fn.layers, runtime: o.runtime ?? fn.runtime, handler: `${fn.module}.${fn.function}` };
    let result: ProfileResult;
    try {
      result = await profileRuns(target, opts, output);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`${fn.logicalId}: ${e.message}`, { detail: e.detail });
      throw e;
    }
    const { session } = result;
    invokeError ??= result.invokeError;
    session.advice = adviseProfile(session, { max: o.advice, initTargetMs: o.initTarget });
    for (const w of session.warnings) output.warn(`${fn.logicalId}: ${w}`);
    if (o.json) {
      docs.push({
        logicalId: fn.logicalId,
        runtime: fn.runtime,
        handler: fn.handler,
        root: fn.root,
        layers: fn.layers,
        skippedLayers: fn.skippedLayers,
        profile: profileDocument(session, toolVersion()),
      });
    } else {
      reports.push(`── ${fn.logicalId} · ${fn.runtime} · ${fn.handler} ──\n${renderProfileReport(session, { top: o.top, tree: o.tree, maxDepth: o.maxDepth, minMs: o.minMs })}`);
    }
  }
  if (o.json) {
    output.out(`${JSON.stringify({ schemaVersion: 1, kind: 'profile-sam', template, functions: docs, skipped }, null, 2)}\n`);
  } else {
    output.out(reports.join('\n'));
    if (skipped.length > 0 && !o.function) output.out(`Skipped: ${skipped.map((s) => `${s.logicalId} (${s.reason})`).join('; ')}\n`);
  }
  if (invokeError) throw invokeError;
  return EXIT_OK;
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
  let target = targetArg ?? (o.fromFile || o.sam ? undefined : fromConfig.target);
  if (o.json && explicit.has('format') && o.format !== 'json') throw new UserError(`--json and --format ${o.format} contradict each other: give one.`);
  const format = o.json ? 'json' : o.format;
  if (o.function && !o.sam) throw new UserError('--function names a function of a SAM template: give the template with --sam.');
  if (o.sam) {
    if (target !== undefined || o.fromFile) throw new UserError('Give either a target, --from-file captures or a --sam template, not several.');
    const gated = o.forbid.length > 0 || o.maxModules !== undefined || o.budget !== undefined || o.budgetPackage.length > 0 || o.against || o.baseline || o.saveBaseline;
    if (gated) throw new UserError('The CI gate checks one handler: give its target (or --handler) instead of --sam, one CI step per function.');
    return profileSam({ ...o, json: format === 'json' }, output);
  }
  if (o.against && o.baseline && explicit.has('against') && explicit.has('baseline')) {
    throw new UserError('Give either --baseline <file> or --against <git-ref>, not both.');
  }
  const against = o.against;
  const baselineFile = against ? undefined : o.baseline;
  if ((against || baselineFile || o.saveBaseline) && o.bytecode === 'both') {
    throw new UserError('--bytecode both measures two variants of one tree: compare them with --baseline or --against under --bytecode cached or compile.');
  }
  const gopts = gateOptions(o);
  let session: ProfileSession;
  let invokeError: UserError | null = null;
  let gate: GateResult;
  if (o.fromFile) {
    if (target !== undefined) throw new UserError('Give either a target to run or --from-file captures, not both.');
    if (against || baselineFile || o.saveBaseline) {
      throw new UserError('--baseline, --save-baseline and --against need runs of the handler, not --from-file captures (their environment is unknown).');
    }
    session = sessionFromFiles(o.fromFile, await readCaptures(o.fromFile));
    gate = await gateWithConfirmation({ head: session, base: null }, gopts, null);
  } else {
    if (target === undefined && o.handler?.includes('.')) target = o.handler.slice(0, o.handler.lastIndexOf('.'));
    if (target === undefined) throw new UserError('No target: give a handler .py file, a package folder, or a module name with --root (or --from-file).');
    const handlerModule = o.handler?.includes('.') ? o.handler.slice(0, o.handler.lastIndexOf('.')) : undefined;
    const t = resolveTarget(target, o.root, process.cwd(), handlerModule);
    if (against) {
      if (o.saveBaseline) throw new UserError('--save-baseline saves a measurement of the working tree: run it without --against.');
      if (o.invoke !== undefined) output.warn('--against compares the init (the handler\'s import) only: the handler is not called');
      for (const l of o.layer) {
        if (!existsSync(l) || !statSync(l).isDirectory()) throw new UserError(`The layer folder ${l} does not exist.`);
      }
      const checkout = checkoutBase(against, t.root);
      try {
        const interpreter = resolveInterpreter(o.python, t.root);
        try {
          const first = await againstRuns(t, o, output, checkout, interpreter, o.warmup);
          session = first.head;
          gate = await gateWithConfirmation(first, gopts, o.confirm ? () => againstRuns(t, o, output, checkout, interpreter, 0) : null);
        } finally {
          const inRepo = o.layer.filter((l) => checkout.inRepo(l)).map((l) => checkout.map(l));
          dropBytecode({ interpreter, module: t.module, root: checkout.map(t.root), layers: inRepo, bytecode: o.bytecode === 'compile' ? 'compile' : 'cached', timeoutSec: o.timeout });
        }
      } finally {
        checkout.dispose();
      }
    } else {
      // read the baseline first: a corrupt one is an error before any run
      const baseline = baselineFile ? loadBaseline(baselineFile) : null;
      ({ session, invokeError } = await profileRuns(t, o, output));
      if (baseline && baselineFile) checkEnvironment(baseline, baselineFile, session, o, output);
      const base = baseline && baselineFile ? baseFromBaseline(baseline, `baseline ${baselineFile}`) : null;
      gate = await gateWithConfirmation(
        { head: session, base },
        gopts,
        o.confirm && !invokeError ? async () => ({ head: (await profileRuns(t, { ...o, warmup: 0 }, output)).session, base }) : null,
      );
      if (o.saveBaseline) {
        saveBaseline(o.saveBaseline, buildBaseline(session, toolVersion(), describeWorkingTree(t.root)));
        output.info(`Baseline saved to ${o.saveBaseline} (${session.aggregate.runs} runs, ${session.aggregate.modules.length} modules).`);
      }
    }
  }
  session.advice = adviseProfile(session, { max: o.advice, initTargetMs: o.initTarget });
  for (const w of session.warnings) output.warn(w);
  renderWithGate(session, gate, o, format, output);
  if (invokeError) throw invokeError;
  return gate.passed ? EXIT_OK : EXIT_GATE;
}
