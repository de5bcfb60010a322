// Start-up modules loaded by .pth files that the handler needs, on a real start-up capture: Python 3.11 from
// pyenv, whose site-packages hold a .pth that imports certifi (test/fixtures/importtime/README.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateRuns } from '../../src/importtime/aggregate.js';
import { parseImportTime } from '../../src/importtime/parse.js';
import { preloadedByPth } from '../../src/importtime/startup.js';
import { importtimeFixtures } from '../support/cli.js';

const startup = aggregateRuns([{ roots: parseImportTime(readFileSync(join(importtimeFixtures, 'py311-startup-pth.txt'), 'utf8')).roots }]);

describe('preloadedByPth', () => {
  it("names what a .pth loaded that the handler asks for, with what it pulled in and its start-up cost", () => {
    const p = preloadedByPth(startup, new Set(['certifi', 'os', 'json']));
    expect(p?.modules).toContain('certifi');
    expect(p?.requested).toEqual(['certifi']);
    expect(p?.modules).toContain('certifi.core');
    expect(p?.modules).toContain('importlib.resources');
    // site's own imports (os) are loaded at start-up on Lambda too
    expect(p?.modules).not.toContain('os');
    const certifi = startup.modules.find((m) => m.name === 'certifi');
    expect(p?.us).toBeGreaterThanOrEqual(certifi?.cumulativeUs.median ?? Infinity);
  });

  it("leaves out what Lambda's own start-up and bootstrap load anyway", () => {
    const all = preloadedByPth(startup, new Set(['certifi', 're', 'warnings']));
    expect(all?.modules).toEqual(expect.arrayContaining(['re', 'warnings']));
    const p = preloadedByPth(startup, new Set(['certifi', 're', 'warnings']), new Set(['re', 'warnings', 'enum']));
    expect(p?.modules).not.toContain('re');
    expect(p?.modules).not.toContain('warnings');
    expect(p?.modules).toContain('certifi');
    expect(p?.us).toBeLessThan(all?.us ?? 0);
  });

  it('is empty when the handler asks for nothing a .pth loaded, and unknown without the requests', () => {
    expect(preloadedByPth(startup, new Set(['os', 'json']))).toEqual({ modules: [], requested: [], us: 0 });
    expect(preloadedByPth(startup, null)).toBeNull();
  });
});
