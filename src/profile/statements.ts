// The attribution run of `profile`: after the measured runs (they say which modules are the user's and what
// their own code costs; their figures stay untouched), one more fresh interpreter with the same bytecode
// cache times each top-level statement of the user's modules (src/python/statements.py). A Python where
// that cannot run, or a run that fails, costs one warning: the rest of the profile stands. Its raw times are
// kept (src/python/cache.ts, statementsCachePath): a profile whose loaded files are all unchanged scales
// them again instead of tracing a second time.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { summarize } from '../model/summary.js';
import type { ParsedRun } from '../importtime/run.js';
import type { ProfileSession } from '../importtime/session.js';
import { scaleStatements, type StatementAttribution } from '../importtime/statements.js';
import { statementsCachePath } from '../python/cache.js';
import type { Owner } from '../python/distributions.js';
import { runFailed, type HarnessStatements } from '../python/protocol.js';
import { ImportRunner, type RunSpec } from '../python/runner.js';
import type { Output } from '../util/output.js';

/** A user module's own code worth attributing: 1 ms of median self time. */
export const MIN_MODULE_SELF_US = 1000;

/** Whose code a module is: its installation record, else where it was loaded from. */
function ownerFrom(session: ProfileSession): (module: string) => Owner {
  return (module) => {
    const owner = session.owners.get(module);
    if (owner && owner.kind !== 'unknown') return owner;
    const origin = session.origins.get(module) ?? session.origins.get(module.split('.', 1)[0] as string);
    if (origin === 'stdlib' || origin === 'builtin') return { kind: 'stdlib' };
    return owner ?? { kind: 'unknown' };
  };
}

/** The user's own module files of the measured import (.py, owner "user"), and whether one has measurable self time. */
export function userModuleFiles(session: ProfileSession): { files: string[]; worth: boolean } {
  const files = new Set<string>();
  let worth = false;
  for (const m of session.aggregate.modules) {
    if (m.cached || session.owners.get(m.name)?.kind !== 'user') continue;
    const file = session.moduleFiles.get(m.name);
    if (!file?.endsWith('.py')) continue;
    files.add(file);
    if (m.selfUs.median >= MIN_MODULE_SELF_US) worth = true;
  }
  return { files: [...files], worth };
}

/** Every file the import loaded but the standard library's: what the statements' times depend on. */
function loadedFiles(session: ProfileSession): string[] {
  const owner = ownerFrom(session);
  return [...session.moduleFiles].filter(([name]) => owner(name).kind !== 'stdlib').map(([, file]) => file);
}

/** Run the attribution (when the user's code has measurable self time) and scale it to the session. */
export async function attributeStatements(spec: RunSpec, session: ProfileSession, measured: readonly ParsedRun[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<StatementAttribution | null> {
  const { files, worth } = userModuleFiles(session);
  if (!worth) return null;
  const cacheFile = statementsCachePath(spec.interpreter, spec, loadedFiles(session), env);
  let raw: HarnessStatements | undefined;
  let wallMs = 0;
  let cachedAt: string | undefined;
  try {
    const kept = JSON.parse(readFileSync(cacheFile, 'utf8')) as { raw: HarnessStatements; wallMs: number; at: string };
    ({ raw, wallMs, at: cachedAt } = kept);
  } catch {
    raw = undefined;
  }
  if (!raw) {
    output.progress('timing the top-level statements of your modules (one more run, not measured)…');
    // the handler is imported only: its call (--invoke) is not what the statements are about
    const runner = new ImportRunner({ ...spec, invoke: undefined }, env);
    let outcome;
    try {
      outcome = await runner.run({ warmup: false, attribute: files });
    } finally {
      runner.dispose();
      output.done();
    }
    raw = outcome.result?.statements ?? undefined;
    const python = `Python ${outcome.result?.python.version ?? session.python?.version ?? ''}`.trim();
    if (runFailed(outcome) || !raw) {
      output.warn(`the statement attribution run did not finish (${outcome.status}) on ${python}: statements are not shown; the rest of the profile stands`);
      return null;
    }
    if (raw.error) {
      output.warn(`the statement tracer cannot run on ${python} (${raw.error}): statements are not shown; the rest of the profile stands`);
      return null;
    }
    wallMs = outcome.wallMs;
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      writeFileSync(cacheFile, JSON.stringify({ raw, wallMs, at: new Date().toISOString() }));
    } catch {
      // an unwritable cache only means tracing again next time
    }
  }
  const self = new Map<string, number>();
  for (const m of session.aggregate.modules) if (!m.cached) self.set(m.name, (self.get(m.name) ?? 0) + m.selfUs.median);
  const measuredWallMs = summarize(measured.map((r) => r.wallMs)).median;
  return scaleStatements(raw, (name) => self.get(name) ?? null, ownerFrom(session), {
    wallMs,
    measuredWallMs,
    ratio: measuredWallMs > 0 ? wallMs / measuredWallMs : 0,
    ...(cachedAt ? { cachedAt } : {}),
  });
}
