// The layering every import must follow (checked by `npm run layers`, in CI):
//   lib/ (libraries) and impl/ (imports nothing outside itself)  <-  conformance/ (the harness)  <-  tools/ (commands)  <-  bench/, bin/
// and inside lib/ and tools/ a fixed order of folders, lowest first. An import may only point to
// its own folder or to a lower one.
const LIB = ['paths.ts', 'skip-reason.ts', 'interrupt.ts', 'in-worker.ts', 'values', 'result', 'tla', 'report', 'tlc', 'embedded', 'check'];
const TOOLS = ['link', 'mutate', 'cli'];

/** Forbid each folder of `order` (under `root`) from importing a folder above it. */
function upward(root, order) {
  return order.slice(0, -1).map((name, i) => ({
    name: `${root}/${name} stays below ${order.slice(i + 1).join(', ')}`,
    severity: 'error',
    from: { path: `^${root}/${name.replace('.', '\\.')}` },
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
