import { ConfigError } from './config/config-error.js';
import { readEnvironment, type MallexEnvironment } from './config/environment.js';
import { loadConfig } from './config/load-config.js';
import type { MallexConfig } from './config/schema.js';

export interface ServiceRuntime {
  environment: MallexEnvironment;
  config: MallexConfig;
  internalToken: string;
}

/**
 * What every service's server.ts needs before it listens: the environment,
 * the validated config and the internal token. A problem ends the process
 * with one readable line (pm2 shows it in `mallex logs`).
 */
export function loadServiceRuntime(serviceName: string): ServiceRuntime {
  const environment = readEnvironment();
  try {
    const { config, warnings } = loadConfig(environment.home);
    for (const warning of warnings) console.warn(JSON.stringify({ level: 'warn', service: serviceName, msg: warning }));
    if (!environment.internalToken) {
      throw new Error('MALLEX_INTERNAL_TOKEN is not set; start the services with `mallex up`');
    }
    return { environment, config, internalToken: environment.internalToken };
  } catch (error) {
    const message = error instanceof ConfigError ? `invalid config: ${error.message}` : (error as Error).message;
    console.error(JSON.stringify({ level: 'fatal', service: serviceName, msg: message }));
    process.exit(78); // EX_CONFIG
  }
}
