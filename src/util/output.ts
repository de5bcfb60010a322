// Where things go: documents (JSON, reports) to stdout; progress and warnings to stderr. The progress
// line (rewritten in place with control codes) only on a terminal that is not TERM=dumb.
import type { WriteStream } from 'node:tty';
import { wrap, wrapWidth } from './wrap.js';

export interface Output {
  /** Write a document to stdout. */
  out(text: string): void;
  /** A warning line on stderr. */
  warn(text: string): void;
  /** An informational line on stderr. */
  info(text: string): void;
  /** Transient progress on stderr: rewritten in place on a TTY (not TERM=dumb), silent otherwise. */
  progress(text: string): void;
  /** Clear any transient progress line. */
  done(): void;
  readonly stderrIsTTY: boolean;
}

export function createOutput(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Output {
  const tty = Boolean((stderr as WriteStream).isTTY);
  const live = tty && env.TERM !== 'dumb';
  let shown = false;
  const clear = (): void => {
    if (shown) {
      stderr.write('\r\x1b[2K');
      shown = false;
    }
  };
  return {
    stderrIsTTY: tty,
    out: (text) => {
      stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    warn: (text) => {
      clear();
      stderr.write(`${wrap(`warning: ${text}`, wrapWidth(stderr as WriteStream), '  ')}\n`);
    },
    info: (text) => {
      clear();
      stderr.write(`${text}\n`);
    },
    progress: (text) => {
      if (!live) return;
      const cols = (stderr as WriteStream).columns || 80; // 0 when the terminal does not say
      stderr.write(`\r\x1b[2K${text.length >= cols ? text.slice(0, cols - 1) : text}`);
      shown = true;
    },
    done: clear,
  };
}
