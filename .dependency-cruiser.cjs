/**
 * The architecture's boundaries (DESIGN.md "Layout"), enforced in CI by `npm run boundaries`.
 * One direction only: harness → detectors, generators → src; src/core imports nothing internal.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make the one-way data flow impossible to reason about.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-is-the-ground-floor',
      severity: 'error',
      comment: 'src/ is pure and imports nothing above it (generators/, harness/, detectors/).',
      from: { path: '^src/' },
      to: { path: '^(generators|harness|detectors|bench|test)/' },
    },
    {
      name: 'core-imports-nothing-internal',
      severity: 'error',
      comment: 'src/core is the shared vocabulary: it imports no other part of enumbench.',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'src-is-pure',
      severity: 'error',
      comment: 'No servers, processes or file system in src/ (STYLE.md 11): those belong in harness/.',
      from: { path: '^src/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|child_process|http|https|http2|net|tls|dgram|cluster|worker_threads|process|readline)$',
      },
    },
    {
      name: 'generators-below-harness',
      severity: 'error',
      comment: 'generators/ never reaches harness/ or detectors/.',
      from: { path: '^generators/' },
      to: { path: '^(harness|detectors)/' },
    },
    {
      name: 'detectors-see-what-a-detector-sees',
      severity: 'error',
      comment:
        'A reference detector is written as an outside detector would be: src/core types only, never generators/ or harness/.',
      from: { path: '^detectors/' },
      to: { path: '^(generators|harness)/|^src/(?!core/)' },
    },
    {
      name: 'truth-never-reaches-the-detector-side',
      severity: 'error',
      comment: 'The mock services, the replay and the detectors never import the truth or the scorer.',
      from: { path: '^(harness/(mock|replay)|detectors)/' },
      to: { path: '^src/(scoring|thresholds)/|^src/core/truth\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/|\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
