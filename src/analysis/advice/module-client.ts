// module-client: an SDK client built at module level is the right pattern (built once per environment,
// reused by every warm request). Said so, with what its module's own code costs, and no saving.
import { usToMs, type ProfileRule } from './context.js';
import type { Advice } from './types.js';

export const moduleClient: ProfileRule = {
  scope: 'profile',
  kind: 'module-client',
  advise(ctx) {
    const out: Advice[] = [];
    for (const f of ctx.facts) {
      const m = ctx.modules.find((x) => x.name === f.module);
      for (const c of f.clients) {
        out.push({
          kind: 'module-client',
          file: ctx.display(f.file),
          line: c.line,
          module: f.module,
          savingMs: 0,
          costMs: m ? usToMs(m.selfUs.median) : 0,
          message:
            `${c.call}(${c.service ? `'${c.service}'` : ''}) at module level is the right pattern: it is built once per environment and reused by every warm request. ` +
            `Keep it. ${f.module}'s own module-level code, which builds it, takes ${m ? usToMs(m.selfUs.median) : '?'} ms of init.`,
        });
      }
    }
    return out;
  },
};
