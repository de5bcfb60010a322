// The direction of src/, enforced by dependency-cruiser in `npm test` (README, "Developing").
//
// Data flows one way: acquire → model → analyse → render, with the orchestration and the commands on top.
// A folder may import its own layer's other folders (one way only: no folder cycles) and any layer below
// it, never one above — type-only imports included.
/** Layers from the bottom up; each entry is a path pattern relative to the repository root. */
const LAYERS = [
  { name: 'base', path: '^src/(util/|version\\.ts$)', what: 'helpers that know nothing of the product' },
  { name: 'acquire', path: '^src/(python|aws|sam)/', what: 'the Python harness and its runner; the AWS clients; SAM templates' },
  { name: 'model', path: '^src/(importtime|model)/', what: 'the import tree, sessions, invocation records, summaries' },
  { name: 'analyse', path: '^src/(analysis|gate|package)/', what: 'statistics, attribution, advice, gates, package analysis' },
  { name: 'render', path: '^src/render/', what: 'one file per output format' },
  { name: 'orchestrate', path: '^src/(benchmark|profile|invoke|logs|remote)/', what: 'scheduling runs; the profile, invoke and logs pipelines; the import profile measured inside Lambda' },
  { name: 'commands', path: '^src/(commands/|cli\\.ts$)', what: 'thin commands and the CLI wiring' },
];

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `${layer.name}-not-upward`,
  comment: `${layer.name} (${layer.what}) may not import a layer above it: ${LAYERS.slice(i + 1)
    .map((l) => l.name)
    .join(', ')}.`,
  severity: 'error',
  from: { path: layer.path },
  to: {
    path: LAYERS.slice(i + 1)
      .map((l) => `(${l.path})`)
      .join('|'),
  },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'No import cycle between modules.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment: 'No folder imports a folder that imports it back.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'every-file-placed',
      comment: 'Every source file belongs to a layer: a new folder is added to LAYERS in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^src/', pathNot: LAYERS.map((l) => `(${l.path})`).join('|') },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a broken build.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
