// `lambda-cold restore <function>`: put back the Environment that an interrupted `invoke --cold` saved in
// its recovery file, only if the function still carries exactly what that run left.
import { object, optional, string, url } from 'zod/mini';
import { createClients } from '../aws/clients.js';
import { restoreFromRecovery } from '../aws/cold.js';
import { readRecovery, recoveryPath } from '../aws/recovery.js';
import { EXIT_ERROR, EXIT_OK, UserError } from '../util/errors.js';
import { parseOptions } from '../util/options.js';
import { createOutput, type Output } from '../util/output.js';

const optionsSchema = object({
  region: optional(string()),
  profile: optional(string()),
  endpointUrl: optional(url({ error: 'expected a URL such as http://127.0.0.1:3001' })),
});

export async function runRestore(functionName: string, raw: Record<string, unknown>, output: Output = createOutput()): Promise<number> {
  const o = parseOptions(optionsSchema, raw);
  const clients = await createClients({ region: o.region, profile: o.profile, endpointUrl: o.endpointUrl }, functionName);
  try {
    const file = recoveryPath(functionName, clients.region);
    const recovery = readRecovery(file);
    if (!recovery) {
      throw new UserError(`There is no recovery file for ${functionName} in ${clients.region} (${file}): nothing to restore.`);
    }
    const ctx = { functionName: recovery.functionName, region: clients.region, endpoint: clients.endpointUrl };
    const result = await restoreFromRecovery(clients.lambda, recovery, file, ctx);
    switch (result.outcome) {
      case 'restored':
        output.info(`restored ${recovery.functionName}'s environment as it was before the run of ${recovery.createdAt}; removed ${file}.`);
        return EXIT_OK;
      case 'unchanged':
        output.info(`${recovery.functionName}'s environment is already the original; removed ${file}.`);
        return EXIT_OK;
      default:
        output.warn(
          `${result.reason}${result.changedNames.length ? ` (variables: ${result.changedNames.join(', ')})` : ''}: not restoring over it. ` +
            `The original is in ${file}; restore by hand if you are sure, then delete the file.`,
        );
        return EXIT_ERROR;
    }
  } finally {
    clients.destroy();
  }
}
