// `invoke <fn> --importtime`: measure inside Lambda (./measure.ts), then render the same report `profile` does.
import { adviseProfile } from '../analysis/advice.js';
import { summariseInvocations } from '../analysis/invoke-stats.js';
import type { InvokeReport, ProfileRenderOptions } from '../render/inputs.js';
import { writePage } from '../render/emit.js';
import { render } from '../render/registry.js';
import { blockSink } from '../render/sink.js';
import { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK } from '../util/errors.js';
import type { Output } from '../util/output.js';
import { toolVersion } from '../version.js';
import { IMPORTTIME_VARIABLE, measureRemote, type RemoteOptions } from './measure.js';

export async function invokeImporttime(
  given: string,
  o: RemoteOptions,
  view: { json: boolean; options: ProfileRenderOptions; html?: string; pricePerGbSecond?: number },
  output: Output,
): Promise<number> {
  const { session, interrupted, conflict, invocations } = await measureRemote(given, o, output);
  const advice = adviseProfile(session, { max: 5, initTargetMs: 250 });
  for (const w of session.warnings) output.warn(w);
  const sink = blockSink((block) => output.out(block));
  await render('profile', view.json ? 'json' : 'text', { session, advice, gate: null, options: view.options, toolVersion: toolVersion() }, sink);
  sink.end();
  if (view.html !== undefined) {
    // the page is invoke's: the cold starts that were profiled, not the import tree
    const { fn, records, updates, throttled, restore } = invocations;
    const report: InvokeReport = {
      function: fn,
      region: session.remote?.region ?? '',
      invocations: records,
      summary: summariseInvocations(records, fn, { pricePerGbSecond: view.pricePerGbSecond, requested: o.count }),
      forced: { cold: true, updates, restore, recoveryFile: null },
      notes: [`--importtime forced every sample to be a cold start with ${IMPORTTIME_VARIABLE}=1 set: -X importtime's own overhead is inside these Init Durations.`],
      interrupted,
      throttled,
    };
    await writePage('invoke', report, view.html, output);
  }
  if (interrupted) return EXIT_INTERRUPTED;
  return conflict ? EXIT_ERROR : EXIT_OK;
}
