// The AWS clients, built the way the AWS CLI resolves things: --region / --profile / --endpoint-url
// override; otherwise the SDK's own chains (AWS_REGION, AWS_PROFILE, the shared config files, the default
// credential chain), plus AWS_DEFAULT_REGION, which the AWS CLI reads after AWS_REGION and the SDK does not
// (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html). A named profile that is
// in neither shared file is said up front, by name. AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS are
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

/** The region as the AWS CLI picks it before the profile's: --region, AWS_REGION, AWS_DEFAULT_REGION. */
export function regionFromEnvironment(options: Pick<AwsOptions, 'region'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

/**
 * A profile named by --profile or AWS_PROFILE must be in the shared config or credentials file (read by the
 * SDK's own loader); otherwise the SDK would fail later, on the region or the credentials, without its name.
 */
async function checkProfile(options: Pick<AwsOptions, 'profile'>, env: NodeJS.ProcessEnv): Promise<void> {
  const profile = options.profile || env.AWS_PROFILE;
  if (!profile || profile === 'default') return;
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const files = await loadSharedConfigFiles({ ignoreCache: true });
  if (profile in files.configFile || profile in files.credentialsFile) return;
  const source = options.profile ? '--profile' : 'AWS_PROFILE';
  const config = env.AWS_CONFIG_FILE || '~/.aws/config';
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE || '~/.aws/credentials';
  throw new UserError(
    `No usable credentials for the profile ${profile} (from ${source}): it is in neither ${config} nor ${credentials}; check its name (aws configure list-profiles) or set it up (aws configure --profile ${profile}).`,
  );
}

export async function createClients(options: AwsOptions, functionName: string, env: NodeJS.ProcessEnv = process.env): Promise<AwsClients> {
  silenceSdkVersionNotice();
  await checkProfile(options, env);
  const region = regionFromEnvironment(options, env);
  const common = {
    ...(region ? { region } : {}),
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
  let resolvedRegion: string;
  try {
    // Resolve region and credentials up front so their absence is one clear sentence, not a failed call.
    resolvedRegion = await lambda.config.region();
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
  return { lambda, invoker, logs, region: resolvedRegion, endpointUrl: options.endpointUrl, destroy };
}
