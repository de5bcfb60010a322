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
      billedRestoreDurationMs: null,
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

  // A crash reset the environment; the next invocation re-runs init inside the invoke. The same events in
  // both log formats must give the same record: a re-init, not cold, a success, init from the INIT_REPORT.
  const RID = '0b9c8d7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e';
  const reinitText = [
    'INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:abc',
    'INIT_REPORT Init Duration: 301.52 ms\tPhase: invoke\tStatus: success\t',
    `START RequestId: ${RID} Version: $LATEST`,
    `END RequestId: ${RID}`,
    `REPORT RequestId: ${RID}\tDuration: 320.10 ms\tBilled Duration: 321 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t`,
  ].join('\n');
  const ev = (type: string, record: unknown): string => JSON.stringify({ time: '2026-11-30T10:00:00.000Z', type, record });
  const reinitJson = [
    ev('platform.initStart', { initializationType: 'on-demand', phase: 'invoke', runtimeVersion: 'python:3.12.v38' }),
    ev('platform.initReport', { initializationType: 'on-demand', phase: 'invoke', status: 'success', metrics: { durationMs: 301.52 } }),
    ev('platform.start', { requestId: RID, version: '$LATEST' }),
    ev('platform.runtimeDone', { requestId: RID, status: 'success', metrics: { durationMs: 320.1 } }),
    ev('platform.report', { requestId: RID, status: 'success', metrics: { durationMs: 320.1, billedDurationMs: 321, memorySizeMB: 128, maxMemoryUsedMB: 40 } }),
  ].join('\n');

  it('reads a re-init after a crash the same way in both log formats: not cold, and a success', () => {
    const place = { index: 4, source: 'tail' as const, logStream: STREAM, round: null };
    const fromText = invocationRecord(collectInvocation(parseLogText(reinitText), RID), facts({ requestId: RID }), place);
    const fromJson = invocationRecord(collectInvocation(parseLogText(reinitJson), RID), facts({ requestId: RID }), place);
    expect(fromText).toMatchObject({ kind: 're-init', cold: false, status: 'success', initDurationMs: 301.52, durationMs: 320.1, billedDurationMs: 321 });
    expect(fromJson).toEqual(fromText);
  });

  it('a re-init whose INIT_REPORT says error or timeout is not a success, in both formats', () => {
    const place = { index: 1, source: 'tail' as const, logStream: null, round: null };
    for (const [text, json] of [
      [reinitText.replace('Status: success\t', 'Status: error\tError Type: Runtime.ExitError\t'), reinitJson.replace('"phase":"invoke","status":"success"', '"phase":"invoke","status":"error","errorType":"Runtime.ExitError"')],
      [reinitText.replace('Status: success\t', 'Status: timeout\t'), reinitJson.replace('"phase":"invoke","status":"success"', '"phase":"invoke","status":"timeout"')],
    ] as const) {
      const a = invocationRecord(collectInvocation(parseLogText(text), RID), facts({ requestId: RID }), place);
      const b = invocationRecord(collectInvocation(parseLogText(json), RID), facts({ requestId: RID }), place);
      expect(a.status).not.toBe('success');
      expect(a.kind).toBe('re-init');
      expect(b).toEqual(a);
    }
  });
});
