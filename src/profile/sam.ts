// `profile --sam`: each Python function of a SAM template, profiled as Lambda will import it.
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { adviseProfile } from '../analysis/advice.js';
import type { Target } from '../python/target.js';
import type { SamInput } from '../render/inputs.js';
import { render } from '../render/registry.js';
import { blockSink } from '../render/sink.js';
import { EXIT_OK, UserError } from '../util/errors.js';
import type { Output } from '../util/output.js';
import { toolVersion } from '../version.js';
import { scalingAt, type MemoryChoice } from './memory.js';
import { reportOptions, type ProfileOptions } from './options.js';
import { profileRuns, type ProfileResult } from './runs.js';

/** `--sam`: profile each Python function of a SAM template (or the one --function names). */
export async function profileSam(o: ProfileOptions, output: Output, memory: MemoryChoice | null = null): Promise<number> {
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
  const profiles: SamInput['functions'] = [];
  const options = reportOptions(o);
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
    // the advice is worded for --memory, else the function's MemorySize
    if (fn.memorySizeMB === null && memory?.memorySizeMB == null) output.warn(`${fn.logicalId}: MemorySize is not a number in ${template}: the advice leaves the memory size out (give --memory)`);
    const advice = adviseProfile(session, { max: o.advice, initTargetMs: o.initTarget, scaling: scalingAt(memory, fn.memorySizeMB) });
    for (const w of session.warnings) output.warn(`${fn.logicalId}: ${w}`);
    profiles.push({
      logicalId: fn.logicalId,
      runtime: fn.runtime,
      handler: fn.handler,
      root: fn.root,
      layers: fn.layers,
      skippedLayers: fn.skippedLayers,
      profile: { session, advice, gate: null, options, toolVersion: toolVersion() },
    });
  }
  const sink = blockSink((block) => output.out(block));
  await render('profile-sam', o.json ? 'json' : 'text', { template, functions: profiles, skipped, listSkipped: !o.function }, sink);
  sink.end();
  if (invokeError) throw invokeError;
  return EXIT_OK;
}

