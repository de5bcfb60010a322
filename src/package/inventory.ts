// Acquire: list what a deployment (a folder or a .zip) ships, without extracting anything to disk.
// A zip is read through its central directory with yauzl (maintained, streaming, validates entry names
// and sizes); a folder is walked once with one stat per file.
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync, lstatSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { UserError } from '../util/errors.js';

export interface FileEntry {
  /** Path inside the deployment, '/'-separated, no leading slash. */
  path: string;
  /** Size once unzipped (what counts against Lambda's 250 MB). */
  bytes: number;
  /** Modification time in whole seconds (folders only: a zip's DOS times are too coarse to compare). */
  mtimeSec: number | null;
}

export interface Inventory {
  type: 'folder' | 'zip';
  /** As the user gave it. */
  display: string;
  absPath: string;
  files: FileEntry[];
  totalBytes: number;
  /** The zip file's own size; null for a folder. */
  zippedBytes: number | null;
  /** Symlinked folders that were not followed (Lambda's zip tools store the link, not the tree). */
  skippedLinks: string[];
  /** The first `n` bytes of each file asked for (missing files are left out). */
  readHeads(paths: readonly string[], n: number): Promise<Map<string, Buffer>>;
  /** Extract everything under `dest` (only ever a private temporary folder). */
  extractTo(dest: string): Promise<void>;
  close(): void;
}

/** What kind of input `path` is; a UserError naming it when it cannot be read as a deployment. */
export async function openInventory(path: string, what: string): Promise<Inventory> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new UserError(`The ${what} ${path} does not exist.`);
  const st = statSync(abs);
  if (st.isDirectory()) return readFolder(path, abs);
  if (!st.isFile()) throw new UserError(`The ${what} ${path} is neither a folder nor a zip file.`);
  return readZip(path, abs, st.size, what);
}

// ---------------------------------------------------------------- folders

function readFolder(display: string, abs: string): Inventory {
  const files: FileEntry[] = [];
  const skippedLinks: string[] = [];
  let total = 0;
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    const dir = rel === '' ? abs : join(abs, rel);
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const childRel = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) {
        stack.push(childRel);
        continue;
      }
      let isFile = d.isFile();
      const full = join(dir, d.name);
      if (d.isSymbolicLink()) {
        let target;
        try {
          target = statSync(full);
        } catch {
          continue; // a dangling link ships nothing
        }
        if (target.isDirectory()) {
          skippedLinks.push(childRel);
          continue;
        }
        isFile = target.isFile();
      }
      if (!isFile) continue;
      const s = d.isSymbolicLink() ? statSync(full) : lstatSync(full);
      files.push({ path: childRel, bytes: s.size, mtimeSec: Math.trunc(s.mtimeMs / 1000) });
      total += s.size;
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    type: 'folder',
    display,
    absPath: abs,
    files,
    totalBytes: total,
    zippedBytes: null,
    skippedLinks,
    readHeads: async (paths, n) => {
      const out = new Map<string, Buffer>();
      const buf = Buffer.alloc(n);
      for (const p of paths) {
        let fd: number | undefined;
        try {
          fd = openSync(join(abs, p), 'r');
          const got = readSync(fd, buf, 0, n, 0);
          out.set(p, Buffer.from(buf.subarray(0, got)));
        } catch {
          // unreadable: left out
        } finally {
          if (fd !== undefined) closeSync(fd);
        }
      }
      return out;
    },
    extractTo: () => Promise.reject(new Error('a folder is never extracted')),
    close: () => undefined,
  };
}

// ---------------------------------------------------------------- zips

function openZip(abs: string): Promise<ZipFile> {
  return new Promise((res, rej) => {
    yauzl.open(abs, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) rej(err ?? new Error('no zip'));
      else res(zip);
    });
  });
}

function zipProblem(e: unknown, display: string, what: string): UserError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/end of central directory record signature not found/i.test(msg)) {
    return new UserError(`The ${what} ${display} is neither a folder nor a zip file.`);
  }
  return new UserError(`The ${what} ${display} is a corrupt zip file: ${msg}.`);
}

function listEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((res, rej) => {
    const entries: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.once('end', () => res(entries));
    zip.once('error', rej);
    zip.readEntry();
  });
}

function readStream(zip: ZipFile, entry: Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((res, rej) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) rej(err ?? new Error('no stream'));
      else res(stream);
    });
  });
}

async function readZip(display: string, abs: string, size: number, what: string): Promise<Inventory> {
  let zip: ZipFile;
  let entries: Entry[];
  try {
    zip = await openZip(abs);
  } catch (e) {
    throw zipProblem(e, display, what);
  }
  try {
    entries = await listEntries(zip);
  } catch (e) {
    zip.close();
    throw zipProblem(e, display, what);
  }
  const byPath = new Map<string, Entry>();
  const files: FileEntry[] = [];
  let total = 0;
  for (const e of entries) {
    if (e.fileName.endsWith('/')) continue; // a folder entry
    const path = e.fileName.replace(/^\.\//, '');
    byPath.set(path, e);
    files.push({ path, bytes: e.uncompressedSize, mtimeSec: null });
    total += e.uncompressedSize;
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const head = async (entry: Entry, n: number): Promise<Buffer> => {
    const stream = await readStream(zip, entry);
    const chunks: Buffer[] = [];
    let got = 0;
    return new Promise<Buffer>((res, rej) => {
      const finish = (): void => {
        res(Buffer.concat(chunks).subarray(0, n));
      };
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        got += c.length;
        if (got >= n) {
          stream.removeAllListeners('data');
          (stream as unknown as { destroy(): void }).destroy();
          finish();
        }
      });
      stream.once('end', finish);
      stream.once('error', rej);
    });
  };
  return {
    type: 'zip',
    display,
    absPath: abs,
    files,
    totalBytes: total,
    zippedBytes: size,
    skippedLinks: [],
    readHeads: async (paths, n) => {
      const out = new Map<string, Buffer>();
      for (const p of paths) {
        const e = byPath.get(p);
        if (!e) continue;
        try {
          out.set(p, await head(e, n));
        } catch (err) {
          throw zipProblem(err, display, what);
        }
      }
      return out;
    },
    extractTo: async (dest) => {
      const { createWriteStream, mkdirSync } = await import('node:fs');
      const { dirname } = await import('node:path');
      const { pipeline } = await import('node:stream/promises');
      const root = resolve(dest);
      for (const [p, e] of byPath) {
        const out = resolve(root, p);
        // yauzl already refuses absolute and '..' names; never write outside dest all the same
        if (!out.startsWith(`${root}${sep}`)) throw new UserError(`The ${what} ${display} holds an unsafe path: ${p}.`);
        mkdirSync(dirname(out), { recursive: true });
        try {
          await pipeline(await readStream(zip, e), createWriteStream(out));
        } catch (err) {
          throw zipProblem(err, display, what);
        }
      }
    },
    close: () => zip.close(),
  };
}
