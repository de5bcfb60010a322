// Where in the user's own code a module was brought in, for CI annotations: the import statement, in the
// deepest module of the task root on the import chain, that imports the next module of the chain.
// Read from what Python's `ast` says of the user's files in the profile's own run (src/python/facts.py),
// which covers exactly the files under the task root. Captured files (--from-file) come with no facts:
// then there is no location, and an annotation carries no file and line.
import type { FileFacts } from '../python/protocol.js';

export interface SourceLocation {
  /** The file, as Python loaded it. */
  file: string;
  /** 1-based line of the import statement. */
  line: number;
}

/**
 * What locating reads of one file's facts: its top-level import statements (module body and the blocks
 * of top-level if/try/with), then those inside functions and class bodies (`innerImports`), each with
 * the module it brings in, relative imports resolved and `from a import b` naming a.b when b is a module.
 */
export type ImportFacts = Pick<FileFacts, 'module' | 'file' | 'imports'> & {
  innerImports?: ReadonlyArray<{ line: number; module: string }>;
};

/**
 * Does a statement importing `imported` bring in `target`? `import a.b.c` imports a, a.b and a.b.c;
 * `from a import *` brings in the submodules a lists.
 */
function brings(imported: string, target: string, star: boolean): boolean {
  return imported === target || imported.startsWith(`${target}.`) || (star && target.startsWith(`${imported}.`));
}

/**
 * The import statement in the user's own code that brought in the last module of `chain`
 * (handler → … → module): in the deepest module of the chain before it that is one of the user's files,
 * the line importing the next module of the chain (line 1 when no statement says so, e.g. an
 * `importlib.import_module` call). The handler itself, line 1, for a chain of one module. Null when no
 * module of the chain is the user's.
 */
export function locateImport(chain: readonly string[], facts: readonly ImportFacts[]): SourceLocation | null {
  const byModule = new Map(facts.map((f) => [f.module, f]));
  for (let k = chain.length - 2; k >= 0; k--) {
    const owner = byModule.get(chain[k] as string);
    if (!owner) continue;
    const target = chain[k + 1] as string;
    const statement =
      owner.imports.find((i) => brings(i.module, target, i.star === true)) ?? owner.innerImports?.find((i) => brings(i.module, target, false));
    return { file: owner.file, line: statement?.line ?? 1 };
  }
  const handler = chain.length === 1 ? byModule.get(chain[0] as string) : undefined;
  return handler ? { file: handler.file, line: 1 } : null;
}
