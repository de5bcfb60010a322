// --speedscope and --trace on real -X importtime captures: the speedscope file is valid against the schema
// speedscope publishes (vendored in test/fixtures/speedscope/), both files lay the import tree out in µs
// with every child inside its parent and siblings apart, and a crafted module name comes back intact.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { statTree, type StatNode } from '../../src/importtime/aggregate.js';
import { parseImportTime } from '../../src/importtime/parse.js';
import { sessionFromFiles } from '../../src/importtime/session.js';
import type { ProfileInput } from '../../src/render/inputs.js';
import { render } from '../../src/render/registry.js';
import { StringSink } from '../../src/render/sink.js';
import { HEADER, line } from '../support/importtime.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/importtime/', import.meta.url));
const SCHEMA = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/speedscope/file-format-schema.json', import.meta.url)), 'utf8')) as object;
const validateSpeedscope = new Ajv({ allErrors: true }).compile(SCHEMA);
const captures = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort();

interface SpeedscopeFile {
  $schema: string;
  shared: { frames: Array<{ name: string; file?: string }> };
  profiles: Array<{ type: string; unit: string; startValue: number; endValue: number; events: Array<{ type: 'O' | 'C'; frame: number; at: number }> }>;
}
interface TraceEvent {
  name: string;
  ph: string;
  ts?: number;
  dur?: number;
  pid: number;
  tid: number;
  cat?: string;
  args?: Record<string, unknown>;
}
interface TraceFile {
  traceEvents: TraceEvent[];
  displayTimeUnit: string;
}

const inputOf = (files: string[], texts: string[]): ProfileInput => ({
  session: sessionFromFiles(files, texts.map((t) => parseImportTime(t))),
  advice: [],
  gate: null,
  options: { top: 5, tree: false },
  toolVersion: '9.9.9',
});
const fixtureInput = (...names: string[]): ProfileInput => inputOf(names, names.map((n) => readFileSync(join(FIXTURES, n), 'utf8')));

async function exported(format: 'speedscope' | 'trace', input: ProfileInput): Promise<string> {
  const sink = new StringSink();
  await render('profile', format, input, sink);
  return sink.toString();
}
const speedscopeOf = async (input: ProfileInput): Promise<SpeedscopeFile> => JSON.parse(await exported('speedscope', input)) as SpeedscopeFile;
const traceOf = async (input: ProfileInput): Promise<TraceFile> => JSON.parse(await exported('trace', input)) as TraceFile;

interface Interval {
  name: string;
  start: number;
  end: number;
  children: Interval[];
}

/** Replay speedscope's open/close events as its importer does: a close must match the frame on top. */
function replaySpeedscope(file: SpeedscopeFile): Interval[] {
  const profile = file.profiles[0]!;
  const roots: Interval[] = [];
  const stack: Interval[] = [];
  let last = profile.startValue;
  for (const e of profile.events) {
    expect(e.at).toBeGreaterThanOrEqual(last);
    last = e.at;
    const name = file.shared.frames[e.frame]!.name;
    if (e.type === 'O') {
      const iv: Interval = { name, start: e.at, end: Number.NaN, children: [] };
      (stack.length > 0 ? stack[stack.length - 1]!.children : roots).push(iv);
      stack.push(iv);
    } else {
      const top = stack.pop();
      expect(top?.name).toBe(name);
      top!.end = e.at;
    }
  }
  expect(stack).toEqual([]);
  expect(last).toBeLessThanOrEqual(profile.endValue);
  return roots;
}

/** The trace's complete events, matched one to one against the import tree (pre-order, cached lines out). */
function traceIntervals(trace: TraceFile, tree: readonly StatNode[]): Interval[] {
  const slices = trace.traceEvents.filter((e) => e.ph === 'X');
  let i = 0;
  const build = (nodes: readonly StatNode[]): Interval[] =>
    nodes
      .filter((n) => !n.stat.cached)
      .map((n) => {
        const e = slices[i++]!;
        expect(e.name).toBe(n.stat.name);
        expect(Number.isInteger(e.ts) && Number.isInteger(e.dur) && e.dur! >= 0).toBe(true);
        return { name: e.name, start: e.ts!, end: e.ts! + e.dur!, children: build(n.children) };
      });
  const roots = build(tree);
  expect(i).toBe(slices.length);
  return roots;
}

/** Every child inside its parent, siblings one after another without overlap. */
function expectNested(intervals: readonly Interval[], parent: Interval | null = null): void {
  let previousEnd = parent ? parent.start : 0;
  for (const iv of intervals) {
    expect(iv.end).toBeGreaterThanOrEqual(iv.start);
    expect(iv.start).toBeGreaterThanOrEqual(previousEnd);
    if (parent) expect(iv.end).toBeLessThanOrEqual(parent.end);
    previousEnd = iv.end;
    expectNested(iv.children, iv);
  }
}

const count = (intervals: readonly Interval[]): number => intervals.reduce((n, iv) => n + 1 + count(iv.children), 0);
const find = (intervals: readonly Interval[], name: string): Interval | undefined => {
  for (const iv of intervals) {
    if (iv.name === name) return iv;
    const hit = find(iv.children, name);
    if (hit) return hit;
  }
  return undefined;
};

describe('--speedscope on every recorded capture', () => {
  it.each(captures)('%s: valid against the published schema, balanced, nested, one open per module', async (name) => {
    const input = fixtureInput(name);
    const file = await speedscopeOf(input);
    const valid = validateSpeedscope(file);
    expect(validateSpeedscope.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(file.$schema).toBe('https://www.speedscope.app/file-format-schema.json');
    expect(file.profiles).toHaveLength(1);
    expect(file.profiles[0]).toMatchObject({ type: 'evented', unit: 'microseconds', startValue: 0 });
    const intervals = replaySpeedscope(file);
    expectNested(intervals);
    expect(count(intervals)).toBe(input.session.aggregate.modules.filter((m) => !m.cached).length);
  });
});

describe('--trace on every recorded capture', () => {
  it.each(captures)('%s: complete events in µs, in tree order, nested', async (name) => {
    const input = fixtureInput(name);
    const trace = await traceOf(input);
    expect(trace.displayTimeUnit).toBe('ms');
    for (const e of trace.traceEvents) expect(['X', 'M']).toContain(e.ph);
    const intervals = traceIntervals(trace, statTree(input.session.aggregate.modules));
    expectNested(intervals);
  });
});

describe('units: µs as -X importtime printed them', () => {
  it('a module lasts its cumulative time, its importer spans its children, the profile the whole import', async () => {
    // py311-email-http.txt: "import time:      3982 |       6864 |   ssl" and "    1850 |       3421 |             socket"
    const input = fixtureInput('py311-email-http.txt');
    const file = await speedscopeOf(input);
    const spans = replaySpeedscope(file);
    const ssl = find(spans, 'ssl')!;
    expect(ssl.end - ssl.start).toBe(6864);
    expect(find(ssl.children, '_ssl')!.end - find(ssl.children, '_ssl')!.start).toBe(2882);
    const socket = find(spans, 'socket')!;
    expect(socket.end - socket.start).toBe(3421);
    expect(file.profiles[0]!.endValue).toBe(input.session.aggregate.totalsUs[0]);
    const trace = await traceOf(input);
    const traced = trace.traceEvents.find((e) => e.name === 'ssl')!;
    expect(traced).toMatchObject({ ph: 'X', ts: ssl.start, dur: 6864, cat: 'import', args: { selfUs: 3982, cumulativeUs: 6864 } });
  });
});

describe('the rounding residue and other overruns are cut at the parent', () => {
  it("children adding up to more than their parent (self + Σ children ≤ cumulative + k µs): the last one ends at the parent's end", async () => {
    // parent: self 1, cumulative 10; children 5 and 6 — 1 + 5 + 6 = 12 = 10 + 2 µs of rounding for 2 children
    const text = [HEADER, line(5, 5, 1, 'a'), line(6, 6, 1, 'b'), line(1, 10, 0, 'parent'), line(7, 7, 0, 'after')].join('\n');
    const input = inputOf(['c.txt'], [text]);
    const spans = replaySpeedscope(await speedscopeOf(input));
    expect(spans.map((s) => [s.name, s.start, s.end])).toEqual([
      ['parent', 0, 10],
      ['after', 10, 17],
    ]);
    expect(spans[0]!.children.map((s) => [s.name, s.start, s.end])).toEqual([
      ['a', 0, 5],
      ['b', 5, 10],
    ]);
    const trace = await traceOf(input);
    expect(trace.traceEvents.find((e) => e.name === 'b')).toMatchObject({ ts: 5, dur: 5, args: { cumulativeUs: 6, clampedUs: 1 } });
    expect(trace.traceEvents.find((e) => e.name === 'a')!.args).not.toHaveProperty('clampedUs');
  });

  it.each([
    ['medians of captures from six Pythons', ['py38', 'py39', 'py310', 'py311', 'py312', 'py313'].map((v) => `${v}-email-http.txt`)],
    ['threads (negative self times)', ['py312-threads.txt']],
    ['a spawned child interleaved', ['py312-spawn-interleaved.txt']],
  ])('%s still nest in both formats', async (_what, names) => {
    const input = fixtureInput(...names);
    const trace = await traceOf(input);
    expect(trace.traceEvents.some((e) => typeof e.args?.clampedUs === 'number' && e.args.clampedUs > 0)).toBe(true);
    expectNested(traceIntervals(trace, statTree(input.session.aggregate.modules)));
    const file = await speedscopeOf(input);
    expect(validateSpeedscope(file)).toBe(true);
    expectNested(replaySpeedscope(file));
  });
});

describe('names and sizes', () => {
  it('a crafted module name is escaped in both files and reads back unchanged', async () => {
    const evil = 'evil"name\\</script><b>\u2028x';
    const input = inputOf(['c.txt'], [[HEADER, line(3, 3, 1, evil), line(2, 5, 0, 'pkg')].join('\n')]);
    const speedscope = await exported('speedscope', input);
    expect(speedscope).not.toContain('evil"name');
    const file = JSON.parse(speedscope) as SpeedscopeFile;
    expect(validateSpeedscope(file)).toBe(true);
    expect(file.shared.frames.map((f) => f.name)).toEqual([evil, 'pkg']);
    const trace = await traceOf(input);
    expect(trace.traceEvents.filter((e) => e.ph === 'X').map((e) => e.name)).toEqual(['pkg', evil]);
  });

  it('a module imported twice is one frame opened twice', async () => {
    const input = fixtureInput('py312-json-decoder-dup.txt');
    const file = await speedscopeOf(input);
    const names = file.shared.frames.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    const decoder = names.indexOf('json.decoder');
    expect(file.profiles[0]!.events.filter((e) => e.type === 'O' && e.frame === decoder)).toHaveLength(2);
  });

  it('a tree 20,000 levels deep is written without recursion', async () => {
    const depth = 20_000;
    const lines = [HEADER];
    for (let d = depth - 1; d >= 0; d--) lines.push(line(1, depth - d, d, `m${d}`));
    const input = inputOf(['deep.txt'], [lines.join('\n')]);
    const file = await speedscopeOf(input);
    expect(file.profiles[0]!.events).toHaveLength(2 * depth);
    expect(file.profiles[0]!.endValue).toBe(depth);
    const trace = await traceOf(input);
    expect(trace.traceEvents.filter((e) => e.ph === 'X')).toHaveLength(depth);
  });
});
