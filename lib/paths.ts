// Where the repository is on disk: the one root every library, harness and command resolves
// spec/, conformance/ and tools/ paths against.
import { fileURLToPath } from 'node:url';

/** The repository root, derived from this file's place (lib/paths.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
