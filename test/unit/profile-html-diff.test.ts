// The gate's `profile --html` page: with a base, each module of head carries the base's medians, its change
// in self time and a colour on the diverging scale; a module the base lacks is marked new, one head lacks is
// listed as removed; the verdict is on top. Sessions are synthetic -X importtime runs with known costs,
// gated by the real gate (test/support/sessions.ts): base app.config 20 ms and pandas, head app.config 170 ms,
// no pandas, a new pandasql.
import { describe, expect, it } from 'vitest';
import { evaluateGates } from '../../src/gate/gates.js';
import { baseFromSession } from '../../src/gate/sides.js';
import { DEFAULT_ALPHA, type GateOptions, type GateResult } from '../../src/gate/types.js';
import { parseImportTime } from '../../src/importtime/parse.js';
import { sessionFromFiles, type ProfileSession } from '../../src/importtime/session.js';
import { gateWording } from '../../src/render/gate-text.js';
import type { ProfileInput } from '../../src/render/inputs.js';
import { diffColour, MIN_SCALE_US } from '../../src/render/profile-html-diff.js';
import { render } from '../../src/render/registry.js';
import { StringSink } from '../../src/render/sink.js';
import { HEADER, line } from '../support/importtime.js';
import { runsOf, session } from '../support/sessions.js';

interface PageData {
  nodes: Array<[string, number, number, number, string]>;
  verdict: null | { passed: boolean; base: string | null; failures: string[]; checks: Array<[string, string, string, boolean]> };
  diff: null | {
    base: string;
    metric: string;
    scaleUs: number;
    colours: { faster: string; unchanged: string; slower: string };
    rows: Array<[number, number, number, string] | null>;
    removed: Array<[string, number, number]>;
  };
}

const opts: GateOptions = { forbid: [], budgetPackages: [], allowNew: [], maxRegressionPct: 10, minDeltaMs: 5, alpha: DEFAULT_ALPHA };
const base = session(runsOf(6, 20_000, undefined, { pandas: true }));
const head = session(runsOf(6, 170_000, undefined, { extra: ['pandasql'] }));
const gated = (h: ProfileSession, b: ProfileSession | null, label = 'main (1a2b3c4)'): GateResult =>
  evaluateGates(h, b ? baseFromSession(b, label) : null, opts, gateWording);

async function page(s: ProfileSession, gate: GateResult | null): Promise<{ html: string; d: PageData }> {
  const input: ProfileInput = { session: s, advice: [], gate, options: { top: 5, tree: false }, toolVersion: '9.9.9' };
  const sink = new StringSink();
  await render('profile', 'html', input, sink);
  const html = sink.toString();
  const m = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html);
  return { html, d: JSON.parse(m![1]!) as PageData };
}

const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

describe('the diverging scale', () => {
  it('is grey for no change, the slower end for +scale, the faster end for −scale, clamped past them', () => {
    const ends = { unchanged: diffColour(0, 1000), slower: diffColour(1000, 1000), faster: diffColour(-1000, 1000) };
    expect(new Set(Object.values(ends)).size).toBe(3);
    const [r, g, b] = rgb(ends.unchanged);
    expect(r).toBe(g);
    expect(g).toBe(b);
    expect(rgb(ends.slower)[0]!).toBeGreaterThan(rgb(ends.slower)[2]!);
    expect(rgb(ends.faster)[2]!).toBeGreaterThan(rgb(ends.faster)[0]!);
    expect(diffColour(5000, 1000)).toBe(ends.slower);
    expect(diffColour(-5000, 1000)).toBe(ends.faster);
  });

  it('grows redder with the rise and bluer with the fall', () => {
    const redness = (d: number) => rgb(diffColour(d, 1000))[0]! - rgb(diffColour(d, 1000))[2]!;
    expect(redness(250)).toBeGreaterThan(redness(0));
    expect(redness(750)).toBeGreaterThan(redness(250));
    expect(redness(-250)).toBeLessThan(redness(0));
    expect(redness(-750)).toBeLessThan(redness(-250));
  });
});

describe('profile --html with a base', () => {
  it("gives each module of head the base's medians, the change of its self time and its colour", async () => {
    const gate = gated(head, base);
    const { d } = await page(head, gate);
    expect(d.diff).not.toBeNull();
    const diff = d.diff!;
    expect(diff.base).toBe('main (1a2b3c4)');
    expect(diff.metric).toBe('self');
    expect(diff.rows).toHaveLength(d.nodes.length);
    const baseByName = new Map(base.aggregate.modules.map((m) => [m.name, m]));
    d.nodes.forEach(([name, , self], i) => {
      const row = diff.rows[i];
      const b = baseByName.get(name);
      if (!b) return expect(row).toBeNull();
      expect(row).toEqual([Math.round(b.selfUs.median), Math.round(b.cumulativeUs.median), self - Math.round(b.selfUs.median), expect.any(String)]);
    });
    const rowOf = (name: string) => diff.rows[d.nodes.findIndex((n) => n[0] === name)];
    // app.config is 150 ms slower: the biggest change, the scale's end
    expect(rowOf('app.config')![2]).toBe(Math.max(...diff.rows.map((r) => r?.[2] ?? 0)));
    expect(diff.scaleUs).toBe(rowOf('app.config')![2]);
    expect(rowOf('app.config')![3]).toBe(diff.colours.slower);
    // the same self time on both sides: the middle of the scale
    expect(rowOf('csv')![2]).toBe(0);
    expect(rowOf('csv')![3]).toBe(diff.colours.unchanged);
    // the gate's attribution agrees on the change
    const change = gate.comparison!.changes.find((c) => c.name === 'app.config')!;
    expect(rowOf('app.config')![2]).toBeCloseTo(change.deltaUs, -1);
  });

  it('marks a module the base did not import as new, and lists the modules head no longer imports', async () => {
    const { d } = await page(head, gated(head, base));
    const row = d.diff!.rows[d.nodes.findIndex((n) => n[0] === 'pandasql')];
    expect(row).toBeNull();
    const pandas = base.aggregate.modules.find((m) => m.name === 'pandas')!;
    expect(d.diff!.removed).toContainEqual(['pandas', Math.round(pandas.selfUs.median), Math.round(pandas.cumulativeUs.median)]);
    expect(d.diff!.removed.map((r) => r[0]).sort()).toEqual(['pandas', 'pandas.core']);
  });

  it('puts the verdict on top: failed, with the failures and every check', async () => {
    const gate = gated(head, base);
    const { d } = await page(head, gate);
    expect(gate.passed).toBe(false);
    expect(d.verdict).toEqual({
      passed: false,
      base: 'main (1a2b3c4)',
      failures: gate.failures.map((f) => f.message),
      checks: gate.checks.map((c) => [c.label, c.limit, c.measured, c.passed]),
    });
    expect(d.verdict!.failures.some((f) => f.includes('pandasql'))).toBe(true);
  });

  it('a small change does not fill the scale: its end is at least 1 ms', async () => {
    const near = session(runsOf(6, 20_200, undefined, { pandas: true }));
    const { d } = await page(near, gated(near, base));
    expect(d.diff!.scaleUs).toBe(MIN_SCALE_US);
    const row = d.diff!.rows[d.nodes.findIndex((n) => n[0] === 'app.config')]!;
    expect(row[3]).not.toBe(d.diff!.colours.slower);
  });

  it('without a base there is no differential data; without a gate check, no verdict', async () => {
    expect((await page(head, null)).d).toMatchObject({ verdict: null, diff: null });
    expect((await page(head, gated(head, null))).d).toMatchObject({ verdict: null, diff: null });
    const forbid = evaluateGates(head, null, { ...opts, forbid: ['pandasql'] }, gateWording);
    const { d } = await page(head, forbid);
    expect(d.diff).toBeNull();
    expect(d.verdict).toMatchObject({ passed: false, base: null, failures: [expect.stringContaining('pandasql')] });
  });

  it('a crafted module name and base label stay data: they cannot end the <script> or open markup', async () => {
    const evil = '</script><img src=x onerror=alert(1)><!--<script>\u2028x';
    const b = session(runsOf(6, 20_000, undefined, { extra: [evil] }));
    const h = session(runsOf(6, 20_000, undefined, { extra: [`${evil}2`] }));
    const { html, d } = await page(h, gated(h, b, `main ${evil}`));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<!--');
    expect(html).not.toMatch(/\u2028/);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(d.diff!.base).toBe(`main ${evil}`);
    expect(d.diff!.removed.map((r) => r[0])).toEqual([evil]);
    expect(d.diff!.rows[d.nodes.findIndex((n) => n[0] === `${evil}2`)]).toBeNull();
  });

  it('a 3,000-module tree against a base stays under 1 MB', async () => {
    // 300 packages of 10 nested modules each, with long dotted names (children print before their parent)
    const text = (extraUs: number): string => {
      const lines = [HEADER];
      for (let p = 0; p < 300; p++) {
        const pkg = `thirdparty_package_${p}`;
        for (let i = 9; i >= 0; i--) {
          const name = i === 0 ? pkg : `${pkg}.${Array.from({ length: i }, (_, k) => `submodule_${k}`).join('.')}`;
          lines.push(line(100 + i + extraUs, 100 * (10 - i) + i + extraUs * (10 - i), i, name));
        }
      }
      return lines.join('\n');
    };
    const big = (extraUs: number): ProfileSession => sessionFromFiles(['big.txt'], [parseImportTime(text(extraUs))]);
    const h = big(37);
    const { html, d } = await page(h, gated(h, big(0)));
    expect(d.diff!.rows).toHaveLength(3000);
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024);
  });
});
