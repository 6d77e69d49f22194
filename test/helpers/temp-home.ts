import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { findFreePorts } from './free-port.js';

export interface TempHome {
  /** MALLEX_HOME for the test. */
  home: string;
  /** PM2_HOME for the test: never the real ~/.pm2. */
  pm2Home: string;
  ports: { proxy: number; classifier: number; translator: number; mlxManager: number; server: number };
  /** Environment for child processes: the real HOME is replaced too. */
  env: NodeJS.ProcessEnv;
  writeConfig(config: Record<string, unknown>): void;
  remove(): void;
}

/**
 * A throwaway MALLEX_HOME and PM2_HOME with free ports written into
 * config.yaml, so tests never touch ~/.mallex or ~/.pm2 and never collide.
 */
export async function createTempHome(extraConfig: Record<string, unknown> = {}): Promise<TempHome> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-test-'));
  const home = path.join(root, 'mallex');
  // pm2 keeps a unix socket in its home; keep the path short (108-byte limit).
  const pm2Home = path.join(root, 'pm2');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(pm2Home, { recursive: true });
  const [proxy, classifier, translator, mlxManager, server] = (await findFreePorts(5)) as [number, number, number, number, number];
  const ports = { proxy, classifier, translator, mlxManager, server };
  const baseConfig = {
    proxyPort: proxy,
    servicePorts: { classifier, translator, mlxManager },
    serverPort: server,
    // An external model server on a free port (nothing there unless the test starts a fake):
    // the default managed mode would create a venv and run pip in the background of every stack test.
    backend: { kind: 'openai', url: `http://127.0.0.1:${server}/v1` },
  };
  const writeConfig = (config: Record<string, unknown>) =>
    fs.writeFileSync(path.join(home, 'config.yaml'), YAML.stringify({ ...baseConfig, ...config }));
  writeConfig(extraConfig);
  return {
    home,
    pm2Home,
    ports,
    env: { ...process.env, MALLEX_HOME: home, PM2_HOME: pm2Home, HOME: path.join(root, 'user-home') },
    writeConfig,
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
