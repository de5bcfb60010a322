// Acquire what the package analysis judges besides the listings: the .pyc headers of the bytecode check
// and the installation records of the owners — only the files the pure parts name, read once.
import { pycFilesWanted } from './bytecode.js';
import { readDistRecords, readPycHeads, type Inventory } from './inventory.js';
import { placeFiles } from './layout.js';
import { distRecordsWanted } from './owners.js';
import type { PythonTarget } from './pyc.js';
import type { DistRecords, PycHeads } from './types.js';

export async function readAnalysisFiles(fn: Inventory, layers: readonly Inventory[], t: PythonTarget): Promise<{ pycHeads: PycHeads; records: DistRecords }> {
  const all = [fn, ...layers];
  const pycHeads = await readPycHeads(all, pycFilesWanted(fn, layers, t));
  const records = await readDistRecords(all, distRecordsWanted(placeFiles(fn, layers, t), all.length));
  return { pycHeads, records };
}
