// moto_server for the contract tests: started on a free loopback port (found on PATH or as `python -m
// moto.server`, test/support/python.ts), waited for, stopped by the caller; plus the IAM role moto needs
// before it creates a function.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { motoServerCommand } from './python.js';

export const MOTO_CREDENTIALS = { accessKeyId: 'AKIDMOTOTEST', secretAccessKey: 'moto-secret' };

export interface Moto {
  url: string;
  process: ChildProcess;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Start moto_server and resolve once it answers (30 s at most). */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = motoServerCommand();
  const child = spawn(server.command, [...server.args, '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/moto-api/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) {
      child.kill('SIGTERM');
      throw new Error('moto_server did not start');
    }
    await sleep(100);
  }
  return { url, process: child, stop: () => child.kill('SIGTERM') };
}

/** IAM CreateRole over the Query protocol (moto reads the service from the credential scope). */
export async function createRole(url: string, name: string): Promise<string> {
  const body = new URLSearchParams({ Action: 'CreateRole', Version: '2010-05-08', RoleName: name, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' });
  const r = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDMOTOTEST/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });
  const text = await r.text();
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(text);
  if (!arn) throw new Error(`CreateRole failed: ${text.slice(0, 200)}`);
  return arn[1] as string;
}
