// locateImport: the import statement in the user's code that brought a module in (for CI annotations),
// read from facts.py's facts about the user's files (hand-written here; facts.test.ts runs facts.py).
import { describe, expect, it } from 'vitest';
import { locateImport, type ImportFacts } from '../../src/analysis/locate.js';

const stmt = (line: number, module: string, star = false) => ({ line, module, names: [], kind: 'from' as const, uses: 'module-level' as const, firstUseLine: null, ...(star ? { star } : {}) });

// handler.py: `import json` (1), `from app import db` (3: app.db is a module), `from app.models import *` (4)
// app/db.py: `import csv` (1), `import pandas.core` (5: brings pandas too); `import numpy` inside a function (12)
// app/models.py: nothing that imports the next module
const facts: ImportFacts[] = [
  { module: 'handler', file: '/task/handler.py', imports: [stmt(1, 'json'), stmt(3, 'app.db'), stmt(4, 'app.models', true)] },
  { module: 'app.db', file: '/task/app/db.py', imports: [stmt(1, 'csv'), stmt(5, 'pandas.core')], innerImports: [{ line: 12, module: 'numpy' }] },
  { module: 'app.models', file: '/task/app/models.py', imports: [] },
];

describe('locateImport', () => {
  it("points at the statement in the deepest of the user's modules on the chain", () => {
    expect(locateImport(['handler', 'app.db', 'pandas', 'pandas.core'], facts)).toEqual({ file: '/task/app/db.py', line: 5 });
    expect(locateImport(['handler', 'app.db'], facts)).toEqual({ file: '/task/handler.py', line: 3 });
  });

  it('matches a package by the statement that imports one of its submodules', () => {
    expect(locateImport(['handler', 'app'], facts)).toEqual({ file: '/task/handler.py', line: 3 });
  });

  it('matches a submodule brought in by `from package import *`', () => {
    expect(locateImport(['handler', 'app.models.order'], facts)).toEqual({ file: '/task/handler.py', line: 4 });
  });

  it('falls back to an import inside a function or class body (code that ran at import)', () => {
    expect(locateImport(['handler', 'app.db', 'numpy'], facts)).toEqual({ file: '/task/app/db.py', line: 12 });
  });

  it("points at line 1 of the user's module when no statement of it names the module", () => {
    expect(locateImport(['handler', 'app.models', 'yaml'], facts)).toEqual({ file: '/task/app/models.py', line: 1 });
  });

  it('points at the handler itself for a chain of one module', () => {
    expect(locateImport(['handler'], facts)).toEqual({ file: '/task/handler.py', line: 1 });
  });

  it('gives no location without facts (captured files) or when no module of the chain is the user\'s', () => {
    expect(locateImport(['handler', 'app.db', 'pandas'], [])).toBeNull();
    expect(locateImport(['boto3', 'botocore'], facts)).toBeNull();
    expect(locateImport(['sitecustomize'], facts)).toBeNull();
  });
});
