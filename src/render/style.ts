// Colour for the text renderers. chalk is loaded only when the output will be coloured: piped output,
// NO_COLOR and dumb terminals never pay for it (start-up time is measured). Renderers import `chalk`
// from here; until prepareColour() decides for colour it is a plain pass-through with the same API.
import type { ChalkInstance } from 'chalk';

type Plain = ((...text: unknown[]) => string) & { [style: string]: Plain };

/** chalk's chaining API without colour: every style returns the text as it is. */
const plain: Plain = new Proxy(((...text: unknown[]) => text.join(' ')) as Plain, {
  get: (_target, prop) => (prop === 'level' ? 0 : plain),
  apply: (_target, _this, text: unknown[]) => text.join(' '),
});

// eslint-disable-next-line import/no-mutable-exports
export let chalk: ChalkInstance = plain as unknown as ChalkInstance;

/** Whether stdout gets colour: FORCE_COLOR forces it; NO_COLOR, a dumb terminal or a pipe turn it off. */
export function wantsColour(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

/** Load chalk when stdout will be coloured (chalk then applies its own terminal detection). */
export async function prepareColour(): Promise<void> {
  if (wantsColour()) chalk = (await import('chalk')).default;
}
