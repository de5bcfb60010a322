// The `logs` pipeline: which functions (named, or --all: every Python function of the region), each one's
// log group and format from its configuration, the engine (filter: FilterLogEvents page by page; insights:
// Logs Insights queries; auto: insights for long windows or many functions), and the ranked report.
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { PRICE_PER_GB_SECOND } from '../analysis/cost.js';
import type { AwsClients } from '../aws/clients.js';
import { errorName } from '../aws/errors.js';
import { listFunctions } from '../aws/history.js';
import { existingLogGroups } from '../aws/insights.js';
import { getConfiguration, splitQualifier } from '../aws/lambda.js';
import { functionInfo } from '../model/invocation.js';
import type { FunctionHistory, LogsFunction, LogsReport } from '../render/logs-input.js';
import { UserError } from '../util/errors.js';
import type { Output } from '../util/output.js';
import { filterHistory, type Progress, type Target } from './filter-engine.js';
import { insightsHistory } from './insights-engine.js';

export type Engine = 'filter' | 'insights' | 'auto';

/** auto picks Logs Insights from this window length or this many functions on. */
export const AUTO_INSIGHTS_WINDOW_MS = 24 * 3_600_000;
export const AUTO_INSIGHTS_FUNCTIONS = 10;

export function chooseEngine(engine: Engine, windowMs: number, functions: number): { engine: 'filter' | 'insights'; reason: string } {
  if (engine !== 'auto') return { engine, reason: `--engine ${engine}` };
  if (windowMs >= AUTO_INSIGHTS_WINDOW_MS) return { engine: 'insights', reason: 'auto: a window of 24 h or more' };
  if (functions >= AUTO_INSIGHTS_FUNCTIONS) return { engine: 'insights', reason: `auto: ${AUTO_INSIGHTS_FUNCTIONS} functions or more` };
  return { engine: 'filter', reason: 'auto: a short window and few functions' };
}

export interface LogsOptions {
  names: string[];
  all: boolean;
  logGroup?: string;
  engine: Engine;
  window: { start: number; end: number };
  pricePerGbSecond?: number;
  signal?: AbortSignal;
}

interface Resolved {
  targets: (Target & { runtime: string | null; architecture: 'x86_64' | 'arm64' })[];
  skipped: { name: string; reason: string }[];
}

function targetOf(config: FunctionConfiguration, name: string, o: LogsOptions): Resolved['targets'][number] {
  const fn = functionInfo(config, name, undefined);
  return {
    name: fn.functionName,
    runtime: fn.runtime,
    architecture: fn.architecture,
    logGroup: o.logGroup ?? fn.logGroup,
    logFormat: fn.logFormat,
    memorySizeMB: fn.memorySizeMB,
    pricePerGbSecond: o.pricePerGbSecond ?? PRICE_PER_GB_SECOND[fn.architecture],
  };
}

const notPython = (config: FunctionConfiguration): string | null =>
  config.PackageType === 'Image' ? null : config.Runtime && !config.Runtime.startsWith('python') ? `not Python (${config.Runtime})` : null;

async function resolveTargets(clients: AwsClients, o: LogsOptions, output: Output): Promise<Resolved> {
  const out: Resolved = { targets: [], skipped: [] };
  const ctx = { functionName: o.all ? 'the region' : (o.names[0] ?? ''), region: clients.region, endpoint: clients.endpointUrl };
  if (o.all) {
    output.progress('listing the functions of the region…');
    const all = await listFunctions(clients.lambda, ctx);
    for (const config of all) {
      const name = config.FunctionName ?? '';
      const why = notPython(config);
      if (why) out.skipped.push({ name, reason: why });
      else out.targets.push(targetOf(config, name, o));
    }
    return out;
  }
  for (const given of o.names) {
    const { name, qualifier } = splitQualifier(given);
    if (qualifier) throw new UserError(`${given} names a qualifier: logs reads a function's log group, which every version and alias share; give the name alone.`);
    const config = await getConfiguration(clients.lambda, name, undefined, { ...ctx, functionName: name });
    const why = notPython(config);
    if (why) out.skipped.push({ name: config.FunctionName ?? name, reason: `${why}: lambda-cold analyses Python functions` });
    else out.targets.push(targetOf(config, name, o));
  }
  return out;
}

export async function runLogs(clients: AwsClients, o: LogsOptions, output: Output): Promise<LogsReport> {
  const t0 = performance.now();
  const { targets, skipped } = await resolveTargets(clients, o, output);
  const chosen = chooseEngine(o.engine, o.window.end - o.window.start, targets.length);
  const notes: string[] = [];
  output.info(`engine: ${chosen.engine} (${chosen.reason.replace(/^auto: /, 'auto, ')}).`);
  const progress: Progress = { pages: 0, events: 0 };
  const histories = new Map<string, FunctionHistory>();
  const where = { region: clients.region, endpoint: clients.endpointUrl };
  let anyMissing = false;
  const missing = (t: Target): void => {
    anyMissing = true;
    skipped.push({ name: t.name, reason: `its log group ${t.logGroup} does not exist in ${clients.region} (it never logged, or --log-group names another)` });
  };
  const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  if (chosen.engine === 'filter') {
    for (const [i, t] of targets.entries()) {
      const show = (): void => output.progress(`${t.name} (${i + 1}/${targets.length}): ${progress.pages} pages, ${progress.events} events, ${elapsed()}`);
      show();
      try {
        histories.set(t.name, await filterHistory(clients.logs, t, o.window, progress, { ...where, signal: o.signal, onPage: show, onThrottle: (w) => output.progress(`${t.name}: CloudWatch Logs is throttling; waiting ${Math.round(w)} ms`) }));
      } catch (e) {
        if (e instanceof UserError && errorName(e.cause) === 'ResourceNotFoundException') missing(t);
        else throw e;
      }
    }
  } else if (targets.length > 0) {
    output.progress('checking the log groups…');
    const exist = await existingLogGroups(clients.logs, [...new Set(targets.map((t) => t.logGroup))], { functionName: targets[0]!.name, ...where });
    const present = targets.filter((t) => {
      if (!exist.has(t.logGroup)) missing(t);
      return exist.has(t.logGroup);
    });
    const found = await insightsHistory(clients.logs, present, o.window, {
      signal: o.signal,
      onPoll: (status) => output.progress(`Logs Insights: ${status.toLowerCase()}, ${elapsed()}`),
    }, { ...where, onQuery: (done, total) => output.progress(`Logs Insights: query ${done + 1} of ${total}, ${elapsed()}`) });
    for (const [k, v] of found) histories.set(k, v);
    notes.push('Logs Insights engine: re-inits, SnapStart restores and inits ahead of traffic are counted by --engine filter only (zero here); environments are a lower bound; warm durations include failed warm invocations.');
    const shared = new Set(present.map((t) => t.logGroup).filter((g, i, a) => a.indexOf(g) !== i));
    if (shared.size) notes.push(`Log groups shared by several functions (${[...shared].join(', ')}): their figures cover every function logging there.`);
  }
  output.done();
  output.info(`read ${progress.pages} page${progress.pages === 1 ? '' : 's'}, ${progress.events} event${progress.events === 1 ? '' : 's'} in ${elapsed()}.`);
  const named = !o.all && o.names.length > 0;
  if (named && histories.size === 0 && anyMissing) throw new UserError(`Nothing to analyse: ${skipped.map((s) => `${s.name} is skipped, ${s.reason}`).join('; ')}.`);
  const functions: LogsFunction[] = targets
    .filter((t) => histories.has(t.name))
    .map((t) => ({ name: t.name, runtime: t.runtime, logGroup: t.logGroup, logFormat: t.logFormat, memorySizeMB: t.memorySizeMB, architecture: t.architecture, history: histories.get(t.name)! }))
    .sort((a, b) => b.history.totalColdStartMs - a.history.totalColdStartMs || a.name.localeCompare(b.name));
  if (functions.some((f) => f.history.invocations === 0)) notes.push('A function with no invocation had no REPORT line in the window.');
  return {
    region: clients.region,
    engine: chosen.engine,
    engineReason: chosen.reason,
    window: o.window,
    pricePerGbSecond: { x86_64: o.pricePerGbSecond ?? PRICE_PER_GB_SECOND.x86_64, arm64: o.pricePerGbSecond ?? PRICE_PER_GB_SECOND.arm64 },
    functions,
    skipped,
    notes,
    stats: { pages: progress.pages, events: progress.events, elapsedMs: Math.round(performance.now() - t0) },
  };
}
