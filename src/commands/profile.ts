// `lambda-cold profile`: settle the options (config file < flags), pick the path — captured files, a SAM
// template, runs of the handler, with or without a baseline or a base revision —, gate, render, exit code.
// The run path, the gate's comparisons and SAM are loaded only when used.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { adviseProfile } from '../analysis/advice.js';
import { configAsOptions, loadConfig, mergeOptions } from '../gate/config.js';
import { evaluateGates, gateWithConfirmation } from '../gate/gates.js';
import { DEFAULT_ALPHA, type BaseSide, type GateOptions, type GateResult } from '../gate/types.js';
import type { ParseResult } from '../importtime/model.js';
import { parseImportTimeStream } from '../importtime/parse.js';
import { sessionFromFiles, type ProfileSession } from '../importtime/session.js';
import { memoryChoice, scalingAt } from '../profile/memory.js';
import { DEFAULT_COMPARE_RUNS, DEFAULT_RUNS, exportFiles, ProfileOptionsSchema, pythonsOf, reportOptions, type ProfileOptions } from '../profile/options.js';
import { handlerModuleOf } from '../python/target.js';
import { gateWording } from '../render/gate-text.js';
import { annotationLines, appendStepSummary, isGitHubActions } from '../render/github.js';
import type { ProfileInput } from '../render/inputs.js';
import { FORMATS, render, type FormatOf } from '../render/registry.js';
import { blockSink, StringSink } from '../render/sink.js';
import { loadTables } from '../render/text-table.js';
import { EXIT_GATE, EXIT_OK, UserError } from '../util/errors.js';
import { kebabCase, parseOptions } from '../util/options.js';
import { checkOutputFile, writeOutputFile } from '../util/output-file.js';
import { createOutput, type Output } from '../util/output.js';
import { toolVersion } from '../version.js';

export type { ProfileOptions } from '../profile/options.js';
export { DEFAULT_COMPARE_RUNS, DEFAULT_RUNS } from '../profile/options.js';

/**
 * Start loading the chosen renderer (with cli-table3 for the terminal report) without waiting for it.
 * The run path calls this once the first Python run is under way, so that the loading overlaps the runs
 * instead of following them; render() then finds the modules loaded. A failure to load surfaces there.
 */
function preloadRenderer(format: FormatOf<'profile'>): void {
  Promise.all([FORMATS.profile[format](), format === 'text' ? loadTables() : null]).catch(() => undefined);
}

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

/**
 * Under GitHub Actions, the gate's annotations (on the import statements, located here: renderers read
 * no source file) and the step summary; then the document in the chosen format.
 */
async function writeProfile(input: ProfileInput, format: FormatOf<'profile'>, output: Output): Promise<void> {
  const { session, gate } = input;
  if (gate && isGitHubActions()) {
    const { locateImport } = await import('../analysis/locate.js');
    const located = gate.failures.map((f) => (f.chain ? locateImport(f.chain, session.facts) : null));
    // workflow commands always on stderr: stdout carries the document alone
    for (const l of annotationLines(gate.failures, located, process.env.GITHUB_WORKSPACE ?? process.cwd())) output.info(l);
    if (gate.checks.length > 0 || format === 'markdown') {
      const markdown = new StringSink();
      await render('profile', 'markdown', input, markdown);
      const written = appendStepSummary(markdown.toString());
      if (typeof written === 'string') output.warn(`${written}: the gate's result and exit code stand`);
    }
  }
  const sink = blockSink((block) => output.out(block));
  await render('profile', format, input, sink);
  sink.end();
}

/** --speedscope, --trace and --html: refuse a path that cannot be a file before anything is measured. */
function checkExportFiles(o: ProfileOptions): void {
  for (const { flag, file } of exportFiles(o)) checkOutputFile(flag, file);
}

const OPEN_WITH = { speedscope: 'open it at https://www.speedscope.app', trace: 'open it at https://ui.perfetto.dev', html: 'open it in a browser' } as const;

/** The document on stdout, then the same profile in each export's format, to its file, through the registry. */
async function writeOutputs(input: ProfileInput, format: FormatOf<'profile'>, o: ProfileOptions, output: Output): Promise<void> {
  await writeProfile(input, format, output);
  for (const { flag, format: exportFormat, file } of exportFiles(o)) {
    await writeOutputFile(flag, file, (sink) => render('profile', exportFormat, input, sink));
    output.info(`Wrote ${file} (${OPEN_WITH[exportFormat]}).`);
  }
}

/** `--python A --python B …`: the same handler on each interpreter, compared with the first (src/profile/pythons.ts). */
async function profileSeveralPythons(
  target: string | undefined,
  o: ProfileOptions,
  raw: Record<string, unknown>,
  explicit: ReadonlySet<string>,
  format: FormatOf<'profile'>,
  output: Output,
): Promise<number> {
  const { ignoredFromConfig, profilePythons, refusedWithPythons } = await import('../profile/pythons.js');
  const refused = refusedWithPythons(explicit, raw);
  if (refused) throw new UserError(refused);
  if (format !== 'text' && format !== 'json') throw new UserError(`--format ${format} is not available with several --python: give text or json.`);
  const ignored = ignoredFromConfig(o, explicit);
  if (ignored.length > 0) output.warn(`the configuration file's ${ignored.map(kebabCase).join(', ')} apply to one interpreter: not used with several --python`);
  target ??= handlerModuleOf(o.handler);
  if (target === undefined) throw new UserError('No target: give a handler .py file, a package folder, or a module name with --root.');
  const { resolveTarget } = await import('../profile/runs.js');
  const input = await profilePythons(resolveTarget(target, o.root, process.cwd(), handlerModuleOf(o.handler)), o, output);
  for (const w of input.warnings) output.warn(w);
  const sink = blockSink((block) => output.out(block));
  await render('profile-pythons', format, input, sink);
  sink.end();
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
  // a value from the file is named as the file's key, with the flag's wording
  const fromFile = (key: string): string | undefined =>
    loaded && key in fromConfig.options && !explicit.has(key)
      ? `${key === 'layer' ? 'layers' : kebabCase(key)} in ${loaded.file}${loaded.file.endsWith('.toml') ? ' [tool.lambda-cold]' : ''}`
      : undefined;
  const parsed = parseOptions(ProfileOptionsSchema, mergeOptions(raw, explicit, fromConfig.options), fromFile);
  const pythons = pythonsOf(parsed.python);
  const comparing = Boolean(parsed.against || parsed.baseline || parsed.saveBaseline) || pythons.length > 1;
  const o: ProfileOptions = { ...parsed, runs: parsed.runs ?? (comparing ? DEFAULT_COMPARE_RUNS : DEFAULT_RUNS), python: pythons.length > 1 ? undefined : pythons[0], pythons };
  let target = targetArg ?? (o.fromFile || o.sam ? undefined : fromConfig.target);
  if (o.json && explicit.has('format') && o.format !== 'json') throw new UserError(`--json and --format ${o.format} contradict each other: give one.`);
  const format = o.json ? 'json' : o.format;
  // options that shape the import tree mean nothing without it: refused rather than silently dropped
  const treeOnly = (['lines', 'maxDepth', 'minMs'] as const).filter((k) => explicit.has(k)).map((k) => `--${kebabCase(k)}`);
  if (treeOnly.length > 0 && !o.tree) throw new UserError(`${treeOnly.join(', ')} ${treeOnly.length === 1 ? 'shapes' : 'shape'} the import tree, which only --tree prints: add --tree.`);
  if (o.lines && !o.statements) throw new UserError('--lines shows what the attribution run timed, and --no-statements skips that run: give one.');
  if (o.lines && typeof raw.remote === 'string') throw new UserError('--lines shows what a local attribution run timed; a profile measured inside Lambda (--remote) has none: drop --lines.');
  if (pythons.length > 1) return profileSeveralPythons(target, o, raw, explicit, format, output);
  if (o.sam && (exportFiles(o).length > 0 || format === 'speedscope' || format === 'trace' || format === 'html')) throw new UserError('--speedscope, --trace and --html export one import tree: give one handler (its target) instead of --sam.');
  checkExportFiles(o);
  if (o.function && !o.sam) throw new UserError('--function names a function of a SAM template: give the template with --sam.');
  // the memory size the advice is worded for, settled before anything is measured
  const memory = await memoryChoice(o, raw, output);
  if (typeof raw.remote === 'string') {
    if (o.sam || o.fromFile) throw new UserError('--remote measures a deployed function: give it alone or with a local target, not with --sam or --from-file.');
    const gated = o.forbid.length > 0 || o.maxModules !== undefined || o.budget !== undefined || o.budgetPackage.length > 0 || comparing;
    if (gated) throw new UserError('The CI gate and its comparisons check local runs: run them without --remote.');
    const { profileRemote } = await import('../remote/profile.js');
    const { session, exitCode, memorySizeMB } = await profileRemote(raw.remote, target, o, raw, output);
    const advice = adviseProfile(session, { max: o.advice, initTargetMs: o.initTarget, scaling: scalingAt(memory, memorySizeMB) });
    for (const w of session.warnings) output.warn(w);
    await writeOutputs({ session, advice, gate: null, options: reportOptions(o), toolVersion: toolVersion() }, format, o, output);
    return exitCode ?? EXIT_OK;
  }
  if (o.sam) {
    if (target !== undefined || o.fromFile) throw new UserError('Give either a target, --from-file captures or a --sam template, not several.');
    const gated = o.forbid.length > 0 || o.maxModules !== undefined || o.budget !== undefined || o.budgetPackage.length > 0 || o.against || o.baseline || o.saveBaseline;
    if (gated) throw new UserError('The CI gate checks one handler: give its target (or --handler) instead of --sam, one CI step per function.');
    const { profileSam } = await import('../profile/sam.js');
    return profileSam({ ...o, json: format === 'json' }, output, memory);
  }
  if (o.against && o.baseline && explicit.has('against') && explicit.has('baseline')) {
    throw new UserError('Give either --baseline <file> or --against <git-ref>, not both.');
  }
  const against = o.against;
  const baselineFile = against ? undefined : o.baseline;
  if ((against || baselineFile || o.saveBaseline) && o.bytecode === 'both') {
    throw new UserError('--bytecode both measures two variants of one tree: compare them with --baseline or --against under --bytecode cached or compile.');
  }
  const gopts: GateOptions = {
    forbid: o.forbid,
    maxModules: o.maxModules,
    budgetMs: o.budget,
    budgetPackages: o.budgetPackage,
    allowNew: o.allowNew,
    maxRegressionPct: o.maxRegression,
    minDeltaMs: o.minDelta,
    alpha: DEFAULT_ALPHA,
  };
  let session: ProfileSession;
  let invokeError: UserError | null = null;
  let gate: GateResult;
  if (o.fromFile) {
    if (target !== undefined) throw new UserError('Give either a target to run or --from-file captures, not both.');
    if (against || baselineFile || o.saveBaseline) {
      throw new UserError('--baseline, --save-baseline and --against need runs of the handler, not --from-file captures (their environment is unknown).');
    }
    preloadRenderer(format);
    session = sessionFromFiles(o.fromFile, await readCaptures(o.fromFile));
    gate = evaluateGates(session, null, gopts, gateWording);
  } else {
    target ??= handlerModuleOf(o.handler);
    if (target === undefined) throw new UserError('No target: give a handler .py file, a package folder, or a module name with --root (or --from-file).');
    // the run path (child processes, hashing) is loaded only when Python runs
    const { profileRuns, requireLayerFolders, resolveInterpreter, resolveTarget } = await import('../profile/runs.js');
    const t = resolveTarget(target, o.root, process.cwd(), handlerModuleOf(o.handler));
    if (against) {
      if (o.saveBaseline) throw new UserError('--save-baseline saves a measurement of the working tree: run it without --against.');
      if (o.invoke !== undefined) output.warn('--against compares the init (the handler\'s import) only: the handler is not called');
      requireLayerFolders(o.layer);
      const { checkoutBase } = await import('../profile/against.js');
      const { againstRuns } = await import('../profile/compare.js');
      const { dropCaches } = await import('../python/cache.js');
      const checkout = checkoutBase(against, t.root);
      try {
        const interpreter = resolveInterpreter(o.python, t.root);
        try {
          // againstRuns spawns the first run before it returns (schedule() does so synchronously)
          const measuring = againstRuns(t, o, output, checkout, interpreter, o.warmup);
          preloadRenderer(format);
          const first = await measuring;
          session = first.head;
          gate = await gateWithConfirmation(first, gopts, o.confirm ? () => againstRuns(t, o, output, checkout, interpreter, 0) : null, gateWording);
        } finally {
          const inRepo = o.layer.filter((l) => checkout.inRepo(l)).map((l) => checkout.map(l));
          dropCaches(interpreter, o.bytecode === 'compile' ? 'compile' : 'cached', [checkout.map(t.root), ...inRepo], t.module);
        }
      } finally {
        checkout.dispose();
      }
    } else {
      // read the baseline first: a corrupt one is an error before any run
      const baseline = baselineFile ? (await import('../gate/baseline.js')).loadBaseline(baselineFile) : null;
      // profileRuns spawns the first run before it returns (schedule() does so synchronously)
      const measuring = profileRuns(t, o, output);
      preloadRenderer(format);
      ({ session, invokeError } = await measuring);
      // a baseline's comparison and --save-baseline load their modules only when given
      let base: BaseSide | null = null;
      if (baseline && baselineFile) {
        const { checkEnvironment } = await import('../profile/compare.js');
        const { baseFromBaseline } = await import('../gate/sides.js');
        checkEnvironment(baseline, baselineFile, session, o, output);
        base = baseFromBaseline(baseline, `baseline ${baselineFile}`);
      }
      gate = await gateWithConfirmation(
        { head: session, base },
        gopts,
        o.confirm && !invokeError ? async () => ({ head: (await profileRuns(t, { ...o, warmup: 0, statements: false }, output)).session, base }) : null,
        gateWording,
      );
      if (o.saveBaseline) {
        const { buildBaseline, saveBaseline } = await import('../gate/baseline.js');
        const { describeWorkingTree } = await import('../profile/against.js');
        saveBaseline(o.saveBaseline, buildBaseline(session, toolVersion(), describeWorkingTree(t.root)));
        output.info(`Baseline saved to ${o.saveBaseline} (${session.aggregate.runs} runs, ${session.aggregate.modules.length} modules).`);
      }
    }
  }
  const advice = adviseProfile(session, { max: o.advice, initTargetMs: o.initTarget, scaling: scalingAt(memory) });
  for (const w of session.warnings) output.warn(w);
  await writeOutputs({ session, advice, gate, options: reportOptions(o), toolVersion: toolVersion() }, format, o, output);
  if (invokeError) throw invokeError;
  return gate.passed ? EXIT_OK : EXIT_GATE;
}

