// Invocation records built from a parsed log, with and without an Invoke response: the same type either way.
import { describe, expect, it } from 'vitest';
import { collectInvocation, parseLogText } from '../../src/aws/log-lines.js';
import { invocationRecord, type InvokeFacts } from '../../src/model/invocation.js';

const ID = '8f5e2c1a-3b4d-4e6f-9a0b-1c2d3e4f5a6b';
const STREAM = '2026/11/30/[$LATEST]0123456789abcdef0123456789abcdef';

function facts(over: Partial<InvokeFacts> = {}): InvokeFacts {
  return { requestId: ID, functionError: null, executedVersion: '$LATEST', payload: '"ok"', clientMs: 812.3456, ...over };
}

describe('invocationRecord', () => {
  const coldTail = [
    'INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:abc',
    `START RequestId: ${ID} Version: $LATEST`,
    'PID: 8',
    `END RequestId: ${ID}`,
    `REPORT RequestId: ${ID}\tDuration: 12.04 ms\tBilled Duration: 702 ms\tMemory Size: 512 MB\tMax Memory Used: 131 MB\tInit Duration: 689.10 ms\t`,
  ].join('\n');

  it('reads a cold invocation from its tail and the Invoke response', () => {
    const log = collectInvocation(parseLogText(coldTail), ID);
    const r = invocationRecord(log, facts(), { index: 3, source: 'tail', logStream: STREAM, round: 1 });
    expect(r).toEqual({
      index: 3,
      requestId: ID,
      kind: 'cold',
      cold: true,
      status: 'success',
      functionError: null,
      errorType: null,
      initDurationMs: 689.1,
      restoreDurationMs: null,
      durationMs: 12.04,
      billedDurationMs: 702,
      memorySizeMB: 512,
      maxMemoryUsedMB: 131,
      logStream: STREAM,
      pid: 8,
      executedVersion: '$LATEST',
      source: 'tail',
      round: 1,
      clientMs: 812.35,
    });
  });

  it('builds the same record type from CloudWatch history alone (no Invoke response)', () => {
    const log = collectInvocation(parseLogText(coldTail), ID);
    const r = invocationRecord(log, null, { index: 1, source: 'cloudwatch', logStream: STREAM, round: null });
    expect(r).toMatchObject({ requestId: ID, kind: 'cold', initDurationMs: 689.1, functionError: null, executedVersion: null, source: 'cloudwatch' });
  });

  it("takes an unhandled error's type from the payload when the log does not name it", () => {
    const warm = `REPORT RequestId: ${ID}\tDuration: 3.10 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t`;
    const log = collectInvocation(parseLogText(warm), ID);
    const payload = JSON.stringify({ errorMessage: 'boom', errorType: 'KeyError', stackTrace: [] });
    const r = invocationRecord(log, facts({ functionError: 'Unhandled', payload }), { index: 1, source: 'tail', logStream: null, round: null });
    expect(r).toMatchObject({ kind: 'warm', status: 'error', functionError: 'Unhandled', errorType: 'KeyError' });
    const plain = invocationRecord(log, facts({ functionError: 'Unhandled', payload: 'not json' }), { index: 1, source: 'tail', logStream: null, round: null });
    expect(plain.errorType).toBeNull();
  });

  it('prefers the error type the log names over the payload', () => {
    const text = `REPORT RequestId: ${ID}\tDuration: 95.12 ms\tBilled Duration: 96 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\tStatus: error\tError Type: Runtime.ImportModuleError\t`;
    const log = collectInvocation(parseLogText(text), ID);
    const r = invocationRecord(log, facts({ functionError: 'Unhandled', payload: JSON.stringify({ errorType: 'Other' }) }), { index: 1, source: 'tail', logStream: null, round: null });
    expect(r.errorType).toBe('Runtime.ImportModuleError');
  });
});
