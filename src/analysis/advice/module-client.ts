// module-client: an SDK client built at module level is the right pattern (built once per environment,
// reused by every warm request). Said so once per module (at its first client, naming them all), with what
// that module's own code costs, and no saving: the module's cost is counted once, not once per client.
import { usToMs, type ProfileRule } from './context.js';
import type { Advice } from './types.js';

export const moduleClient: ProfileRule = {
  scope: 'profile',
  kind: 'module-client',
  advise(ctx) {
    const out: Advice[] = [];
    for (const f of ctx.facts) {
      const first = f.clients[0];
      if (!first) continue;
      const m = ctx.modules.find((x) => x.name === f.module);
      const cost = m ? usToMs(m.selfUs.median) : 0;
      const calls = f.clients.map((c) => `${c.call}(${c.service ? `'${c.service}'` : ''})`);
      const named = calls.length === 1 ? `${calls[0]} at module level is` : `${calls.slice(0, -1).join(', ')} and ${calls[calls.length - 1]} at module level (lines ${f.clients.map((c) => c.line).join(', ')}) are`;
      out.push({
        kind: 'module-client',
        file: ctx.display(f.file),
        line: first.line,
        module: f.module,
        savingMs: 0,
        costMs: cost,
        message:
          `${named} the right pattern: built once per environment and reused by every warm request. ` +
          `Keep ${calls.length === 1 ? 'it' : 'them'}. ${f.module}'s own module-level code, which builds ${calls.length === 1 ? 'it' : 'them'}, takes ${m ? cost : '?'} ms of init.`,
      });
    }
    return out;
  },
};
