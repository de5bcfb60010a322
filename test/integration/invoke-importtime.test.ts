// `invoke <fn> --importtime` end to end against the local Lambda emulator, which runs the real handler in
// real Python: PYTHONPROFILEIMPORTTIME makes that Python print its own -X importtime lines, which the
// emulator writes to the environment's log stream (one event per line, or in chunks that split and merge
// lines), in both log formats. The tool must find them, profile them, and put the environment back.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInvoke } from '../../src/commands/invoke.js';
import { UserError } from '../../src/util/errors.js';
import { capture, FIXTURES, tempDir, FAKE_AWS_ENV, setEnv } from '../support/harness.js';
import { findPython, LambdaEmulator } from '../support/lambda-emulator.js';

let em: LambdaEmulator;
let cache: string;
let restoreEnv: () => void = () => undefined;
const ENV = { ...FAKE_AWS_ENV };

beforeAll(async () => {
  cache = tempDir('lc-importtime-');
  restoreEnv = setEnv({ ...ENV, XDG_CACHE_HOME: cache });
  em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 300, updateDelayMs: 100 });
  await em.start();
  em.addFunction({ name: 'imports', codeDir: FIXTURES, handler: 'imports_handler.handler', environment: { STAGE: 'prod' } });
  em.addFunction({ name: 'imports-chunked', codeDir: FIXTURES, handler: 'imports_handler.handler', initLogChunkChars: 37 });
  em.addFunction({ name: 'imports-json', codeDir: FIXTURES, handler: 'imports_handler.handler', logFormat: 'JSON', logGroup: '/shared/json-logs' });
  em.addFunction({
    name: 'imports-json-chunked',
    codeDir: FIXTURES,
    handler: 'imports_handler.handler',
    logFormat: 'JSON',
    initLogChunkChars: 101,
    environment: { PYTHONPROFILEIMPORTTIME: '' },
  });
  em.addFunction({ name: 'node-fn', codeDir: FIXTURES, handler: 'hello.handler', runtime: 'nodejs20.x' });
});

afterAll(async () => {
  await em?.stop();
  restoreEnv();
  rmSync(cache, { recursive: true, force: true });
});

interface ProfileDoc {
  kind: string;
  source: string;
  function: string;
  logGroup: string;
  logStreams: string[];
  measurement: string;
  summary: { runs: number; initWallUs: { median: number } | null };
  modules: { name: string; depth: number; runs: number; selfUsRange: [number, number] }[];
  packages: { name: string }[];
}

async function importtime(fn: string, opts: Record<string, unknown> = {}): Promise<{ code: number; doc: ProfileDoc; stdout: string; stderr: string }> {
  const c = capture();
  const code = await runInvoke(fn, { count: '1', concurrency: '1', logsTimeout: '20', maxRetries: '3', endpointUrl: em.url, importtime: true, json: true, ...opts }, c.output);
  const stdout = c.stdout();
  return { code, doc: opts.json === false ? (null as unknown as ProfileDoc) : (JSON.parse(stdout) as ProfileDoc), stdout, stderr: c.stderr() };
}

const roots = (doc: ProfileDoc): string[] => doc.modules.filter((m) => m.depth === 0).map((m) => m.name);
const names = (doc: ProfileDoc): Set<string> => new Set(doc.modules.map((m) => m.name));

describe('invoke --importtime', () => {
  it("profiles the runtime's own imports of one cold start, then restores the environment", async () => {
    const before = em.configuration('imports');
    const { code, doc } = await importtime('imports');
    expect(code).toBe(0);
    expect(doc).toMatchObject({ kind: 'profile', source: 'remote', function: 'imports', logGroup: '/aws/lambda/imports' });
    const cold = em.invocationsOf('imports').filter((r) => r.kind === 'cold');
    expect(cold).toHaveLength(1);
    expect(doc.logStreams).toEqual([cold[0]?.stream]);
    expect(doc.summary.runs).toBe(1);
    // The handler module has no line (importlib.import_module), so its imports are roots; the bootstrap's are there too.
    expect(names(doc).has('imports_handler')).toBe(false);
    expect(roots(doc)).toEqual(expect.arrayContaining(['decimal', 'fractions', 'lcpkg', 'json']));
    const lcpkg = doc.modules.filter((m) => m.name === 'lcpkg.models' || m.name === 'dataclasses').map((m) => m.depth);
    expect(lcpkg.length).toBeGreaterThanOrEqual(2);
    expect(lcpkg.every((d) => d > 0)).toBe(true);
    expect(doc.packages.map((p) => p.name)).toContain('lcpkg');
    expect(doc.summary.initWallUs?.median).toBeGreaterThan(0);
    expect(doc.measurement).toMatch(/bootstrap/);
    // put back exactly: no PYTHONPROFILEIMPORTTIME, no nonce
    const after = em.configuration('imports');
    expect(after.Environment).toEqual(before.Environment);
  });

  it('aggregates n cold starts from one update across n environments', async () => {
    const updates = em.stats.updates;
    const { code, doc } = await importtime('imports', { count: '2', concurrency: '2' });
    expect(code).toBe(0);
    expect(doc.summary.runs).toBe(2);
    expect(new Set(doc.logStreams).size).toBe(2);
    expect(em.stats.updates - updates).toBe(2); // one update to measure, one to restore
    const dec = doc.modules.find((m) => m.name === 'decimal');
    expect(dec?.runs).toBe(2);
    expect(dec!.selfUsRange[0]).toBeLessThanOrEqual(dec!.selfUsRange[1]);
  });

  it('reads the same tree when lines are split and merged across events, in both log formats', async () => {
    const base = await importtime('imports');
    for (const fn of ['imports-chunked', 'imports-json', 'imports-json-chunked']) {
      const { code, doc, stderr } = await importtime(fn);
      expect(code, stderr).toBe(0);
      expect(names(doc), fn).toEqual(names(base.doc));
      expect(roots(doc), fn).toEqual(roots(base.doc));
      expect(stderr).not.toMatch(/malformed|bad-nesting/);
    }
    // a variable the function already had is put back as it was (here: the empty value)
    expect((em.configuration('imports-json-chunked').Environment as { Variables: Record<string, string> }).Variables).toEqual({ PYTHONPROFILEIMPORTTIME: '' });
  });

  it("renders profile's terminal report with what the measurement includes", async () => {
    const { code, stdout } = await importtime('imports', { json: false, tree: true });
    expect(code).toBe(0);
    expect(stdout).toMatch(/measured inside Lambda/);
    expect(stdout).toMatch(/handler module itself has no line/);
    expect(stdout).toMatch(/Import tree/);
    expect(stdout).toMatch(/lcpkg/);
  });

  it('refuses what it cannot measure with one clear sentence', async () => {
    const c = capture();
    const err = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
    const node = await err(runInvoke('node-fn', { count: '1', concurrency: '1', logsTimeout: '5', maxRetries: '0', endpointUrl: em.url, importtime: true }, c.output));
    expect(node).toBeInstanceOf(UserError);
    expect((node as Error).message).toMatch(/not Python/);
    const alias = await err(runInvoke('imports:live', { count: '1', concurrency: '1', logsTimeout: '5', maxRetries: '0', endpointUrl: em.url, importtime: true }, c.output));
    expect((alias as Error).message).toMatch(/\$LATEST/);
    const noLogs = await err(runInvoke('imports', { count: '1', concurrency: '1', logsTimeout: '5', maxRetries: '0', endpointUrl: em.url, importtime: true, logs: false }, c.output));
    expect((noLogs as Error).message).toMatch(/--no-logs/);
  });
});
