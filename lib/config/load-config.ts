import fs from 'node:fs';
import YAML from 'yaml';
import { DEFAULT_CONFIG_PATH, homePaths } from '../paths.js';
import { writeFileAtomicSync } from '../fs/write-file-atomic.js';
import { ConfigError } from './config-error.js';
import { formatConfigIssue } from './format-config-issue.js';
import { mergeConfig } from './merge-config.js';
import { migrateJsonConfig } from './migrate-json-config.js';
import { findRetiredModelWarnings } from './retired-models.js';
import { configSchema, type MallexConfig } from './schema.js';

export interface LoadedConfig {
  config: MallexConfig;
  /** Things the user should hear about once (a retired model, an imported config.json). */
  warnings: string[];
  /** The user's file, or null when only the defaults apply. */
  userConfigPath: string | null;
}

function parseYamlFile(filePath: string): unknown {
  const text = fs.readFileSync(filePath, 'utf8');
  const document = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError) {
    const where = firstError.linePos?.[0] ? `:${firstError.linePos[0].line}:${firstError.linePos[0].col}` : '';
    const reason = firstError.message.split('\n')[0];
    throw new ConfigError(`${filePath}${where}: not valid YAML: ${reason}`);
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${filePath}: expected a mapping of keys at the top level, found ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`);
  }
  return value;
}

/** Imports an old config.json into config.yaml (the JSON file is kept). */
function importLegacyJsonConfig(legacyPath: string, configPath: string): { userConfig: unknown; warnings: string[] } {
  let legacy: unknown;
  try {
    legacy = JSON.parse(fs.readFileSync(legacyPath, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${legacyPath}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const { config, ignoredKeys } = migrateJsonConfig(legacy);
  const header = `# Imported from ${legacyPath} by mallex. The JSON file was kept and is no longer read.\n`;
  writeFileAtomicSync(configPath, header + YAML.stringify(config));
  const warnings = [`imported ${legacyPath} into ${configPath}`];
  if (ignoredKeys.length) warnings.push(`config.json keys with no place in config.yaml were left out: ${ignoredKeys.join(', ')}`);
  return { userConfig: config, warnings };
}

/**
 * Loads the defaults, merges the user's config.yaml over them and validates the
 * result with one schema. Any problem throws a ConfigError whose message names
 * the file, the key path, what was expected and what was found.
 */
export function loadConfig(home: string, defaultsPath = DEFAULT_CONFIG_PATH): LoadedConfig {
  const paths = homePaths(home);
  const defaults = parseYamlFile(defaultsPath);
  const warnings: string[] = [];
  let userConfig: unknown = {};
  let userConfigPath: string | null = null;

  if (fs.existsSync(paths.config)) {
    userConfig = parseYamlFile(paths.config);
    userConfigPath = paths.config;
  } else if (fs.existsSync(paths.legacyConfig)) {
    const imported = importLegacyJsonConfig(paths.legacyConfig, paths.config);
    userConfig = imported.userConfig;
    userConfigPath = paths.config;
    warnings.push(...imported.warnings);
  }

  const merged = mergeConfig(defaults, userConfig);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const firstIssue = result.error.issues[0]!;
    const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
    throw new ConfigError(`${userConfigPath ?? defaultsPath}: ${formatConfigIssue(firstIssue, merged)}${more}`);
  }
  warnings.push(...findRetiredModelWarnings(result.data.routing.tiers));
  return { config: result.data, warnings, userConfigPath };
}

/** Writes the user's config file atomically with mode 0600. */
export function saveUserConfig(home: string, userConfig: Record<string, unknown>): void {
  writeFileAtomicSync(homePaths(home).config, YAML.stringify(userConfig));
}
