// The AWS clients, built the way the AWS CLI resolves things: --region / --profile / --endpoint-url
// override; otherwise the SDK's own chains (AWS_REGION, AWS_PROFILE, the shared config files, the default
// credential chain). AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS are
// honoured natively by SDK v3 (service-specific endpoints), so they are not read here.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { UserError } from '../util/errors.js';
import { toUserError } from './errors.js';

export interface AwsOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  /** Parallel Invoke calls the HTTP agent must allow. */
  maxSockets?: number;
}

export interface AwsClients {
  /** Control plane (GetFunctionConfiguration, UpdateFunctionConfiguration, the waiter): SDK standard retries. */
  lambda: LambdaClient;
  /** Invoke only, with SDK retries off: lambda-cold retries 429s itself, honouring retryAfterSeconds. */
  invoker: LambdaClient;
  /** FilterLogEvents only, SDK retries off: aws/cloudwatch.ts backs off throttling itself, for a bounded time. */
  logs: CloudWatchLogsClient;
  region: string;
  endpointUrl?: string;
  destroy(): void;
}

/**
 * The SDK prints a Node-version support notice (NodeVersionSupportWarning) through process.emitWarning
 * when it builds its first client on Node < 22. lambda-cold supports Node 20 deliberately, and the notice
 * would land in the user's terminal in the middle of a report. The SDK documents a switch for it
 * (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true, aws-sdk-js-v3#7983); set it for this process
 * only, unless the user set the variable themselves.
 */
export function silenceSdkVersionNotice(env: NodeJS.ProcessEnv = process.env): void {
  if (env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
    env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  }
}

export async function createClients(options: AwsOptions, functionName: string): Promise<AwsClients> {
  silenceSdkVersionNotice();
  const common = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
  };
  const sockets = Math.max(50, options.maxSockets ?? 0);
  const lambda = new LambdaClient(common);
  const invoker = new LambdaClient({
    ...common,
    maxAttempts: 1,
    requestHandler: { httpAgent: { maxSockets: sockets, keepAlive: true }, httpsAgent: { maxSockets: sockets, keepAlive: true } },
  });
  // FilterLogEvents throttling is retried by aws/cloudwatch.ts (full jitter, bounded by --logs-timeout).
  const logs = new CloudWatchLogsClient({ ...common, maxAttempts: 1 });
  const destroy = (): void => {
    lambda.destroy();
    invoker.destroy();
    logs.destroy();
  };
  let region: string;
  try {
    // Resolve region and credentials up front so their absence is one clear sentence, not a failed call.
    region = await lambda.config.region();
    await lambda.config.credentials();
  } catch (e) {
    destroy();
    const err = toUserError(e, { operation: 'GetFunctionConfiguration', functionName });
    if (options.profile && /credentials/i.test(err.message)) {
      throw new UserError(
        `No usable credentials for the profile ${options.profile}: check that it exists in the shared config or credentials file (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) and, for SSO, run \`aws sso login --profile ${options.profile}\`.`,
        { cause: e },
      );
    }
    throw err;
  }
  return { lambda, invoker, logs, region, endpointUrl: options.endpointUrl, destroy };
}
