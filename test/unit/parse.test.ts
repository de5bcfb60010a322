import { describe, it, expect } from 'vitest';
import { createReadStream, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  ImportTimeParser,
  parseImportTime,
  parseImportTimeStream,
} from '../../src/importtime/parse.js';
import type { ImportNode, ParseResult } from '../../src/importtime/model.js';
import { HEADER, line, walk } from '../support/importtime.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/importtime/', import.meta.url));
const CAPTURES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const VERSIONS = ['py38', 'py39', 'py310', 'py311', 'py312', 'py313'] as const;

/** Captures where concurrency makes the numbers or the nesting inconsistent by nature: threads share
 *  CPython's import level and "accumulated" counter; the spawn capture interleaves three processes. */
const BROKEN = new Set(['py38-threads.txt', 'py312-threads.txt', 'py312-spawn-interleaved.txt']);

function read(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

function parseFixture(name: string): ParseResult {
  return parseImportTime(read(name));
}

/** Independent counts: every data line, and every header line. */
function countDataLines(text: string): number {
  return (text.match(/import time:\s*(?:-?\d+|cached)\s*\|/g) ?? []).length;
}
function countHeaders(text: string): number {
  return (text.match(/import time: self \[us\] \| cumulative \| imported package/g) ?? []).length;
}

function allNodes(roots: readonly ImportNode[]): ImportNode[] {
  const out: ImportNode[] = [];
  walk(roots, (n) => out.push(n));
  return out;
}

function find(roots: readonly ImportNode[], pred: (n: ImportNode) => boolean): ImportNode[] {
  return allNodes(roots).filter(pred);
}

function byName(roots: readonly ImportNode[], name: string): ImportNode[] {
  return find(roots, (n) => n.name === name);
}


describe('fixtures are present', () => {
  it('has the three basic captures for every Python, plus the 3.11 packages and the edge cases', () => {
    for (const v of VERSIONS) {
      for (const kind of ['json-decoder-dup', 'email-http', 'optional-missing']) {
        expect(CAPTURES).toContain(`${v}-${kind}.txt`);
      }
    }
    for (const f of [
      'py311-boto3.txt',
      'py311-pydantic.txt',
      'py311-requests.txt',
      'py312-glued-output.txt',
      'py312-module-raises.txt',
      'py312-threads.txt',
      'py312-spawn-interleaved.txt',
      'py312-subinterpreter.txt',
      'py314-importtime2-cached.txt',
    ]) {
      expect(CAPTURES).toContain(f);
    }
  });
});

describe.each(CAPTURES)('capture %s', (file) => {
  const text = read(file);
  const r = parseImportTime(text);
  const nodes = allNodes(r.roots);

  it('parses without throwing and counts headers and records independently', () => {
    expect(r.headers).toBe(countHeaders(text));
    expect(r.records.length).toBe(countDataLines(text));
    expect(r.records.length).toBeGreaterThan(0);
  });

  it('puts every record in the tree exactly once, roots in line order, ids unique', () => {
    expect(nodes.length).toBe(r.records.length);
    expect(new Set(nodes.map((n) => n.line)).size).toBe(nodes.length);
    const rootLines = r.roots.map((n) => n.line);
    expect(rootLines).toEqual([...rootLines].sort((a, b) => a - b));
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
    // children are in line order and printed before their parent (post-order)
    for (const n of nodes) {
      let prev = 0;
      for (const c of n.children) {
        expect(c.line).toBeGreaterThan(prev);
        expect(c.line).toBeLessThan(n.line);
        prev = c.line;
      }
    }
  });

  it('keeps records in input order with their section', () => {
    const lines = r.records.map((x) => x.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(Math.max(...r.records.map((x) => x.section))).toBe(Math.max(0, r.headers - 1));
  });

  it.skipIf(BROKEN.has(file))('has self == cumulative on every leaf and the rounding residue in 0..k', () => {
    for (const n of nodes) {
      if (n.cached) continue;
      if (n.children.length === 0) {
        expect(n.selfUs, `${n.id} line ${n.line}`).toBe(n.cumulativeUs);
        continue;
      }
      const residue = n.selfUs + n.children.reduce((s, c) => s + c.cumulativeUs, 0) - n.cumulativeUs;
      expect(residue, `${n.id} line ${n.line}`).toBeGreaterThanOrEqual(0);
      expect(residue, `${n.id} line ${n.line}`).toBeLessThanOrEqual(n.children.length);
    }
  });

  it.skipIf(BROKEN.has(file) || /py31[23]-subinterpreter|py314/.test(file))('has no warnings', () => {
    expect(r.warnings).toEqual([]);
  });
});

describe('known structure of real captures', () => {
  it.each(VERSIONS)('%s: `import json.decoder, json.decoder` prints json.decoder twice, with distinct ids', (v) => {
    const r = parseFixture(`${v}-json-decoder-dup.txt`);
    const dup = byName(r.roots, 'json.decoder');
    expect(dup).toHaveLength(2);
    expect(dup.map((n) => n.id).sort()).toEqual(['json.decoder', 'json.decoder/json/json.decoder']);
    const outer = r.roots[r.roots.length - 1];
    expect(outer?.name).toBe('json.decoder');
    expect(outer?.children.map((c) => c.name)).toEqual(['json']);
  });

  it('py311: ntpath probes `nt` five times; siblings get #2..#5', () => {
    const r = parseFixture('py311-json-decoder-dup.txt');
    const nt = byName(r.roots, 'nt');
    expect(nt.map((n) => n.id.split('/').pop())).toEqual(['nt', 'nt#2', 'nt#3', 'nt#4', 'nt#5']);
  });

  it.each(VERSIONS)('%s: email.mime.text and http.client are roots with subtrees', (v) => {
    const r = parseFixture(`${v}-email-http.txt`);
    const roots = r.roots.map((n) => n.name);
    expect(roots).toContain('email.mime.text');
    expect(roots).toContain('http.client');
    const mime = r.roots.find((n) => n.name === 'email.mime.text');
    expect(mime?.children.length).toBeGreaterThan(0);
  });

  it.each(VERSIONS)('%s: failed optional imports (brotli, ujson, _winapi) are ordinary records', (v) => {
    const r = parseFixture(`${v}-optional-missing.txt`);
    for (const name of ['brotli', 'ujson', '_winapi']) {
      const root = r.roots.filter((n) => n.name === name);
      expect(root, name).toHaveLength(1);
      expect(root[0]?.children).toEqual([]);
      expect(root[0]?.selfUs).toBeGreaterThan(0);
    }
    // ujson failed, so the fallback `import json` follows it
    const names = r.roots.map((n) => n.name);
    expect(names.indexOf('json')).toBe(names.indexOf('ujson') + 1);
  });

  it('py311: boto3 is the last root and its subtree contains botocore', () => {
    const r = parseFixture('py311-boto3.txt');
    const boto3 = r.roots[r.roots.length - 1];
    expect(boto3?.name).toBe('boto3');
    expect(boto3?.id).toBe('boto3');
    const sub = allNodes(boto3 ? [boto3] : []);
    expect(sub.some((n) => n.name === 'botocore')).toBe(true);
    expect(sub.length).toBeGreaterThan(200);
    expect(boto3?.cumulativeUs).toBeGreaterThan(boto3?.selfUs ?? Infinity);
  });

  it('py311: pydantic and requests are roots', () => {
    expect(parseFixture('py311-pydantic.txt').roots.map((n) => n.name)).toContain('pydantic');
    const req = parseFixture('py311-requests.txt');
    const requests = req.roots.find((n) => n.name === 'requests');
    expect(requests).toBeDefined();
    expect(allNodes(requests ? [requests] : []).some((n) => n.name === 'urllib3')).toBe(true);
  });

  it('startup imports come first at depth 0: site is a root before the program imports', () => {
    const r = parseFixture('py313-email-http.txt');
    const names = r.roots.map((n) => n.name);
    expect(names.indexOf('site')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('site')).toBeLessThan(names.indexOf('email.mime.text'));
  });
});

describe('edge cases', () => {
  it('glued prefix: program output before `import time:` goes to output, the record is parsed', () => {
    const r = parseFixture('py312-glued-output.txt');
    expect(r.output).toEqual(['warming up...', 'ready']);
    const warmup = r.roots.find((n) => n.name === 'warmup');
    expect(warmup?.children.map((c) => [c.name, c.selfUs, c.depth])).toEqual([['colorsys', 273, 1]]);
    expect(r.warnings).toEqual([]);
  });

  it('glued prefix that itself mentions "import time:" keeps the last marker as the record', () => {
    const r = parseImportTime(
      [HEADER, `import time: is slow, says the app...${line(5, 5, 0, 'colorsys')}`].join('\n'),
    );
    expect(r.records.map((x) => x.name)).toEqual(['colorsys']);
    expect(r.output).toEqual(['import time: is slow, says the app...']);
  });

  it('repeated header (3.12 subinterpreter): two sections, roots from both', () => {
    const r = parseFixture('py312-subinterpreter.txt');
    expect(r.headers).toBe(2);
    expect(r.warnings.map((w) => [w.kind, w.line])).toEqual([['repeated-header', 29]]);
    const sections = new Set(r.roots.map((n) => n.section));
    expect([...sections].sort()).toEqual([0, 1]);
    const sub = r.roots.find((n) => n.name === '_xxsubinterpreters');
    const colorsys = r.roots.find((n) => n.name === 'colorsys');
    expect(sub?.section).toBe(0);
    expect(colorsys?.section).toBe(1);
    // the subinterpreter imports encodings again: a second root of that name
    expect(r.roots.filter((n) => n.name === 'encodings').map((n) => [n.id, n.section])).toEqual([
      ['encodings', 0],
      ['encodings#2', 1],
    ]);
  });

  it('3.13 subinterpreter (_interpreters) also prints a second header', () => {
    const r = parseFixture('py313-subinterpreter.txt');
    expect(r.headers).toBe(2);
    expect(r.roots.find((n) => n.name === 'colorsys')?.section).toBe(1);
  });

  it('3.11 subinterpreter prints no second header: its trees are more roots of one section', () => {
    const r = parseFixture('py311-subinterpreter.txt');
    expect(r.headers).toBe(1);
    expect(r.roots.filter((n) => n.name === 'encodings')).toHaveLength(2);
    expect(new Set(r.records.map((x) => x.section))).toEqual(new Set([0]));
  });

  it('spawned processes interleaved in one stream: 3 sections, bad nesting warned, nothing lost', () => {
    const text = read('py312-spawn-interleaved.txt');
    const r = parseImportTime(text);
    expect(r.headers).toBe(3);
    expect(r.warnings.filter((w) => w.kind === 'repeated-header')).toHaveLength(2);
    expect(r.warnings.some((w) => w.kind === 'bad-nesting')).toBe(true);
    expect(allNodes(r.roots)).toHaveLength(countDataLines(text));
    expect(r.roots.some((n) => n.name === 'spawn_worker' && n.section === 2)).toBe(true);
  });

  it('duplicate names: kept, ids distinct among siblings and among roots', () => {
    const r = parseImportTime(
      [
        HEADER,
        line(3, 3, 1, 'nt'),
        line(2, 2, 1, 'nt'),
        line(10, 16, 0, 'ntpath'),
        line(4, 4, 0, 'nt'),
        line(1, 1, 1, 'nt'),
        line(6, 7, 0, 'ntpath'),
      ].join('\n'),
    );
    expect(r.records).toHaveLength(6);
    expect(allNodes(r.roots).map((n) => n.id)).toEqual(['ntpath', 'ntpath/nt', 'ntpath/nt#2', 'nt', 'ntpath#2', 'ntpath#2/nt']);
  });

  it('failed import lines (module body raised, caught by the caller) are ordinary records', () => {
    const r = parseFixture('py312-module-raises.txt');
    const plugin = r.roots.find((n) => n.name === 'broken_plugin');
    expect(plugin?.children.map((c) => c.name)).toEqual(['fractions']);
    expect(r.roots[r.roots.length - 1]?.name).toBe('colorsys');
    expect(r.warnings).toEqual([]);
  });

  it('rounding residue is accepted silently and never corrected', () => {
    // self 10 + children 5 + 7 = 22, cumulative printed as 20: residue 2 for 2 children
    const r = parseImportTime([HEADER, line(5, 5, 1, 'a'), line(7, 7, 1, 'b'), line(10, 20, 0, 'p')].join('\n'));
    const p = r.roots[0];
    expect([p?.selfUs, p?.cumulativeUs]).toEqual([10, 20]);
    expect(r.warnings).toEqual([]);
  });

  it('negative self time (threads): warning, no crash, raw value kept', () => {
    const r = parseFixture('py312-threads.txt');
    const slowA = byName(r.roots, 'slow_a');
    expect(slowA).toHaveLength(1);
    expect(slowA[0]?.selfUs).toBe(-62106);
    expect(slowA[0]?.cumulativeUs).toBe(251447);
    expect(r.warnings.map((w) => [w.kind, w.line])).toEqual([['negative-time', 56]]);
    const old = parseFixture('py38-threads.txt');
    expect(old.warnings.filter((w) => w.kind === 'negative-time').map((w) => w.line)).toEqual([60, 61]);
    // 3.8 printed slow_b once per importing thread; 3.12 once
    expect(byName(old.roots, 'slow_b')).toHaveLength(2);
    expect(byName(r.roots, 'slow_b')).toHaveLength(1);
  });

  it('negative values in a synthetic line are parsed as -?\\d+', () => {
    const r = parseImportTime([HEADER, line(-40, 12, 0, 'x')].join('\n'));
    expect(r.records[0]).toMatchObject({ name: 'x', selfUs: -40, cumulativeUs: 12 });
    expect(r.warnings.map((w) => w.kind)).toEqual(['negative-time']);
  });

  describe('3.14 `-X importtime=2` cached lines (hand-written fixture)', () => {
    const r = parseFixture('py314-importtime2-cached.txt');
    const cached = r.records.filter((x) => x.cached);

    it('reads cached lines as records with zero times', () => {
      expect(cached).toHaveLength(13);
      for (const c of cached) expect([c.selfUs, c.cumulativeUs]).toEqual([0, 0]);
    });

    it('warns cached-placement once per stream, not per line', () => {
      expect(r.warnings.map((w) => w.kind)).toEqual(['cached-placement']);
    });

    it('places padded lines at the level the right-justified field gives', () => {
      const enumNode = byName(r.roots, 'enum')[0];
      expect(enumNode?.children.map((c) => [c.name, c.cached, c.depth])).toEqual([
        ['types', false, 5],
        ['sys', true, 5],
        ['builtins', true, 5],
      ]);
      const scanner = byName(r.roots, 'json.scanner')[0];
      expect(scanner?.children.map((c) => [c.name, c.cached])).toEqual([
        ['re', true],
        ['_json', false],
      ]);
      const innerDecoder = find(r.roots, (n) => n.id === 'json.decoder/json/json.decoder')[0];
      expect(innerDecoder?.children.map((c) => c.name)).toEqual(['re', 'json', 'json.scanner']);
    });

    it('places unpadded lines as children of the next record that closes, or as roots', () => {
      // `builtins` (line 25) has no padding and is followed by _sitebuiltins: placed as its child
      const sitebuiltins = byName(r.roots, '_sitebuiltins')[0];
      expect(sitebuiltins?.children.map((c) => [c.name, c.line])).toEqual([['builtins', 25]]);
      // the last two lines follow no record: roots
      expect(r.roots.slice(-3).map((n) => [n.id, n.cached])).toEqual([
        ['json.decoder', false],
        ['json.decoder#2', true],
        ['os', true],
      ]);
    });
  });

  it('malformed lines: warning, kept in output, no record', () => {
    const bad = [
      'import time: truncated output',
      'import time:  120 |  120',
      'import time:       120 |        120 | ',
      'import time: cached    |         12 | x',
      `import time: ${'9'.repeat(400)} | 1 | huge`,
    ];
    const r = parseImportTime([HEADER, ...bad, line(1, 1, 0, 'ok')].join('\n'));
    expect(r.records.map((x) => x.name)).toEqual(['ok']);
    expect(r.output).toEqual(bad);
    expect(r.warnings.map((w) => [w.kind, w.line])).toEqual([
      ['malformed', 2],
      ['malformed', 3],
      ['malformed', 4],
      ['malformed', 5],
      ['malformed', 6],
    ]);
  });

  it("a '\\r\\n' file parses like the '\\n' one", () => {
    const text = read('py313-json-decoder-dup.txt');
    const lf = parseImportTime(text);
    const crlf = parseImportTime(text.replace(/\n/g, '\r\n'));
    expect(crlf.records).toEqual(lf.records);
    expect(crlf.roots).toEqual(lf.roots);
    expect(crlf.output).toEqual([]);
    expect(crlf.warnings).toEqual([]);
  });

  it('empty input', () => {
    const empty = { records: [], roots: [], output: [], warnings: [], headers: 0 };
    expect(parseImportTime('')).toEqual(empty);
    expect(new ImportTimeParser().end()).toEqual(empty);
  });

  it('input with no records: everything is output', () => {
    const r = parseImportTime('Traceback (most recent call last):\n  File "<string>", line 1\nKeyError: 1\n');
    expect(r.records).toEqual([]);
    expect(r.roots).toEqual([]);
    expect(r.headers).toBe(0);
    expect(r.output).toEqual(['Traceback (most recent call last):', '  File "<string>", line 1', 'KeyError: 1']);
  });

  it('a header alone: one header, no records', () => {
    const r = parseImportTime(`${HEADER}\n`);
    expect([r.headers, r.records.length, r.output.length, r.warnings.length]).toEqual([1, 0, 0, 0]);
  });

  it('broken nesting: a line deeper than depth+1 is adopted with a warning, never a crash', () => {
    const r = parseImportTime(
      [HEADER, line(1, 1, 3, 'orphan'), line(2, 2, 1, 'child'), line(5, 8, 0, 'parent')].join('\n'),
    );
    // `orphan` (depth 3) was printed before `child` (depth 1) closed: it is inside child's subtree,
    // with its depth-2 parent line missing.
    expect(r.roots.map((n) => n.name)).toEqual(['parent']);
    expect(allNodes(r.roots).map((n) => n.id)).toEqual(['parent', 'parent/child', 'parent/child/orphan']);
    expect(r.warnings.map((w) => [w.kind, w.line])).toEqual([['bad-nesting', 3]]);
    // a second one under a record at depth 0 directly
    const r2 = parseImportTime([HEADER, line(1, 1, 1, 'ok'), line(1, 1, 4, 'deep'), line(5, 8, 0, 'top')].join('\n'));
    expect(r2.roots[0]?.children.map((c) => c.name)).toEqual(['ok', 'deep']);
    expect(r2.warnings.map((w) => [w.kind, w.line])).toEqual([['bad-nesting', 4]]);
  });

  it('lines still pending at the end (an import that never finished) become roots, with a warning', () => {
    const r = parseImportTime([HEADER, line(1, 1, 0, 'a'), line(1, 1, 2, 'b'), line(2, 3, 1, 'c')].join('\n'));
    expect(r.roots.map((n) => n.id)).toEqual(['a', 'c']);
    expect(r.roots[1]?.children.map((n) => n.id)).toEqual(['c/b']);
    expect(r.warnings.map((w) => w.kind)).toEqual(['bad-nesting']);
  });

  it('records before any header (a stream cut at the top) form section 0; the first header starts section 1', () => {
    const r = parseImportTime([line(1, 1, 0, 'a'), HEADER, line(2, 2, 0, 'b')].join('\n'));
    expect(r.records.map((x) => [x.name, x.section])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('line numbers are 1-based and count every line', () => {
    const r = parseImportTime(['hello', HEADER, '', line(1, 1, 0, 'a')].join('\n'));
    expect(r.records[0]?.line).toBe(4);
    expect(r.output).toEqual(['hello', '']);
  });

  it('never throws on random garbage', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ['import time:', ' ', '|', '-', '7', '12', 'cached', 'x.y', '\r', '\t', 'é', '\u2028', 'self [us]'];
    const parser = new ImportTimeParser();
    for (let i = 0; i < 5000; i++) {
      let s = '';
      const n = rand(12);
      for (let j = 0; j < n; j++) s += pieces[rand(pieces.length)];
      parser.push(s);
    }
    for (let d = 0; d < 50; d++) parser.push(line(1, 1, rand(20), `m${d}`));
    parser.push(`import time: cached    | cached     | ${' '.repeat(rand(30))}z`);
    const r = parser.end();
    expect(allNodes(r.roots)).toHaveLength(r.records.length);
    expect(parser.end()).toBe(r); // idempotent
  });
});

describe('tree shape', () => {
  it('nests post-order lines: pre-order visit gives parents before children, siblings in order', () => {
    const r = parseImportTime(
      [HEADER, line(1, 1, 2, 'c'), line(1, 2, 1, 'b'), line(1, 1, 1, 'd'), line(1, 4, 0, 'a'), line(1, 1, 0, 'e')].join(
        '\n',
      ),
    );
    const seen: string[] = [];
    walk(r.roots, (n, p) => seen.push(`${p?.name ?? '-'}>${n.name}`));
    expect(seen).toEqual(['->a', 'a>b', 'b>c', 'a>d', '->e']);
  });
});

describe('streaming', () => {
  it('parseImportTimeStream gives the same result as parseImportTime, whatever the chunking', async () => {
    const text = read('py312-glued-output.txt') + 'déjà vu\n';
    const whole = parseImportTime(text);
    const buf = Buffer.from(text, 'utf8');
    // 7-byte Buffer chunks split lines and the multi-byte characters of "déjà"
    const chunks: Buffer[] = [];
    for (let i = 0; i < buf.length; i += 7) chunks.push(buf.subarray(i, i + 7));
    expect(await parseImportTimeStream(Readable.from(chunks))).toEqual(whole);
    // string chunks from an async generator
    async function* strings(): AsyncGenerator<string> {
      for (let i = 0; i < text.length; i += 13) yield text.slice(i, i + 13);
    }
    expect(await parseImportTimeStream(strings())).toEqual(whole);
  });

  it('a final line without a newline is still parsed', async () => {
    const text = `${HEADER}\n${line(3, 3, 0, 'last')}`;
    expect((await parseImportTimeStream(Readable.from([text]))).records.map((x) => x.name)).toEqual(['last']);
    expect(parseImportTime(text).records.map((x) => x.name)).toEqual(['last']);
  });

  it('handles a 200,000+ line file stream (linear: no timing assertion, just completeness)', async () => {
    const capture = read('py311-boto3.txt').split('\n');
    const body = capture.filter((l) => l.includes('import time:') && !l.includes('imported package'));
    const perCopy = body.length; // 413 records, 8 roots per copy, all ending at depth 0
    const copies = Math.ceil(200_000 / perCopy);
    const text = `${HEADER}\n${Array.from({ length: copies }, () => body.join('\n')).join('\n')}\n`;
    const dir = mkdtempSync(join(tmpdir(), 'lambda-cold-parse-'));
    try {
      const file = join(dir, 'big.txt');
      writeFileSync(file, text);
      const r = await parseImportTimeStream(createReadStream(file));
      expect(r.records.length).toBe(perCopy * copies);
      expect(r.records.length).toBeGreaterThanOrEqual(200_000);
      expect(r.headers).toBe(1);
      expect(r.warnings).toEqual([]);
      const boto3 = r.roots.filter((n) => n.name === 'boto3');
      expect(boto3).toHaveLength(copies);
      expect(boto3[copies - 1]?.id).toBe(`boto3#${copies}`);
      let count = 0;
      walk(r.roots, () => count++);
      expect(count).toBe(r.records.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
