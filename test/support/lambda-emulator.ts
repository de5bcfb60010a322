// A local Lambda + CloudWatch Logs emulator for end-to-end tests, over real HTTP with the wire protocols
// the AWS SDK for JavaScript v3 speaks: Lambda's REST-JSON (Invoke, GetFunctionConfiguration, GetFunction,
// UpdateFunctionConfiguration, GetProvisionedConcurrencyConfig, GetFunctionConcurrency) and CloudWatch Logs'
// JSON 1.1 (X-Amz-Target Logs_20140328.FilterLogEvents / GetLogEvents / DescribeLogStreams).
//
// It runs REAL Python handlers: one Python process per execution environment (lambda_bootstrap.py), reused
// while warm, a new one when all are busy and after every configuration update (which retires them all).
// Init is timed for real (spawn → handler imported), and the platform lines are written as Lambda writes
// them (docs/lambda-platform.md, "Log lines") in the function's LoggingConfig.LogFormat, one log stream per environment.
// It also does what makes figures go wrong: crashes and timeouts that reset an environment (its next invoke
// re-runs init: INIT_REPORT Phase: invoke), reserved concurrency (429 beyond it), SnapStart restores on
// published versions, throttled FilterLogEvents, and a 4 KB tail. `record` is its own account of every
// invocation (kind, status, the figures it wrote) for tests to check the tool's figures against, and
// `updates` its record of every UpdateFunctionConfiguration.
//
// CPU and memory (FunctionSpec.cpuModel): by default every phase runs at this machine's full speed whatever
// MemorySize says. With cpuModel 'init-boost' it models Lambda's on-demand init boost
// (docs/lambda-platform.md, "The Lambda Python runtime at a cold start"): the init runs at full speed
// whatever the memory, while the invoke phase — the handler, and an init re-run inside an invoke after a
// crash — gets the CPU share min(1, MemorySize / 1769). The emulator really slows that phase down: it
// measures it, then sleeps (1769 / MemorySize − 1) × the measured time more before answering, and reports
// Duration (and a re-init's INIT_REPORT) as measured × 1769 / MemorySize. Sleeps in the handler are
// scaled too: the model is of a CPU-bound handler.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const BOOTSTRAP = join(dirname(fileURLToPath(import.meta.url)), 'lambda_bootstrap.py');
const CONTROL = '\x1eLC ';
const ACCOUNT = '123456789012';

export interface FunctionSpec {
  name: string;
  /** Folder with the handler module (the task root). */
  codeDir: string;
  /** `module.function`. */
  handler: string;
  runtime?: string;
  memorySize?: number;
  timeout?: number;
  architectures?: ('x86_64' | 'arm64')[];
  logFormat?: 'Text' | 'JSON';
  logGroup?: string;
  environment?: Record<string, string>;
  packageType?: 'Zip' | 'Image';
  snapStart?: { ApplyOn: string; OptimizationStatus: string };
  /** alias → version; invoking an alias runs the same code (enough for the tests). */
  aliases?: Record<string, string>;
  /** qualifier → provisioned concurrency. */
  provisioned?: Record<string, number>;
  /** Reserved concurrency: more invocations in flight at once are throttled (429), as Lambda does. */
  reservedConcurrency?: number;
  /** retryAfterSeconds of those 429s (Lambda may send none: then absent). */
  throttleRetryAfterSeconds?: number;
  /**
   * Faults the runtime suffers: every `every`-th invocation of the function (counted from 1) crashes (the
   * runtime process exits) or hangs past the timeout. The environment is reset, and its next invocation
   * re-runs init inside the invoke (INIT_REPORT Phase: invoke), as Lambda does.
   */
  faults?: { every: number; kind: 'crash' | 'timeout' };
  /** 'init-boost': the invoke phase scaled by the CPU share min(1, MemorySize / 1769), init at full speed (see the top). */
  cpuModel?: 'init-boost';
  /**
   * Write the init's output (what the runtime printed before its first request: `-X importtime` lines when
   * PYTHONPROFILEIMPORTTIME is set) as plain-text events of this many characters, newlines kept, in either
   * log format: lines split across events and several lines in one event, as a process writing stderr in
   * bursts leaves them. Default: one event per line.
   */
  initLogChunkChars?: number;
}

/** The emulator's own record of one invocation: what it did and the figures it wrote in the REPORT. */
export interface EmulatedInvocation {
  function: string;
  requestId: string;
  kind: 'cold' | 'restore' | 'warm' | 're-init';
  status: 'success' | 'error' | 'timeout';
  /** As written in the REPORT / INIT_REPORT (rounded to 2 decimals). */
  initMs: number | null;
  restoreMs: number | null;
  durationMs: number;
  billedMs: number;
  billedRestoreMs: number | null;
  stream: string;
  /** The MemorySize it ran with (the REPORT's Memory Size). */
  memorySizeMB: number;
  /** The CPU share its invoke phase got: min(1, MemorySize / 1769) with cpuModel 'init-boost', else 1. */
  cpuShare: number;
}

/** The emulator's record of one UpdateFunctionConfiguration it accepted. */
export interface EmulatedUpdate {
  function: string;
  /** The MemorySize the request set, or null when it left the memory alone. */
  memorySize: number | null;
  /** The variables the request set (null: it left Environment alone). */
  variables: Record<string, string> | null;
  /** Epoch ms when it arrived, and when LastUpdateStatus became Successful (null while InProgress). */
  at: number;
  successfulAt: number | null;
}

export interface EmulatorOptions {
  /** The Python interpreter (a real one, not a pyenv shim). */
  python: string;
  region?: string;
  /** How long an event takes to become visible to FilterLogEvents (CloudWatch's ingestion delay). */
  ingestionLagMs?: number;
  /** How long an UpdateFunctionConfiguration stays InProgress. */
  updateDelayMs?: number;
  /** Events per FilterLogEvents page (AWS: up to 10,000). */
  pageSize?: number;
  /** Every FilterLogEvents query starts with an empty page that still carries a nextToken. */
  emptyFirstPage?: boolean;
  /** Bytes of log the Invoke LogResult keeps (Lambda: 4 KB). */
  tailBytes?: number;
}

interface LogEventRec {
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}

interface Stream {
  name: string;
  creationTime: number;
  events: LogEventRec[];
}

interface Env {
  id: number;
  fn: FnState;
  generation: number;
  /** The version it runs ($LATEST, or a published version: SnapStart restores there). */
  version: string;
  /** A crash or timeout reset it: its next invocation re-runs init inside the invoke. */
  needsReinit: boolean;
  stream: Stream;
  proc: ChildProcessWithoutNullStreams | null;
  busy: boolean;
  retired: boolean;
  pid: number | null;
  /** Output lines since the last control record. */
  buffer: string[];
  waiter: ((rec: ControlRecord) => void) | null;
  exited: boolean;
}

interface ControlRecord {
  type: 'ready' | 'init_error' | 'result' | 'exit';
  pid?: number;
  ok?: boolean;
  payload?: string;
  error?: { errorMessage: string; errorType: string; stackTrace: string[] };
  errorType?: string;
  errorMessage?: string;
  durationMs?: number;
  maxMemoryMB?: number;
}

interface FnState {
  spec: Required<Pick<FunctionSpec, 'name' | 'codeDir' | 'handler'>> & FunctionSpec;
  config: Record<string, unknown> & {
    Environment?: { Variables: Record<string, string> };
    RevisionId: string;
    LastUpdateStatus: string;
    MemorySize: number;
    Timeout: number;
    LoggingConfig: { LogFormat: 'Text' | 'JSON'; LogGroup: string };
  };
  generation: number;
  envs: Env[];
  updateTimer: NodeJS.Timeout | null;
  /** Invocations in flight (reserved concurrency). */
  inFlight: number;
  /** Invocations that ran (faults count them). */
  invoked: number;
}

export interface EmulatorStats {
  invokes: number;
  coldStarts: number;
  updates: number;
  filterLogEvents: number;
  /** Σ Init Duration + Duration the emulator reported (what the function really spent). */
  reportedMs: number;
  throttled: number;
  spawned: number;
  getFunction: number;
  /** FilterLogEvents calls answered with ThrottlingException. */
  logsThrottled: number;
}

class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const hex32 = (): string => randomBytes(16).toString('hex');

export class LambdaEmulator {
  readonly region: string;
  private server: Server | null = null;
  private readonly functions = new Map<string, FnState>();
  private readonly groups = new Map<string, Map<string, Stream>>();
  private envSeq = 0;
  private throttle = { count: 0, retryAfterSeconds: 1 };
  private readonly denied = new Set<string>();
  readonly stats: EmulatorStats = { invokes: 0, coldStarts: 0, updates: 0, filterLogEvents: 0, reportedMs: 0, throttled: 0, spawned: 0, getFunction: 0, logsThrottled: 0 };
  /** Every invocation that ran, in the order they ended. */
  readonly record: EmulatedInvocation[] = [];
  /** Every UpdateFunctionConfiguration it accepted, in order. */
  readonly updates: EmulatedUpdate[] = [];
  private logsThrottle = 0;
  /** How long the next UpdateFunctionConfiguration stays InProgress (ms); tests may change it. */
  updateDelayMs: number;
  /** Hook run when an Invoke arrives (before it executes): lets a test act mid-run. */
  onInvoke: ((fn: string, n: number) => void) | null = null;
  url = '';

  constructor(private readonly opts: EmulatorOptions) {
    this.region = opts.region ?? 'us-east-1';
    this.updateDelayMs = opts.updateDelayMs ?? 150;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(e) }));
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const fn of this.functions.values()) {
      if (fn.updateTimer) clearTimeout(fn.updateTimer);
      for (const env of fn.envs) this.kill(env);
    }
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
      this.server = null;
    }
  }

  addFunction(spec: FunctionSpec): void {
    const name = spec.name;
    const logGroup = spec.logGroup ?? `/aws/lambda/${name}`;
    const config: FnState['config'] = {
      FunctionName: name,
      FunctionArn: this.arn(name),
      Runtime: spec.packageType === 'Image' ? undefined : (spec.runtime ?? 'python3.11'),
      Role: `arn:aws:iam::${ACCOUNT}:role/lambda-role`,
      Handler: spec.packageType === 'Image' ? undefined : spec.handler,
      CodeSize: 1234,
      Description: '',
      Timeout: spec.timeout ?? 3,
      MemorySize: spec.memorySize ?? 128,
      LastModified: new Date().toISOString().replace('Z', '+0000'),
      CodeSha256: randomBytes(32).toString('base64'),
      Version: '$LATEST',
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: randomUUID(),
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: spec.packageType ?? 'Zip',
      Architectures: spec.architectures ?? ['x86_64'],
      EphemeralStorage: { Size: 512 },
      SnapStart: spec.snapStart ?? { ApplyOn: 'None', OptimizationStatus: 'Off' },
      LoggingConfig: { LogFormat: spec.logFormat ?? 'Text', LogGroup: logGroup },
    };
    if (spec.environment && Object.keys(spec.environment).length > 0) config.Environment = { Variables: { ...spec.environment } };
    this.functions.set(name, { spec: { ...spec }, config, generation: 0, envs: [], updateTimer: null, inFlight: 0, invoked: 0 });
    if (!this.groups.has(logGroup)) this.groups.set(logGroup, new Map());
  }

  /** The configuration as GetFunctionConfiguration returns it. */
  configuration(name: string): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.fn(name).config)) as Record<string, unknown>;
  }

  /** Someone else changes the function (a deploy): new RevisionId, environments retired. */
  deploy(name: string, change: { environment?: Record<string, string> | null; memorySize?: number }): void {
    const fn = this.fn(name);
    if (change.environment !== undefined) {
      if (change.environment && Object.keys(change.environment).length) fn.config.Environment = { Variables: { ...change.environment } };
      else delete fn.config.Environment;
    }
    if (change.memorySize !== undefined) fn.config.MemorySize = change.memorySize;
    fn.config.RevisionId = randomUUID();
    this.retire(fn);
  }

  /** The next `count` Invoke calls answer 429 TooManyRequestsException with this Retry-After. */
  throttleInvokes(count: number, retryAfterSeconds = 1): void {
    this.throttle = { count, retryAfterSeconds };
  }

  /** The next `count` FilterLogEvents calls answer ThrottlingException (Infinity: CloudWatch stays throttled). */
  throttleFilterLogEvents(count: number): void {
    this.logsThrottle = count;
  }

  /** The record of one function's invocations. */
  invocationsOf(name: string): EmulatedInvocation[] {
    return this.record.filter((r) => r.function === name);
  }

  /** Deny an IAM action (e.g. `lambda:InvokeFunction`, `logs:FilterLogEvents`): 403 AccessDeniedException. */
  deny(action: string): void {
    this.denied.add(action);
  }

  allow(action: string): void {
    this.denied.delete(action);
  }

  /** Log streams of a group, in creation order. */
  streams(group: string): { name: string; events: string[] }[] {
    return [...(this.groups.get(group)?.values() ?? [])].map((s) => ({ name: s.name, events: s.events.map((e) => e.message) }));
  }

  liveEnvironments(name: string): number {
    return this.fn(name).envs.filter((e) => !e.retired && !e.exited).length;
  }

  // ───────────────────────────── HTTP ─────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    const requestId = randomUUID();
    try {
      const target = req.headers['x-amz-target'];
      if (typeof target === 'string' && target.startsWith('Logs_20140328.')) {
        const out = this.logsCall(target.slice('Logs_20140328.'.length), JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId });
        res.end(JSON.stringify(out));
        return;
      }
      const m = /^\/(\d{4}-\d{2}-\d{2})\/functions\/([^/]+)(\/[a-z-]+)?\/?$/.exec(url.pathname);
      if (!m) throw new AwsError(404, 'UnknownOperationException', `no route for ${req.method} ${url.pathname}`);
      const [, apiVersion, rawName, sub] = m as unknown as [string, string, string, string | undefined];
      const { fn, qualifier } = this.resolve(decodeURIComponent(rawName), url.searchParams.get('Qualifier'));
      if (req.method === 'POST' && sub === '/invocations' && apiVersion === '2015-03-31') {
        await this.invoke(fn, qualifier, req, body, res);
        return;
      }
      let out: unknown;
      if (req.method === 'GET' && sub === '/configuration') {
        this.check('lambda:GetFunctionConfiguration', fn);
        out = this.configFor(fn, qualifier);
      } else if (req.method === 'GET' && sub === undefined) {
        this.check('lambda:GetFunction', fn);
        this.stats.getFunction++;
        out = { Configuration: this.configFor(fn, qualifier), Code: { RepositoryType: 'S3', Location: 'https://example.invalid/code.zip' }, Tags: {} };
      } else if (req.method === 'PUT' && sub === '/configuration') {
        this.check('lambda:UpdateFunctionConfiguration', fn);
        out = this.update(fn, JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>);
      } else if (req.method === 'GET' && sub === '/concurrency' && apiVersion === '2019-09-30') {
        this.check('lambda:GetFunctionConcurrency', fn);
        out = fn.spec.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.spec.reservedConcurrency };
      } else if (req.method === 'GET' && sub === '/provisioned-concurrency' && apiVersion === '2019-09-30') {
        this.check('lambda:GetProvisionedConcurrencyConfig', fn);
        const n = qualifier ? fn.spec.provisioned?.[qualifier] : undefined;
        if (n === undefined) throw new AwsError(404, 'ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function');
        out = { RequestedProvisionedConcurrentExecutions: n, AvailableProvisionedConcurrentExecutions: n, AllocatedProvisionedConcurrentExecutions: n, Status: 'READY', LastModified: new Date().toISOString() };
      } else {
        throw new AwsError(404, 'UnknownOperationException', `no route for ${req.method} ${url.pathname}`);
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId });
      res.end(JSON.stringify(out));
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      const isLogs = typeof req.headers['x-amz-target'] === 'string';
      res.writeHead(e.status, {
        'content-type': isLogs ? 'application/x-amz-json-1.1' : 'application/json',
        'x-amzn-requestid': requestId,
        ...(isLogs ? {} : { 'x-amzn-errortype': e.code }),
        ...e.headers,
      });
      res.end(JSON.stringify(isLogs ? { __type: e.code, message: e.message, ...e.extra } : { Type: 'User', message: e.message, ...e.extra }));
    }
  }

  private arn(name: string): string {
    return `arn:aws:lambda:${this.region}:${ACCOUNT}:function:${name}`;
  }

  private fn(name: string): FnState {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`no function ${name}`);
    return fn;
  }

  private resolve(nameOrArn: string, qualifierParam: string | null): { fn: FnState; qualifier: string | null } {
    let name = nameOrArn;
    let qualifier = qualifierParam;
    const arn = /^arn:aws:lambda:[^:]+:\d+:function:([^:]+)(?::([^:]+))?$/.exec(nameOrArn);
    if (arn) {
      name = arn[1] as string;
      qualifier ??= arn[2] ?? null;
    } else if (nameOrArn.includes(':')) {
      [name, qualifier] = nameOrArn.split(':') as [string, string];
    }
    const fn = this.functions.get(name);
    if (!fn) throw new AwsError(404, 'ResourceNotFoundException', `Function not found: ${this.arn(name)}`);
    if (qualifier && qualifier !== '$LATEST' && !(fn.spec.aliases && (qualifier in fn.spec.aliases || Object.values(fn.spec.aliases).includes(qualifier)))) {
      throw new AwsError(404, 'ResourceNotFoundException', `Function not found: ${this.arn(name)}:${qualifier}`);
    }
    return { fn, qualifier };
  }

  private configFor(fn: FnState, qualifier: string | null): Record<string, unknown> {
    const c = JSON.parse(JSON.stringify(fn.config)) as Record<string, unknown>;
    if (qualifier && qualifier !== '$LATEST') {
      const version = fn.spec.aliases?.[qualifier] ?? qualifier;
      c.Version = version;
      c.FunctionArn = `${this.arn(fn.spec.name)}:${qualifier}`;
    }
    return c;
  }

  private check(action: string, fn: FnState): void {
    if (this.denied.has(action)) {
      throw new AwsError(
        403,
        'AccessDeniedException',
        `User: arn:aws:iam::${ACCOUNT}:user/tester is not authorized to perform: ${action} on resource: ${this.arn(fn.spec.name)} because no identity-based policy allows the ${action} action`,
      );
    }
  }

  // ─────────────────────── control plane ───────────────────────

  private update(fn: FnState, body: Record<string, unknown>): Record<string, unknown> {
    if (typeof body.RevisionId === 'string' && body.RevisionId !== fn.config.RevisionId) {
      throw new AwsError(412, 'PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
    }
    if (fn.config.LastUpdateStatus === 'InProgress') {
      throw new AwsError(409, 'ResourceConflictException', `The operation cannot be performed at this time. An update is in progress for resource: ${this.arn(fn.spec.name)}`);
    }
    if (body.MemorySize !== undefined && !(Number.isInteger(body.MemorySize) && (body.MemorySize as number) >= 128 && (body.MemorySize as number) <= 10240)) {
      throw new AwsError(400, 'InvalidParameterValueException', `MemorySize ${String(body.MemorySize)} is not valid: it must be a whole number of MB from 128 to 10240.`);
    }
    const env = body.Environment as { Variables?: Record<string, string> } | undefined;
    if (env) {
      const vars = env.Variables ?? {};
      if (Object.keys(vars).length) fn.config.Environment = { Variables: { ...vars } };
      else delete fn.config.Environment;
    }
    if (typeof body.MemorySize === 'number') fn.config.MemorySize = body.MemorySize;
    if (typeof body.Timeout === 'number') fn.config.Timeout = body.Timeout;
    const lc = body.LoggingConfig as { LogFormat?: 'Text' | 'JSON'; LogGroup?: string } | undefined;
    if (lc?.LogFormat) fn.config.LoggingConfig.LogFormat = lc.LogFormat;
    if (lc?.LogGroup) fn.config.LoggingConfig.LogGroup = lc.LogGroup;
    fn.config.LastUpdateStatus = 'InProgress';
    fn.config.LastUpdateStatusReason = 'The function is being created.';
    fn.config.RevisionId = randomUUID();
    fn.config.LastModified = new Date().toISOString().replace('Z', '+0000');
    this.stats.updates++;
    const entry: EmulatedUpdate = {
      function: fn.spec.name,
      memorySize: typeof body.MemorySize === 'number' ? body.MemorySize : null,
      variables: env ? { ...(env.Variables ?? {}) } : null,
      at: Date.now(),
      successfulAt: null,
    };
    this.updates.push(entry);
    this.retire(fn);
    const response = JSON.parse(JSON.stringify(fn.config)) as Record<string, unknown>;
    fn.updateTimer = setTimeout(() => {
      fn.updateTimer = null;
      entry.successfulAt = Date.now();
      fn.config.LastUpdateStatus = 'Successful';
      delete fn.config.LastUpdateStatusReason;
      // Lambda moves the RevisionId again when the update completes.
      fn.config.RevisionId = randomUUID();
    }, this.updateDelayMs);
    return response;
  }

  /** Every environment is retired: idle ones now, busy ones when their invocation ends. */
  private retire(fn: FnState): void {
    fn.generation++;
    for (const env of fn.envs) {
      env.retired = true;
      if (!env.busy) this.kill(env);
    }
    fn.envs = fn.envs.filter((e) => e.busy);
  }

  private kill(env: Env): void {
    if (env.proc && !env.exited) {
      env.proc.stdin.end();
      env.proc.kill('SIGKILL');
    }
    env.exited = true;
  }

  // ─────────────────────────── logs ───────────────────────────

  private stream(fn: FnState, version: string): Stream {
    const group = fn.config.LoggingConfig.LogGroup;
    const streams = this.groups.get(group) ?? new Map<string, Stream>();
    this.groups.set(group, streams);
    const d = new Date();
    const date = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
    const s: Stream = { name: `${date}/[${version}]${hex32()}`, creationTime: Date.now(), events: [] };
    streams.set(s.name, s);
    return s;
  }

  /** Append one event; returns its text as it goes into the Invoke tail. */
  private emit(env: Env, message: string): string {
    const now = Date.now();
    env.stream.events.push({ timestamp: now, ingestionTime: now + (this.opts.ingestionLagMs ?? 0), message, eventId: `${now}${randomBytes(8).toString('hex')}` });
    return message;
  }

  private json(type: string, record: unknown): string {
    return JSON.stringify({ time: new Date().toISOString(), type, record });
  }

  private appLine(env: Env, line: string, requestId: string | null): string {
    if (env.fn.config.LoggingConfig.LogFormat === 'JSON') {
      return this.emit(env, JSON.stringify({ timestamp: new Date().toISOString(), level: 'INFO', message: line, logger: 'root', requestId }));
    }
    return this.emit(env, line);
  }

  /** The init's output as events: one per line, or in chunks (FunctionSpec.initLogChunkChars). */
  private initOutput(env: Env, output: string[], requestId: string | null): string[] {
    const n = env.fn.spec.initLogChunkChars;
    if (!n) return output.map((l) => this.appLine(env, l, requestId));
    const text = output.map((l) => `${l}\n`).join('');
    const events: string[] = [];
    for (let i = 0; i < text.length; i += n) events.push(this.emit(env, text.slice(i, i + n)));
    return events;
  }

  private initStart(env: Env, phase: 'init' | 'invoke'): string {
    const fn = env.fn;
    if (fn.config.LoggingConfig.LogFormat === 'JSON') {
      return this.emit(
        env,
        this.json('platform.initStart', {
          initializationType: 'on-demand',
          phase,
          runtimeVersion: 'python:3.11.v99',
          runtimeVersionArn: `arn:aws:lambda:${this.region}::runtime:${hex32()}`,
          functionName: fn.spec.name,
          functionVersion: '$LATEST',
        }),
      );
    }
    return this.emit(env, `INIT_START Runtime Version: python:3.11.v99\tRuntime Version ARN: arn:aws:lambda:${this.region}::runtime:${hex32()}\t`);
  }

  private restoreStart(env: Env): string {
    if (env.fn.config.LoggingConfig.LogFormat === 'JSON') {
      return this.emit(env, this.json('platform.restoreStart', { runtimeVersion: 'python:3.12.v99', functionName: env.fn.spec.name, functionVersion: env.version }));
    }
    return this.emit(env, `RESTORE_START Runtime Version: python:3.12.v99\tRuntime Version ARN: arn:aws:lambda:${this.region}::runtime:${hex32()}\t`);
  }

  private restoreReport(env: Env, ms: number): string {
    if (env.fn.config.LoggingConfig.LogFormat === 'JSON') {
      return this.emit(env, this.json('platform.restoreReport', { status: 'success', metrics: { durationMs: round2(ms) } }));
    }
    return this.emit(env, `RESTORE_REPORT Restore Duration: ${ms.toFixed(2)} ms\t`);
  }

  private initReport(env: Env, ms: number, phase: 'init' | 'invoke', error: string | null): string {
    if (env.fn.config.LoggingConfig.LogFormat === 'JSON') {
      return this.emit(
        env,
        this.json('platform.initReport', {
          initializationType: 'on-demand',
          phase,
          status: error ? 'error' : 'success',
          ...(error ? { errorType: error } : {}),
          metrics: { durationMs: round2(ms) },
        }),
      );
    }
    return this.emit(env, `INIT_REPORT Init Duration: ${ms.toFixed(2)} ms\tPhase: ${phase}\tStatus: ${error ? `error\tError Type: ${error}\t` : 'success\t'}`);
  }

  // ─────────────────────────── invoke ───────────────────────────

  private spawnEnv(fn: FnState, env: Env): Promise<{ rec: ControlRecord; initMs: number; output: string[] }> {
    const t0 = performance.now();
    const vars = fn.config.Environment?.Variables ?? {};
    const proc = spawn(this.opts.python, ['-S', '-B', '-u', BOOTSTRAP, fn.spec.codeDir, fn.spec.handler], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LANG: 'C.UTF-8',
        ...vars,
        AWS_LAMBDA_FUNCTION_NAME: fn.spec.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.config.MemorySize),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_LOG_GROUP_NAME: fn.config.LoggingConfig.LogGroup,
        AWS_LAMBDA_LOG_STREAM_NAME: env.stream.name,
        LAMBDA_TASK_ROOT: fn.spec.codeDir,
        LAMBDA_EMULATOR_FUNCTION_ARN: this.arn(fn.spec.name),
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONUNBUFFERED: '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    }) as ChildProcessWithoutNullStreams;
    this.stats.spawned++;
    env.proc = proc;
    env.exited = false;
    const rl = createInterface({ input: proc.stdout });
    rl.on('line', (line) => {
      if (env.proc !== proc) return;
      if (line.startsWith(CONTROL)) {
        const rec = JSON.parse(line.slice(CONTROL.length)) as ControlRecord;
        const w = env.waiter;
        env.waiter = null;
        w?.(rec);
      } else {
        env.buffer.push(line);
      }
    });
    proc.stderr.on('data', (d: Buffer) => env.buffer.push(...d.toString('utf8').split('\n').filter(Boolean)));
    // The bootstrap points stderr at stdout once its own imports are done (their -X importtime lines come
    // first, on the real stderr): init's output is complete when that pipe has ended too.
    const stderrEnded = new Promise<void>((resolve) => {
      proc.stderr.once('end', resolve);
      proc.stderr.once('close', resolve);
    });
    // 'close' comes after the pipes are drained, so every line (and control record) is delivered first.
    proc.on('close', () => {
      if (env.proc !== proc) return; // an earlier process of this environment (a failed init) ending late
      env.exited = true;
      const w = env.waiter;
      env.waiter = null;
      w?.({ type: 'exit' });
    });
    proc.on('error', () => undefined);
    return new Promise((resolve) => {
      env.waiter = (rec) => {
        if (rec.type === 'ready') env.pid = rec.pid ?? null;
        const initMs = performance.now() - t0;
        void stderrEnded.then(() => resolve({ rec, initMs, output: env.buffer.splice(0) }));
      };
    });
  }

  private async invoke(fn: FnState, qualifier: string | null, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    this.check('lambda:InvokeFunction', fn);
    if (this.throttle.count > 0) {
      this.throttle.count--;
      this.stats.throttled++;
      throw new AwsError(429, 'TooManyRequestsException', 'Rate Exceeded.', { 'retry-after': String(this.throttle.retryAfterSeconds) }, { Reason: 'ConcurrentInvocationLimitExceeded' });
    }
    const reserved = fn.spec.reservedConcurrency;
    if (reserved !== undefined && fn.inFlight >= reserved) {
      // Rejected before running, as Lambda does: nothing executes, nothing is logged.
      this.stats.throttled++;
      const after = fn.spec.throttleRetryAfterSeconds;
      throw new AwsError(429, 'TooManyRequestsException', 'Rate Exceeded.', after === undefined ? {} : { 'retry-after': String(after) }, {
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      });
    }
    fn.inFlight++;
    try {
      await this.run(fn, qualifier, req, body, res);
    } finally {
      fn.inFlight--;
    }
  }

  private async run(fn: FnState, qualifier: string | null, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    this.stats.invokes++;
    const nth = ++fn.invoked;
    this.onInvoke?.(fn.spec.name, this.stats.invokes);
    const requestId = randomUUID();
    const logType = req.headers['x-amz-log-type'];
    const lines: string[] = [];
    const json = fn.config.LoggingConfig.LogFormat === 'JSON';
    const version = qualifier && qualifier !== '$LATEST' ? (fn.spec.aliases?.[qualifier] ?? qualifier) : '$LATEST';
    const snapStart = version !== '$LATEST' && (fn.config.SnapStart as { ApplyOn?: string } | undefined)?.ApplyOn === 'PublishedVersions';
    const memory = fn.config.MemorySize;
    // cpuModel 'init-boost': the invoke phase runs 1769 / MemorySize times slower below 1,769 MB (one vCPU).
    const slowdown = fn.spec.cpuModel === 'init-boost' ? Math.max(1, 1769 / memory) : 1;

    let env = fn.envs.find((e) => !e.busy && !e.retired && (e.needsReinit || !e.exited) && e.generation === fn.generation && e.version === version);
    let kind = 'warm' as EmulatedInvocation['kind'];
    let initMs: number | null = null;
    let restoreMs: number | null = null;
    let suppressed: { ms: number; error: string | null } | null = null;
    let initFailure: ControlRecord | null = null;
    const rerunInit = async (e: Env): Promise<void> => {
      // An init run inside this invoke (after a failed init, or after a crash or timeout reset the environment).
      kind = 're-init';
      lines.push(this.initStart(e, 'invoke'));
      const again = await this.spawnEnv(fn, e);
      lines.push(...this.initOutput(e, again.output, requestId));
      const error = again.rec.type === 'ready' ? null : (again.rec.errorType ?? 'Runtime.Unknown');
      lines.push(this.initReport(e, again.initMs * slowdown, 'invoke', error));
      // A re-init runs in the invoke phase: at the CPU share (cpuModel 'init-boost').
      const ms = again.initMs * slowdown;
      if (slowdown > 1) await sleep(again.initMs * (slowdown - 1));
      suppressed = { ms, error };
      if (error) initFailure = again.rec;
    };
    if (env) {
      env.busy = true;
      if (env.needsReinit) {
        env.needsReinit = false;
        await rerunInit(env);
      }
    } else {
      env = {
        id: ++this.envSeq,
        fn,
        generation: fn.generation,
        version,
        needsReinit: false,
        stream: this.stream(fn, version),
        proc: null,
        busy: true,
        retired: false,
        pid: null,
        buffer: [],
        waiter: null,
        exited: false,
      };
      fn.envs.push(env);
      this.stats.coldStarts++;
      lines.push(snapStart ? this.restoreStart(env) : this.initStart(env, 'init'));
      const first = await this.spawnEnv(fn, env);
      lines.push(...this.initOutput(env, first.output, null));
      if (first.rec.type === 'ready' && snapStart) {
        kind = 'restore';
        restoreMs = round2(first.initMs);
        lines.push(this.restoreReport(env, first.initMs));
      } else if (first.rec.type === 'ready') {
        kind = 'cold';
        initMs = first.initMs;
      } else {
        // The init failed: Lambda reports it, then runs init again inside this invoke (a suppressed init).
        lines.push(this.initReport(env, first.initMs, 'init', first.rec.errorType ?? 'Runtime.Unknown'));
        await rerunInit(env);
      }
    }

    lines.push(json ? this.emit(env, this.json('platform.start', { requestId, version })) : this.emit(env, `START RequestId: ${requestId} Version: ${version}`));
    const timeoutMs = fn.config.Timeout * 1000;
    const fault = fn.spec.faults && nth % fn.spec.faults.every === 0 ? (fn.spec.faults.kind === 'crash' ? 'crash' : 'hang') : null;
    const t0 = performance.now();
    let rec: ControlRecord;
    let timedOut = false;
    const failedInit = initFailure as ControlRecord | null;
    if (failedInit) {
      rec = { type: 'result', ok: false, error: { errorMessage: failedInit.errorMessage ?? '', errorType: failedInit.errorType ?? 'Runtime.Unknown', stackTrace: [] }, durationMs: 0 };
    } else {
      const e = env;
      rec = await new Promise<ControlRecord>((resolve) => {
        const timer = setTimeout(() => {
          timedOut = true;
          e.waiter = null;
          this.kill(e);
          resolve({ type: 'exit' });
        }, timeoutMs);
        e.waiter = (r) => {
          clearTimeout(timer);
          resolve(r);
        };
        e.proc!.stdin.write(`${JSON.stringify({ requestId, payload: body.toString('utf8') || '{}', deadlineMs: Date.now() + timeoutMs, fault })}\n`);
      });
    }
    const wall = performance.now() - t0;
    for (const l of env.buffer.splice(0)) lines.push(this.appLine(env, l, requestId));
    let durationMs = rec.type === 'result' ? (rec.durationMs ?? wall) : wall;
    if (rec.type === 'result' && slowdown > 1 && !failedInit) {
      // The invoke phase at the CPU share: wait out the rest, report the scaled time.
      await sleep(durationMs * (slowdown - 1));
      durationMs *= slowdown;
    }
    const rerun = suppressed as { ms: number; error: string | null } | null;
    if (rerun) durationMs += rerun.ms; // the re-run init is part of this invoke's Duration
    let status: 'timeout' | 'error' | null = null;
    let errorType: string | null = null;
    let payload: string;
    let functionError: string | null = null;
    if (timedOut) {
      status = 'timeout';
      durationMs = timeoutMs;
      functionError = 'Unhandled';
      const msg = `Task timed out after ${fn.config.Timeout.toFixed(2)} seconds`;
      lines.push(this.appLine(env, `${new Date().toISOString()} ${requestId} ${msg}`, requestId));
      payload = JSON.stringify({ errorMessage: `${new Date().toISOString()} ${requestId} ${msg}` });
    } else if (rec.type !== 'result') {
      status = 'error';
      errorType = 'Runtime.ExitError';
      functionError = 'Unhandled';
      payload = JSON.stringify({ errorType, errorMessage: 'RequestId: ' + requestId + ' Error: Runtime exited' });
    } else if (!rec.ok) {
      functionError = 'Unhandled';
      errorType = rec.error?.errorType ?? null;
      if (failedInit) status = 'error';
      payload = JSON.stringify({ ...rec.error, requestType: undefined, requestId });
    } else {
      payload = rec.payload ?? 'null';
    }
    const maxMem = rec.maxMemoryMB ?? 0;
    durationMs = round2(durationMs);
    const init = initMs === null ? null : round2(initMs);
    // INIT billing: the init of a cold start is billed in Billed Duration; a restore is billed apart.
    const billed = Math.ceil(durationMs + (init ?? 0));
    const billedRestore = restoreMs === null ? null : Math.ceil(restoreMs);
    if (json) {
      lines.push(this.emit(env, this.json('platform.runtimeDone', { requestId, status: status ?? 'success', metrics: { durationMs, producedBytes: payload.length } })));
      lines.push(
        this.emit(
          env,
          this.json('platform.report', {
            requestId,
            status: status ?? 'success',
            ...(status && errorType ? { errorType } : {}),
            metrics: {
              durationMs,
              billedDurationMs: billed,
              memorySizeMB: memory,
              maxMemoryUsedMB: maxMem,
              ...(init !== null ? { initDurationMs: init } : {}),
              ...(restoreMs !== null ? { restoreDurationMs: restoreMs, billedRestoreDurationMs: billedRestore } : {}),
            },
          }),
        ),
      );
    } else {
      lines.push(this.emit(env, `END RequestId: ${requestId}`));
      lines.push(
        this.emit(
          env,
          `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memory} MB\tMax Memory Used: ${maxMem} MB\t` +
            (init !== null ? `Init Duration: ${init.toFixed(2)} ms\t` : '') +
            (restoreMs !== null ? `Restore Duration: ${restoreMs.toFixed(2)} ms\tBilled Restore Duration: ${billedRestore} ms\t` : '') +
            (status ? `Status: ${status}\t${errorType ? `Error Type: ${errorType}\t` : ''}` : ''),
        ),
      );
    }
    this.stats.reportedMs += durationMs + (init ?? 0);
    this.record.push({
      function: fn.spec.name,
      requestId,
      kind,
      status: status === 'timeout' ? 'timeout' : status || functionError ? 'error' : 'success',
      initMs: rerun ? round2(rerun.ms) : init,
      restoreMs,
      durationMs,
      billedMs: billed,
      billedRestoreMs: billedRestore,
      stream: env.stream.name,
      memorySizeMB: memory,
      cpuShare: 1 / slowdown,
    });
    if (failedInit || env.retired) {
      // An environment whose init failed twice is gone; so is a retired one.
      this.kill(env);
      fn.envs = fn.envs.filter((x) => x !== env);
    } else if (timedOut || rec.type !== 'result') {
      // A timeout or a crash resets the environment: same environment (same log stream), init again next time.
      this.kill(env);
      env.needsReinit = true;
    }
    env.busy = false;

    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amz-executed-version': version,
    };
    if (functionError) headers['x-amz-function-error'] = functionError;
    if (logType === 'Tail') {
      const text = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
      const tail = text.subarray(Math.max(0, text.length - (this.opts.tailBytes ?? 4096)));
      headers['x-amz-log-result'] = tail.toString('base64');
    }
    res.writeHead(200, headers);
    res.end(payload);
  }

  // ───────────────────────── CloudWatch Logs ─────────────────────────

  private logsCall(op: string, body: Record<string, unknown>): unknown {
    const groupName = (body.logGroupName ?? body.logGroupIdentifier) as string | undefined;
    const groupFor = (): Map<string, Stream> => {
      const g = groupName ? this.groups.get(groupName) : undefined;
      if (!g) throw new AwsError(400, 'ResourceNotFoundException', 'The specified log group does not exist.');
      return g;
    };
    switch (op) {
      case 'FilterLogEvents': {
        this.stats.filterLogEvents++;
        if (this.denied.has('logs:FilterLogEvents')) {
          throw new AwsError(400, 'AccessDeniedException', `User: arn:aws:iam::${ACCOUNT}:user/tester is not authorized to perform: logs:FilterLogEvents on resource: arn:aws:logs:${this.region}:${ACCOUNT}:log-group:${groupName}:log-stream:`);
        }
        if (this.logsThrottle > 0) {
          this.logsThrottle--;
          this.stats.logsThrottled++;
          throw new AwsError(400, 'ThrottlingException', 'Rate exceeded');
        }
        const g = groupFor();
        const now = Date.now();
        const names = body.logStreamNames as string[] | undefined;
        const prefix = body.logStreamNamePrefix as string | undefined;
        const start = typeof body.startTime === 'number' ? body.startTime : -Infinity;
        const end = typeof body.endTime === 'number' ? body.endTime : Infinity;
        const matcher = compilePattern(typeof body.filterPattern === 'string' ? body.filterPattern : '');
        const all: { e: LogEventRec; stream: string }[] = [];
        for (const s of g.values()) {
          if (names && !names.includes(s.name)) continue;
          if (prefix && !s.name.startsWith(prefix)) continue;
          for (const e of s.events) {
            if (e.ingestionTime > now || e.timestamp < start || e.timestamp > end) continue;
            if (matcher(e.message)) all.push({ e, stream: s.name });
          }
        }
        all.sort((a, b) => a.e.timestamp - b.e.timestamp);
        const token = typeof body.nextToken === 'string' ? (JSON.parse(Buffer.from(body.nextToken, 'base64').toString('utf8')) as { o: number }) : null;
        if (!token && this.opts.emptyFirstPage) {
          return { events: [], searchedLogStreams: [], nextToken: Buffer.from(JSON.stringify({ o: 0 })).toString('base64') };
        }
        const offset = token?.o ?? 0;
        const size = Math.min(typeof body.limit === 'number' ? body.limit : 10_000, this.opts.pageSize ?? 10_000);
        const page = all.slice(offset, offset + size);
        const more = offset + size < all.length;
        return {
          events: page.map(({ e, stream }) => ({ logStreamName: stream, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: e.eventId })),
          searchedLogStreams: [],
          ...(more ? { nextToken: Buffer.from(JSON.stringify({ o: offset + size })).toString('base64') } : {}),
        };
      }
      case 'GetLogEvents': {
        const s = groupFor().get(body.logStreamName as string);
        if (!s) throw new AwsError(400, 'ResourceNotFoundException', 'The specified log stream does not exist.');
        const now = Date.now();
        const visible = s.events.filter((e) => e.ingestionTime <= now);
        const token = typeof body.nextToken === 'string' ? body.nextToken : null;
        const offset = token ? Number(token.slice(2)) : 0;
        const size = Math.min(typeof body.limit === 'number' ? body.limit : 10_000, this.opts.pageSize ?? 10_000);
        const page = visible.slice(offset, offset + size);
        const next = offset + page.length;
        return {
          events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
          nextForwardToken: `f/${String(next).padStart(20, '0')}`,
          nextBackwardToken: `b/${String(offset).padStart(20, '0')}`,
        };
      }
      case 'DescribeLogStreams': {
        const g = groupFor();
        const prefix = body.logStreamNamePrefix as string | undefined;
        let list = [...g.values()].filter((s) => !prefix || s.name.startsWith(prefix));
        if (body.orderBy === 'LastEventTime') list.sort((a, b) => (a.events.at(-1)?.timestamp ?? 0) - (b.events.at(-1)?.timestamp ?? 0));
        else list.sort((a, b) => a.name.localeCompare(b.name));
        if (body.descending) list = list.reverse();
        const offset = typeof body.nextToken === 'string' ? Number(body.nextToken) : 0;
        const size = typeof body.limit === 'number' ? body.limit : 50;
        const page = list.slice(offset, offset + size);
        return {
          logStreams: page.map((s) => ({
            logStreamName: s.name,
            creationTime: s.creationTime,
            firstEventTimestamp: s.events[0]?.timestamp,
            lastEventTimestamp: s.events.at(-1)?.timestamp,
            lastIngestionTime: s.events.at(-1)?.ingestionTime,
            arn: `arn:aws:logs:${this.region}:${ACCOUNT}:log-group:${groupName}:log-stream:${s.name}`,
            storedBytes: 0,
          })),
          ...(offset + size < list.length ? { nextToken: String(offset + size) } : {}),
        };
      }
      default:
        throw new AwsError(400, 'UnknownOperationException', `unsupported operation ${op}`);
    }
  }
}

/**
 * CloudWatch filter patterns, the subset lambda-cold and the tests use (case-sensitive):
 * `""`/empty (everything), terms (`ERROR`, `"REPORT RequestId"`: every term must appear), `?a ?"b c"` (any),
 * `-term` (must not appear), and JSON patterns `{ $.type = "platform.report" }` joined by `||` / `&&`.
 */
export function compilePattern(pattern: string): (message: string) => boolean {
  const p = pattern.trim();
  if (p === '') return () => true;
  if (p.startsWith('{') && p.endsWith('}')) {
    const inner = p.slice(1, -1).trim();
    const ors = inner.split('||').map((alt) =>
      alt.split('&&').map((cond) => {
        const m = /^\s*\(?\s*\$\.([\w.]+)\s*(=|!=)\s*(?:"([^"]*)"|([^\s)]+))\s*\)?\s*$/.exec(cond);
        if (!m) throw new AwsError(400, 'InvalidParameterException', `Invalid filter pattern: ${pattern}`);
        return { path: (m[1] as string).split('.'), op: m[2] as string, value: m[3] ?? (m[4] as string) };
      }),
    );
    return (message) => {
      let obj: unknown;
      try {
        obj = JSON.parse(message);
      } catch {
        return false;
      }
      return ors.some((conds) =>
        conds.every(({ path, op, value }) => {
          let v: unknown = obj;
          for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
          const eq = v !== undefined && String(v) === value;
          return op === '=' ? eq : !eq;
        }),
      );
    };
  }
  const terms: { text: string; or: boolean; not: boolean }[] = [];
  const re = /([?-]?)(?:"([^"]*)"|(\S+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p))) terms.push({ text: m[2] ?? (m[3] as string), or: m[1] === '?', not: m[1] === '-' });
  const ors = terms.filter((t) => t.or);
  const ands = terms.filter((t) => !t.or);
  return (message) =>
    (ors.length === 0 || ors.some((t) => message.includes(t.text))) &&
    ands.every((t) => (t.not ? !message.includes(t.text) : message.includes(t.text)));
}

/** A real Python 3 interpreter for the emulator (pyenv shims add ~240 ms per start: resolve them once). */
export async function findPython(): Promise<string> {
  if (process.env.LAMBDA_COLD_TEST_PYTHON) return process.env.LAMBDA_COLD_TEST_PYTHON;
  const { execFileSync } = await import('node:child_process');
  for (const candidate of ['python3.11', 'python3', 'python']) {
    try {
      return execFileSync(candidate, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    } catch {
      // try the next one
    }
  }
  throw new Error('no Python 3 interpreter found for the Lambda emulator');
}
