// module-client: an SDK client built at module level is the right pattern; the advice says so, with
// what its module's own code costs and no saving.
import { describe, expect, it } from 'vitest';
import { adviseProfile } from '../../src/analysis/advice.js';
import { dep, facts, imp, own, profileOf } from '../support/advice.js';

const opts = { max: 10, initTargetMs: 10_000 };

describe('module-client', () => {
  it('names the clients built at module level once per module, with its own time as the cost (counted once)', () => {
    const s = profileOf(own('handler', 1, [dep('boto3', 30), own('store', 12)]), {
      facts: [
        facts('handler', [imp(1, 'boto3', 'module-level', 4), imp(2, 'store', 'module-level', 6)], [{ line: 4, call: 'boto3.client', service: 's3' }]),
        facts('store', [imp(1, 'boto3', 'module-level', 3)], [{ line: 3, call: 'boto3.resource', service: 'dynamodb' }, { line: 5, call: 'boto3.Session', service: null }]),
      ],
    });
    const clients = adviseProfile(s, opts).filter((a) => a.kind === 'module-client');
    expect(clients.map((a) => [a.file, a.line, a.module, a.savingMs, a.costMs])).toEqual([
      ['store.py', 3, 'store', 0, 12],
      ['handler.py', 4, 'handler', 0, 1],
    ]);
    expect(clients[0]?.message).toMatch(/^boto3\.resource\('dynamodb'\) and boto3\.Session\(\) at module level \(lines 3, 5\) are the right pattern/);
    expect(clients[0]?.message).toContain("Keep them. store's own module-level code, which builds them, takes 12 ms of init.");
    expect(clients[1]?.message).toContain("Keep it. handler's own module-level code, which builds it, takes 1 ms of init.");
  });

  it('gives no advice when no client is built at module level', () => {
    const s = profileOf(own('handler', 1, [dep('boto3', 30)]), { facts: [facts('handler', [imp(1, 'boto3', 'module-level', 4)])] });
    expect(adviseProfile(s, opts).some((a) => a.kind === 'module-client')).toBe(false);
  });
});
