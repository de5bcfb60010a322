// `lambda-cold invoke <function>`: validate options, read the configuration, invoke (forcing cold starts
// with --cold), complete the records from CloudWatch, summarise, render, set the exit code.
import { readFileSync } from 'node:fs';
import { boolean, object, optional, refine, string, url, type infer as Infer } from 'zod/mini';
import { summariseInvocations } from '../analysis/invoke-stats.js';
import { parseMemorySizes, parsePercent } from '../analysis/memory-sweep.js';
import { createClients } from '../aws/clients.js';
import { ColdForcer, settledConfiguration } from '../aws/cold.js';
import { getConfiguration, getProvisionedConcurrency, probeGetFunction, splitQualifier, DEFAULT_RETRY } from '../aws/lambda.js';
import { NONCE_VARIABLE, recoveryPath } from '../aws/recovery.js';
import { ForcedRun } from '../invoke/forced-run.js';
import { capConcurrency, completeFromLogs, runInvocations } from '../invoke/run.js';
import { functionInfo, type FunctionInfo } from '../model/invocation.js';
import type { InvokeReport } from '../render/inputs.js';
import { emitReport } from '../render/emit.js';
import { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, UserError } from '../util/errors.js';
import { intFlag, kebabCase, nonEmpty, numberFlag, parseOptions } from '../util/options.js';
import { checkOutputFile } from '../util/output-file.js';
import { createOutput, type Output } from '../util/output.js';


const optionsSchema = object({
  count: intFlag(1, 10_000),
  concurrency: intFlag(1, 1000),
  cold: optional(boolean()),
  payload: optional(string()),
  payloadFile: optional(string()),
  qualifier: optional(string()),
  region: optional(string()),
  profile: optional(string()),
  endpointUrl: optional(url({ error: 'expected a URL such as http://127.0.0.1:3001' })),
  json: optional(boolean()),
  pricePerGbS: optional(numberFlag(0, { exclusiveMin: true })),
  logs: optional(boolean()),
  environments: optional(boolean()),
  logsTimeout: intFlag(0, 3600),
  maxRetries: intFlag(0, 20),
  importtime: optional(boolean()),
  top: optional(intFlag(1, 10_000)),
  tree: optional(boolean()),
  html: optional(nonEmpty),
  memory: optional(string()),
  warm: optional(intFlag(0, 1000)),
  coldRate: optional(string()),
  coldRateFrom: optional(string()),
  tolerance: optional(string()),
}).check(refine((o) => !(o.payload !== undefined && o.payloadFile !== undefined), { error: 'use --payload or --payload-file, not both' }));

export type InvokeOptions = Infer<typeof optionsSchema>;

function readPayload(o: InvokeOptions): Uint8Array {
  let text = '{}';
  let from = '--payload';
  if (o.payloadFile !== undefined) {
    from = o.payloadFile;
    try {
      text = readFileSync(o.payloadFile, 'utf8');
    } catch (e) {
      throw new UserError(`Cannot read the payload file ${o.payloadFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
    }
  } else if (o.payload !== undefined) {
    text = o.payload;
  }
  try {
    JSON.parse(text);
  } catch {
    throw new UserError(`The payload from ${from} is not valid JSON.`);
  }
  return Buffer.from(text, 'utf8');
}

/** The version or alias a function name carries (`name:qual`, or an ARN ending in `:qual`). */
export function qualifierInName(name: string): string | null {
  return splitQualifier(name).qualifier;
}

function notesFor(fn: FunctionInfo, cold: boolean): string[] {
  const notes: string[] = [];
  const pc = fn.provisionedConcurrency;
  if (pc && (pc.allocated ?? pc.requested ?? 0) > 0) {
    notes.push(
      `Provisioned concurrency: ${pc.allocated ?? 0} of ${pc.requested ?? 0} environments allocated on ${fn.qualifier} (${pc.status ?? 'unknown status'}). ` +
        'Requests they serve are warm; their init ran ahead of traffic, so an Init Duration may appear on a request that never waited for it, and provisioned init gets no full vCPU.',
    );
  }
  if (fn.snapStart && fn.snapStart.applyOn && fn.snapStart.applyOn !== 'None') {
    notes.push(
      `SnapStart (${fn.snapStart.applyOn}, ${fn.snapStart.optimizationStatus ?? 'status unknown'}): published versions start by restoring a snapshot, ` +
        'so their cold starts show Restore Duration instead of Init Duration: they count as cold starts and their restore times are summarised apart (restore p50 …); $LATEST does not use it.',
    );
  }
  if (fn.packageType === 'Image') {
    notes.push('Container image: INIT is billed for images as it always was; cold starts of images are typically slower than zip packages.');
  }
  if (cold) {
    notes.push('--cold forces each sample with a configuration update of $LATEST: these are the worst case, not the cold-start rate real traffic sees.');
  }
  return notes;
}

/**
 * `--memory` and the flags that go with it, checked before anything is called: sizes Lambda accepts
 * (docs/lambda-platform.md, "The AWS APIs"), --cold, no duplicates. Null without --memory.
 */
function memoryOptions(o: InvokeOptions): { sizes: number[]; warm: number; coldRate: number | null; coldRateFrom?: string; tolerance: number | null } | null {
  if (o.memory === undefined) {
    const alone = (['warm', 'coldRate', 'coldRateFrom', 'tolerance'] as const).find((k) => o[k] !== undefined);
    if (alone) throw new UserError(`--${kebabCase(alone)} goes with --memory (the memory sweep): add --cold --memory <sizes>, or drop it.`);
    return null;
  }
  if (o.cold !== true) throw new UserError('--memory sweeps cold starts across memory sizes: add --cold (the function is restored at the end).');
  if (o.environments === true) throw new UserError('--environments is not available with --memory: every sample of the sweep is a new environment already.');
  const sizes = parseMemorySizes(o.memory);
  if (typeof sizes === 'string') throw new UserError(sizes);
  if (o.coldRate !== undefined && o.coldRateFrom !== undefined) throw new UserError('use --cold-rate or --cold-rate-from, not both.');
  const coldRate = o.coldRate === undefined ? null : parsePercent('--cold-rate', o.coldRate);
  if (typeof coldRate === 'string') throw new UserError(coldRate);
  const tolerance = o.tolerance === undefined ? null : parsePercent('--tolerance', o.tolerance, { max: 1000 });
  if (typeof tolerance === 'string') throw new UserError(tolerance);
  return { sizes, warm: o.warm ?? 0, coldRate, coldRateFrom: o.coldRateFrom, tolerance };
}

export async function runInvoke(given: string, raw: Record<string, unknown>, output: Output = createOutput()): Promise<number> {
  const o = parseOptions(optionsSchema, raw);
  const payload = readPayload(o);
  if (o.html !== undefined) checkOutputFile('--html', o.html);
  if (o.importtime === true) {
    if (o.memory !== undefined) throw new UserError('--importtime and --memory are separate runs: give one of them.');
    if (o.logs === false) throw new UserError('--importtime reads the import-time lines from CloudWatch Logs: drop --no-logs.');
    const { invokeImporttime } = await import('../remote/report.js');
    return invokeImporttime(
      given,
      { count: o.count, concurrency: o.concurrency, payload, qualifier: o.qualifier, region: o.region, profile: o.profile, endpointUrl: o.endpointUrl, logsTimeoutSeconds: o.logsTimeout, maxRetries: o.maxRetries },
      { json: o.json === true, options: { top: o.top ?? 15, tree: o.tree === true }, html: o.html, pricePerGbSecond: o.pricePerGbS },
      output,
    );
  }
  if (o.tree === true) throw new UserError('--tree prints the import tree measured with --importtime: add --importtime, or drop it.');
  // `fn:qual` is the same as `fn --qualifier qual` (`fn:$LATEST` included): the unqualified name for every
  // control-plane call and the recovery file, the qualifier for Invoke.
  const split = splitQualifier(given);
  if (split.qualifier !== null && o.qualifier !== undefined && o.qualifier !== split.qualifier) {
    throw new UserError(`${given} names the qualifier ${split.qualifier} and --qualifier says ${o.qualifier}: give one.`);
  }
  const functionName = split.name;
  const qualifier = o.qualifier ?? split.qualifier ?? undefined;
  const nameQualifier = split.qualifier;
  if (o.cold === true) {
    if (qualifier && qualifier !== '$LATEST') {
      throw new UserError(
        `--cold cannot force cold starts on ${given}${o.qualifier ? ` (qualifier ${o.qualifier})` : ''}: a published version or an alias is immutable, and a configuration change only affects $LATEST; publish a new version to get fresh environments there, or run --cold on $LATEST.`,
      );
    }
  }
  const memory = memoryOptions(o);
  if (memory) {
    const { runInvokeMemory } = await import('./invoke-memory.js');
    return runInvokeMemory(
      {
        functionName,
        ...memory,
        count: o.count,
        concurrency: o.concurrency,
        payload,
        region: o.region,
        profile: o.profile,
        endpointUrl: o.endpointUrl,
        json: o.json === true,
        html: o.html,
        pricePerGbS: o.pricePerGbS,
        useLogs: o.logs !== false,
        logsTimeoutSeconds: o.logsTimeout,
        retry: { ...DEFAULT_RETRY, maxRetries: o.maxRetries },
      },
      output,
    );
  }
  const clients = await createClients(
    { region: o.region, profile: o.profile, endpointUrl: o.endpointUrl, maxSockets: o.concurrency },
    functionName,
  );
  const ctx = { functionName, region: clients.region, endpoint: clients.endpointUrl };
  // the first signal stops the run and restores the function; a second leaves (src/invoke/forced-run.ts)
  const guard = new ForcedRun(
    functionName,
    {
      what: 'environment',
      nonceLeft: `${NONCE_VARIABLE}, the variable lambda-cold set, is still on ${functionName} (the deploy kept it); remove it alone with \`lambda-cold restore ${functionName} --remove-nonce\`.`,
      kept: (file) => `the original environment is kept in ${file}; check the function, then run \`lambda-cold restore ${functionName}\` (or delete the file).`,
    },
    output,
  );
  try {
    // --cold changes $LATEST (any other qualifier was refused above): a deploy still being applied finishes first
    const config =
      o.cold === true
        ? await settledConfiguration(clients.lambda, functionName, ctx, guard.signal, () =>
            output.info(`${functionName} is being updated; waiting for that update to finish before --cold changes anything.`),
          )
        : await getConfiguration(clients.lambda, functionName, qualifier, ctx);
    const fn = functionInfo(config, functionName, qualifier ?? nameQualifier ?? undefined);
    if (fn.runtime && !fn.runtime.startsWith('python')) {
      output.warn(`${fn.functionName} runs ${fn.runtime}, not Python: the timings are still Lambda's, but lambda-cold's advice is for Python.`);
    }
    fn.provisionedConcurrency = await getProvisionedConcurrency(clients.lambda, functionName, fn.qualifier ?? undefined, output.warn);
    const concurrency = await capConcurrency(clients.lambda, functionName, o.concurrency, output, o.cold === true);

    let recoveryFile: string | null = null;
    if (o.cold === true) {
      await probeGetFunction(clients.lambda, functionName, ctx);
      recoveryFile = recoveryPath(functionName, clients.region);
      guard.forcer = new ColdForcer(clients.lambda, functionName, config, recoveryFile, ctx, o.endpointUrl ?? null);
      guard.forcer.begin();
    }

    const { value: run, restore, failure } = await guard.run(
      () =>
        runInvocations(
          clients.invoker,
          fn,
          {
            count: o.count,
            concurrency,
            payload,
            qualifier,
            retry: { ...DEFAULT_RETRY, maxRetries: o.maxRetries },
            signal: guard.signal,
            forcer: guard.forcer,
          },
          ctx,
          output,
        ),
      recoveryFile,
    );
    if (restore?.outcome === 'restored') output.info(`restored ${functionName}'s original environment.`);
    if (failure) throw failure;
    if (!run) throw new UserError('No invocation ran.');
    if (run.stoppedBy) output.warn(run.stoppedBy.message);

    const { records } = await completeFromLogs(
      fn,
      run,
      {
        logs: clients.logs,
        useLogs: o.logs !== false && !guard.interrupted,
        environments: o.environments === true,
        timeoutMs: o.logsTimeout * 1000,
        signal: guard.signal,
      },
      ctx,
      output,
    );
    output.done();
    const summary = summariseInvocations(records, fn, { pricePerGbSecond: o.pricePerGbS, requested: o.count });
    const report: InvokeReport = {
      function: fn,
      region: clients.region,
      invocations: records,
      summary,
      forced: {
        cold: o.cold === true,
        updates: run.updates,
        restore: restore ? restore.outcome : 'not-needed',
        recoveryFile: restore?.outcome === 'conflict' ? recoveryFile : null,
      },
      notes: notesFor(fn, o.cold === true),
      interrupted: guard.interrupted,
      throttled: run.throttled,
    };
    await emitReport('invoke', report, { json: o.json === true, html: o.html }, output);
    if (guard.interrupted) return EXIT_INTERRUPTED;
    if (restore?.outcome === 'conflict' || run.stoppedBy) return EXIT_ERROR;
    return EXIT_OK;
  } finally {
    guard.release();
    clients.destroy();
  }
}
