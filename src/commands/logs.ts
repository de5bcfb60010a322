// `lambda-cold logs <function...>`: validate options, build the clients, run the logs pipeline
// (src/logs/run.ts), render, set the exit code.
import { boolean, enum as zenum, object, optional, string, url, type infer as Infer } from 'zod/mini';
import { createClients } from '../aws/clients.js';
import { runLogs } from '../logs/run.js';
import { parseWindow } from '../logs/window.js';
import { emitReport } from '../render/emit.js';
import { EXIT_OK, UserError } from '../util/errors.js';
import { nonEmpty, numberFlag, parseOptions } from '../util/options.js';
import { checkOutputFile } from '../util/output-file.js';
import { createOutput, type Output } from '../util/output.js';

const optionsSchema = object({
  since: optional(string()),
  until: optional(string()),
  logGroup: optional(string()),
  engine: zenum(['auto', 'filter', 'insights']),
  all: optional(boolean()),
  region: optional(string()),
  profile: optional(string()),
  endpointUrl: optional(url({ error: 'expected a URL such as http://127.0.0.1:3001' })),
  json: optional(boolean()),
  pricePerGbS: optional(numberFlag(0, { exclusiveMin: true })),
  html: optional(nonEmpty),
});

export type LogsCommandOptions = Infer<typeof optionsSchema>;

export async function runLogsCommand(names: string[], raw: Record<string, unknown>, output: Output = createOutput()): Promise<number> {
  const o = parseOptions(optionsSchema, raw);
  if (o.all && names.length > 0) throw new UserError('Give function names or --all, not both.');
  if (!o.all && names.length === 0) throw new UserError('Name at least one function, or pass --all for every Python function of the region.');
  if (o.logGroup !== undefined && (o.all || names.length > 1)) throw new UserError('--log-group applies to one function: name exactly one.');
  const window = parseWindow(o.since, o.until);
  if (o.html !== undefined) checkOutputFile('--html', o.html);
  const clients = await createClients({ region: o.region, profile: o.profile, endpointUrl: o.endpointUrl }, names[0] ?? 'the region');
  // Nothing to undo on Ctrl-C: the signal keeps Node's default (the process leaves at once).
  try {
    const report = await runLogs(
      clients,
      { names, all: o.all === true, logGroup: o.logGroup, engine: o.engine, window, pricePerGbSecond: o.pricePerGbS },
      output,
    );
    await emitReport('logs', report, { json: o.json === true, html: o.html }, output);
    return EXIT_OK;
  } finally {
    clients.destroy();
  }
}
