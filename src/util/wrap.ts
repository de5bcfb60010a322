// Long prose (the reports' header lines, advice paragraphs and notes; warnings) wrapped at word
// boundaries to the terminal's width; a pipe or a file gets full lines (grep and diff see one line per
// sentence). Colour codes take no room. The tables narrow themselves (render/text-table.ts).

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Width on the terminal: code points, colour codes taking no room. */
export function visibleWidth(s: string): number {
  let n = 0;
  for (const _ of s.replace(ANSI, '')) n++;
  return n;
}

/** The width prose wraps at: the terminal's columns when stdout is a terminal, otherwise none (null). */
export function wrapWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number | null {
  return stream.isTTY && stream.columns ? stream.columns : null;
}

/**
 * Wrap each line of `text` at word boundaries to `width` columns; continuation lines start with `hang`
 * (default: the line's own leading spaces). A word longer than the room left stays whole on its line.
 * With a null width the text is returned as it is.
 */
export function wrap(text: string, width: number | null = wrapWidth(), hang?: string): string {
  if (width === null) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, width, hang ?? /^ */.exec(line)?.[0] ?? ''))
    .join('\n');
}

function wrapLine(line: string, width: number, hang: string): string {
  if (visibleWidth(line) <= width) return line;
  const lead = /^ */.exec(line)?.[0] ?? '';
  const words = line.slice(lead.length).split(' ');
  const lines: string[] = [];
  let current = lead;
  let currentWidth = lead.length;
  let empty = true;
  for (const word of words) {
    const w = visibleWidth(word);
    if (!empty && currentWidth + 1 + w > width) {
      lines.push(current);
      current = hang + word;
      currentWidth = hang.length + w;
    } else {
      current += (empty ? '' : ' ') + word;
      currentWidth += (empty ? 0 : 1) + w;
    }
    empty = false;
  }
  lines.push(current);
  return lines.join('\n');
}

/** Wrap plain text, then style each line on its own (every line opens and closes its colour). */
export function wrapStyled(text: string, style: (line: string) => string, width: number | null = wrapWidth(), hang?: string): string {
  return wrap(text, width, hang)
    .split('\n')
    .map((l) => (l ? style(l) : l))
    .join('\n');
}
