// consider-provisioned-or-snapstart: when init stays above --init-target after every code change the
// rules before this one suggest, name what remains: provisioned concurrency and SnapStart, with their costs.
import { usToMs, type ProfileRule } from './context.js';

export const considerProvisionedOrSnapStart: ProfileRule = {
  scope: 'profile',
  kind: 'consider-provisioned-or-snapstart',
  advise(ctx, earlier) {
    const { session, opts } = ctx;
    const codeSavings = earlier.filter((a) => a.kind !== 'module-client').reduce((t, a) => t + a.savingMs, 0);
    const remaining = usToMs(ctx.initUs) - codeSavings;
    if (!(session.source === 'run' && remaining > opts.initTargetMs)) return [];
    const snap =
      ctx.python3Minor >= 12
        ? ' SnapStart (Python 3.12+) moves init to publish time and adds a restore time to cold starts instead; code that must run per environment (random seeds, connections) needs runtime hooks.'
        : ' SnapStart needs Python 3.12 or newer.';
    return [
      {
        kind: 'consider-provisioned-or-snapstart',
        file: session.target?.path ? ctx.display(session.target.path) : (session.target?.display ?? ''),
        line: 1,
        module: session.target?.module ?? '',
        savingMs: Math.round(remaining * 10) / 10,
        message:
          `Init stays at about ${Math.round(remaining)} ms after the changes above, above the --init-target of ${opts.initTargetMs} ms. ` +
          `Provisioned concurrency keeps environments initialised ahead of traffic, but costs money even when idle and does not cover traffic above it;` +
          `${snap} Warmers (scheduled pings) do not help the first load after a deploy or a scale-out.`,
      },
    ];
  },
};
