// Finds the Java binary and tla2tools.jar that run TLC, and asks the jar for its version.
// Stands for the `java -cp tla2tools.jar tlc2.TLC` command line every TLC front end assembles.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../paths.ts';

/** Why TLC cannot be started. */
export type TlcLocateErrorKind = 'missing-java' | 'missing-jar';

/** Java or the jar is missing; the message is one line and says how to fix it. */
export class TlcLocateError extends Error {
  override readonly name = 'TlcLocateError';
  constructor(
    readonly kind: TlcLocateErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** Where to look. Defaults: the process environment and the repository containing this file. */
export interface LocateOptions {
  env?: NodeJS.ProcessEnv;
  /** Repository root; <root>/tools/tla2tools.jar is the fallback jar (what `make tlc` fetches). */
  repoRoot?: string;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Path of tla2tools.jar: $TLA2TOOLS_JAR, else <repo>/tools/tla2tools.jar.
 *  A TLA2TOOLS_JAR that points nowhere is an error rather than a silent fallback, so a typo shows.
 *  @throws TlcLocateError kind 'missing-jar' */
export function findTlaToolsJar(opts: LocateOptions = {}): string {
  const env = opts.env ?? process.env;
  const fromEnv = env.TLA2TOOLS_JAR;
  if (fromEnv) {
    const p = path.resolve(fromEnv);
    if (isFile(p)) return p;
    throw new TlcLocateError(
      'missing-jar',
      `tla2tools.jar not found: TLA2TOOLS_JAR=${fromEnv} is not a file; point it at tla2tools.jar or unset it and run \`make tlc\``,
    );
  }
  const repoJar = path.join(opts.repoRoot ?? REPO_ROOT, 'tools', 'tla2tools.jar');
  if (isFile(repoJar)) return repoJar;
  throw new TlcLocateError(
    'missing-jar',
    `tla2tools.jar not found (TLA2TOOLS_JAR unset, no ${repoJar}); set TLA2TOOLS_JAR=/path/to/tla2tools.jar or run \`make tlc\``,
  );
}

/** Path of the java binary: $JAVA, else $JAVA_HOME/bin/java, else `java` on $PATH.
 *  @throws TlcLocateError kind 'missing-java' */
export function findJava(opts: LocateOptions = {}): string {
  const env = opts.env ?? process.env;
  const exe = process.platform === 'win32' ? 'java.exe' : 'java';
  if (env.JAVA) {
    const p = path.resolve(env.JAVA);
    if (isExecutable(p)) return p;
    throw new TlcLocateError(
      'missing-java',
      `java not found: JAVA=${env.JAVA} is not an executable file; point JAVA at a Java 11+ binary or unset it`,
    );
  }
  // A stale JAVA_HOME is common enough that it falls through to PATH rather than failing.
  if (env.JAVA_HOME) {
    const p = path.join(env.JAVA_HOME, 'bin', exe);
    if (isExecutable(p)) return p;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, exe);
    if (isExecutable(p)) return p;
  }
  const home = env.JAVA_HOME ? ` (JAVA_HOME=${env.JAVA_HOME} has no bin/${exe})` : '';
  throw new TlcLocateError(
    'missing-java',
    `java not found on PATH${home}; install Java 11+ (e.g. apt-get install openjdk-17-jre-headless) or set JAVA=/path/to/java`,
  );
}

const versionCache = new Map<string, Promise<string>>();

/** TLC's version line, e.g. "TLC2 Version 2.20 of Day Month 20?? (rev: bacd9d2)", cached per
 *  (java, jar). TLC 2.20 has no -version option: it prints the version line first and then
 *  rejects the option, so the first output line is taken and the exit code ignored. */
export function tlcVersion(opts: LocateOptions & { java?: string; jar?: string } = {}): Promise<string> {
  const java = opts.java ?? findJava(opts);
  const jar = opts.jar ?? findTlaToolsJar(opts);
  const key = `${java}\0${jar}`;
  let p = versionCache.get(key);
  if (!p) {
    p = readVersion(java, jar);
    versionCache.set(key, p);
    // A failed probe must not poison the cache for the rest of the process.
    p.catch(() => versionCache.delete(key));
  }
  return p;
}

function readVersion(java: string, jar: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(java, ['-cp', jar, 'tlc2.TLC', '-version'], { shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.resume();
    child.on('error', (e) => reject(new TlcLocateError('missing-java', `cannot run ${java}: ${e.message}`)));
    child.on('close', () => {
      const line = out.split(/\r?\n/).find((l) => /^TLC2 Version /.test(l));
      if (line) resolve(line.trim());
      else
        reject(
          new TlcLocateError(
            'missing-jar',
            `${jar} did not print a TLC version line; is it tla2tools.jar? set TLA2TOOLS_JAR or run \`make tlc\``,
          ),
        );
    });
  });
}
