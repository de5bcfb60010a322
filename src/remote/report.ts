// `invoke <fn> --importtime`: measure inside Lambda (./measure.ts), then render the same report `profile` does.
import { adviseProfile } from '../analysis/advice.js';
import type { ProfileRenderOptions } from '../render/inputs.js';
import { render } from '../render/registry.js';
import { blockSink } from '../render/sink.js';
import { EXIT_ERROR, EXIT_OK } from '../util/errors.js';
import type { Output } from '../util/output.js';
import { toolVersion } from '../version.js';
import { measureRemote, type RemoteOptions } from './measure.js';

export async function invokeImporttime(
  given: string,
  o: RemoteOptions,
  view: { json: boolean; options: ProfileRenderOptions },
  output: Output,
): Promise<number> {
  const { session, interrupted, conflict } = await measureRemote(given, o, output);
  const advice = adviseProfile(session, { max: 5, initTargetMs: 250 });
  for (const w of session.warnings) output.warn(w);
  const sink = blockSink((block) => output.out(block));
  await render('profile', view.json ? 'json' : 'text', { session, advice, gate: null, options: view.options, toolVersion: toolVersion() }, sink);
  sink.end();
  if (interrupted) return 130;
  return conflict ? EXIT_ERROR : EXIT_OK;
}
