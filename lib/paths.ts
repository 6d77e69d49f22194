import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Compiled code lives in dist/lib; the package root is two folders up from
// there (and from lib/ when run from source).
const here = path.dirname(fileURLToPath(import.meta.url));
export const PACKAGE_ROOT = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

export const DEFAULT_CONFIG_PATH = path.join(PACKAGE_ROOT, 'config', 'default.yaml');

/** Files mallex keeps in its home folder. */
export function homePaths(home: string) {
  return {
    home,
    config: path.join(home, 'config.yaml'),
    legacyConfig: path.join(home, 'config.json'),
    token: path.join(home, 'token'),
    venv: path.join(home, 'venv'),
    serverLog: path.join(home, 'server.log'),
    previousServerLog: path.join(home, 'server.prev.log'),
    requestLog: path.join(home, 'requests.jsonl'),
    lastRequest: path.join(home, 'last-request.json'),
    lastTranslated: path.join(home, 'last-translated.json'),
    sessionState: path.join(home, 'sessions.json'),
  };
}
