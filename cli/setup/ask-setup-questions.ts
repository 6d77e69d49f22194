import { describeHardware } from '../../lib/hardware/hardware.js';
import { MODEL_CATALOG } from '../../lib/hardware/model-catalog.js';
import { detectModelSize } from '../../lib/models/model-size.js';
import { askBackendKind, askExistingServer } from './ask-local-server.js';
import type { LocalServerSearch } from './local-servers.js';
import { formatSetupSummary, formatTierTable, describeTierTarget } from './format-setup-summary.js';
import { createMachineTiers, sortTierNumbers } from './machine-tiers.js';
import { SetupCancelledError, type Prompter } from './prompter.js';
import { CLAUDE_MODEL_CHOICES, usesClaude, type AuthMethod, type SetupAnswers, type SetupFlags, type SetupPlan, type Tiers } from './setup-answers.js';

// A person changes a handful of tiers; the bound only keeps a scripted or
// confused session from looping forever (nothing in mallex loops unbounded).
const MAX_TIER_EDITS = 50;

const validateModelId = (value: string): string | true =>
  /^\S+$/.test(value.trim()) ? true : 'a model id such as mlx-community/Qwen2.5-Coder-7B-Instruct-4bit, or a local path (no spaces)';

const validateClaudeModel = (value: string): string | true =>
  /^[a-z0-9][a-z0-9.\-@:]*$/i.test(value.trim()) ? true : 'a Claude model id such as claude-sonnet-5-5';

async function askModel(prompter: Prompter, plan: SetupPlan, say: (line: string) => void): Promise<string> {
  const recommended = plan.recommendation.model;
  say(`Recommended local model: ${recommended.id} (${recommended.summary}; ${plan.recommendation.reason}).`);
  const choices = [{ value: 'recommended', label: `Use ${recommended.id}` }];
  if (plan.current.model && plan.current.model !== recommended.id) choices.push({ value: 'current', label: `Keep ${plan.current.model}` });
  choices.push({ value: 'pick', label: 'Pick another from the list' }, { value: 'type', label: 'Type any model id' });
  const choice = await prompter.select({ message: 'Local model', choices, initial: 'recommended' });
  if (choice === 'recommended') return recommended.id;
  if (choice === 'current') return plan.current.model!;
  if (choice === 'pick') {
    return prompter.select({
      message: 'Which model?',
      choices: MODEL_CATALOG.map((model) => ({ value: model.id, label: model.id, hint: `${model.memoryGb} GB+, ~${model.downloadGb} GB download: ${model.summary}` })),
      initial: recommended.id,
    });
  }
  return (await prompter.input({ message: 'Model id (Hugging Face repo or local path)', validate: validateModelId })).trim();
}

async function askTierTarget(prompter: Prompter, tierNumber: string, tiers: Tiers): Promise<Tiers[string]> {
  const tier = tiers[tierNumber]!;
  const choices = [{ value: 'local', label: 'the local model' }, ...CLAUDE_MODEL_CHOICES.map((model) => ({ value: model, label: `Claude: ${model}` })), { value: 'other', label: 'another Claude model id' }];
  const initial = tier.target === 'local' ? 'local' : CLAUDE_MODEL_CHOICES.find((model) => model === tier.claudeModel) ?? 'other';
  const choice = await prompter.select({ message: `Tier ${tierNumber} goes to`, choices, initial });
  if (choice === 'local') return { target: 'local' };
  if (choice !== 'other') return { target: 'claude', claudeModel: choice };
  const typed = await prompter.input({ message: 'Claude model id', initial: tier.claudeModel, validate: validateClaudeModel });
  return { target: 'claude', claudeModel: typed.trim() };
}

async function askTiers(prompter: Prompter, plan: SetupPlan, model: string, say: (line: string) => void): Promise<Tiers> {
  const tiers: Tiers = structuredClone(plan.current.tiers ?? createMachineTiers(plan.defaultTiers, model, plan.hardware));
  for (let edits = 0; edits < MAX_TIER_EDITS; edits++) {
    say(`Routing: which model answers each kind of prompt.\n${formatTierTable(tiers, plan.rules)}`);
    const choice = await prompter.select({
      message: 'Routing',
      choices: [
        { value: 'accept', label: 'Use these tiers' },
        ...sortTierNumbers(tiers).map((number) => ({ value: number, label: `Change tier ${number} (now ${describeTierTarget(tiers[number]!)})` })),
      ],
      initial: 'accept',
    });
    if (choice === 'accept') return tiers;
    tiers[choice] = await askTierTarget(prompter, choice, tiers);
  }
  return tiers;
}

async function askClaudeAccess(prompter: Prompter, plan: SetupPlan, flags: SetupFlags): Promise<{ authMethod: AuthMethod; claudeApiKey: string | null }> {
  const authMethod = flags.authMethod ?? (await prompter.select({
    message: 'How should mallex reach Claude?',
    choices: [
      { value: 'oauth', label: 'Use the Claude Code login (recommended)', hint: 'Claude Code sends its own credentials; mallex never reads them' },
      { value: 'apikey', label: 'Use an Anthropic API key', hint: 'billed to your Console account' },
    ],
    initial: plan.current.authMethod ?? 'oauth',
  }) as AuthMethod);
  if (authMethod === 'oauth') return { authMethod, claudeApiKey: null };
  if (flags.claudeApiKey) return { authMethod, claudeApiKey: flags.claudeApiKey };
  const typed = await prompter.password({
    message: plan.current.hasApiKey ? 'Anthropic API key (hidden; leave empty to keep the saved one)' : 'Anthropic API key (hidden)',
    allowEmpty: plan.current.hasApiKey,
    validate: (value) => (value.trim() === '' ? (plan.current.hasApiKey ? true : 'the key is needed') : /\s/.test(value.trim()) ? 'a key has no spaces' : true),
  });
  return { authMethod, claudeApiKey: typed.trim() || null };
}

/**
 * The wizard's questions in order: the local server (mlx-lm run by mallex, or
 * one the user runs, found on its usual port or typed), the model, tiers,
 * Claude access, summary. Answers given as flags skip their question. Throws
 * SetupCancelledError when the user stops at any point; nothing is written here.
 */
export async function askSetupQuestions(
  prompter: Prompter, plan: SetupPlan, flags: SetupFlags, search: LocalServerSearch, say: (line: string) => void,
): Promise<SetupAnswers> {
  say(`Found: ${describeHardware(plan.hardware)}.`);
  const { backend, model } = (await askBackendKind(prompter, plan, flags, say)) === 'mlx'
    ? { backend: { kind: 'mlx' } as const, model: flags.model ?? (await askModel(prompter, plan, say)) }
    : await askExistingServer(prompter, plan, flags, search, say);
  const sizeWarning = detectModelSize(model).warning;
  if (sizeWarning) say(`Note: ${sizeWarning}.`);
  const tiers = flags.tierOverrides
    ? { ...(plan.current.tiers ?? createMachineTiers(plan.defaultTiers, model, plan.hardware)), ...flags.tierOverrides }
    : await askTiers(prompter, plan, model, say);
  const access = usesClaude(tiers)
    ? await askClaudeAccess(prompter, plan, flags)
    : { authMethod: plan.current.authMethod ?? 'oauth', claudeApiKey: null };
  const answers: SetupAnswers = { backend, model, tiers, ...access };
  say(formatSetupSummary(answers, plan.hardware, plan.rules, plan.current.hasApiKey));
  if (!(await prompter.confirm({ message: `Write this to ${plan.configPath}?`, initial: true }))) {
    throw new SetupCancelledError('nothing was written; the configuration was not changed');
  }
  return answers;
}
