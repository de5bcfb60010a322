// Deterministic profile sessions for the gate's unit tests: synthetic `-X importtime` runs whose costs
// are given, turned into sessions by the same code a real profile uses.
import { parseImportTime } from '../../src/importtime/parse.js';
import { parseOutcome, type ParsedRun } from '../../src/importtime/run.js';
import { sessionFromFiles, type ProfileSession, type RunContext } from '../../src/importtime/session.js';
import { splitRunOutput, type RunOutcome } from '../../src/python/protocol.js';

const HEADER = 'import time: self [us] | cumulative | imported package';
export const importLine = (self: number, cum: number, depth: number, name: string): string =>
  `import time: ${String(self).padStart(9)} | ${String(cum).padStart(10)} | ${'  '.repeat(depth)}${name}`;

export interface RunShape {
  /** app.config's own time (µs). */
  configUs: number;
  /** Import a third-party package `pandas` from app.db (and its submodule). */
  pandas?: boolean;
  /** Extra modules imported by the handler. */
  extra?: string[];
}

/** One run of `import handler`: handler → app.db → csv (+ pandas), handler → app.config. */
export function runText(r: RunShape): string {
  const lines = [HEADER, importLine(900, 900, 2, 'csv')];
  let db = 30_000 + 900;
  if (r.pandas) {
    lines.push(importLine(40_000, 40_000, 3, 'pandas.core'), importLine(2_000, 42_000, 2, 'pandas'));
    db += 42_000;
  }
  lines.push(importLine(30_000, db, 1, 'app.db'), importLine(r.configUs, r.configUs, 1, 'app.config'));
  let extra = 0;
  for (const e of r.extra ?? []) {
    lines.push(importLine(1_000, 1_000, 1, e));
    extra += 1_000;
  }
  const total = db + r.configUs + extra + 500;
  lines.push(importLine(500, total, 0, 'handler'));
  return `${lines.join('\n')}\n`;
}

/** The synthetic handler as a run of it is measured: /task/handler.py on a CPython 3.12.1. */
export const RUN_CONTEXT: RunContext = {
  target: { display: 'handler.py', module: 'handler', root: '/task', path: '/task/handler.py', layers: [], layerPaths: [] },
  python: { version: '3.12.1', implementation: 'cpython', executable: '/usr/bin/python3', requested: 'python3', viaShim: false, platform: 'linux' },
  bytecode: 'cached',
  warmup: 0,
  runtime: null,
};

/** The noise (µs) the synthetic runs add to a cost, run after run. */
export const JITTER = [0, 700, -400, 1200, -900, 300, -200, 500];

/** A session of several runs; `controlUs`: the per-run machine-speed control, as a real run measures it. */
export function session(runs: RunShape[], controlUs?: number[]): ProfileSession {
  const files = runs.map((_, i) => `run${i + 1}.txt`);
  const s = sessionFromFiles(files, runs.map((r) => parseImportTime(runText(r))));
  return { ...s, target: RUN_CONTEXT.target, controlUsPerRun: controlUs ?? null };
}

/** n runs whose app.config costs `base + jitter[i % jitter.length]` µs. */
export function runsOf(n: number, baseUs: number, jitter: number[] = JITTER, extra: Partial<RunShape> = {}): RunShape[] {
  return Array.from({ length: n }, (_, i) => ({ ...extra, configUs: baseUs + (jitter[i % jitter.length] as number) }));
}

/** A harness run's outcome as the runner hands it back, from what the harness wrote on stderr. */
export function outcomeOf(stderr: string, over: Partial<Omit<RunOutcome, 'phases' | 'otherLines'>> = {}): RunOutcome {
  return { index: 0, warmup: false, status: 'ok', wallMs: 1, exitCode: 0, signal: null, result: null, stdout: '', ...over, ...splitRunOutput(stderr) };
}

/** Run `r.n` of the synthetic handler as the harness writes it (`runText` between its markers), parsed; `fails`: the import raised. */
export function harnessRun(r: { n: number; warmup: boolean }, shape: RunShape, fails = false): ParsedRun {
  const stderr = `@@lambda-cold:startup-end\n@@lambda-cold:init-begin\n${runText(shape)}@@lambda-cold:init-end ${fails ? 'error' : 'ok'}\n`;
  return parseOutcome(outcomeOf(stderr, { index: r.n, warmup: r.warmup, status: fails ? 'error' : 'ok' }));
}
