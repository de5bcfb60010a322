// The contract every output format implements, as pyinstrument's renderers (a class with
// render(session)) and hyperfine's exporters (one trait, the formats listed once) do.
import type { Sink } from './sink.js';

/**
 * An output format for one kind of document (a profile, a SAM profile, a package analysis, an invoke
 * run; their inputs are in ./inputs.ts). `render` writes the whole document to the sink, piece by piece.
 * Renderers only format: they read no file and import nothing above the render layer.
 *
 * Adding a format is one new file in src/render/ that exports `renderer` (an object implementing this
 * interface) and one line in the list of its document kind in ./registry.ts; commands, `--format` and
 * its validation pick it up from there.
 */
export interface Renderer<Input> {
  render(input: Input, sink: Sink): void | Promise<void>;
}
