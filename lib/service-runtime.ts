import { readEnvironment, type MallexEnvironment } from './config/environment.js';
import type { MallexConfig } from './config/schema.js';

export interface ServiceRuntime {
  environment: MallexEnvironment;
  config: MallexConfig;
  internalToken: string;
}

/** The config `mallex up` validated, or (a service started by hand) the files, loaded and validated here. */
async function readServiceConfig(environment: MallexEnvironment, serviceName: string): Promise<MallexConfig> {
  if (environment.configJson) return JSON.parse(environment.configJson) as MallexConfig;
  // Loaded lazily: the YAML parser and zod are only needed on this path.
  const { loadConfig } = await import('./config/load-config.js');
  const { config, warnings } = loadConfig(environment.home);
  for (const warning of warnings) console.warn(JSON.stringify({ level: 'warn', service: serviceName, msg: warning }));
  return config;
}

/**
 * What every service's server.ts needs before it listens: the environment,
 * the validated config and the internal token. A problem ends the process
 * with one readable line (pm2 shows it in `mallex logs`).
 */
export async function loadServiceRuntime(serviceName: string): Promise<ServiceRuntime> {
  const environment = readEnvironment();
  try {
    const config = await readServiceConfig(environment, serviceName);
    if (!environment.internalToken) {
      throw new Error('MALLEX_INTERNAL_TOKEN is not set; start the services with `mallex up`');
    }
    return { environment, config, internalToken: environment.internalToken };
  } catch (error) {
    const message = (error as Error).name === 'ConfigError' ? `invalid config: ${(error as Error).message}` : (error as Error).message;
    console.error(JSON.stringify({ level: 'fatal', service: serviceName, msg: message }));
    process.exit(78); // EX_CONFIG
  }
}
