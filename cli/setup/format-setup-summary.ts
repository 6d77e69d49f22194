import { CATEGORIES, type Category } from '../../lib/config/schema.js';
import { describeHardware, type Hardware } from '../../lib/hardware/hardware.js';
import { findCatalogModel } from '../../lib/hardware/model-catalog.js';
import { formatTable } from '../format/table.js';
import { sortTierNumbers } from './machine-tiers.js';
import type { SetupAnswers, Tiers } from './setup-answers.js';

const CATEGORY_WORDS: Record<Category, string> = {
  chit_chat: 'chit chat',
  simple_code: 'simple code',
  hard_question: 'hard questions',
  try_again: 'try again',
};

export function describeTierTarget(tier: Tiers[string]): string {
  return tier.target === 'local' ? 'local model' : `Claude: ${tier.claudeModel}`;
}

/** What each tier is used for, from the routing rules ("try again" moves one tier up, so it names no tier of its own). */
export function describeTierUse(tierNumber: string, rules: Record<Category, { tier: number }>): string {
  const categories = CATEGORIES.filter((category) => category !== 'try_again' && String(rules[category].tier) === tierNumber);
  return categories.length ? categories.map((category) => CATEGORY_WORDS[category]).join(', ') : '"try again" from the tier below';
}

export function formatTierTable(tiers: Tiers, rules: Record<Category, { tier: number }>): string {
  const rows = sortTierNumbers(tiers).map((number) => [number, describeTierTarget(tiers[number]!), describeTierUse(number, rules)]);
  return formatTable(['tier', 'goes to', 'used for'], rows);
}

export function formatSetupSummary(answers: SetupAnswers, hardware: Hardware, rules: Record<Category, { tier: number }>, hasSavedKey: boolean): string {
  const catalog = findCatalogModel(answers.model);
  const claudeAccess = answers.authMethod === 'oauth'
    ? 'the Claude Code login (your own, passed through)'
    : `an Anthropic API key (${answers.claudeApiKey ? 'the one you typed' : hasSavedKey ? 'the one already saved' : 'none yet'})`;
  return [
    'Summary',
    `  machine      ${describeHardware(hardware)}`,
    ...(answers.backend.kind === 'openai'
      ? [`  local server ${answers.backend.url} (yours; mallex only watches it)`, `  local model  ${answers.model}`]
      : [`  local model  ${answers.model}${catalog ? ` (about ${catalog.downloadGb} GB to download once)` : ''}, run by mallex with mlx-lm`]),
    `  Claude       ${Object.values(answers.tiers).some((tier) => tier.target === 'claude') ? claudeAccess : 'not used (every tier is local)'}`,
    ...formatTierTable(answers.tiers, rules).split('\n').map((line) => `  ${line}`),
  ].join('\n');
}
