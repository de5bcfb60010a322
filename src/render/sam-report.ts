// `profile --sam`'s terminal report: each function's profile report under a heading, then what was skipped.
import type { SamInput } from './inputs.js';
import { renderProfileReport } from './profile-report.js';
import type { Renderer } from './renderer.js';
import { loadTables } from './text-table.js';

export const renderer: Renderer<SamInput> = {
  async render({ functions, skipped, listSkipped }, sink) {
    await loadTables();
    functions.forEach((fn, i) => {
      const { session, advice, options } = fn.profile;
      sink.write(`${i > 0 ? '\n' : ''}── ${fn.logicalId} · ${fn.runtime} · ${fn.handler} ──\n${renderProfileReport(session, advice, options)}`);
    });
    if (skipped.length > 0 && listSkipped) sink.write(`Skipped: ${skipped.map((s) => `${s.logicalId} (${s.reason})`).join('; ')}\n`);
  },
};
