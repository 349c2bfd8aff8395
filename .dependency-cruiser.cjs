// The layering every import must follow (checked by `npm run layers`, in CI):
//   lib/ (libraries) and impl/ (imports nothing outside itself)  <-  conformance/ (the harness)  <-  tools/ (commands)  <-  bench/, bin/
// and inside lib/ and tools/ a fixed order of folders, lowest first. An import may only point to
// its own folder or to a lower one.
const LIB = ['paths.ts', 'skip-reason.ts', 'interrupt.ts', 'in-worker.ts', 'values', 'result', 'tla', 'report', 'tlc', 'embedded', 'check'];
const TOOLS = ['link', 'mutate', 'cli'];
// conformance/ by direction (conformance/README.md): readers of TLC's output and the committed
// corpus at the bottom, then the refinement mapping, the model a config builds, the oracles
// answering "may the spec take this step", the spec's own refinement of the promise on state
// graphs (promise/: it reads the oracle's DOT graphs), the two directions (spec -> implementation replay,
// implementation -> spec executions), and the suite over all of them; index.ts is the entry.
const CONFORMANCE = [
  'trace-formats',
  'traces',
  'shards',
  'explain',
  'refinement',
  'model',
  'oracle',
  'promise',
  'replay',
  'regressions',
  'executions',
  'suite',
  'index.ts',
];

/** Forbid each folder of `order` (under `root`) from importing a folder above it. */
function upward(root, order, fromNot) {
  return order.slice(0, -1).map((name, i) => ({
    name: `${root}/${name} stays below ${order.slice(i + 1).join(', ')}`,
    severity: 'error',
    from: { path: `^${root}/${name.replace('.', '\\.')}`, ...(fromNot ? { pathNot: fromNot } : {}) },
    to: {
      path: `^${root}/(${order
        .slice(i + 1)
        .map((n) => n.replace('.', '\\.'))
        .join('|')})`,
    },
  }));
}

module.exports = {
  forbidden: [
    { name: 'lib stays at the bottom', severity: 'error', from: { path: '^lib/' }, to: { path: '^(impl|conformance|tools|bench|bin)/' } },
    {
      name: 'impl imports nothing outside itself',
      severity: 'error',
      from: { path: '^impl/' },
      to: { path: '^(lib|conformance|tools|bench|bin)/' },
    },
    {
      name: 'conformance stays below the commands',
      severity: 'error',
      from: { path: '^conformance/' },
      to: { path: '^(tools|bench|bin)/' },
    },
    { name: 'tools stays below bench and bin', severity: 'error', from: { path: '^tools/' }, to: { path: '^(bench|bin)/' } },
    ...upward('lib', LIB),
    ...upward('tools', TOOLS),
    // A test may drive the module it tests with a higher folder (the graph oracle's test runs
    // implementation executions against it; a counterexample's explanation is tested on a real
    // replay), so conformance/'s order binds its sources; its tests are bound by the rules above.
    ...upward('conformance', CONFORMANCE, '\\.test\\.ts$'),
    {
      name: 'conformance has one loose file, its entry point',
      severity: 'error',
      from: { path: '^conformance/[^/]+\\.ts$', pathNot: '^conformance/index\\.ts$' },
      to: {},
    },
    // Runtime cycles only (type-only imports erase at run time). ext4's extents.c and inode.c call
    // each other in the kernel too (ext4_collapse_range -> ext4_break_layouts, ext4_punch_hole ->
    // ext4_ext_remove_space); the implementation mirrors the kernel's files, so that pair is allowed.
    {
      name: 'no cycles',
      severity: 'error',
      from: { pathNot: '^impl/fs/ext4/(extents|inode)\\.ts$' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)fixtures/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
  },
};
