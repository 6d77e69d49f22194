import fs from 'node:fs';
import YAML from 'yaml';
import { ConfigError } from '../../lib/config/config-error.js';
import { loadConfig } from '../../lib/config/load-config.js';
import { configSchema, type MallexConfig } from '../../lib/config/schema.js';
import type { Hardware } from '../../lib/hardware/hardware.js';
import { recommendModel } from '../../lib/hardware/recommend-model.js';
import { DEFAULT_CONFIG_PATH, homePaths } from '../../lib/paths.js';
import type { SetupPlan, Tiers } from './setup-answers.js';

export interface SetupSources {
  plan: SetupPlan;
  /** The user's config.yaml as it is now (empty when there is none): setup changes only its own keys. */
  userConfig: Record<string, unknown>;
  /** config/default.yaml as parsed YAML, for validating the result. */
  defaults: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function readUserConfigFile(configPath: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let value: unknown;
  try {
    value = YAML.parse(text, { uniqueKeys: true });
  } catch (error) {
    throw new ConfigError(`${configPath}: not valid YAML (${(error as Error).message.split('\n')[0]}); fix it or move it away, then run mallex setup again`);
  }
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) throw new ConfigError(`${configPath}: expected a mapping of keys at the top level; fix it or move it away, then run mallex setup again`);
  return value;
}

/** The user's tier table when it is well formed; a broken one is not offered as the starting point. */
function readTiers(routing: unknown): Tiers | null {
  if (!isPlainObject(routing) || !isPlainObject(routing.tiers)) return null;
  const entries = Object.entries(routing.tiers);
  const wellFormed = entries.length > 0 && entries.every(([number, tier]) =>
    /^[1-9][0-9]*$/.test(number) && isPlainObject(tier) &&
    (tier.target === 'local' || (tier.target === 'claude' && typeof tier.claudeModel === 'string' && tier.claudeModel !== '')));
  return wellFormed ? (structuredClone(routing.tiers) as Tiers) : null;
}

/** Reads what the wizard starts from: the defaults, the user's file, and the machine. */
export function readSetupSources(home: string, hardware: Hardware): SetupSources {
  const paths = homePaths(home);
  // An old config.json is imported into config.yaml by loading once, so the
  // wizard builds on the user's settings. A config that does not validate is
  // not an obstacle here: setup is how it gets fixed.
  let effective: MallexConfig | null = null;
  try {
    effective = loadConfig(home).config;
  } catch {
    effective = null;
  }
  const defaults: unknown = YAML.parse(fs.readFileSync(DEFAULT_CONFIG_PATH, 'utf8'));
  const defaultConfig = configSchema.parse(defaults);
  const userConfig = readUserConfigFile(paths.config);
  const routing = isPlainObject(userConfig.routing) ? userConfig.routing : {};
  const backend = isPlainObject(userConfig.backend) ? userConfig.backend : {};
  const plan: SetupPlan = {
    hardware,
    recommendation: recommendModel(hardware.memoryBytes),
    defaultTiers: defaultConfig.routing.tiers,
    rules: (effective ?? defaultConfig).routing.rules,
    current: {
      backend: backend.kind === 'openai' && typeof backend.url === 'string' ? { kind: 'openai', url: backend.url } : backend.kind === 'mlx' ? { kind: 'mlx' } : null,
      model: typeof userConfig.model === 'string' ? userConfig.model : null,
      tiers: readTiers(routing),
      authMethod: routing.authMethod === 'oauth' || routing.authMethod === 'apikey' ? routing.authMethod : null,
      hasApiKey: typeof routing.claudeApiKey === 'string' && routing.claudeApiKey !== '',
    },
    configPath: paths.config,
  };
  return { plan, userConfig, defaults };
}
