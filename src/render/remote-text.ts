// The parts of `profile`'s report that only a profile measured inside Lambda has (source "remote"): which
// function and environments it came from, what the measurement includes, and with a local target, the
// local and Lambda cost per top-level package side by side. profile-report.ts and profile-json.ts call these.
import type { ProfileSession } from '../importtime/session.js';
import { plural, usAsMs } from './format.js';
import { chalk } from './style.js';
import { renderTable } from './text-table.js';

/** What a remote profile measures, in words (the report's note and the JSON document's). */
export const REMOTE_MEASUREMENT =
  "The runtime's own -X importtime (PYTHONPROFILEIMPORTTIME=1) in each cold start: everything imported during init, the runtime's bootstrap imports included. " +
  'Lambda loads the handler module with importlib.import_module, which -X importtime does not see: the handler module itself has no line, so its top-level imports appear as roots.';

export function remoteHeading(session: ProfileSession): string {
  const r = session.remote;
  return `lambda-cold import profile of ${chalk.bold(r?.functionName ?? '?')}, measured inside Lambda`;
}

export function remoteRows(session: ProfileSession): Array<[string, string]> {
  const r = session.remote;
  if (!r) return [];
  const rows: Array<[string, string]> = [
    ['Function', `${r.functionName} (${r.region}, log group ${r.logGroup})`],
    ['Runs', `${plural(session.aggregate.runs, 'cold start')} in fresh execution environments: ${r.logStreams.join(', ')}`],
  ];
  const init = session.initWallUs;
  if (init && init.n > 0) {
    rows.push(['Init Duration', `${usAsMs(init.median)} ms${init.n > 1 ? ` (min ${usAsMs(init.min)}, max ${usAsMs(init.max)})` : ''} as Lambda reported it, with -X importtime's own overhead`]);
  }
  return rows;
}

/** The note under the summary (unstyled). */
export function remoteNote(): string {
  return REMOTE_MEASUREMENT;
}

/** Local ms, Lambda ms and their ratio per top-level package (null without a local target). */
export function comparisonSection(session: ProfileSession, top: number): string | null {
  const c = session.remote?.comparison;
  if (!c) return null;
  const ms = (us: number | null): string => (us === null ? chalk.dim('—') : usAsMs(us));
  const rows = c.packages.slice(0, top).map((p) => [p.name, ms(p.localUs), ms(p.lambdaUs), p.ratio === null ? chalk.dim('—') : `×${p.ratio.toFixed(2)}`]);
  const t = renderTable(rows, { head: ['package', 'local ms', 'Lambda ms', 'ratio'], align: ['left', 'right', 'right', 'right'], headStyle: (h) => chalk.bold(h) });
  const more = c.packages.length > top ? chalk.dim(`  … ${c.packages.length - top} more packages\n`) : '';
  return (
    `${chalk.bold.underline(`Local (${c.local.display}) and Lambda, per top-level package`)} ${chalk.dim('(import ms, dependencies included; — : not imported there)')}\n${t}\n${more}` +
    chalk.dim("  Locally the handler's import alone is measured (interpreter start-up and bootstrap apart); in Lambda everything init imported is.\n")
  );
}

/** The JSON document's remote fields. */
export function remoteJson(session: ProfileSession): Record<string, unknown> {
  const r = session.remote;
  if (!r) return {};
  return {
    function: r.functionName,
    region: r.region,
    logGroup: r.logGroup,
    logStreams: r.logStreams,
    measurement: REMOTE_MEASUREMENT,
    comparison: r.comparison,
  };
}
