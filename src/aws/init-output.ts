// What one execution environment printed during its init, read back from its log stream: for
// `invoke --importtime`, the `-X importtime` lines the runtime wrote to stderr (docs/lambda-platform.md,
// "python -X importtime"). The init is everything between INIT_START and the first START of the stream.
// CloudWatch events are not lines: one event may hold many lines (merged), and one line may be cut across
// events (split). Lambda keeps the newlines the process wrote, so once a stream's messages show newline
// characters, the text after a message's last newline is a fragment that the next message continues; in a
// stream without them (one line per event, newlines stripped; JSON messages) only an import-time record
// that is visibly unfinished (its two `|` columns and a name not all there yet) is carried over.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { setTimeout as sleep } from 'node:timers/promises';
import { filterAll } from './cloudwatch.js';
import type { ErrorContext } from './errors.js';
import { parseLogLine } from './log-lines.js';

/** A complete import-time record or header: anything short of it that ends an event is a fragment. */
const COMPLETE_RECORD = /import time:\s*(?:(?:-?\d+|cached)\s*\|\s*(?:-?\d+|cached)\s*\|\s*\S|self \[us\]\s*\|\s*cumulative\s*\|\s*imported package)/;

function unfinishedRecord(text: string): boolean {
  if (text.includes('import time:')) return !COMPLETE_RECORD.test(text);
  // the record's mark itself cut short: `import ti` + `me:   12 | …`
  return text.length > 0 && 'import time:'.startsWith(text);
}

/** Turns event messages (in stream order) into lines, joining split lines and splitting merged ones. */
export class EventLineJoiner {
  private partial = '';
  private keepsNewlines = false;
  private guessedEnd = false;

  /** One event's message; returns the lines it completes. `whole`: the message ends its line (a JSON event's). */
  push(message: string, whole = false): string[] {
    let text = message;
    // the previous message was taken as a whole line, and this one starts with that line's newline
    if (this.guessedEnd && !whole) text = text.replace(/^\r?\n/, '');
    this.guessedEnd = false;
    if (!whole && message.includes('\n')) this.keepsNewlines = true;
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = '';
    const last = parts.pop() as string;
    if (last !== '') {
      if (!whole && (this.keepsNewlines || unfinishedRecord(last))) this.partial = last;
      else {
        parts.push(last);
        this.guessedEnd = !whole;
      }
    }
    return parts;
  }

  /** The stream ended: whatever is pending is a line. */
  end(): string[] {
    const p = this.partial;
    this.partial = '';
    return p === '' ? [] : [p];
  }
}

/**
 * The application text of an event: a JSON-format application event's `message` (whole: it ends its
 * line), else the message itself.
 */
export function applicationText(message: string): { text: string; whole: boolean } {
  if (message.trimStart().startsWith('{')) {
    try {
      const o = JSON.parse(message) as unknown;
      if (typeof o === 'object' && o !== null && typeof (o as { message?: unknown }).message === 'string') {
        return { text: (o as { message: string }).message, whole: true };
      }
    } catch {
      // not JSON: the text as it is
    }
  }
  return { text: message, whole: false };
}

/**
 * The lines an environment printed during its init, from its stream's events in order: after the last
 * INIT_START (or from the first event when the window starts after it), up to the first START.
 * `complete` says whether that START was seen.
 */
export function initLines(messages: Iterable<string>): { lines: string[]; complete: boolean } {
  let joiner = new EventLineJoiner();
  let lines: string[] = [];
  for (const message of messages) {
    const platform = parseLogLine(message.replace(/\n$/, ''));
    if (platform?.kind === 'init-start') {
      joiner = new EventLineJoiner();
      lines = [];
      continue;
    }
    if (platform?.kind === 'start') return { lines: [...lines, ...joiner.end()], complete: true };
    if (platform && platform.kind !== 'pid') continue;
    const app = applicationText(message);
    lines.push(...joiner.push(app.text, app.whole));
  }
  return { lines: [...lines, ...joiner.end()], complete: false };
}

export interface InitOutputRequest {
  logGroupName: string;
  logStream: string;
  /** When the invocation that started the environment was sent and answered (epoch ms). */
  startedAt: number;
  endedAt: number;
}

/**
 * Read one environment's init output from CloudWatch Logs, polling (bounded by `timeoutMs`) until its
 * first START has arrived: events are ingested seconds late, and not necessarily all at once.
 */
export async function readInitOutput(
  client: CloudWatchLogsClient,
  req: InitOutputRequest,
  poll: { timeoutMs: number; signal?: AbortSignal; slackMs?: number; onWait?: (waitMs: number) => void; onThrottle?: (waitMs: number) => void },
  ctx: Omit<ErrorContext, 'operation'>,
): Promise<{ lines: string[]; complete: boolean; calls: number }> {
  const deadline = Date.now() + poll.timeoutMs;
  const slack = poll.slackMs ?? 5000;
  let calls = 0;
  let delay = 500;
  for (;;) {
    const r = await filterAll(
      client,
      { logGroupName: req.logGroupName, logStreamNames: [req.logStream], startTime: req.startedAt - slack, endTime: req.endedAt + slack },
      { deadline, signal: poll.signal, onThrottle: poll.onThrottle },
      ctx,
    );
    calls += r.calls;
    // events of one stream in time order; the sort is stable, so equal timestamps keep the service's order
    const found = initLines(r.events.sort((a, b) => a.timestamp - b.timestamp).map((e) => e.message));
    const remaining = deadline - Date.now();
    if (found.complete || remaining <= 0 || poll.signal?.aborted) return { ...found, calls };
    const wait = Math.min(delay, remaining);
    poll.onWait?.(wait);
    await sleep(wait, undefined, { signal: poll.signal }).catch(() => undefined);
    delay = Math.min(delay * 2, 5000);
  }
}
