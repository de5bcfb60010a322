// The list of output formats, declared once per kind of document. Each entry loads the file that
// implements the format (see ./renderer.ts) only when it is chosen, so a JSON run never loads the
// terminal tables and the other way round.
import type { RenderInputs } from './inputs.js';
import type { Renderer } from './renderer.js';
import type { Sink } from './sink.js';

type Loader<I> = () => Promise<{ renderer: Renderer<I> }>;

export const FORMATS = {
  profile: {
    text: () => import('./profile-report.js'),
    json: () => import('./profile-json.js'),
    markdown: () => import('./gate-markdown.js'),
    speedscope: () => import('./speedscope.js'),
    trace: () => import('./chrome-trace.js'),
    html: () => import('./profile-html.js'),
  },
  'profile-sam': {
    text: () => import('./sam-report.js'),
    json: () => import('./sam-json.js'),
  },
  'profile-pythons': {
    text: () => import('./pythons-text.js'),
    json: () => import('./pythons-json.js'),
  },
  package: {
    text: () => import('./package-report.js'),
    json: () => import('./package-json.js'),
  },
  invoke: {
    text: () => import('./invoke-table.js'),
    json: () => import('./invoke-json.js'),
    html: () => import('./invoke-html.js'),
  },
  'invoke-memory': {
    text: () => import('./invoke-memory-table.js'),
    json: () => import('./invoke-memory-json.js'),
    html: () => import('./invoke-memory-html.js'),
  },
  logs: {
    text: () => import('./logs-table.js'),
    json: () => import('./logs-json.js'),
    html: () => import('./logs-html.js'),
  },
} as const satisfies { [K in keyof RenderInputs]: { text: Loader<RenderInputs[K]>; [format: string]: Loader<RenderInputs[K]> } };

export type DocumentKind = keyof typeof FORMATS;
export type FormatOf<K extends DocumentKind> = keyof (typeof FORMATS)[K] & string;

/** The formats of a kind of document, in the order listed (for --format's choices and its validation). */
export function formatsOf<K extends DocumentKind>(kind: K): [FormatOf<K>, ...Array<FormatOf<K>>] {
  return Object.keys(FORMATS[kind]) as [FormatOf<K>, ...Array<FormatOf<K>>];
}

/** Render a document in the chosen format to the sink. */
export async function render<K extends DocumentKind>(kind: K, format: FormatOf<K>, input: RenderInputs[K], sink: Sink): Promise<void> {
  const load = FORMATS[kind][format] as Loader<RenderInputs[K]>;
  const { renderer } = await load();
  await renderer.render(input, sink);
}
