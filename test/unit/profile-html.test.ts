// `profile --html`: the page is one self-contained document (no resource from elsewhere, a script that
// parses), its data comes back as the profile measured it, crafted module names and advice cannot end the
// data's <script> element, and a 3,000-module tree stays under 1 MB.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Advice } from '../../src/analysis/advice/types.js';
import { parseImportTime } from '../../src/importtime/parse.js';
import { sessionFromFiles } from '../../src/importtime/session.js';
import type { ProfileInput } from '../../src/render/inputs.js';
import { render } from '../../src/render/registry.js';
import { StringSink } from '../../src/render/sink.js';
import { HEADER, line } from '../support/importtime.js';
import { expectSelfContained, pageData } from '../support/html.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/importtime/', import.meta.url));
const captures = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort();

interface PageData {
  title: string;
  totalUs: number;
  nodes: Array<[string, number, number, number, string]>;
  packages: Array<{ name: string; ownerCode: string; cumulativeUs: number; selfUs: number; moduleCount: number }>;
  advice: Array<{ module: string; message: string; file: string }>;
  phases: Array<[string, number]> | null;
}

const inputOf = (files: string[], texts: string[], advice: Advice[] = []): ProfileInput => ({
  session: sessionFromFiles(files, texts.map((t) => parseImportTime(t))),
  advice,
  gate: null,
  options: { top: 5, tree: false },
  toolVersion: '9.9.9',
});

async function page(input: ProfileInput): Promise<string> {
  const sink = new StringSink();
  await render('profile', 'html', input, sink);
  return sink.toString();
}

const dataOf = (html: string): PageData => pageData<PageData>(html);

describe('profile --html', () => {
  it.each(captures)('%s: one page, nothing loaded from elsewhere, a script that parses, the tree as measured', async (name) => {
    const input = inputOf([name], [readFileSync(join(FIXTURES, name), 'utf8')]);
    const html = await page(input);
    expectSelfContained(html, ['icicle', 'crumbs', 'tip', 'packages', 'advice']);
    const d = dataOf(html);
    // every module measured (cached lines of 3.14 take no time), with its importer and its medians
    const measured = input.session.aggregate.modules
      .filter((m) => !m.cached)
      .map((m) => [m.name, m.parent?.name ?? null, Math.round(m.selfUs.median), Math.round(m.cumulativeUs.median)].join('|'))
      .sort();
    d.nodes.forEach((n, i) => expect(n[1]).toBeLessThan(i)); // a parent before its children
    expect(d.nodes.map((n) => [n[0], n[1] >= 0 ? d.nodes[n[1]]![0] : null, n[2], n[3]].join('|')).sort()).toEqual(measured);
    expect(d.totalUs).toBe(input.session.aggregate.totalUs.median);
    expect(d.packages.map((p) => p.name)).toEqual(input.session.packages.map((p) => p.name));
    expect(d.phases).toBeNull();
  });

  it('tells the user\'s code, third-party packages and the standard library apart', async () => {
    const text = [HEADER, line(100, 100, 0, 'json'), line(200, 200, 0, 'requests'), line(50, 50, 0, 'handler'), line(5, 5, 0, 'mystery')].join('\n');
    const input = inputOf(['c.txt'], [text]);
    input.session.owners.set('json', { kind: 'stdlib' });
    input.session.owners.set('requests', { kind: 'third-party', distribution: 'requests', version: '2.32.3' });
    input.session.owners.set('handler', { kind: 'user' });
    const d = dataOf(await page(input));
    expect(Object.fromEntries(d.nodes.map((n) => [n[0], n[4]]))).toEqual({ json: 's', requests: 't', handler: 'u', mystery: '?' });
  });

  it('a crafted module name, file and advice text stay data: they cannot end the <script> or open markup', async () => {
    const evil = '</script><img src=x onerror=alert(1)><!--<script>&amp;\u2028x\u2029y';
    const text = [HEADER, line(10, 30, 0, 'ok'), line(20, 20, 1, evil)].join('\n');
    const advice: Advice = { kind: 'defer-import', file: `${evil}.py`, line: 3, module: evil, savingMs: 1.5, message: `import ${evil} later` };
    const html = await page(inputOf(['x.txt'], [text], [advice]));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<!--');
    expect(html).not.toMatch(/[\u2028\u2029]/);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    const d = dataOf(html);
    expect(d.nodes.map((n) => n[0])).toEqual(['ok', evil]);
    expect(d.advice[0]).toMatchObject({ module: evil, file: `${evil}.py`, message: `import ${evil} later` });
  });

  it('a deferral not recommended at the memory size says "keep at init" as the terminal report does, not "0.0 ms"; a cost left at init says so', async () => {
    const text = [HEADER, line(10, 30, 0, 'ok'), line(20, 20, 1, 'pandas')].join('\n');
    const kept: Advice = { kind: 'defer-import', file: 'app.py', line: 2, module: 'pandas', savingMs: 0, initMs: 100, firstRequestMs: 1382, recommended: false, message: 'keep pandas at init' };
    const deferred: Advice = { kind: 'defer-import', file: 'app.py', line: 3, module: 'ok', savingMs: 12.5, initMs: 12.5, firstRequestMs: 12.5, recommended: true, message: 'defer ok' };
    const still: Advice = { kind: 'consider-provisioned-or-snapstart', file: 'app.py', line: 1, module: 'ok', savingMs: 30, message: 'consider provisioned concurrency' };
    const input = inputOf(['x.txt'], [text], [kept, deferred, still]);
    const d = dataOf(await page(input)) as unknown as { advice: Array<{ gainText: string | null }> };
    expect(d.advice.map((a) => a.gainText)).toEqual(['keep at init (deferred: 1382 ms in the first request)', null, '30 ms still at init']);
    // the same words as the terminal report's advice
    const sink = new StringSink();
    await render('profile', 'text', input, sink);
    expect(sink.toString()).toContain(d.advice[0]!.gainText);
    expect(sink.toString()).toContain(d.advice[2]!.gainText);
  });

  it('a 3,000-module tree stays under 1 MB', async () => {
    const lines = [HEADER];
    // 300 packages of 10 nested modules each, with long dotted names (children print before their parent)
    for (let p = 0; p < 300; p++) {
      const pkg = `thirdparty_package_${p}`;
      for (let i = 9; i >= 0; i--) {
        const name = i === 0 ? pkg : `${pkg}.${Array.from({ length: i }, (_, k) => `submodule_${k}`).join('.')}`;
        lines.push(line(100 + i, 100 * (10 - i) + i, i, name));
      }
    }
    const input = inputOf(['big.txt'], [lines.join('\n')]);
    expect(input.session.aggregate.modules).toHaveLength(3000);
    const html = await page(input);
    expect(dataOf(html).nodes).toHaveLength(3000);
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024);
  });
});
