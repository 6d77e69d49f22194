import { ConfigError } from '../../lib/config/config-error.js';
import { formatConfigIssue } from '../../lib/config/format-config-issue.js';
import { mergeConfig } from '../../lib/config/merge-config.js';
import { configSchema } from '../../lib/config/schema.js';
import type { SetupAnswers } from './setup-answers.js';

type UserConfig = Record<string, unknown>;

function isPlainObject(value: unknown): value is UserConfig {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The user's config.yaml after setup: their file with only the keys the wizard
 * decides replaced, so ports, budgets and everything else they set survive.
 * Pure: the caller reads and writes the file.
 */
export function buildUserConfig(existing: UserConfig, answers: SetupAnswers): UserConfig {
  const next: UserConfig = structuredClone(existing);
  // A modelSize the user set for the old model would be wrong for a new one;
  // for the same model it stays (they may have set it on purpose).
  if (next.model !== answers.model) delete next.modelSize;
  next.model = answers.model;

  // Only the backend's kind and url are the wizard's; vision and any other key stay.
  const backend: UserConfig = isPlainObject(next.backend) ? next.backend : {};
  if (answers.backend.kind === 'openai') next.backend = { ...backend, kind: 'openai', url: answers.backend.url };
  else if (backend.kind !== undefined) next.backend = { ...backend, kind: 'mlx' };

  const routing: UserConfig = isPlainObject(next.routing) ? next.routing : {};
  routing.tiers = structuredClone(answers.tiers);
  routing.authMethod = answers.authMethod;
  if (answers.authMethod === 'oauth') delete routing.claudeApiKey; // do not keep a secret that is no longer used
  else if (answers.claudeApiKey) routing.claudeApiKey = answers.claudeApiKey;
  next.routing = routing;
  return next;
}

/** Checks the file-to-be against the schema, merged over the defaults, before anything is written. */
export function validateUserConfig(defaults: unknown, userConfig: UserConfig, configPath: string): void {
  const merged = mergeConfig(defaults, userConfig);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${configPath} would not be valid, so it was not written: ${formatConfigIssue(issue, merged)}`);
  }
}
