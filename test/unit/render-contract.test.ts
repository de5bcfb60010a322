// The renderer contract: every listed format loads and renders through the registry, documents stream
// to a sink in whole-line blocks, and terminal tables (cli-table3) fit the width they are given.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseImportTime } from '../../src/importtime/parse.js';
import { sessionFromFiles } from '../../src/importtime/session.js';
import type { ProfileInput } from '../../src/render/inputs.js';
import { profileDocument } from '../../src/render/profile-json.js';
import { FORMATS, formatsOf, render } from '../../src/render/registry.js';
import { blockSink, StringSink } from '../../src/render/sink.js';
import { fitColumns, loadTables, renderTable, terminalWidth, visibleWidth } from '../../src/render/text-table.js';
import { HEADER, line } from '../support/importtime.js';

const capture = (n: number): string => {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(line(100 + i, 100 + i, 1, `pkg${i % 7}.mod_${i}`));
  lines.push(line(50, 50 + (n * (n + 199)) / 2, 0, 'handler'));
  return lines.join('\n');
};

const input = (text: string, top = 5): ProfileInput => ({
  session: sessionFromFiles(['capture.txt'], [parseImportTime(text)]),
  advice: [],
  gate: null,
  options: { top, tree: false },
  toolVersion: '9.9.9',
});

async function rendered(format: 'text' | 'json' | 'markdown', i: ProfileInput): Promise<string> {
  const sink = new StringSink();
  await render('profile', format, i, sink);
  return sink.toString();
}

describe('registry', () => {
  it('lists each kind of document with a text format first, the profile with json, markdown, the two exports and the HTML report too', () => {
    expect(formatsOf('profile')).toEqual(['text', 'json', 'markdown', 'speedscope', 'trace', 'html']);
    for (const kind of Object.keys(FORMATS) as Array<keyof typeof FORMATS>) expect(formatsOf(kind)[0]).toBe('text');
  });
  it('every listed format loads a module that exports a renderer', async () => {
    for (const formats of Object.values(FORMATS)) {
      for (const load of Object.values(formats)) {
        const mod = (await (load as () => Promise<{ renderer: { render: unknown } }>)()) as { renderer: { render: unknown } };
        expect(typeof mod.renderer.render).toBe('function');
      }
    }
  });
  it('renders one profile in each of its formats', async () => {
    const i = input(capture(20));
    expect(await rendered('text', i)).toContain('Slowest imports by cumulative time (top 5)');
    expect(await rendered('markdown', i)).toMatch(/^### lambda-cold: /);
    const doc = JSON.parse(await rendered('json', i)) as { kind: string; modules: unknown[] };
    expect(doc.kind).toBe('profile');
    expect(doc.modules).toHaveLength(21);
  });
});

describe('streamed JSON', () => {
  it('holds the same document as the plain-object one, keys in the same order', async () => {
    const i = input(capture(300));
    const streamed = await rendered('json', i);
    expect(streamed).toBe(streamed.endsWith('\n') ? streamed : `${streamed}\n`);
    expect(JSON.stringify(JSON.parse(streamed))).toBe(JSON.stringify(profileDocument(i)));
  });
  it('puts each record on its own line', async () => {
    const streamed = await rendered('json', input(capture(3)));
    expect(streamed).toContain('"modules": [\n    {"name":"pkg0.mod_0","depth":1,"phase":"init","selfUs":100,');
  });
  it('reaches the writer in blocks of whole lines that add up to the document', async () => {
    const i = input(capture(2000));
    const blocks: string[] = [];
    const sink = blockSink((b) => blocks.push(b), 4096);
    await render('profile', 'json', i, sink);
    sink.end();
    expect(blocks.length).toBeGreaterThan(10);
    for (const b of blocks) expect(b.endsWith('\n')).toBe(true);
    expect(blocks.join('')).toBe(await rendered('json', i));
  });
});

describe('terminal tables', () => {
  beforeAll(loadTables);
  const head = ['#', 'module', 'cum ms'];
  const align = ['right', 'left', 'right'] as const;
  it('keep the borderless look: header, rule as wide as the table, columns three spaces apart', () => {
    const t = renderTable(
      [
        ['1', 'boto3', '12.5'],
        ['10', 'json', '0.40'],
      ],
      { head, align: [...align], width: 80 },
    );
    expect(t.split('\n')).toEqual(['  #   module   cum ms', '─'.repeat(21), '  1   boto3      12.5', ' 10   json       0.40']);
  });
  it('narrow the widest column and wrap its cells so that no line is wider than the terminal', () => {
    const long = 'botocore.data.some_service.very.deeply.nested.module.with.a.long.name.that.goes.on';
    const words = 'a message made of many words that cannot all fit on one line of an eighty-column terminal';
    const t = renderTable(
      [
        ['1', long, words],
        ['2', 'json', 'short'],
      ],
      { head: ['#', 'module', 'message'], align: ['right', 'left', 'left'], width: 80 },
    );
    const lines = t.split('\n');
    for (const l of lines) expect(visibleWidth(l)).toBeLessThanOrEqual(80);
    // nothing is cut: the name comes back whole from its wrapped pieces, the words in order
    const moduleColumn = lines.slice(2).map((l) => l.slice(5, 5 + 36).trim());
    expect(moduleColumn.join('')).toContain(long);
    expect(lines.slice(2).join(' ').replace(/\s+/g, ' ')).toContain('many words');
  });
  it('give way widest first, never below a column\'s minimum', () => {
    expect(fitColumns([2, 60, 40], [8, 8, 8], 80)).toEqual([null, 35, 36]);
    expect(fitColumns([2, 10, 10], [8, 8, 8], 80)).toEqual([null, null, null]);
    expect(fitColumns([20, 20], [20, 20], 30)).toEqual([null, null]);
  });
  it('fit 80 columns when stdout is not a terminal, the terminal\'s width when it is', () => {
    expect(terminalWidth({ isTTY: false, columns: 200 })).toBe(80);
    expect(terminalWidth({ isTTY: true, columns: 120 })).toBe(120);
    expect(terminalWidth({ isTTY: true })).toBe(80);
  });
});
