import type { MallexConfig } from '../../../lib/config/schema.js';

// routing.tiers as an ordered ladder, cheapest first (config keys are the
// tier numbers as strings: "1", "2", "3").

export interface LadderTier {
  tier: number;
  target: 'local' | 'claude';
  claudeModel?: string;
}

export type TierTable = MallexConfig['routing']['tiers'];

export function createTierLadder(tiers: TierTable): LadderTier[] {
  return Object.entries(tiers)
    .map(([key, tier]) => ({ tier: Number(key), target: tier.target, ...(tier.claudeModel ? { claudeModel: tier.claudeModel } : {}) }))
    .sort((a, b) => a.tier - b.tier);
}

export function findTier(ladder: readonly LadderTier[], tier: number): LadderTier | undefined {
  return ladder.find((step) => step.tier === tier);
}

/** The next tier above `tier`, or the top one when it already is at the top. */
export function findNextTierUp(ladder: readonly LadderTier[], tier: number): LadderTier {
  return ladder.find((step) => step.tier > tier) ?? ladder.at(-1)!;
}

/** The cheapest Claude tier. */
export function findFirstClaudeTier(ladder: readonly LadderTier[]): LadderTier | undefined {
  return ladder.find((step) => step.target === 'claude');
}

/** The local tier to use in place of `tier`: the strongest local one at or below it, else the cheapest local one. */
export function findLocalTierFor(ladder: readonly LadderTier[], tier: number | null): LadderTier | undefined {
  const locals = ladder.filter((step) => step.target === 'local');
  if (tier === null) return locals[0];
  return locals.filter((step) => step.tier <= tier).at(-1) ?? locals[0];
}
