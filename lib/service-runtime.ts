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
 * The Anthropic API key, from where the user put it: `mallex up` leaves it out
 * of the environment pm2 records, so a service that sends it reads config.yaml.
 */
async function addClaudeApiKey(config: MallexConfig, environment: MallexEnvironment): Promise<MallexConfig> {
  if (config.routing.authMethod !== 'apikey' || config.routing.claudeApiKey) return config;
  const { loadConfig } = await import('./config/load-config.js');
  const claudeApiKey = loadConfig(environment.home).config.routing.claudeApiKey;
  if (!claudeApiKey) throw new Error(`authMethod is apikey but ${environment.home}/config.yaml has no routing.claudeApiKey; run \`mallex setup\``);
  return { ...config, routing: { ...config.routing, claudeApiKey } };
}

/**
 * What every service's server.ts needs before it listens: the environment,
 * the validated config and the internal token. A problem ends the process
 * with one readable line (pm2 shows it in `mallex logs`). Only a service that
 * sends the Anthropic API key asks for it (readsClaudeApiKey).
 */
export async function loadServiceRuntime(serviceName: string, { readsClaudeApiKey = false } = {}): Promise<ServiceRuntime> {
  const environment = readEnvironment();
  try {
    const serviceConfig = await readServiceConfig(environment, serviceName);
    const config = readsClaudeApiKey ? await addClaudeApiKey(serviceConfig, environment) : serviceConfig;
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
