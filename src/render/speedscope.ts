// `profile --speedscope <file>`: speedscope's evented format (https://www.speedscope.app/file-format-schema.json,
// documented at https://github.com/jlfwong/speedscope/wiki/Importing-from-custom-sources), in µs. One
// profile: the median import tree, the one the report shows, laid out by ./import-timeline.ts.
import { statTree } from '../importtime/aggregate.js';
import { timeline, timelineEndUs, timelineTitle } from './import-timeline.js';
import type { ProfileInput } from './inputs.js';
import type { Renderer } from './renderer.js';
import type { Sink } from './sink.js';

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

function renderSpeedscope({ session, toolVersion }: ProfileInput, sink: Sink): void {
  const roots = statTree(session.aggregate.modules);
  // one frame per module name (a module imported twice, as json.decoder can be, is one function)
  const frames = new Map<string, number>();
  const frameRows: string[] = [];
  for (const m of session.aggregate.modules) {
    if (m.cached || frames.has(m.name)) continue;
    frames.set(m.name, frames.size);
    const file = session.moduleFiles.get(m.name);
    frameRows.push(JSON.stringify(file ? { name: m.name, file } : { name: m.name }));
  }
  const title = timelineTitle(session);
  sink.write(`{\n  "$schema": ${JSON.stringify(SPEEDSCOPE_SCHEMA)},\n  "name": ${JSON.stringify(title)},\n`);
  sink.write(`  "exporter": ${JSON.stringify(`lambda-cold ${toolVersion}`)},\n  "activeProfileIndex": 0,\n`);
  sink.write(`  "shared": {"frames": [${frameRows.length > 0 ? `\n    ${frameRows.join(',\n    ')}\n  ` : ''}]},\n`);
  sink.write(`  "profiles": [{\n    "type": "evented",\n    "name": ${JSON.stringify(title)},\n    "unit": "microseconds",\n`);
  sink.write(`    "startValue": 0,\n    "endValue": ${timelineEndUs(roots)},\n    "events": [`);
  let first = true;
  for (const { type, span } of timeline(roots)) {
    const at = type === 'open' ? span.startUs : span.endUs;
    sink.write(`${first ? '\n      ' : ',\n      '}{"type":"${type === 'open' ? 'O' : 'C'}","frame":${frames.get(span.stat.name)},"at":${at}}`);
    first = false;
  }
  sink.write(`${first ? '' : '\n    '}]\n  }]\n}\n`);
}

export const renderer: Renderer<ProfileInput> = { render: renderSpeedscope };
