// Where a renderer writes: a sink takes the document piece by piece, so a large one (the JSON of a
// 200,000-line capture) is never held whole in memory.

export interface Sink {
  write(text: string): void;
}

/** Collects what is written (tests, the GitHub step summary, the SAM report). */
export class StringSink implements Sink {
  private readonly parts: string[] = [];
  write(text: string): void {
    this.parts.push(text);
  }
  toString(): string {
    return this.parts.join('');
  }
}

/**
 * Passes the text on to `emit` in blocks of about `size` characters, each ending at a line end (so that
 * a line-oriented writer such as Output.out receives whole lines); end() passes on the rest.
 */
export function blockSink(emit: (block: string) => void, size = 1 << 16): Sink & { end(): void } {
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
