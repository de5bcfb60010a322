// `lambda-cold profile`: validate options, acquire (harness runs or captured files), model, render.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { z } from 'zod';
import { parseImportTimeStream } from '../importtime/parse.js';
import type { ParseResult } from '../importtime/model.js';
import { sessionFromFiles, sessionFromRuns, type ProfileSession } from '../importtime/session.js';
import { resolveInterpreter } from '../python/interpreter.js';
import { runImports, type RunOutcome } from '../python/runner.js';
import { resolveTarget, type Target } from '../python/target.js';
import { renderProfileJson } from '../render/profile-json.js';
import { renderProfileReport } from '../render/profile-report.js';
import { fromImportNodes, renderTree } from '../render/tree.js';
import { EXIT_OK, UserError } from '../util/errors.js';
import { intFlag, numberFlag, parseOptions } from '../util/options.js';
import { createOutput, type Output } from '../util/output.js';

const ProfileOptions = z.object({
  root: z.string().min(1).optional(),
  layer: z.array(z.string().min(1)).default([]),
  python: z.string().min(1).optional(),
  runs: intFlag(1, 10_000),
  warmup: intFlag(0, 1_000),
  bytecode: z.enum(['cached', 'compile']),
  fromFile: z.array(z.string().min(1)).min(1).optional(),
  top: intFlag(1, 100_000),
  tree: z.boolean().default(false),
  maxDepth: intFlag(0, 10_000).optional(),
  minMs: numberFlag(0).optional(),
  json: z.boolean().default(false),
  timeout: numberFlag(0, { exclusiveMin: true, max: 86_400 }),
});
export type ProfileOptions = z.infer<typeof ProfileOptions>;

function toolVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

async function readCaptures(files: readonly string[]): Promise<ParseResult[]> {
  const parsed: ParseResult[] = [];
  for (const f of files) {
    if (!existsSync(f)) throw new UserError(`The file ${f} does not exist.`);
    if (!statSync(f).isFile()) throw new UserError(`${f} is not a file.`);
    const r = await parseImportTimeStream(createReadStream(f));
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

async function profileRuns(target: Target, o: ProfileOptions, output: Output): Promise<ProfileSession> {
  for (const l of o.layer) {
    if (!existsSync(l) || !statSync(l).isDirectory()) throw new UserError(`The layer folder ${l} does not exist.`);
  }
  const interpreter = resolveInterpreter(o.python, target.root);
  const spec = {
    interpreter,
    module: target.module,
    root: target.root,
    layers: o.layer,
    bytecode: o.bytecode,
    timeoutSec: o.timeout,
  };
  output.progress(`Python ${interpreter.version}: importing ${target.module}…`);
  const outcomes = await runImports(spec, {
    runs: o.runs,
    warmup: o.warmup,
    onRun: (outcome, done, total) => {
      const last = outcome.status === 'ok' ? ` (last: ${(outcome.init.roots.reduce((t, r) => t + r.cumulativeUs, 0) / 1000).toFixed(1)} ms)` : '';
      output.progress(`run ${done}/${total}${outcome.warmup ? ' (warm-up)' : ''}${last}`);
    },
  });
  output.done();
  const bad = outcomes.find((x) => x.status !== 'ok');
  if (bad) throw failure(bad, target, o.layer, o.timeout);
  return sessionFromRuns(outcomes, {
    target: { display: target.display, module: target.module, root: target.root, layers: o.layer, layerPaths: [] },
    python: {
      version: interpreter.version,
      implementation: interpreter.implementation,
      executable: interpreter.executable,
      requested: interpreter.requested,
      viaShim: interpreter.viaShim,
      platform: outcomes[0]?.result?.python.platform ?? process.platform,
    },
    bytecode: o.bytecode,
    warmup: o.warmup,
  });
}

export async function runProfile(target: string | undefined, raw: Record<string, unknown>): Promise<number> {
  const o = parseOptions(ProfileOptions, raw);
  const output = createOutput();
  let session: ProfileSession;
  if (o.fromFile) {
    if (target !== undefined) throw new UserError('Give either a target to run or --from-file captures, not both.');
    session = sessionFromFiles(o.fromFile, await readCaptures(o.fromFile));
  } else {
    if (target === undefined) throw new UserError('No target: give a handler .py file, a package folder, or a module name with --root (or --from-file).');
    session = await profileRuns(resolveTarget(target, o.root), o, output);
  }
  for (const w of session.warnings) output.warn(w);
  if (o.json) output.out(renderProfileJson(session, toolVersion()));
  else output.out(renderProfileReport(session, { top: o.top, tree: o.tree, maxDepth: o.maxDepth, minMs: o.minMs }));
  return EXIT_OK;
}
