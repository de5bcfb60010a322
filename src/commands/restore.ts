// `lambda-cold restore <function>`: put back the Environment (and the MemorySize, after `invoke --memory`)
// that an interrupted `invoke --cold` saved in its recovery file, only if the function still carries exactly
// what that run left. With nothing to restore it says so and exits 0, so it can run as an always-run cleanup step. `--remove-nonce` removes only the
// nonce variable a run left behind after somebody deployed over it.
import { boolean, object, optional, string, url } from 'zod/mini';
import { createClients } from '../aws/clients.js';
import { removeNonce, restoreFromRecovery } from '../aws/cold.js';
import { splitQualifier } from '../aws/lambda.js';
import { NONCE_VARIABLE, readRecovery, recoveryPath, removeRecovery } from '../aws/recovery.js';
import { EXIT_ERROR, EXIT_OK } from '../util/errors.js';
import { parseOptions } from '../util/options.js';
import { createOutput, type Output } from '../util/output.js';

const optionsSchema = object({
  region: optional(string()),
  profile: optional(string()),
  endpointUrl: optional(url({ error: 'expected a URL such as http://127.0.0.1:3001' })),
  removeNonce: optional(boolean()),
});

export async function runRestore(given: string, raw: Record<string, unknown>, output: Output = createOutput()): Promise<number> {
  const o = parseOptions(optionsSchema, raw);
  const functionName = splitQualifier(given).name;
  const clients = await createClients({ region: o.region, profile: o.profile, endpointUrl: o.endpointUrl }, functionName);
  try {
    const file = recoveryPath(functionName, clients.region);
    const recovery = readRecovery(file);
    if (o.removeNonce === true) {
      const ctx = { functionName, region: clients.region, endpoint: clients.endpointUrl };
      const nonce = recovery?.nonceVariable ?? NONCE_VARIABLE;
      const done = await removeNonce(clients.lambda, functionName, nonce, ctx);
      output.info(done === 'removed' ? `removed ${nonce} from ${functionName}; every other variable is as it was.` : `${functionName} has no ${nonce} variable: nothing to remove.`);
      if (recovery) {
        removeRecovery(file);
        output.info(`removed the recovery file ${file}.`);
      }
      return EXIT_OK;
    }
    if (!recovery) {
      output.info(`Nothing to restore: there is no recovery file for ${functionName} in ${clients.region} (${file}).`);
      return EXIT_OK;
    }
    const ctx = { functionName: recovery.functionName, region: clients.region, endpoint: clients.endpointUrl };
    const result = await restoreFromRecovery(clients.lambda, recovery, file, ctx);
    // An `invoke --memory` run recorded the MemorySize too: restoreFromRecovery puts both back.
    const what = recovery.originalMemorySizeMB === undefined ? 'environment' : `environment and memory size (${recovery.originalMemorySizeMB} MB)`;
    switch (result.outcome) {
      case 'restored':
        output.info(`restored ${recovery.functionName}'s ${what} as it was before the run of ${recovery.createdAt}; removed ${file}.`);
        return EXIT_OK;
      case 'unchanged':
        output.info(`${recovery.functionName}'s ${what} ${recovery.originalMemorySizeMB === undefined ? 'is' : 'are'} already the original; removed ${file}.`);
        return EXIT_OK;
      default:
        output.warn(
          `${result.reason}${result.changedNames.length ? ` (variables: ${result.changedNames.join(', ')})` : ''}: not restoring over it. ` +
            `The original is in ${file}; restore by hand if you are sure, then delete the file.`,
        );
        if (result.nonceLeft) {
          output.warn(`${recovery.nonceVariable} is still on ${recovery.functionName}; remove it alone with \`lambda-cold restore ${recovery.functionName} --remove-nonce\`.`);
        }
        return EXIT_ERROR;
    }
  } finally {
    clients.destroy();
  }
}
