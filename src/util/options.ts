// Flag validation with zod: every bad value becomes one sentence naming the flag (exit 2).
import { z } from 'zod';
import { UserError } from './errors.js';

/** A whole number from a flag's string, within bounds. */
export function intFlag(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { message: `expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` }));
}

/** A decimal number from a flag's string, within bounds. */
export function numberFlag(min: number, { exclusiveMin = false, max = Number.MAX_VALUE } = {}) {
  const base = z.number();
  return z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, { message: 'expected a number' })
    .transform(Number)
    .pipe(
      (exclusiveMin ? base.gt(min, { message: `must be greater than ${min}` }) : base.min(min, { message: `must be at least ${min}` })).max(
        max,
        { message: `must be at most ${max}` },
      ),
    );
}

const FLAG_NAMES: Record<string, string> = {};

function flagName(key: string): string {
  return FLAG_NAMES[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Parse commander's options with a zod schema; the first problem becomes a UserError. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const key = issue && issue.path.length > 0 ? String(issue.path[0]) : '';
  const value = key ? raw[key] : undefined;
  const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  throw new UserError(`Invalid value for ${key ? flagName(key) : 'the options'}: ${issue?.message ?? 'not valid'}${shown}.`);
}
