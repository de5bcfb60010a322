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

export { blockSink } from '../util/blocks.js';
