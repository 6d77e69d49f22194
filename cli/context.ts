import { readEnvironment, type MallexEnvironment } from '../lib/config/environment.js';
import { loadConfig, type LoadedConfig } from '../lib/config/load-config.js';

/** What every command needs; built once per run, config loaded on first use. */
export interface CliContext {
  environment: MallexEnvironment;
  loadConfig(): LoadedConfig;
  out(line: string): void;
  err(line: string): void;
}

export function createCliContext(): CliContext {
  const environment = readEnvironment();
  let loaded: LoadedConfig | undefined;
  return {
    environment,
    loadConfig() {
      if (!loaded) {
        loaded = loadConfig(environment.home);
        for (const warning of loaded.warnings) process.stderr.write(`mallex: warning: ${warning}\n`);
      }
      return loaded;
    },
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}
