// The one interrupt handler: cleanups newest first, the note said once, the conventional exit codes, an
// interceptor that takes the first signal, and Node's default handling whenever nothing is registered.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { interceptInterrupt, onInterrupt } from '../../src/util/cleanup.js';

let exit: ReturnType<typeof vi.fn>;
let written: string[];
beforeEach(() => {
  exit = vi.fn();
  written = [];
  vi.spyOn(process, 'exit').mockImplementation(exit as never);
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => written.push(String(s)) > 0);
});
afterEach(() => vi.restoreAllMocks());

describe('onInterrupt', () => {
  it('installs the handlers only while something is registered', () => {
    const before = process.listenerCount('SIGINT');
    const off = onInterrupt(() => undefined);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    expect(process.listenerCount('SIGTERM')).toBeGreaterThan(0);
    off();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('on SIGINT runs the cleanups newest first, each once, says what was not written, exits 130', () => {
    const order: string[] = [];
    onInterrupt(() => order.push('worktree'));
    const offRunner = onInterrupt(() => {
      order.push('runner');
      offRunner(); // a cleanup that unregisters itself (dispose) is not run twice
    }, 'no profile was written');
    onInterrupt(() => order.push('runner 2'), 'no profile was written');
    onInterrupt(() => {
      throw new Error('already gone');
    });
    process.emit('SIGINT', 'SIGINT');
    expect(order).toEqual(['runner 2', 'runner', 'worktree']);
    expect(written.join('')).toBe('\nlambda-cold: interrupted (SIGINT); no profile was written.\n');
    expect(exit).toHaveBeenCalledWith(130);
  });

  it('SIGTERM exits 143; without a note nothing is said', () => {
    const done = vi.fn();
    onInterrupt(done);
    process.emit('SIGTERM', 'SIGTERM');
    expect(done).toHaveBeenCalledOnce();
    expect(written).toEqual([]);
    expect(exit).toHaveBeenCalledWith(143);
  });
});

describe('interceptInterrupt', () => {
  it('takes the first signal; the second leaves with the code it gives, after the cleanups', () => {
    const cleanup = vi.fn();
    let seen = 0;
    const release = interceptInterrupt(() => (++seen === 1 ? true : 130));
    onInterrupt(cleanup);
    process.emit('SIGTERM', 'SIGTERM');
    expect(exit).not.toHaveBeenCalled();
    expect(cleanup).not.toHaveBeenCalled();
    process.emit('SIGTERM', 'SIGTERM');
    expect(cleanup).toHaveBeenCalledOnce();
    expect(exit).toHaveBeenCalledWith(130);
    release();
  });
});
