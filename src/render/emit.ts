// Where a report goes for the commands whose report has an --html page (invoke, invoke --memory, logs): the
// JSON document or the terminal report on stdout, in blocks of whole lines, and the page into its file.
import type { Output } from '../util/output.js';
import { writeOutputFile } from '../util/output-file.js';
import type { RenderInputs } from './inputs.js';
import { render, type FormatOf } from './registry.js';
import { blockSink } from './sink.js';

type WithPage = 'invoke' | 'invoke-memory' | 'logs';

/** The HTML page of a report into `file` (checked before anything ran: checkOutputFile), said on stderr. */
export async function writePage<K extends WithPage>(kind: K, input: RenderInputs[K], file: string, output: Output): Promise<void> {
  await writeOutputFile('--html', file, (sink) => render(kind, 'html' as FormatOf<K>, input, sink));
  output.info(`Wrote ${file} (open it in a browser).`);
}

/** The report on stdout (`json`: the JSON document, else the terminal report), then the page when --html asks. */
export async function emitReport<K extends WithPage>(kind: K, input: RenderInputs[K], o: { json: boolean; html?: string }, output: Output): Promise<void> {
  const sink = blockSink((block) => output.out(block));
  await render(kind, (o.json ? 'json' : 'text') as FormatOf<K>, input, sink);
  sink.end();
  if (o.html !== undefined) await writePage(kind, input, o.html, output);
}
