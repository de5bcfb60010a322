// Acquire: list what a deployment (a folder or a .zip) ships, without extracting anything to disk.
// A zip is read through its central directory with yauzl (maintained, streaming, validates entry names
// and sizes); a folder is walked once with one stat per file.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, lstatSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
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
  /** The whole content of each file asked for (missing or unreadable files are left out): small files only. */
  readFiles(paths: readonly string[]): Promise<Map<string, Buffer>>;
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
    readFiles: async (paths) => {
      const out = new Map<string, Buffer>();
      for (const p of paths) {
        try {
          out.set(p, readFileSync(join(abs, p)));
        } catch {
          // unreadable: left out
        }
      }
      return out;
    },
    extractTo: () => Promise.reject(new Error('a folder is never extracted')),
    close: () => undefined,
  };
}

// ---------------------------------------------------------------- zips

/** Zips up to this size are read into memory once: reading many small entries then costs no file reads. */
const IN_MEMORY_MAX = 256 * 1024 * 1024;
/** Compressed bytes read to inflate an entry's first bytes (a deflate block header fits many times over). */
const RAW_HEAD = 4096;

function openZip(abs: string, size: number): Promise<ZipFile> {
  const options = { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false };
  return new Promise((res, rej) => {
    const done = (err: Error | null, zip?: ZipFile): void => {
      if (err || !zip) rej(err ?? new Error('no zip'));
      else res(zip);
    };
    if (size <= IN_MEMORY_MAX) yauzl.fromBuffer(readFileSync(abs), options, done);
    else yauzl.open(abs, options, done);
  });
}

function zipProblem(e: unknown, display: string, what: string): UserError {
  const msg = (e instanceof Error ? e.message : String(e)).replace(/\.+$/, '');
  if (/end of central directory record signature not found/i.test(msg)) {
    return new UserError(`The ${what} ${display} is neither a folder nor a zip file.`);
  }
  const unsafe = /^(?:invalid relative path|absolute path): (.*)$/.exec(msg);
  if (unsafe) {
    return new UserError(`The ${what} ${display} holds an entry outside its own root (${unsafe[1]}): not read, as no unzip should write it.`);
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
    zip = await openZip(abs, size);
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
  // The first bytes of an entry: its raw (compressed) start, inflated here in one synchronous call —
  // much cheaper than a decompressing stream per entry when thousands of .pyc headers are read.
  const head = async (entry: Entry, n: number): Promise<Buffer> => {
    if (entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) return Buffer.alloc(0);
    const end = Math.min(entry.compressedSize, entry.compressionMethod === 0 ? n : RAW_HEAD);
    if (end === 0) return Buffer.alloc(0);
    const raw = await new Promise<Buffer>((res, rej) => {
      // decompress: false is only accepted for compressed entries; a stored entry is read as it is
      const range = entry.compressionMethod === 0 ? { start: 0, end } : { decompress: false as const, start: 0, end };
      zip.openReadStream(entry, range, (err, stream) => {
        if (err || !stream) return rej(err ?? new Error('no stream'));
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.once('end', () => res(Buffer.concat(chunks)));
        stream.once('error', rej);
      });
    });
    if (entry.compressionMethod === 0) return raw.subarray(0, n);
    return inflateRawSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, n);
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
      const todo = paths.filter((p) => byPath.has(p));
      let next = 0;
      // a few entries at a time: yauzl serialises the reads, the inflating overlaps
      const worker = async (): Promise<void> => {
        while (next < todo.length) {
          const p = todo[next++] as string;
          try {
            out.set(p, await head(byPath.get(p) as Entry, n));
          } catch (err) {
            throw zipProblem(err, display, what);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(8, todo.length) }, worker));
      return out;
    },
    readFiles: async (paths) => {
      const out = new Map<string, Buffer>();
      for (const p of paths) {
        const e = byPath.get(p);
        if (!e || e.isEncrypted()) continue;
        try {
          const chunks: Buffer[] = [];
          for await (const c of await readStream(zip, e)) chunks.push(c as Buffer);
          out.set(p, Buffer.concat(chunks));
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

// ---------------------------------------------------------------- .pyc headers

/**
 * The first 16 bytes (a .pyc header) of the files named per inventory, in the order given: the reads the
 * .pyc check (bytecode.ts) needs, done here so that the analysis reads no file.
 */
export async function readPycHeads(inventories: readonly Inventory[], wanted: readonly (readonly string[])[]): Promise<Array<Map<string, Buffer>>> {
  const heads: Array<Map<string, Buffer>> = [];
  for (const [i, inv] of inventories.entries()) {
    const paths = wanted[i] ?? [];
    heads.push(paths.length > 0 ? await inv.readHeads(paths, 16) : new Map());
  }
  return heads;
}

/** The whole text of the installation-record files named per inventory (owners.ts's distRecordsWanted). */
export async function readDistRecords(inventories: readonly Inventory[], wanted: readonly (readonly string[])[]): Promise<Array<Map<string, Buffer>>> {
  const out: Array<Map<string, Buffer>> = [];
  for (const [i, inv] of inventories.entries()) {
    const paths = wanted[i] ?? [];
    out.push(paths.length > 0 ? await inv.readFiles(paths) : new Map());
  }
  return out;
}
