// `lambda-cold invoke <function> --cold --memory 128,512,1769`: the cold start against memory size. The options
// were validated by `invoke` (src/commands/invoke.ts); this reads the configuration, sweeps the sizes
// (src/invoke/memory.ts), restores MemorySize and Environment together at the end and on Ctrl-C, SIGTERM,
// errors and throttling, then summarises (src/analysis/memory-sweep.ts) and renders ('invoke-memory'; with --html,
// also its page).
import { readFileSync } from 'node:fs';
import { PRICE_PER_GB_SECOND } from '../analysis/cost.js';
import { DEFAULT_COLD_RATE, DEFAULT_TOLERANCE, summariseSweep, type SweepSettings } from '../analysis/memory-sweep.js';
import { createClients } from '../aws/clients.js';
import { ColdForcer, settledConfiguration } from '../aws/cold.js';
import { probeGetFunction, type RetryPolicy } from '../aws/lambda.js';
import { NONCE_VARIABLE, recoveryPath } from '../aws/recovery.js';
import { ForcedRun } from '../invoke/forced-run.js';
import { completeSweep, runMemorySweep } from '../invoke/memory.js';
import { capConcurrency } from '../invoke/run.js';
import { functionInfo } from '../model/invocation.js';
import type { InvokeMemoryReport } from '../render/inputs.js';
import { emitReport } from '../render/emit.js';
import { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, UserError } from '../util/errors.js';
import type { Output } from '../util/output.js';

export interface MemoryRunOptions {
  functionName: string;
  sizes: number[];
  count: number;
  concurrency: number;
  warm: number;
  payload: Uint8Array;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  json: boolean;
  /** --html <file>: also write the page of the sweep there (the path was checked before any change). */
  html?: string;
  pricePerGbS?: number;
  /** Fraction, or null for the default / --cold-rate-from. */
  coldRate: number | null;
  coldRateFrom?: string;
  tolerance: number | null;
  useLogs: boolean;
  logsTimeoutSeconds: number;
  retry: RetryPolicy;
}

/** The cold-start rate a `logs --json` document measured for the function. */
export function coldRateFromLogs(file: string, functionName: string): number {
  let doc: { kind?: unknown; functions?: { name?: unknown; invocations?: unknown; coldStartRate?: unknown }[] };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as typeof doc;
  } catch (e) {
    throw new UserError(`Cannot read ${file} as a \`lambda-cold logs --json\` document: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  if (doc?.kind !== 'logs' || !Array.isArray(doc.functions)) throw new UserError(`${file} is not a \`lambda-cold logs --json\` document (its kind is not "logs").`);
  const f = doc.functions.find((x) => x.name === functionName);
  if (!f || typeof f.coldStartRate !== 'number' || typeof f.invocations !== 'number' || f.invocations === 0) {
    throw new UserError(`${file} has no invocations of ${functionName}: run \`lambda-cold logs ${functionName} --json\` over a window with traffic, or give --cold-rate.`);
  }
  return f.coldStartRate;
}

export async function runInvokeMemory(o: MemoryRunOptions, output: Output): Promise<number> {
  const { functionName } = o;
  const coldRate = o.coldRateFrom !== undefined ? coldRateFromLogs(o.coldRateFrom, functionName) : o.coldRate;
  const clients = await createClients({ region: o.region, profile: o.profile, endpointUrl: o.endpointUrl, maxSockets: o.concurrency }, functionName);
  const ctx = { functionName, region: clients.region, endpoint: clients.endpointUrl };
  const guard = new ForcedRun(
    functionName,
    {
      what: 'memory size and environment',
      nonceLeft: `${NONCE_VARIABLE}, the variable lambda-cold set, is still on ${functionName}; remove it alone with \`lambda-cold restore ${functionName} --remove-nonce\`.`,
      kept: (file) => `the original memory size and environment are kept in ${file}; check the function, then run \`lambda-cold restore ${functionName}\` (or delete the file).`,
    },
    output,
  );
  try {
    const config = await settledConfiguration(clients.lambda, functionName, ctx, guard.signal, () =>
      output.info(`${functionName} is being updated; waiting for that update to finish before --memory changes anything.`),
    );
    const fn = functionInfo(config, functionName, undefined);
    if (fn.runtime && !fn.runtime.startsWith('python')) {
      output.warn(`${fn.functionName} runs ${fn.runtime}, not Python: the timings are still Lambda's, but lambda-cold's advice is for Python.`);
    }
    const concurrency = await capConcurrency(clients.lambda, functionName, o.concurrency, output, true);
    await probeGetFunction(clients.lambda, functionName, ctx);
    const recoveryFile = recoveryPath(functionName, clients.region);
    const forcer = new ColdForcer(clients.lambda, functionName, config, recoveryFile, ctx, o.endpointUrl ?? null, undefined, o.sizes);
    guard.forcer = forcer;
    forcer.begin();

    const { value: sweep, restore, failure } = await guard.run(
      () =>
        runMemorySweep(
          clients.lambda,
          fn,
          { sizes: o.sizes, count: o.count, concurrency, warm: o.warm, payload: o.payload, retry: o.retry, signal: guard.signal, forcer },
          ctx,
          output,
        ),
      recoveryFile,
    );
    if (restore?.outcome === 'restored') output.info(`restored ${functionName}'s original memory size (${fn.memorySizeMB} MB) and environment.`);
    if (failure) throw failure;
    if (!sweep) throw new UserError('No invocation ran.');
    if (sweep.stoppedBy) output.warn(sweep.stoppedBy.message);

    const runs = await completeSweep(
      fn,
      sweep.sizes,
      { logs: clients.logs, useLogs: o.useLogs && !guard.interrupted, timeoutMs: o.logsTimeoutSeconds * 1000, signal: guard.signal },
      ctx,
      output,
    );
    output.done();
    const settings: SweepSettings = {
      architecture: fn.architecture,
      pricePerGbSecond: o.pricePerGbS ?? PRICE_PER_GB_SECOND[fn.architecture],
      coldRate: coldRate ?? DEFAULT_COLD_RATE,
      coldRateFrom: o.coldRateFrom !== undefined ? `--cold-rate-from ${o.coldRateFrom}` : coldRate !== null ? '--cold-rate' : 'default',
      tolerance: o.tolerance ?? DEFAULT_TOLERANCE,
    };
    const report: InvokeMemoryReport = {
      function: fn,
      region: clients.region,
      sweep: summariseSweep(runs, settings),
      requested: { sizesMB: o.sizes, count: o.count, concurrency, warm: o.warm },
      forced: { updates: forcer.updates, restore: restore ? restore.outcome : 'not-needed', recoveryFile: restore?.outcome === 'conflict' ? recoveryFile : null },
      interrupted: guard.interrupted,
      stoppedBy: sweep.stoppedBy ? sweep.stoppedBy.message : null,
      notes: [
        '--cold forces every sample with a configuration update of $LATEST: these are the worst case, not the cold-start rate real traffic sees.',
        'On-demand init runs on a full vCPU whatever the memory, the invoke phase on a share proportional to memory (one vCPU at 1,769 MB): AWS guidance, not a contract (docs/lambda-platform.md).',
      ],
    };
    await emitReport('invoke-memory', report, { json: o.json, html: o.html }, output);
    if (guard.interrupted) return EXIT_INTERRUPTED;
    if (restore?.outcome === 'conflict' || sweep.stoppedBy) return EXIT_ERROR;
    return EXIT_OK;
  } finally {
    guard.release();
    clients.destroy();
  }
}
