// The time window of `logs`: --since and --until, each a duration back from now (90s, 30m, 1h, 2d, 1w)
// or an ISO 8601 time.
import { UserError } from '../util/errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `value` as epoch ms: a duration before `now`, or an ISO time (with a date). */
export function parseTime(value: string, flag: string, now: number): number {
  const d = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(value.trim());
  if (d) return now - Number(d[1]) * (UNIT_MS[d[2] as string] as number);
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const t = Date.parse(value);
    if (Number.isFinite(t)) return t;
  }
  throw new UserError(`${flag} ${value} is neither a duration (such as 30m, 1h, 2d) nor an ISO time (such as 2026-01-31T12:00:00Z).`);
}

export function parseWindow(since: string | undefined, until: string | undefined, now = Date.now()): { start: number; end: number } {
  const start = parseTime(since ?? '1h', '--since', now);
  const end = until === undefined ? now : parseTime(until, '--until', now);
  if (start >= end) throw new UserError(`The window is empty: --since (${new Date(start).toISOString()}) is not before --until (${new Date(end).toISOString()}).`);
  return { start, end };
}
