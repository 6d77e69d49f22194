// The original mallex kept a config.json. Its keys map onto config.yaml's
// contract one to one; anything else in it is left behind (and named).

const KNOWN_TOP_LEVEL = ['model', 'serverPort', 'proxyPort', 'idleTimeoutMinutes', 'onExitServer'] as const;
const KNOWN_ROUTING = ['rules', 'tiers', 'authMethod', 'claudeApiKey'] as const;

export interface MigratedConfig {
  config: Record<string, unknown>;
  /** Keys of the old file that have no place in the new one. */
  ignoredKeys: string[];
}

export function migrateJsonConfig(legacy: unknown): MigratedConfig {
  if (legacy === null || typeof legacy !== 'object' || Array.isArray(legacy)) {
    return { config: {}, ignoredKeys: ['(the file is not a JSON object)'] };
  }
  const source = legacy as Record<string, unknown>;
  const config: Record<string, unknown> = {};
  const ignoredKeys: string[] = [];
  for (const [key, value] of Object.entries(source)) {
    if ((KNOWN_TOP_LEVEL as readonly string[]).includes(key)) config[key] = value;
    else if (key !== 'routing') ignoredKeys.push(key);
  }
  const routing = source.routing;
  if (routing && typeof routing === 'object' && !Array.isArray(routing)) {
    const migratedRouting: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(routing as Record<string, unknown>)) {
      if ((KNOWN_ROUTING as readonly string[]).includes(key)) migratedRouting[key] = value;
      else ignoredKeys.push(`routing.${key}`);
    }
    config.routing = migratedRouting;
  }
  return { config, ignoredKeys };
}
