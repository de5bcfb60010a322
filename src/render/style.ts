// Colour for the text renderers, decided once for every command (`--color auto|always|never`). chalk is
// loaded only when the output will be coloured: piped output, NO_COLOR and dumb terminals never pay for it
// (start-up time is measured). Renderers import `chalk`
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

/** `--color`: auto follows the environment and the terminal; always and never override it. */
export type ColourMode = 'auto' | 'always' | 'never';
export const COLOUR_MODES: readonly ColourMode[] = ['auto', 'always', 'never'];

/**
 * Whether stdout gets colour. `--color always|never` decides; under auto, FORCE_COLOR forces it and
 * NO_COLOR (https://no-color.org), a dumb terminal (TERM=dumb) or a pipe turn it off.
 */
export function wantsColour(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env, mode: ColourMode = 'auto'): boolean {
  if (mode !== 'auto') return mode === 'always';
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

/**
 * Load chalk when stdout will be coloured. Under auto chalk applies its own terminal detection (how many
 * colours); `--color always` colours even a pipe, at chalk's level for the terminal or 16 colours.
 */
export async function prepareColour(mode: ColourMode = 'auto', stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!wantsColour(stream, env, mode)) {
    chalk = plain as unknown as ChalkInstance;
    return;
  }
  const { Chalk, default: detected } = await import('chalk');
  chalk = mode === 'always' && detected.level === 0 ? new Chalk({ level: 1 }) : detected;
}
