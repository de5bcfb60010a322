// `lambda-cold profile`: validate options, acquire (harness runs or captured files), model, render.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseImportTimeStream } from '../importtime/parse.js';
import type { ParseResult } from '../importtime/model.js';
import { compareBytecode, sessionFromFiles, sessionFromRuns, type ProfileSession, type SessionPython } from '../importtime/session.js';
import { adviseProfile } from '../analysis/advice.js';
import { resolveInterpreter } from '../python/interpreter.js';
import { runInterleaved, type RunOutcome, type RunSpec } from '../python/runner.js';
import { resolveTarget, type Target } from '../python/target.js';
import { profileDocument, renderProfileJson } from '../render/profile-json.js';
import { renderProfileReport } from '../render/profile-report.js';
import { fromImportNodes, renderTree } from '../render/tree.js';
import { EXIT_OK, UserError } from '../util/errors.js';
import { _default, array, boolean, enum as oneOf, literal, minLength, object, optional, regex, string, union, type infer as Infer } from 'zod/mini';
import { intFlag, numberFlag, parseOptions } from '../util/options.js';
import { createOutput, type Output } from '../util/output.js';
import { toolVersion } from '../version.js';

const nonEmpty = string().check(minLength(1, { error: 'must not be empty' }));
const ProfileOptions = object({
  root: optional(nonEmpty),
  layer: _default(array(nonEmpty), []),
  python: optional(nonEmpty),
  runs: intFlag(1, 10_000),
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
});
export type ProfileOptions = Infer<typeof ProfileOptions>;

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

export async function runProfile(target: string | undefined, raw: Record<string, unknown>): Promise<number> {
  const o = parseOptions(ProfileOptions, raw);
  const output = createOutput();
  if (o.function && !o.sam) throw new UserError('--function names a function of a SAM template: give the template with --sam.');
  if (o.sam) {
    if (target !== undefined || o.fromFile) throw new UserError('Give either a target, --from-file captures or a --sam template, not several.');
    return profileSam(o, output);
  }
  let session: ProfileSession;
  let invokeError: UserError | null = null;
  if (o.fromFile) {
    if (target !== undefined) throw new UserError('Give either a target to run or --from-file captures, not both.');
    session = sessionFromFiles(o.fromFile, await readCaptures(o.fromFile));
  } else {
    if (target === undefined && o.handler?.includes('.')) target = o.handler.slice(0, o.handler.lastIndexOf('.'));
    if (target === undefined) throw new UserError('No target: give a handler .py file, a package folder, or a module name with --root (or --from-file).');
    const handlerModule = o.handler?.includes('.') ? o.handler.slice(0, o.handler.lastIndexOf('.')) : undefined;
    ({ session, invokeError } = await profileRuns(resolveTarget(target, o.root, process.cwd(), handlerModule), o, output));
  }
  session.advice = adviseProfile(session, { max: o.advice, initTargetMs: o.initTarget });
  for (const w of session.warnings) output.warn(w);
  if (o.json) output.out(renderProfileJson(session, toolVersion()));
  else output.out(renderProfileReport(session, { top: o.top, tree: o.tree, maxDepth: o.maxDepth, minMs: o.minMs }));
  if (invokeError) throw invokeError;
  return EXIT_OK;
}
