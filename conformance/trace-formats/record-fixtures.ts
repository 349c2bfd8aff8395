// `make fixtures`: records the trace readers' fixtures from real TLC runs — a variant's error trace
// as TLC prints it (plain and -tool), as -dumpTrace json and as a -simulate file, a liveness lasso,
// and a looping lasso of lib/tlc/fixtures/Live.tla — and writes fixtures/manifest.json with the
// TLC version, the command and the spec hash of each, so a test can tell when they are stale.
// Stands for nothing in TLC; it only runs it.
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFile, loadManifest, specFile } from '../../lib/check/manifest.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { hashFiles, specHash } from '../../lib/check/spec-hash.ts';
import { flattenModule } from '../../lib/tla/flatten.ts';
import { findTlaToolsJar } from '../../lib/tlc/locate.ts';
import { runTlcInDir } from '../../lib/tlc/run.ts';

export const FIXTURES_DIR = path.join(REPO_ROOT, 'conformance', 'trace-formats', 'fixtures');
export const FIXTURES_MANIFEST = path.join(FIXTURES_DIR, 'manifest.json');
/** The command that regenerates the fixtures. */
export const RECORD_FIXTURES_COMMAND = 'make fixtures';

/** One recorded file: what TLC was run on and how. */
export interface FixtureRecord {
  file: string;
  /** A config of spec/models, or the path of a lib/tlc fixture config. */
  config: string;
  /** TLC's arguments after `tlc2.TLC` (paths relative to the run's folder). */
  tlcArgs: string[];
  specHash: string;
}

export interface FixturesManifest {
  $comment: string;
  engineVersion: string;
  command: string;
  fixtures: FixtureRecord[];
}

interface Recipe {
  file: string;
  config: string;
  /** The module and its cfg, and the modules it extends. */
  spec: string;
  cfg: string;
  args: string[];
  /** The file TLC writes that becomes the fixture; stdout when absent. */
  output?: string;
  /** TLC's exit code when the run went as meant: 12 a safety violation, 13 a liveness one, 0 a
   *  simulation that wrote its behaviour. */
  exit: number;
}

const TIMEOUT_MS = 120_000;

function recipes(): Recipe[] {
  const spec = specFile(loadManifest());
  const live = path.join(REPO_ROOT, 'lib', 'tlc', 'fixtures');
  const variant = (config: string, file: string, exit: number, args: string[], output?: string): Recipe => ({
    file,
    config,
    spec,
    cfg: configFile(config),
    args,
    exit,
    ...(output ? { output } : {}),
  });
  return [
    variant('no-gup-fast-recheck', 'no-gup-fast-recheck.stdout.txt', 12, []),
    variant('no-gup-fast-recheck', 'no-gup-fast-recheck.tool.txt', 12, ['-tool']),
    variant('no-gup-fast-recheck', 'no-gup-fast-recheck.dump.json', 12, ['-dumpTrace', 'json', 'trace.json'], 'trace.json'),
    variant(
      'no-gup-fast-recheck',
      'no-gup-fast-recheck.simulate_0_0',
      0,
      ['-simulate', 'num=1,file=trace', '-depth', '12', '-seed', '7'],
      'trace_0_0',
    ),
    variant('lost-wakeup-liveness', 'lost-wakeup-liveness.stdout.txt', 13, []),
    variant('lost-wakeup-liveness', 'lost-wakeup-liveness.dump.json', 13, ['-dumpTrace', 'json', 'trace.json'], 'trace.json'),
    {
      file: 'live-loop.stdout.txt',
      config: 'lib/tlc/fixtures/Live.cfg',
      spec: path.join(live, 'Live.tla'),
      cfg: path.join(live, 'Live.cfg'),
      args: [],
      exit: 13,
    },
  ];
}

function hashOf(r: Recipe): string {
  // A lib/tlc fixture is not the project's spec: its own module and config are hashed alike.
  return r.config.endsWith('.cfg') ? hashFiles([r.spec, r.cfg]) : specHash(r.config);
}

/** The spec hash each fixture would record now (for the staleness test). */
export function currentFixtureHashes(): Map<string, string> {
  return new Map(recipes().map((r) => [r.file, hashOf(r)]));
}

/** Runs TLC for every fixture in a temporary folder and replaces fixtures/ with the results. */
export function recordFixtures(log: (line: string) => void = () => {}): FixturesManifest {
  findTlaToolsJar(); // fail before any run when there is no jar
  const work = mkdtempSync(path.join(os.tmpdir(), 'dax-fixtures-'));
  try {
    let engineVersion = '';
    const records: FixtureRecord[] = [];
    const staged: [string, string][] = [];
    for (const r of recipes()) {
      const dir = mkdtempSync(path.join(work, 'run-'));
      for (const m of flattenModule(r.spec).modules) copyFileSync(m.path, path.join(dir, path.basename(m.path)));
      copyFileSync(r.cfg, path.join(dir, 'model.cfg'));
      const tlcArgs = ['-workers', '1', '-metadir', 'meta', ...r.args, '-config', 'model.cfg', path.basename(r.spec)];
      log(`TLC ${tlcArgs.join(' ')}  (${r.file})`);
      const p = runTlcInDir(dir, tlcArgs, TIMEOUT_MS);
      if (p.status !== r.exit)
        throw new Error(
          `${r.file}: TLC ${p.status === null ? `did not run: ${p.error}` : `exited with ${p.status}, not ${r.exit}`}:\n${p.stdout.slice(-2000)}`,
        );
      engineVersion ||= /TLC2 Version [^\n]*/.exec(p.stdout)?.[0] ?? '';
      const text = r.output ? readFileSync(path.join(dir, r.output), 'utf8') : p.stdout;
      const out = path.join(work, r.file);
      writeFileSync(out, text);
      staged.push([out, path.join(FIXTURES_DIR, r.file)]);
      records.push({ file: r.file, config: r.config, tlcArgs, specHash: hashOf(r) });
    }
    const manifest: FixturesManifest = {
      $comment: `Reader fixtures: real TLC output, recorded by conformance/trace-formats/record-fixtures.ts (${RECORD_FIXTURES_COMMAND}). specHash as lib/check/spec-hash.ts computes it.`,
      engineVersion,
      command: RECORD_FIXTURES_COMMAND,
      fixtures: records,
    };
    const m = path.join(work, 'manifest.json');
    writeFileSync(m, `${JSON.stringify(manifest, null, 2)}\n`);
    staged.push([m, FIXTURES_MANIFEST]);
    // Every run succeeded: only now are the committed files replaced, each by a rename.
    for (const [from, to] of staged) {
      copyFileSync(from, `${to}.tmp`);
      renameSync(`${to}.tmp`, to);
    }
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = recordFixtures((l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`recorded ${m.fixtures.length} fixtures with ${m.engineVersion}\n`);
}
