import { describe, expect, it } from 'vitest';
import { PERMISSIONS, retryAfterMs, toUserError } from '../../src/aws/errors.js';
import { differingNames, isOurs, recoveryPath, sameVariables } from '../../src/aws/recovery.js';
import { splitQualifier } from '../../src/aws/lambda.js';
import { qualifierInName } from '../../src/commands/invoke.js';
import { shortStream } from '../../src/render/invoke-table.js';

const sdkError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('AWS errors as one sentence', () => {
  const ctx = { functionName: 'orders', region: 'eu-west-1' };
  it('names the permission the operation needs', () => {
    for (const [op, perm] of Object.entries(PERMISSIONS)) {
      const e = toUserError(sdkError('AccessDeniedException', 403), { ...ctx, operation: op as keyof typeof PERMISSIONS });
      expect(e.message).toContain(perm);
      expect(e.exitCode).toBe(2);
    }
  });
  it('maps not-found, throttling, region and credentials', () => {
    expect(toUserError(sdkError('ResourceNotFoundException', 404), { ...ctx, operation: 'Invoke' }).message).toBe(
      'Function orders was not found in eu-west-1: check the name, the qualifier and the region.',
    );
    expect(toUserError(sdkError('ResourceNotFoundException', 400), { ...ctx, operation: 'FilterLogEvents' }).message).toMatch(/log group of orders does not exist/);
    expect(toUserError(sdkError('ThrottlingException', 400), { ...ctx, operation: 'FilterLogEvents' }).message).toMatch(/kept throttling FilterLogEvents/);
    expect(toUserError(new Error('Region is missing'), { ...ctx, operation: 'Invoke' }).message).toMatch(/^No AWS region is set/);
    expect(toUserError(sdkError('CredentialsProviderError', 0), { ...ctx, operation: 'Invoke' }).message).toMatch(/^No AWS credentials were found/);
    expect(toUserError(sdkError('UnrecognizedClientException', 403), { ...ctx, operation: 'Invoke' }).message).toMatch(/rejected the credentials/);
  });
  it('reads retryAfterSeconds', () => {
    expect(retryAfterMs(sdkError('TooManyRequestsException', 429, { retryAfterSeconds: '3' }))).toBe(3000);
    expect(retryAfterMs(sdkError('TooManyRequestsException', 429))).toBeNull();
  });
});

describe('recovery file helpers', () => {
  const rec = { originalVariables: { A: '1', B: '2' }, nonceVariable: 'LAMBDA_COLD_NONCE', runId: 'lc-abc' };
  it('recognises exactly what a run left: the original plus its nonce', () => {
    expect(isOurs({ A: '1', B: '2', LAMBDA_COLD_NONCE: 'lc-abc-3' }, rec)).toBe(true);
    expect(isOurs({ A: '1', B: '2', LAMBDA_COLD_NONCE: 'lc-other-1' }, rec)).toBe(false);
    expect(isOurs({ A: '1', B: 'changed', LAMBDA_COLD_NONCE: 'lc-abc-1' }, rec)).toBe(false);
    expect(isOurs({ A: '1', B: '2' }, rec)).toBe(false);
    expect(isOurs({ LAMBDA_COLD_NONCE: 'lc-abc-1' }, { ...rec, originalVariables: null })).toBe(true);
  });
  it('compares variables and names (never values) the differences', () => {
    expect(sameVariables(null, {})).toBe(true);
    expect(sameVariables({ A: '1' }, { A: '2' })).toBe(false);
    expect(differingNames({ A: '1', B: '2' }, { A: '1', C: '3' })).toEqual(['B', 'C']);
  });
  it('lives under XDG_CACHE_HOME, one file per region and function name (ARNs included)', () => {
    const env = { XDG_CACHE_HOME: '/tmp/xdg' };
    expect(recoveryPath('orders', 'eu-west-1', env)).toBe('/tmp/xdg/lambda-cold/recovery/eu-west-1--orders.json');
    expect(recoveryPath('arn:aws:lambda:eu-west-1:123456789012:function:orders', 'eu-west-1', env)).toBe(
      '/tmp/xdg/lambda-cold/recovery/eu-west-1--orders.json',
    );
  });
});

describe('names and streams', () => {
  it('finds the qualifier in a function name or ARN', () => {
    expect(qualifierInName('orders')).toBeNull();
    expect(qualifierInName('orders:live')).toBe('live');
    expect(qualifierInName('arn:aws:lambda:eu-west-1:123456789012:function:orders')).toBeNull();
    expect(qualifierInName('arn:aws:lambda:eu-west-1:123456789012:function:orders:7')).toBe('7');
  });
  it('splits fn:$LATEST and a qualified ARN into the unqualified name and the qualifier', () => {
    expect(splitQualifier('orders:$LATEST')).toEqual({ name: 'orders', qualifier: '$LATEST' });
    expect(splitQualifier('arn:aws:lambda:eu-west-1:123456789012:function:orders:live')).toEqual({
      name: 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
      qualifier: 'live',
    });
    expect(splitQualifier('orders')).toEqual({ name: 'orders', qualifier: null });
  });
  it('shortens a log stream to its environment id', () => {
    expect(shortStream('2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef')).toBe('01234567');
    expect(shortStream(null)).toBe('-');
  });
});
