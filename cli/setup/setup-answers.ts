import type { Category, MallexConfig, Tier } from '../../lib/config/schema.js';
import type { Hardware } from '../../lib/hardware/hardware.js';
import type { ModelRecommendation } from '../../lib/hardware/recommend-model.js';

export type Tiers = Record<string, Tier>;
export type AuthMethod = MallexConfig['routing']['authMethod'];

/** mlx: mallex runs mlx-lm.server itself; openai: a server the user already runs, at url. */
export type BackendAnswer = { kind: 'mlx' } | { kind: 'openai'; url: string };
export type BackendKind = BackendAnswer['kind'];

/** What the wizard decides; build-user-config.ts turns it into config.yaml keys. */
export interface SetupAnswers {
  backend: BackendAnswer;
  model: string;
  tiers: Tiers;
  authMethod: AuthMethod;
  /** null keeps the key already saved (or none, with oauth). */
  claudeApiKey: string | null;
}

/** Answers given on the command line; each one skips its question. */
export interface SetupFlags {
  backend?: BackendKind;
  /** The OpenAI base URL of a running server (implies backend openai). */
  url?: string;
  model?: string;
  tierOverrides?: Tiers;
  authMethod?: AuthMethod;
  claudeApiKey?: string;
}

/** Everything the question flow needs to know, read before the first question. */
export interface SetupPlan {
  hardware: Hardware;
  recommendation: ModelRecommendation;
  /** config/default.yaml's tier table, the base of the machine's defaults. */
  defaultTiers: Tiers;
  rules: Record<Category, { tier: number }>;
  /** What the user's config.yaml says today (null where it says nothing). */
  current: { backend: BackendAnswer | null; model: string | null; tiers: Tiers | null; authMethod: AuthMethod | null; hasApiKey: boolean };
  configPath: string;
}

/** Claude models offered for a tier; any other id can be typed. */
export const CLAUDE_MODEL_CHOICES = ['claude-haiku-4-5', 'claude-sonnet-5-5', 'claude-opus-5-5'] as const;

export function usesClaude(tiers: Tiers): boolean {
  return Object.values(tiers).some((tier) => tier.target === 'claude');
}
