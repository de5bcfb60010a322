// module-client: an SDK client built at module level is the right pattern (built once per environment,
// reused by every warm request). Said so once per module (at its first client, naming them all), with what
// that module's own code costs, and no saving: the module's cost is counted once, not once per client.
// With the attribution run, the cost is the client statements' own, measured.
import { callLabel, statementsAt } from '../../importtime/statements.js';
import { statementField, usToMs, type ProfileRule } from './context.js';
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
      const attributed = ctx.statements.get(f.module);
      // the statements that build the clients (one statement may build several)
      const own = attributed ? statementsAt(attributed, f.clients.map((c) => c.line)) : [];
      const measured = own.length > 0 ? own.reduce((t, s) => t + s.selfUs, 0) : null;
      const cost = measured !== null ? usToMs(measured) : m ? usToMs(m.selfUs.median) : 0;
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
          `Keep ${calls.length === 1 ? 'it' : 'them'}. ` +
          (measured !== null
            ? `Building ${calls.length === 1 ? 'it' : 'them'} takes ${cost} ms of init (${own.length === 1 ? 'its statement' : 'their statements'}, measured${own[0]?.calls ? ` in ${callLabel(own[0].calls)}` : ''}), of the ${m ? usToMs(m.selfUs.median) : '?'} ms of ${f.module}'s own module-level code.`
            : `${f.module}'s own module-level code, which builds ${calls.length === 1 ? 'it' : 'them'}, takes ${m ? cost : '?'} ms of init.`),
        ...(own[0] && attributed
          ? { statement: statementField(attributed, own[0], cost, measured ?? 0) }
          : {}),
      });
    }
    return out;
  },
};
