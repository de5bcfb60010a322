// `profile --remote <function>`: the import profile measured inside Lambda (./measure.ts), and with a local
// target as well, the local profile beside it per top-level package (local ms, Lambda ms, ratio): how far
// the local profile can be trusted for this function.
import { object, optional, string, url, type infer as Infer } from 'zod/mini';
import { comparePackages, type ProfileSession } from '../importtime/session.js';
import type { ProfileOptions } from '../profile/options.js';
import { handlerModuleOf } from '../python/target.js';
import { EXIT_ERROR, EXIT_INTERRUPTED } from '../util/errors.js';
import { intFlag, parseOptions } from '../util/options.js';
import type { Output } from '../util/output.js';
import { measureRemote } from './measure.js';

const remoteSchema = object({
  remoteCount: optional(intFlag(1, 1000)),
  region: optional(string()),
  profile: optional(string()),
  endpointUrl: optional(url({ error: 'expected a URL such as http://127.0.0.1:3001' })),
  logsTimeout: optional(intFlag(0, 3600)),
});

export type RemoteProfileOptions = Infer<typeof remoteSchema>;

export async function profileRemote(
  functionName: string,
  target: string | undefined,
  o: ProfileOptions,
  raw: Record<string, unknown>,
  output: Output,
): Promise<{ session: ProfileSession; exitCode: number | null; memorySizeMB: number }> {
  const r = parseOptions(remoteSchema, raw);
  let local: ProfileSession | null = null;
  if (target !== undefined) {
    const { profileRuns, resolveTarget } = await import('../profile/runs.js');
    const t = resolveTarget(target, o.root, process.cwd(), handlerModuleOf(o.handler));
    // only its package times are compared: no attribution run (the statements would be dropped)
    local = (await profileRuns(t, { ...o, statements: false }, output)).session;
  }
  const count = r.remoteCount ?? 3;
  const measured = await measureRemote(
    functionName,
    { count, concurrency: count, payload: Buffer.from('{}'), region: r.region, profile: r.profile, endpointUrl: r.endpointUrl, logsTimeoutSeconds: r.logsTimeout ?? 30, maxRetries: 5 },
    output,
  );
  const session = measured.session;
  if (local && session.remote) session.remote.comparison = comparePackages(local, session);
  return { session, exitCode: measured.interrupted ? EXIT_INTERRUPTED : measured.conflict ? EXIT_ERROR : null, memorySizeMB: measured.invocations.fn.memorySizeMB };
}
