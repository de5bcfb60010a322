// Prose wrapped to the terminal's width, colour decided by --color and the environment, and the progress
// line kept off dumb terminals.
import { describe, expect, it } from 'vitest';
import { wantsColour } from '../../src/render/style.js';
import { createOutput } from '../../src/util/output.js';
import { visibleWidth, wrap, wrapStyled, wrapWidth } from '../../src/util/wrap.js';

const SENTENCE = 'Defer the import of pandas into the function that uses it: the handler never calls it at init, so the cold start saves 120 ms.';

describe('wrap', () => {
  it('breaks at word boundaries within the width, continuation lines under the hang', () => {
    const text = wrap(`    ${SENTENCE}`, 40);
    const lines = text.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) {
      expect(visibleWidth(l)).toBeLessThanOrEqual(40);
      expect(l.startsWith('    ')).toBe(true);
    }
    // nothing lost or reordered: the words are the sentence's
    expect(text.split(/\s+/).filter(Boolean).join(' ')).toBe(SENTENCE);
    expect(wrap(`  Python  ${SENTENCE}`, 50, ' '.repeat(10)).split('\n').slice(1).every((l) => l.startsWith(' '.repeat(10)) && l[10] !== ' ')).toBe(true);
  });

  it('keeps a word longer than the width whole, and short lines as they are', () => {
    const long = 'x'.repeat(30);
    expect(wrap(`a ${long} b`, 10)).toBe(`a\n${long}\nb`);
    expect(wrap('short line', 80)).toBe('short line');
  });

  it('counts colour codes as taking no room, and styles each line on its own', () => {
    const coloured = `\x1b[1mbold\x1b[22m ${'word '.repeat(6).trim()}`;
    expect(wrap(coloured, 35)).toBe(coloured); // 34 visible columns
    const styled = wrapStyled('one two three four', (l) => `<${l}>`, 9);
    expect(styled).toBe('<one two>\n<three>\n<four>');
  });

  it('non-terminals get full lines', () => {
    expect(wrapWidth({ isTTY: false, columns: 40 })).toBeNull();
    expect(wrapWidth({ isTTY: true, columns: 40 })).toBe(40);
    expect(wrap(SENTENCE, null)).toBe(SENTENCE);
  });
});

describe('--color', () => {
  it('always and never override the terminal and the environment; auto follows them', () => {
    expect(wantsColour({ isTTY: false }, {}, 'always')).toBe(true);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' }, 'always')).toBe(true);
    expect(wantsColour({ isTTY: true }, {}, 'never')).toBe(false);
    expect(wantsColour({ isTTY: true }, { FORCE_COLOR: '1' }, 'never')).toBe(false);
    expect(wantsColour({ isTTY: true }, {}, 'auto')).toBe(true);
    expect(wantsColour({ isTTY: true }, { TERM: 'dumb' }, 'auto')).toBe(false);
  });
});

describe('stderr on a terminal', () => {
  function fakeTerminal(columns: number) {
    const written: string[] = [];
    const stream = { isTTY: true, columns, write: (s: string) => written.push(s) } as unknown as NodeJS.WritableStream;
    return { stream, text: () => written.join('') };
  }

  it('TERM=dumb gets no control codes: no progress line', () => {
    const t = fakeTerminal(80);
    const out = createOutput(t.stream, t.stream, { TERM: 'dumb' });
    out.progress('run 1/10');
    out.warn('a warning');
    out.done();
    expect(t.text()).toBe('warning: a warning\n');
    const live = fakeTerminal(80);
    createOutput(live.stream, live.stream, { TERM: 'xterm-256color' }).progress('run 1/10');
    expect(live.text()).toContain('\x1b[2K');
  });

  it('warnings wrap to the terminal width', () => {
    const t = fakeTerminal(40);
    createOutput(t.stream, t.stream, {}).warn(SENTENCE);
    const lines = t.text().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => visibleWidth(l) <= 40)).toBe(true);
  });
});
