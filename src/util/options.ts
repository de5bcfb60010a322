// Flag validation with zod (the tree-shakable zod/mini build: the full build costs ~30 ms of start-up).
// Every bad value becomes one sentence naming the flag (exit 2).
import { gt, maximum, minimum, minLength, number, pipe, regex, string, transform, trim, type infer as Infer, type ZodMiniType } from 'zod/mini';
import { UserError } from './errors.js';

const upTo = (max: number): string => (max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : '');

/** A flag's text, refused when empty. */
export const nonEmpty = string().check(minLength(1, { error: 'must not be empty' }));

/** A whole number from a flag's string, within bounds. */
export function intFlag(min: number, max = Number.MAX_SAFE_INTEGER) {
  return pipe(
    string().check(trim(), regex(/^\d+$/, { error: `expected a whole number from ${min}${upTo(max)}` })),
    pipe(
      transform((s: string) => Number(s)),
      number().check(minimum(min, { error: `must be at least ${min}` }), maximum(max, { error: `must be at most ${max}` })),
    ),
  );
}

/** A decimal number from a flag's string, within bounds. */
export function numberFlag(min: number, { exclusiveMin = false, max = Number.MAX_VALUE } = {}) {
  return pipe(
    string().check(trim(), regex(/^\d+(\.\d+)?$/, { error: 'expected a number' })),
    pipe(
      transform((s: string) => Number(s)),
      number().check(
          exclusiveMin ? gt(min, { error: `must be greater than ${min}` }) : minimum(min, { error: `must be at least ${min}` }),
          maximum(max, { error: `must be at most ${max}` }),
        ),
    ),
  );
}

function flagName(key: string): string {
  return `--${kebabCase(key)}`;
}

/**
 * Parse commander's options with a zod schema; the first problem becomes a UserError naming the flag, or
 * what `nameOf` calls the key (a configuration file's key: "runs in pyproject.toml [tool.lambda-cold]"),
 * worded the same either way.
 */
export function parseOptions<S extends ZodMiniType>(schema: S, raw: Record<string, unknown>, nameOf?: (key: string) => string | undefined): Infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const key = issue && issue.path.length > 0 ? String(issue.path[0]) : '';
  const value = key ? raw[key] : undefined;
  const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  const name = key ? (nameOf?.(key) ?? flagName(key)) : 'the options';
  throw new UserError(`Invalid value for ${name}: ${issue?.message ?? 'not valid'}${shown}.`);
}

/** A flag's key as its configuration-file key: maxModules → max-modules. */
export function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
