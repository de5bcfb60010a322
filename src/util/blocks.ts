// Text passed on in blocks (render/sink.ts re-exports this for the renderers' sinks; output-file.ts writes
// files with it).

/**
 * Passes the text on to `emit` in blocks of about `size` characters, each ending at a line end (so that
 * a line-oriented writer such as Output.out receives whole lines); end() passes on the rest.
 */
export function blockSink(emit: (block: string) => void, size = 1 << 16): { write(text: string): void; end(): void } {
  let buffer = '';
  return {
    write(text: string): void {
      buffer += text;
      if (buffer.length < size) return;
      const cut = buffer.lastIndexOf('\n');
      if (cut < 0) return;
      emit(buffer.slice(0, cut + 1));
      buffer = buffer.slice(cut + 1);
    },
    end(): void {
      if (buffer.length > 0) emit(buffer);
      buffer = '';
    },
  };
}
