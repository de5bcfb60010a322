import { defineConfig } from 'vitest/config';

// Two lanes, each one file at a time; `npm test` runs them side by side (scripts/test.mjs: one vitest
// process per lane, 2 cores), `npx vitest run` one after the other:
// - "measuring": the tests that time imports with real Python interpreters (profile, the gate, statements,
//   several Pythons, real deployments) — one at a time, so that no two of them share the CPU;
// - "other": unit tests and the tests whose figures come from the Lambda emulator's or moto's records, not
//   from this machine's clock (invoke, logs, the emulator, packaging, the layer rules).
const MEASURING = [
  'test/integration/action.test.ts',
  'test/integration/gate-recipe.test.ts',
  'test/integration/gate.test.ts',
  'test/integration/harness-cache.test.ts',
  'test/integration/interpreter.test.ts',
  'test/integration/measure.test.ts',
  // every profile test but profile --remote's, which measures inside the (emulated) function
  'test/integration/profile.test.ts',
  'test/integration/profile-!(remote)*.test.ts',
  'test/integration/real-deployment.test.ts',
];

const shared = { testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false };

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'measuring', include: MEASURING } },
      { test: { ...shared, name: 'other', include: ['test/**/*.test.ts'], exclude: [...MEASURING, 'node_modules/**'] } },
    ],
  },
});
