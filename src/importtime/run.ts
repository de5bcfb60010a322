// One harness run in the model's terms: each phase's -X importtime lines parsed into records and trees.
import type { PhaseName, RunOutcome } from '../python/protocol.js';
import type { ParseResult } from './model.js';
import { ImportTimeParser } from './parse.js';

/** A run's outcome with its phases parsed. */
export interface ParsedRun extends Omit<RunOutcome, 'phases' | 'otherLines'>, Record<PhaseName, ParseResult> {
  /** Everything on stderr that was neither an import-time record nor a marker (tracebacks, prints). */
  stderrText: string;
}

function parseLines(lines: readonly string[]): ParseResult {
  const parser = new ImportTimeParser();
  for (const line of lines) parser.push(line);
  return parser.end();
}

export function parseOutcome(outcome: RunOutcome): ParsedRun {
  const { phases, otherLines, ...rest } = outcome;
  const startup = parseLines(phases.startup);
  const bootstrap = parseLines(phases.bootstrap);
  const init = parseLines(phases.init);
  const invoke = parseLines(phases.invoke);
  const warm = parseLines(phases.warm);
  return {
    ...rest,
    startup,
    bootstrap,
    init,
    invoke,
    warm,
    stderrText: [...startup.output, ...bootstrap.output, ...init.output, ...invoke.output, ...warm.output, ...otherLines].join('\n'),
  };
}
