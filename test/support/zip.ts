// Build real .zip files from fixture folders for the tests (yazl: the writing half of yauzl's author).
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';

/** Every file under `dir`, as '/'-separated paths relative to it, sorted. */
export function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...listFiles(dir, p));
    else if (d.isFile()) out.push(p);
  }
  return out.sort();
}

/** Zip the files of `dir` (paths relative to it, folder entries included as a zip tool writes them); deflated unless `compress: false`. */
export function zipFolder(dir: string, dest: string, opts: { compress?: boolean } = {}): Promise<void> {
  const zip = new yazl.ZipFile();
  const dirs = new Set<string>();
  for (const f of listFiles(dir)) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = `${parts.slice(0, i).join('/')}/`;
      if (!dirs.has(d)) {
        dirs.add(d);
        zip.addEmptyDirectory(d);
      }
    }
    zip.addBuffer(readFileSync(join(dir, f)), f, { compress: opts.compress ?? true });
  }
  zip.end();
  return new Promise((res, rej) => {
    const out = createWriteStream(dest);
    zip.outputStream.pipe(out).on('close', () => res()).on('error', rej);
  });
}
