import path from 'node:path';
import { PACKAGE_ROOT } from '../../lib/paths.js';

export const REPO_ROOT = PACKAGE_ROOT;
export const MALLEX_BIN = path.join(PACKAGE_ROOT, 'bin', 'mallex.js');
/** ../shared next to the project's root: the docs and recorded Claude Code requests. */
export const SHARED_DIR = path.resolve(PACKAGE_ROOT, '..', 'shared');
export const CLAUDE_CODE_FIXTURES_DIR = path.join(SHARED_DIR, 'fixtures', 'claude-code');
