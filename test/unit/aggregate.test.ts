import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateRuns, statTree, topLevelPackage, treeTotalUs } from '../../src/importtime/aggregate.js';
import { packageStats } from '../../src/importtime/packages.js';
import { parseImportTime } from '../../src/importtime/parse.js';
import { summarize } from '../../src/model/summary.js';
import { importtimeFixtures } from '../support/cli.js';
import { HEADER, line } from '../support/importtime.js';


/** A run of `import handler` where handler imports json (json.decoder twice) and pkg. */
function run(scale: number, withExtra = false): string {
  const l = [
    HEADER,
    line(10 * scale, 10 * scale, 2, 'json.decoder'),
    line(5 * scale, 15 * scale, 1, 'json'),
    line(2, 2, 1, 'json.decoder'),
    line(100 * scale, 100 * scale, 1, 'pkg.core'),
  ];
  if (withExtra) l.push(line(7, 7, 1, 'colorsys'));
  l.push(line(3, 120 * scale + 3 + (withExtra ? 7 : 0), 0, 'handler'));
  return `${l.join('\n')}\n`;
}

describe('aggregateRuns', () => {
  it('keeps one row per module when only its first importer changes between runs, placed where most runs put it', () => {
    // handler imports a and b; both import base64. Which of them imports it first depends on the run.
    const runWith = (first: 'a' | 'b', base: number): string =>
      [
        HEADER,
        ...(first === 'a'
          ? [line(base, base, 2, 'base64'), line(10, 10 + base, 1, 'a'), line(20, 20, 1, 'b')]
          : [line(10, 10, 1, 'a'), line(base, base, 2, 'base64'), line(20, 20 + base, 1, 'b')]),
        line(1, 31 + base, 0, 'handler'),
      ].join('\n');
    const runs = [runWith('a', 500), runWith('b', 700), runWith('a', 600), runWith('a', 800), runWith('b', 900)];
    const agg = aggregateRuns(runs.map((t) => ({ roots: parseImportTime(t).roots })));
    expect(agg.differences).toEqual([]);
    expect(agg.modules.map((m) => [m.name, m.depth, m.parentId, m.runs])).toEqual([
      ['base64', 2, 'a', 5],
      ['a', 1, 'handler', 5],
      ['b', 1, 'handler', 5],
      ['handler', 0, null, 5],
    ]);
    expect(agg.modules.find((m) => m.name === 'base64')?.selfUs).toMatchObject({ n: 5, median: 700, min: 500, max: 900 });
  });

  it('gives every module one place in one tree when two modules swap importers between runs', () => {
    const ab = [HEADER, line(1, 1, 2, 'b'), line(1, 2, 1, 'a'), line(1, 3, 0, 'handler')].join('\n');
    const ba = [HEADER, line(1, 1, 2, 'a'), line(1, 2, 1, 'b'), line(1, 3, 0, 'handler')].join('\n');
    const agg = aggregateRuns([ab, ba].map((t) => ({ roots: parseImportTime(t).roots })));
    expect(agg.modules.map((m) => m.name).sort()).toEqual(['a', 'b', 'handler']);
    expect(agg.modules.every((m) => m.runs === 2)).toBe(true);
    const roots = statTree(agg.modules);
    const count = (nodes: ReturnType<typeof statTree>): number => nodes.reduce((s, n) => s + 1 + count(n.children), 0);
    expect(count(roots)).toBe(3);
  });

  it('keeps a repeated line of the same name apart (#2) and takes medians across runs', () => {
    const trees = [1, 2, 3].map((s) => ({ roots: parseImportTime(run(s)).roots }));
    const agg = aggregateRuns(trees);
    expect(agg.runs).toBe(3);
    expect(agg.modules.map((m) => [m.id, m.depth, m.parentId])).toEqual([
      ['json.decoder', 2, 'json'],
      ['json', 1, 'handler'],
      ['json.decoder#2', 1, 'handler'],
      ['pkg.core', 1, 'handler'],
      ['handler', 0, null],
    ]);
    const core = agg.modules.find((m) => m.id === 'pkg.core');
    expect(core?.selfUs).toMatchObject({ n: 3, median: 200, min: 100, max: 300 });
    expect(core?.package).toBe('pkg');
    expect(core?.parentId).toBe('handler');
    expect(agg.totalsUs).toEqual([123, 243, 363]);
    expect(agg.totalUs.median).toBe(243);
    expect(agg.differences).toEqual([]);
  });

  it('reports modules that only some runs imported', () => {
    const trees = [run(1), run(1, true), run(1)].map((t) => ({ roots: parseImportTime(t).roots }));
    const agg = aggregateRuns(trees);
    expect(agg.differences).toEqual([{ id: 'colorsys', name: 'colorsys', presentIn: [2] }]);
    expect(agg.modules.find((m) => m.name === 'colorsys')?.runs).toBe(1);
  });

  it('rebuilds the tree of aggregated modules in import order', () => {
    const agg = aggregateRuns([{ roots: parseImportTime(run(1)).roots }]);
    const roots = statTree(agg.modules);
    expect(roots.map((r) => r.stat.name)).toEqual(['handler']);
    expect(roots[0]?.children.map((c) => c.stat.id)).toEqual(['json', 'json.decoder#2', 'pkg.core']);
  });

  it('works on a real boto3 capture', () => {
    const parsed = parseImportTime(readFileSync(join(importtimeFixtures, 'py311-boto3.txt'), 'utf8'));
    const agg = aggregateRuns([{ roots: parsed.roots }]);
    expect(agg.modules).toHaveLength(parsed.records.length);
    expect(new Set(agg.modules.map((m) => m.id)).size).toBe(parsed.records.length);
    expect(agg.totalUs.median).toBe(treeTotalUs(parsed.roots));
  });
});

describe('packageStats', () => {
  it("sums self time per top-level package and counts a package's outermost imports once for its cumulative", () => {
    const text = [
      HEADER,
      line(50, 50, 3, 'botocore.utils'),
      line(20, 70, 2, 'botocore'),
      line(30, 30, 2, 'boto3.session'),
      line(10, 110, 1, 'boto3'),
      line(5, 5, 1, 'json'),
      line(1, 116, 0, 'handler'),
    ].join('\n');
    const agg = aggregateRuns([{ roots: parseImportTime(text).roots }]);
    const pk = packageStats(
      agg.modules,
      new Map([
        ['boto3', 'site-packages' as const],
        ['botocore', 'site-packages' as const],
        ['json', 'stdlib' as const],
        ['handler', 'task-root' as const],
      ]),
    );
    expect(pk.map((p) => [p.name, p.selfUs, p.cumulativeUs, p.moduleCount, p.origin])).toEqual([
      ['botocore', 70, 70, 2, 'site-packages'],
      ['boto3', 40, 110, 2, 'site-packages'],
      ['json', 5, 5, 1, 'stdlib'],
      ['handler', 1, 116, 1, 'task-root'],
    ]);
    // without origins (captured files) every package is kept, origin unknown
    expect(packageStats(agg.modules).map((p) => [p.name, p.origin])).toEqual([
      ['botocore', 'unknown'],
      ['boto3', 'unknown'],
      ['json', 'unknown'],
      ['handler', 'unknown'],
    ]);
  });

  it('leaves out a probe that was looked for and never loaded, when the run says what was loaded', () => {
    const text = [HEADER, line(40, 40, 1, 'brotli'), line(30, 30, 1, 'urllib3'), line(1, 71, 0, 'handler')].join('\n');
    const agg = aggregateRuns([{ roots: parseImportTime(text).roots }]);
    const origins = new Map([
      ['urllib3', 'task-root' as const],
      ['handler', 'task-root' as const],
    ]);
    expect(packageStats(agg.modules, origins).map((p) => p.name)).toEqual(['urllib3', 'handler']);
    // captured files say nothing of what was loaded: every name stays
    expect(packageStats(agg.modules).map((p) => p.name)).toEqual(['brotli', 'urllib3', 'handler']);
  });

  it('topLevelPackage takes the first dotted part', () => {
    expect(topLevelPackage('a.b.c')).toBe('a');
    expect(topLevelPackage('solo')).toBe('solo');
  });
});

describe('summarize', () => {
  it('gives the median, extremes, quartiles and MAD', () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ n: 5, median: 3, min: 1, max: 5, p25: 2, p75: 4, mad: 1 });
    expect(summarize([])).toMatchObject({ n: 0, median: 0 });
    expect(summarize([7])).toMatchObject({ n: 1, median: 7, mad: 0 });
  });
});
