import { beforeAll, describe, expect, it } from 'vitest';
import { parseImportTime } from '../../src/importtime/parse.js';
import { sessionFromFiles } from '../../src/importtime/session.js';
import { profileDocument } from '../../src/render/profile-json.js';
import { renderProfileReport } from '../../src/render/profile-report.js';
import { usAsMs, pct } from '../../src/render/format.js';
import { loadTables } from '../../src/render/text-table.js';
import { fromImportNodes, renderTree } from '../../src/render/tree.js';
import { Writable } from 'node:stream';
import { object, optional } from 'zod/mini';
import { createOutput } from '../../src/util/output.js';
import { chalk, wantsColour } from '../../src/render/style.js';
import { parseOptions, intFlag, numberFlag } from '../../src/util/options.js';
import { HEADER, line } from '../support/importtime.js';

const TEXT = [
  HEADER,
  line(90000, 90000, 2, 'heavy.core'),
  line(500, 90500, 1, 'heavy'),
  line(1500, 1500, 1, 'light'),
  line(300, 92300, 0, 'handler'),
].join('\n');

describe('renderTree', () => {
  const roots = fromImportNodes(parseImportTime(TEXT).roots);
  it('draws children under their parent with cumulative and self ms', () => {
    expect(renderTree(roots)).toBe(
      [
        '   cum ms   self ms  module',
        '     92.3      0.30  handler',
        '     90.5      0.50  ├─ heavy',
        '     90.0      90.0  │  └─ heavy.core',
        '      1.5       1.5  └─ light',
        '',
      ].join('\n'),
    );
  });
  it('cuts at --max-depth and hides cheap subtrees under --min-ms, saying what it hid', () => {
    const depth = renderTree(roots, { maxDepth: 1 });
    expect(depth).not.toContain('heavy.core');
    expect(depth).toContain('└─ … 1 more below --max-depth (90.0 ms)');
    const min = renderTree(roots, { minUs: 2000 });
    expect(min).not.toMatch(/─ light/);
    expect(min).toContain('… 1 more under --min-ms (1.5 ms)');
  });
});

describe('profile renderers', () => {
  beforeAll(loadTables);
  const session = sessionFromFiles(['capture.txt'], [parseImportTime(TEXT)]);
  it('JSON: the documented fields, raw records for captured files', () => {
    const doc = profileDocument({ session, advice: [], toolVersion: '9.9.9' }) as {
      schemaVersion: number;
      kind: string;
      summary: { runs: number; moduleCount: number; importUs: { median: number; min: number; max: number } };
      modules: Array<{ name: string; depth: number; selfUs: number; cumulativeUs: number }>;
      packages: Array<{ name: string; cumulativeUs: number; moduleCount: number }>;
    };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.kind).toBe('profile');
    expect(doc.summary).toMatchObject({ runs: 1, moduleCount: 4, importUs: { median: 92300, min: 92300, max: 92300 } });
    expect(doc.modules.map((m) => [m.name, m.depth, m.selfUs, m.cumulativeUs])).toEqual([
      ['heavy.core', 2, 90000, 90000],
      ['heavy', 1, 500, 90500],
      ['light', 1, 1500, 1500],
      ['handler', 0, 300, 92300],
    ]);
    expect(doc.packages.map((p) => [p.name, p.cumulativeUs, p.moduleCount])).toEqual([
      ['heavy', 90500, 2],
      ['light', 1500, 1],
      ['handler', 92300, 1],
    ]);
  });
  it('report: summary, rankings, packages', () => {
    const text = renderProfileReport(session, [], { top: 2, tree: false });
    expect(text).toContain('Import total');
    expect(text).toContain('Slowest imports by cumulative time (top 2)');
    expect(text).toMatch(/1\s+handler\s+92\.3\s+0\.30\s+100\.0%/);
    expect(text).toMatch(/1\s+heavy\.core\s+90\.0\s+90\.0\s+97\.5%/);
    expect(text).toContain('… 1 more packages');
  });
  it('report: tables fit 80 columns when stdout is not a terminal, a long module name wrapped whole', () => {
    const long = 'vendor.generated.service_models.a_very_long_service_name.v2023_11_30.paginators.client';
    const wide = sessionFromFiles(['capture.txt'], [parseImportTime([HEADER, line(90_000, 90_000, 1, long), line(300, 90_300, 0, 'handler')].join('\n'))]);
    const text = renderProfileReport(wide, [], { top: 5, tree: false });
    const tables = text.split(/\n\n/).filter((block) => block.includes('─────'));
    expect(tables.length).toBe(3);
    for (const block of tables) for (const l of block.split('\n').slice(1)) expect(l.length).toBeLessThanOrEqual(80);
    // the pieces of the name, read down its column, give it back whole
    const rows = tables[0]?.split('\n').slice(3) ?? [];
    const first = rows.findIndex((r) => r.includes(' vendor.'));
    const start = rows[first]?.indexOf('vendor.') ?? -1;
    expect(start).toBeGreaterThan(0);
    expect(
      rows
        .slice(first)
        .map((r) => r.slice(start).split(' ')[0])
        .join(''),
    ).toBe(long);
  });
});

describe('format', () => {
  it('prints ms with one decimal, two below 1 ms', () => {
    expect(usAsMs(123456)).toBe('123.5');
    expect(usAsMs(450)).toBe('0.45');
    expect(pct(1, 4)).toBe('25.0%');
    expect(pct(1, 0)).toBe('—');
  });
});

describe('option validation', () => {
  const schema = object({ runs: intFlag(1, 100), minMs: optional(numberFlag(0)) });
  it('turns bad values into one sentence naming the flag', () => {
    expect(parseOptions(schema, { runs: '5' })).toEqual({ runs: 5 });
    expect(() => parseOptions(schema, { runs: '0' })).toThrow('Invalid value for --runs: must be at least 1 (got "0").');
    expect(() => parseOptions(schema, { runs: '1000' })).toThrow('Invalid value for --runs: must be at most 100 (got "1000").');
    expect(() => parseOptions(schema, { runs: '2.5' })).toThrow(/Invalid value for --runs: expected a whole number/);
    expect(() => parseOptions(schema, { runs: '2', minMs: 'x' })).toThrow('Invalid value for --min-ms: expected a number (got "x").');
    expect(parseOptions(schema, { runs: '2', minMs: '0.5' })).toEqual({ runs: 2, minMs: 0.5 });
  });
});

describe('output', () => {
  const sink = (tty: boolean, columns?: number) => {
    const chunks: string[] = [];
    return { chunks, stream: Object.assign(new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }), { isTTY: tty, columns }) };
  };
  it('shows progress only on a terminal, whole when the terminal gives no width, and clears it before a warning', () => {
    const out = sink(false);
    const tty = sink(true, 0);
    const o = createOutput(out.stream, tty.stream);
    o.progress('run 1/4 (last: 199.2 ms)');
    o.warn('careful');
    o.out('{"doc":1}');
    expect(tty.chunks.join('')).toBe('\r\x1b[2Krun 1/4 (last: 199.2 ms)\r\x1b[2Kwarning: careful\n');
    expect(out.chunks.join('')).toBe('{"doc":1}\n');
    const piped = sink(false);
    createOutput(sink(false).stream, piped.stream).progress('run 1/4');
    expect(piped.chunks).toEqual([]);
  });
});

describe('colour', () => {
  it('is wanted on a terminal, forced by FORCE_COLOR, and off with NO_COLOR, TERM=dumb or a pipe', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(wantsColour({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(wantsColour({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColour({ isTTY: true }, { FORCE_COLOR: '0', NO_COLOR: '1' })).toBe(false);
  });
  it('without chalk loaded, styles pass text through unchanged', () => {
    expect(chalk.bold.underline('title')).toBe('title');
    expect(chalk.dim(`a ${chalk.red('b')}`)).toBe('a b');
  });
});
