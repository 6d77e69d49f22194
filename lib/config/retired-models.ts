// Claude model ids that Anthropic has retired or announced for retirement,
// with the current model that replaces each. A config naming one still loads
// (the request may even work until the date), but the user is told once.
// Source: Anthropic's model deprecations page; the original mallex defaulted
// to claude-sonnet-4-5-20250929, retired on 2026-11-30.
export const RETIRED_CLAUDE_MODELS: Readonly<Record<string, { retires: string; replacement: string }>> = {
  'claude-sonnet-4-5-20250929': { retires: '2026-11-30', replacement: 'claude-sonnet-5-5' },
  'claude-sonnet-4-5': { retires: '2026-11-30', replacement: 'claude-sonnet-5-5' },
  'claude-opus-4-1-20250805': { retires: '2026-08-05', replacement: 'claude-opus-5-5' },
  'claude-opus-4-20250514': { retires: '2026-05-14', replacement: 'claude-opus-5-5' },
  'claude-sonnet-4-20250514': { retires: '2026-05-14', replacement: 'claude-sonnet-5-5' },
  'claude-3-7-sonnet-20250219': { retires: '2026-02-19', replacement: 'claude-sonnet-5-5' },
  'claude-3-5-haiku-20241022': { retires: '2026-02-19', replacement: 'claude-haiku-4-5' },
  'claude-3-5-sonnet-20241022': { retires: '2025-10-22', replacement: 'claude-sonnet-5-5' },
  'claude-3-opus-20240229': { retires: '2026-01-05', replacement: 'claude-opus-5-5' },
};

/** Warnings for every tier that names a retired or retiring model. */
export function findRetiredModelWarnings(tiers: Record<string, { target: string; claudeModel?: string }>): string[] {
  const warnings: string[] = [];
  for (const [tierNumber, tier] of Object.entries(tiers)) {
    const retired = tier.claudeModel ? RETIRED_CLAUDE_MODELS[tier.claudeModel] : undefined;
    if (retired) {
      warnings.push(
        `routing.tiers.${tierNumber} uses ${tier.claudeModel}, which Anthropic retires on ${retired.retires}; ` +
          `use ${retired.replacement} instead (edit config.yaml or run mallex setup).`,
      );
    }
  }
  return warnings;
}
