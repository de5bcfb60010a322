// `profile --trace <file>`: the Chrome Trace Event format (JSON object form, complete "X" events, ts and
// dur in µs: https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU), which
// Perfetto (https://ui.perfetto.dev) and chrome://tracing open. One track: the median import tree, laid
// out by ./import-timeline.ts; each slice's args keep the measured self and cumulative medians.
import { statTree } from '../importtime/aggregate.js';
import { timeline, timelineTitle } from './import-timeline.js';
import type { ProfileInput } from './inputs.js';
import type { Renderer } from './renderer.js';
import type { Sink } from './sink.js';

const PID = 1;
const TID = 1;

function renderTrace({ session, toolVersion }: ProfileInput, sink: Sink): void {
  const title = timelineTitle(session);
  const meta = (name: string, value: string): string => JSON.stringify({ name, ph: 'M', pid: PID, tid: TID, args: { name: value } });
  sink.write(`{\n  "displayTimeUnit": "ms",\n  "otherData": ${JSON.stringify({ exporter: `lambda-cold ${toolVersion}`, runs: session.aggregate.runs })},\n`);
  sink.write(`  "traceEvents": [\n    ${meta('process_name', `lambda-cold: ${title}`)},\n    ${meta('thread_name', 'import')}`);
  // opens come in time order (a parent before its children), the order trace viewers nest slices in
  for (const { type, span } of timeline(statTree(session.aggregate.modules))) {
    if (type !== 'open') continue;
    const m = span.stat;
    const args: Record<string, unknown> = { selfUs: m.selfUs.median, cumulativeUs: m.cumulativeUs.median, package: m.package, runs: m.runs };
    if (span.clampedUs > 0) args.clampedUs = span.clampedUs;
    const file = session.moduleFiles.get(m.name);
    if (file) args.file = file;
    const event = { name: m.name, cat: 'import', ph: 'X', ts: span.startUs, dur: span.endUs - span.startUs, pid: PID, tid: TID, args };
    sink.write(`,\n    ${JSON.stringify(event)}`);
  }
  sink.write('\n  ]\n}\n');
}

export const renderer: Renderer<ProfileInput> = { render: renderTrace };
