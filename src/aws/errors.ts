// Turning AWS SDK errors into one clear sentence (UserError, exit 2). Never echoes credentials or
// environment variable values: only operation names, permission names, function names and error codes.
import { UserError } from '../util/errors.js';

/** The IAM permission each operation this tool calls needs. */
export const PERMISSIONS = {
  GetFunctionConfiguration: 'lambda:GetFunctionConfiguration',
  GetFunction: 'lambda:GetFunction',
  UpdateFunctionConfiguration: 'lambda:UpdateFunctionConfiguration',
  Invoke: 'lambda:InvokeFunction',
  GetProvisionedConcurrencyConfig: 'lambda:GetProvisionedConcurrencyConfig',
  GetFunctionConcurrency: 'lambda:GetFunctionConcurrency',
  FilterLogEvents: 'logs:FilterLogEvents',
  ListFunctions: 'lambda:ListFunctions',
  StartQuery: 'logs:StartQuery',
  GetQueryResults: 'logs:GetQueryResults',
  DescribeLogGroups: 'logs:DescribeLogGroups',
} as const;

export type Operation = keyof typeof PERMISSIONS;

export interface ErrorContext {
  operation: Operation;
  functionName: string;
  region?: string;
  endpoint?: string;
}

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  retryAfterSeconds?: string | number;
}

export function errorName(e: unknown): string {
  const err = e as SdkErrorLike;
  return err?.name ?? '';
}

export function httpStatus(e: unknown): number | undefined {
  return (e as SdkErrorLike)?.$metadata?.httpStatusCode;
}

export function isThrottle(e: unknown): boolean {
  const name = errorName(e);
  return name === 'TooManyRequestsException' || name === 'ThrottlingException' || httpStatus(e) === 429;
}

/** `retryAfterSeconds` of a 429 TooManyRequestsException, in ms, or null. */
export function retryAfterMs(e: unknown): number | null {
  const raw = (e as SdkErrorLike)?.retryAfterSeconds;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(n) && n >= 0 ? n * 1000 : null;
}

function networkCode(e: unknown): string | null {
  const err = e as SdkErrorLike & { cause?: SdkErrorLike };
  const code = err?.code ?? err?.cause?.code;
  return code && /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH)$/.test(code) ? code : null;
}

/** Map any error thrown by an AWS call to a UserError (UserErrors pass through unchanged). */
export function toUserError(e: unknown, ctx: ErrorContext): UserError {
  if (e instanceof UserError) return e;
  const name = errorName(e);
  const message = (e as SdkErrorLike)?.message ?? String(e);
  const where = ctx.region ? ` in ${ctx.region}` : '';
  const permission = PERMISSIONS[ctx.operation];
  if (/Region is missing/i.test(message) || name === 'RegionMissingError') {
    return new UserError('No AWS region is set: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or set a region in the profile.', { cause: e });
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials from any providers/i.test(message)) {
    return new UserError(
      'No AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use --profile or AWS_PROFILE, or log in with `aws sso login`.',
      { cause: e },
    );
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidSignatureException' || name === 'ExpiredTokenException' || name === 'ExpiredToken') {
    return new UserError(`AWS rejected the credentials (${name}): check the profile or the access keys in use.`, { cause: e });
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || httpStatus(e) === 403) {
    return new UserError(
      `Access denied: the caller is not allowed ${permission} on ${ctx.functionName}${where}; grant ${permission} to the role or user running lambda-cold.`,
      { cause: e },
    );
  }
  if (name === 'ResourceNotFoundException' || httpStatus(e) === 404) {
    if (ctx.operation === 'FilterLogEvents') {
      return new UserError(`The log group of ${ctx.functionName} does not exist${where} (the function may never have logged).`, { cause: e });
    }
    return new UserError(`Function ${ctx.functionName} was not found${where}: check the name, the qualifier and the region.`, { cause: e });
  }
  if (isThrottle(e)) {
    return new UserError(`AWS kept throttling ${ctx.operation} on ${ctx.functionName} (${name || '429'}); retry later or lower --concurrency.`, { cause: e });
  }
  const net = networkCode(e);
  if (net) {
    return new UserError(`Could not reach the ${ctx.operation.startsWith('Filter') ? 'CloudWatch Logs' : 'Lambda'} endpoint${ctx.endpoint ? ` ${ctx.endpoint}` : ''} (${net}).`, { cause: e });
  }
  return new UserError(`${ctx.operation} on ${ctx.functionName} failed: ${name || 'Error'}: ${message}`, { cause: e });
}
