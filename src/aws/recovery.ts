// The recovery file: the function's original Environment, written before `invoke --cold` changes anything,
// so that `lambda-cold restore <function>` can put it back after a crash, a kill -9 or a lost network.
// Lives under the user's cache dir (util/paths.ts: $XDG_CACHE_HOME or ~/.cache)/lambda-cold/recovery/, mode 0600: it
// holds environment variable values and is never printed.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { array, literal, nullable, number, object, optional, record, string, type infer as Infer } from 'zod/mini';
import { UserError } from '../util/errors.js';
import { cacheDir } from '../util/paths.js';

export const NONCE_VARIABLE = 'LAMBDA_COLD_NONCE';

const recoverySchema = object({
  schemaVersion: literal(1),
  functionName: string(),
  functionArn: nullable(string()),
  region: string(),
  endpointUrl: nullable(string()),
  createdAt: string(),
  /** Identifies the run; every nonce value it sets starts with it. */
  runId: string(),
  nonceVariable: string(),
  /** The Environment.Variables before the run; null when the function had no Environment. */
  originalVariables: nullable(record(string(), string())),
  /** RevisionId read before the first change. */
  originalRevisionId: nullable(string()),
  pid: number(),
  /** Variables the run set besides the nonce (`invoke --importtime`: PYTHONPROFILEIMPORTTIME), with their values. */
  extraVariables: optional(record(string(), string())),
  /** `invoke --memory`: the MemorySize before the run (absent in files of runs that left it alone). */
  originalMemorySizeMB: optional(number()),
  /** `invoke --memory`: the sizes the run sets, in order. */
  memorySizesMB: optional(array(number())),
});

export type Recovery = Infer<typeof recoverySchema>;

/** The function name as a file name: the name part of an ARN, unsafe characters replaced. */
export function recoveryPath(functionName: string, region: string, env: NodeJS.ProcessEnv = process.env): string {
  const arn = /^arn:[^:]+:lambda:[^:]*:\d*:function:([^:]+)/.exec(functionName);
  const name = (arn ? (arn[1] as string) : functionName).replace(/[^A-Za-z0-9_.-]/g, '_');
  return join(cacheDir(env), 'recovery', `${region.replace(/[^A-Za-z0-9-]/g, '_')}--${name}.json`);
}

export function writeRecovery(path: string, data: Recovery): void {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** The recovery file, or null when there is none. A damaged file is a UserError naming the path. */
export function readRecovery(path: string): Recovery | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(`Cannot read the recovery file ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError(`The recovery file ${path} is not valid JSON; fix or remove it by hand.`);
  }
  const r = recoverySchema.safeParse(parsed);
  if (!r.success) throw new UserError(`The recovery file ${path} is not one lambda-cold wrote; fix or remove it by hand.`);
  return r.data;
}

export function removeRecovery(path: string): void {
  rmSync(path, { force: true });
}

/** Two variable maps hold the same names and values (null = no variables). */
export function sameVariables(a: Record<string, string> | null | undefined, b: Record<string, string> | null | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const kx = Object.keys(x).sort();
  const ky = Object.keys(y).sort();
  return kx.length === ky.length && kx.every((k, i) => k === ky[i] && x[k] === y[k]);
}

/** Names (never values) of variables that differ between two maps. */
export function differingNames(a: Record<string, string> | null | undefined, b: Record<string, string> | null | undefined): string[] {
  const x = a ?? {};
  const y = b ?? {};
  const names = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...names].filter((k) => x[k] !== y[k]).sort();
}

/**
 * The function's variables are exactly what a run of `runId` left: the original variables plus our nonce
 * (and the extra variables it set, if any).
 */
export function isOurs(
  current: Record<string, string> | null | undefined,
  recovery: Pick<Recovery, 'originalVariables' | 'nonceVariable' | 'runId' | 'extraVariables'>,
): boolean {
  const cur = { ...(current ?? {}) };
  const nonce = cur[recovery.nonceVariable];
  if (nonce === undefined || !nonce.startsWith(recovery.runId)) return false;
  delete cur[recovery.nonceVariable];
  const orig = { ...(recovery.originalVariables ?? {}) };
  // the variables the run set on top (with the value it set), as the original had them
  for (const [name, value] of Object.entries(recovery.extraVariables ?? {})) {
    if (cur[name] !== value) return false;
    if (name in orig) cur[name] = orig[name] as string;
    else delete cur[name];
  }
  delete orig[recovery.nonceVariable];
  return sameVariables(cur, orig);
}

/**
 * The function's MemorySize is one the run could have left: the original, or one of the sizes a
 * `--memory` run sets. Always true for a run that does not change the memory (no originalMemorySizeMB).
 */
export function memoryIsOurs(current: number | undefined, recovery: Pick<Recovery, 'originalMemorySizeMB' | 'memorySizesMB'>): boolean {
  if (recovery.originalMemorySizeMB === undefined) return true;
  return current === recovery.originalMemorySizeMB || (current !== undefined && (recovery.memorySizesMB ?? []).includes(current));
}
