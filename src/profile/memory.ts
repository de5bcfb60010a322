// `profile`'s memory size, for the defer-import advice (src/analysis/memory-scaling.ts): --memory, else the
// function's own — its SAM MemorySize, GetFunctionConfiguration's MemorySize for --function-name (the AWS
// SDK is loaded only then), what --remote read —, and --memory-profile, an `invoke --memory --json`
// document whose measured first-call/init ratios replace the CPU-share estimate.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { array, literal, nullable, number, object, optional, string, url } from 'zod/mini';
import { estimateScaling, measuredScaling, sweepFactors, type MemoryScaling, type MemorySweep } from '../analysis/memory-scaling.js';
import { UserError } from '../util/errors.js';
import { parseOptions } from '../util/options.js';
import type { Output } from '../util/output.js';
import type { ProfileOptions } from './options.js';

/** What the advice reads of an `invoke --memory --json` document (issue 15: its other fields are not needed here). */
const SweepDocument = object({
  schemaVersion: literal(1),
  kind: literal('invoke-memory'),
  function: string(),
  sizes: array(
    object({
      memorySizeMB: number(),
      coldSamples: number(),
      initDurationMs: object({ p50: nullable(number()) }),
      firstCallMs: object({ p50: nullable(number()) }),
    }),
  ),
});

const awsSchema = object({
  region: optional(string()),
  profile: optional(string()),
  endpointUrl: optional(url({ error: 'expected a URL such as http://127.0.0.1:3001' })),
});

/** What `profile` knows of the memory size before it measures anything. */
export interface MemoryChoice {
  /** --memory, or --function-name's configured MemorySize; null when a function's own is to be used (or none). */
  memorySizeMB: number | null;
  sweep: MemorySweep | null;
}

const usage = 'write it with lambda-cold invoke <function> --cold --memory 128,512,1769 --json > sweep.json';

/** Read --memory-profile: an `invoke --memory --json` document with at least two sizes to scale from, or one sentence. */
export function readMemoryProfile(file: string): MemorySweep {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UserError(`The memory profile ${file} does not exist: ${usage}.`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new UserError(`The memory profile ${file} is not JSON: ${usage}.`);
  }
  const r = SweepDocument.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new UserError(`${file} is not an invoke --memory document (${issue?.message ?? 'invalid'}${where}): ${usage}.`);
  }
  const sweep: MemorySweep = {
    function: r.data.function,
    sizes: r.data.sizes
      .filter((s) => s.coldSamples > 0 && s.initDurationMs.p50 !== null && s.firstCallMs.p50 !== null)
      .map((s) => ({ memorySizeMB: s.memorySizeMB, initP50Ms: s.initDurationMs.p50 as number, firstCallP50Ms: s.firstCallMs.p50 as number })),
  };
  if (sweepFactors(sweep).length < 2) {
    throw new UserError(`${file} has fewer than two memory sizes with cold starts measured: nothing to scale from; sweep at least two sizes.`);
  }
  return sweep;
}

/** A function as its bare name: an ARN's name, without a qualifier. */
function bareName(fn: string): string {
  const arn = /:function:([^:]+)/.exec(fn);
  return arn ? (arn[1] as string) : (fn.split(':')[0] as string);
}

/** GetFunctionConfiguration's MemorySize, through the usual AWS options (the SDK is loaded here only). */
async function configuredMemory(given: string, raw: Record<string, unknown>): Promise<number> {
  const aws = parseOptions(awsSchema, raw);
  const { createClients } = await import('../aws/clients.js');
  const { getConfiguration, splitQualifier } = await import('../aws/lambda.js');
  const { name, qualifier } = splitQualifier(given);
  const clients = await createClients({ region: aws.region, profile: aws.profile, endpointUrl: aws.endpointUrl }, name);
  try {
    const config = await getConfiguration(clients.lambda, name, qualifier ?? undefined, { functionName: name, region: clients.region, endpoint: clients.endpointUrl });
    return config.MemorySize ?? 128;
  } finally {
    clients.destroy();
  }
}

/**
 * Check the memory options against the others (one sentence each) and settle what can be settled before
 * any run: --memory, --function-name's configuration, the --memory-profile document.
 */
export async function memoryChoice(o: ProfileOptions, raw: Record<string, unknown>, output: Output): Promise<MemoryChoice> {
  const remote = typeof raw.remote === 'string' ? raw.remote : undefined;
  if (o.functionName && (o.sam || remote)) {
    throw new UserError(`--function-name reads a deployed function's memory size: ${o.sam ? '--sam gives each function its MemorySize' : '--remote already names the function'}; leave it out.`);
  }
  if (o.memoryProfile && o.sam && !o.function) {
    throw new UserError('--memory-profile measures one function: with --sam, name it with --function.');
  }
  const known = o.memory !== undefined || o.functionName !== undefined || o.sam !== undefined || remote !== undefined;
  if (o.memoryProfile && !known) {
    throw new UserError('--memory-profile needs the memory size the advice is for: give --memory <MB>, --function-name <function>, --sam or --remote.');
  }
  const sweep = o.memoryProfile ? readMemoryProfile(o.memoryProfile) : null;
  const named = o.functionName ?? remote;
  if (sweep && named && bareName(sweep.function) !== bareName(named)) {
    output.warn(`${o.memoryProfile} measured ${sweep.function}, not ${named}: its ratios are used for ${named} all the same`);
  }
  let memorySizeMB = o.memory ?? null;
  if (memorySizeMB === null && o.functionName) memorySizeMB = await configuredMemory(o.functionName, raw);
  return { memorySizeMB, sweep };
}

/**
 * The scaling the advice uses: at --memory (or --function-name's size), else at the function's own size
 * (`configuredMB`: SAM's MemorySize, --remote's configuration); measured when a sweep was given.
 */
export function scalingAt(choice: MemoryChoice | null, configuredMB: number | null = null): MemoryScaling | undefined {
  const mb = choice?.memorySizeMB ?? configuredMB;
  if (mb === null) return undefined;
  return (choice?.sweep && measuredScaling(choice.sweep, mb)) || estimateScaling(mb);
}
