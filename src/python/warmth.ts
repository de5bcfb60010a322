// Is the private bytecode cache already warm for this handler? `--warmup auto` (the default) runs one
// warm-up import only when it is not: the first profile, a changed source file, another Python, or a
// cache left unused for a while (the OS page cache may have dropped it). The stamp lists every source
// file the last profile imported with its mtime and size, so any change to them means a warm-up.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { HarnessResult } from './protocol.js';

const WARM_MAX_AGE_MS = 30 * 60 * 1000;

interface Stamp {
  at: number;
  files: Array<[string, number, number]>;
}

function stampPath(prefix: string, module: string, root: string, layers: readonly string[]): string {
  const key = createHash('sha256')
    .update([module, resolve(root), ...layers.map((l) => resolve(l))].join('\0'))
    .digest('hex')
    .slice(0, 24);
  return join(prefix, '.lambda-cold-warm', `${key}.json`);
}

function fingerprint(file: string): [number, number] | null {
  try {
    const st = statSync(file);
    return [Math.trunc(st.mtimeMs), st.size];
  } catch {
    return null;
  }
}

export function isWarm(
  prefix: string,
  module: string,
  root: string,
  layers: readonly string[],
  now: number = Date.now(),
  maxAgeMs: number = WARM_MAX_AGE_MS,
): boolean {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath(prefix, module, root, layers), 'utf8')) as Stamp;
  } catch {
    return false;
  }
  if (!Array.isArray(stamp.files) || stamp.files.length === 0 || !(now - stamp.at < maxAgeMs)) return false;
  for (const [file, mtime, size] of stamp.files) {
    const fp = fingerprint(file);
    if (!fp || fp[0] !== mtime || fp[1] !== size) return false;
  }
  return true;
}

export function recordWarm(prefix: string, module: string, root: string, layers: readonly string[], result: HarnessResult, now: number = Date.now()): void {
  const files: Array<[string, number, number]> = [];
  for (const info of Object.values(result.modules)) {
    if (!info.file || !info.file.endsWith('.py')) continue;
    const fp = fingerprint(info.file);
    if (fp) files.push([info.file, fp[0], fp[1]]);
  }
  if (files.length === 0) return;
  const path = stampPath(prefix, module, root, layers);
  try {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, JSON.stringify({ at: now, files } satisfies Stamp));
  } catch {
    // an unwritable cache only costs the next profile a warm-up run
  }
}
