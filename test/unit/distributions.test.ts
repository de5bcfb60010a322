// Whose code a module is, from installation records written as pip writes them.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importRoot, OwnerIndex } from '../../src/python/distributions.js';

const root = mkdtempSync(join(tmpdir(), 'lc-owners-'));
// the indexes a profile keeps go to a cache folder of this file's own
const cache = mkdtempSync(join(tmpdir(), 'lc-owners-cache-'));
const savedCacheDir = process.env.LAMBDA_COLD_CACHE_DIR;
process.env.LAMBDA_COLD_CACHE_DIR = cache;
afterAll(() => {
  if (savedCacheDir === undefined) delete process.env.LAMBDA_COLD_CACHE_DIR;
  else process.env.LAMBDA_COLD_CACHE_DIR = savedCacheDir;
  rmSync(root, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

function write(rel: string, text = '', dir = root): string {
  const p = join(dir, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

/** A folder of its own on sys.path (below root, removed with it), and how to put a file into it. */
function site(): { dir: string; put: (rel: string, text?: string) => void } {
  const dir = mkdtempSync(join(root, 'site-'));
  return { dir, put: (rel, text) => void write(rel, text, dir) };
}

// a task root after `pip install -t .`: botocore (RECORD), python-dateutil (top-level `dateutil`), six (one
// module), an old egg-info with only top_level.txt, and the user's own code beside them.
write('botocore/__init__.py');
write('botocore/compat.py');
write('botocore-1.34.0.dist-info/METADATA', 'Metadata-Version: 2.1\nName: botocore\nVersion: 1.34.0\n\nbody: Name: not-this\n');
write(
  'botocore-1.34.0.dist-info/RECORD',
  'botocore/__init__.py,sha256=abc,10\nbotocore/compat.py,sha256=def,20\nbotocore-1.34.0.dist-info/RECORD,,\n',
);
write('dateutil/__init__.py');
write('dateutil/tz/__init__.py');
write('python_dateutil-2.9.0.dist-info/METADATA', 'Name: python-dateutil\nVersion: 2.9.0\n');
write('python_dateutil-2.9.0.dist-info/RECORD', 'dateutil/__init__.py,,\ndateutil/tz/__init__.py,,\n');
write('six.py');
write('six-1.16.0.dist-info/RECORD', 'six.py,sha256=x,1\n"six-1.16.0.dist-info/odd,name",,\n');
write('oldlib/__init__.py');
write('oldlib-0.1-py3.11.egg-info/top_level.txt', 'oldlib\n');
write('app/__init__.py');
write('app/service.py');
const handler = write('handler.py');

describe('importRoot', () => {
  it('takes the dotted parts off the file to find the sys.path folder', () => {
    expect(importRoot('botocore.compat', join(root, 'botocore/compat.py'))).toBe(root);
    expect(importRoot('dateutil.tz', join(root, 'dateutil/tz/__init__.py'))).toBe(root);
    expect(importRoot('six', join(root, 'six.py'))).toBe(root);
    expect(importRoot('botocore.compat', join(root, 'elsewhere/compat.py'))).toBeNull();
  });
});

describe('OwnerIndex', () => {
  const owners = new OwnerIndex();
  it('gives a module installed into the task root to its distribution, by its RECORD', () => {
    expect(owners.ownerOf('botocore.compat', join(root, 'botocore/compat.py'), 'task-root')).toEqual({
      kind: 'third-party',
      distribution: 'botocore',
      version: '1.34.0',
    });
    expect(owners.ownerOf('six', join(root, 'six.py'), 'task-root')).toMatchObject({ distribution: 'six', version: '1.16.0' });
  });
  it('names the distribution, not the package folder (python-dateutil owns dateutil)', () => {
    expect(owners.ownerOf('dateutil.tz', join(root, 'dateutil/tz/__init__.py'), 'task-root')).toMatchObject({ distribution: 'python-dateutil' });
  });
  it('reads top_level.txt when there is no RECORD (egg-info)', () => {
    expect(owners.ownerOf('oldlib', join(root, 'oldlib/__init__.py'), 'layer')).toMatchObject({ kind: 'third-party', distribution: 'oldlib', version: '0.1-py3.11' });
  });
  it("leaves the user's own files to the user, and the standard library to it", () => {
    expect(owners.ownerOf('handler', handler, 'task-root')).toEqual({ kind: 'user' });
    expect(owners.ownerOf('app.service', join(root, 'app/service.py'), 'task-root')).toEqual({ kind: 'user' });
    expect(owners.ownerOf('json', '/usr/lib/python3.11/json/__init__.py', 'stdlib')).toEqual({ kind: 'stdlib' });
    expect(owners.ownerOf('sys', null, 'builtin')).toEqual({ kind: 'stdlib' });
  });
});

describe('a namespace package several distributions install into', () => {
  it('gives each file to the distribution whose record names it, from the records and from the kept index', () => {
    const { dir, put } = site();
    // as google-auth and protobuf share `google/`: no __init__.py, two records under one top-level name
    put('google/auth/__init__.py');
    put('google/protobuf/__init__.py');
    put('google/protobuf/message.py');
    put('google_auth-2.30.0.dist-info/METADATA', 'Name: google-auth\nVersion: 2.30.0\n');
    put('google_auth-2.30.0.dist-info/RECORD', 'google/auth/__init__.py,,\n');
    put('protobuf-5.27.0.dist-info/METADATA', 'Name: protobuf\nVersion: 5.27.0\n');
    put('protobuf-5.27.0.dist-info/RECORD', 'google/protobuf/__init__.py,,\ngoogle/protobuf/message.py,,\n');
    put('six.py');
    put('six-1.16.0.dist-info/RECORD', 'six.py,,\n');
    const past = new Date(Date.now() - 60_000);
    utimesSync(dir, past, past);
    for (const owners of [new OwnerIndex(), new OwnerIndex()]) {
      // the first index reads the records, the second the index the first kept
      expect(owners.ownerOf('google.auth', join(dir, 'google/auth/__init__.py'), 'site-packages')).toMatchObject({ distribution: 'google-auth', version: '2.30.0' });
      expect(owners.ownerOf('google.protobuf.message', join(dir, 'google/protobuf/message.py'), 'site-packages')).toMatchObject({ distribution: 'protobuf' });
      expect(owners.ownerOf('six', join(dir, 'six.py'), 'site-packages')).toMatchObject({ distribution: 'six' });
    }
    const kept = readdirSync(join(cache, 'owners')).map((f) => JSON.parse(readFileSync(join(cache, 'owners', f), 'utf8')) as { dir: string; files: Array<[string, number]> });
    // only the shared name's files are listed one by one; six's one owner is its top-level name's
    expect(kept.find((k) => k.dir === dir)?.files.map(([rel]) => rel).sort()).toEqual(['google/auth/__init__.py', 'google/protobuf/__init__.py', 'google/protobuf/message.py']);
  });
});

describe('the kept index of a folder', () => {
  it('is read instead of the records while the folder is unchanged, and made again when a distribution comes', () => {
    const { dir, put } = site();
    put('alpha/__init__.py');
    put('alpha-1.0.dist-info/METADATA', 'Name: alpha\nVersion: 1.0\n');
    put('alpha-1.0.dist-info/RECORD', 'alpha/__init__.py,,\n');
    const past = new Date(Date.now() - 60_000);
    utimesSync(dir, past, past);
    expect(new OwnerIndex().ownerOf('alpha', join(dir, 'alpha', '__init__.py'), 'site-packages')).toEqual({ kind: 'third-party', distribution: 'alpha', version: '1.0' });
    expect(readdirSync(join(cache, 'owners')).length).toBeGreaterThan(0);
    // a record emptied in place leaves the folder's time as it was: the kept index still answers
    put('alpha-1.0.dist-info/RECORD', '');
    put('alpha-1.0.dist-info/METADATA', '');
    utimesSync(dir, past, past);
    expect(new OwnerIndex().ownerOf('alpha', join(dir, 'alpha', '__init__.py'), 'site-packages')).toEqual({ kind: 'third-party', distribution: 'alpha', version: '1.0' });
    // installing a distribution adds a folder: the index is made again from the records
    put('beta/__init__.py');
    put('beta-2.0.dist-info/METADATA', 'Name: beta\nVersion: 2.0\n');
    put('beta-2.0.dist-info/RECORD', 'beta/__init__.py,,\n');
    const fresh = new OwnerIndex();
    expect(fresh.ownerOf('beta', join(dir, 'beta', '__init__.py'), 'site-packages')).toEqual({ kind: 'third-party', distribution: 'beta', version: '2.0' });
    // …from the records as they are now: alpha's emptied one claims nothing any more
    expect(fresh.ownerOf('alpha', join(dir, 'alpha', '__init__.py'), 'site-packages')).toEqual({ kind: 'unknown' });
  });
});
