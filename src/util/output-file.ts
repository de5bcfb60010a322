// A file a command writes besides its stdout document (`invoke --html`, `logs --html`): the path is checked
// before anything is measured, and the document reaches the file in blocks as it is produced.
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { blockSink } from './blocks.js';
import { UserError } from './errors.js';

/** Refuse a path that cannot be a file (a folder, or a folder that does not exist): one sentence, exit 2. */
export function checkOutputFile(flag: string, file: string): void {
  if (existsSync(file) && statSync(file).isDirectory()) throw new UserError(`${flag} ${file} is a folder: give the path of the file to write.`);
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${flag} ${file}: the folder ${dir} does not exist.`);
}

/** Write what `produce` writes to its sink into `file`, in blocks of about 64 KB (ending at line ends). */
export async function writeOutputFile(flag: string, file: string, produce: (sink: { write(text: string): void }) => void | Promise<void>): Promise<void> {
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (e) {
    throw new UserError(`${flag} ${file} cannot be written: ${(e as Error).message}.`);
  }
  try {
    const sink = blockSink((block) => writeSync(fd, block));
    await produce(sink);
    sink.end();
  } finally {
    closeSync(fd);
  }
}
