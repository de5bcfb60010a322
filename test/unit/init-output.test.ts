// Reading an environment's init output back from CloudWatch events: lines split across events, several
// lines in one event, both log formats, and the init phase's bounds (INIT_START … first START).
import { describe, expect, it } from 'vitest';
import { EventLineJoiner, initLines } from '../../src/aws/init-output.js';
import { isOurs } from '../../src/aws/recovery.js';
import { parseImportTime } from '../../src/importtime/parse.js';

const CAPTURE = [
  'import time: self [us] | cumulative | imported package',
  'import time:       170 |        170 |   _io',
  'import time:       225 |        225 |       _json',
  'import time:       362 |        587 |     json.scanner',
  'import time:       301 |       6578 |   json.decoder',
  'warming up...import time:       345 |        345 | decimal',
  'init done',
];

/** The capture as a process wrote it (newlines kept), cut every `n` characters: events as a stream holds them. */
function chunks(lines: string[], n: number): string[] {
  const text = lines.map((l) => `${l}\n`).join('');
  const out: string[] = [];
  for (let i = 0; i < text.length; i += n) out.push(text.slice(i, i + n));
  return out;
}

function join(events: string[]): string[] {
  const j = new EventLineJoiner();
  return [...events.flatMap((e) => j.push(e)), ...j.end()];
}

describe('EventLineJoiner', () => {
  it('gives back the lines whatever the cut, newlines kept', () => {
    for (const n of [1, 7, 13, 37, 64, 1000]) expect(join(chunks(CAPTURE, n)), `cut every ${n}`).toEqual(CAPTURE);
  });

  it('takes one event per line with the newlines stripped as whole lines', () => {
    expect(join(CAPTURE)).toEqual(CAPTURE);
  });

  it('joins a record cut before its name even when no newline was seen yet', () => {
    expect(join(['import time: self [us] | cumulative |', ' imported package', 'import time:   12 |', '   12 | json', 'init done'])).toEqual([
      'import time: self [us] | cumulative | imported package',
      'import time:   12 |   12 | json',
      'init done',
    ]);
  });

  it('treats a JSON message as a whole line', () => {
    const j = new EventLineJoiner();
    expect(j.push('import time:   12 |   12 | json', true)).toEqual(['import time:   12 |   12 | json']);
  });
});

describe('initLines', () => {
  const text = (lines: string[]): string[] => [
    'INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc\n',
    ...chunks(lines, 29),
    'START RequestId: 6f1c Version: $LATEST\n',
    'import time:       999 |        999 | late\n',
    'END RequestId: 6f1c\n',
  ];

  it('keeps what the init printed, up to the first START (Text format)', () => {
    const r = initLines(text(CAPTURE));
    expect(r.complete).toBe(true);
    expect(r.lines).toEqual(CAPTURE);
    const parsed = parseImportTime(r.lines.join('\n'));
    expect(parsed.records.map((x) => x.name)).toEqual(['_io', '_json', 'json.scanner', 'json.decoder', 'decimal']);
    expect(parsed.output).toEqual(['warming up...', 'init done']);
  });

  it('reads JSON-format platform events and application messages', () => {
    const events = [
      JSON.stringify({ time: 't', type: 'platform.initStart', record: { initializationType: 'on-demand', phase: 'init' } }),
      ...CAPTURE.map((message) => JSON.stringify({ timestamp: 't', level: 'INFO', message, requestId: null })),
      JSON.stringify({ time: 't', type: 'platform.start', record: { requestId: 'r1', version: '$LATEST' } }),
    ];
    expect(initLines(events)).toEqual({ lines: CAPTURE, complete: true });
  });

  it('says when the START has not arrived yet', () => {
    expect(initLines(text(CAPTURE).slice(0, 3)).complete).toBe(false);
  });
});

describe('isOurs with the variables a run sets besides the nonce', () => {
  const recovery = { originalVariables: { STAGE: 'prod', PYTHONPROFILEIMPORTTIME: '' }, nonceVariable: 'LAMBDA_COLD_NONCE', runId: 'lc-1', extraVariables: { PYTHONPROFILEIMPORTTIME: '1' } };
  it('recognises what the run left', () => {
    expect(isOurs({ STAGE: 'prod', PYTHONPROFILEIMPORTTIME: '1', LAMBDA_COLD_NONCE: 'lc-1-1' }, recovery)).toBe(true);
  });
  it('refuses a change to the variable it set or to another one', () => {
    expect(isOurs({ STAGE: 'prod', PYTHONPROFILEIMPORTTIME: '', LAMBDA_COLD_NONCE: 'lc-1-1' }, recovery)).toBe(false);
    expect(isOurs({ STAGE: 'dev', PYTHONPROFILEIMPORTTIME: '1', LAMBDA_COLD_NONCE: 'lc-1-1' }, recovery)).toBe(false);
  });
});
