import type { MallexConfig, ModelSize } from '../../../lib/config/schema.js';
import { detectModelSize, type DetectedModelSize } from '../../../lib/models/model-size.js';
import { estimateTokens, estimateTokensOfLength } from '../../../lib/tokens/estimate-tokens.js';
import type { AnthropicMessagesRequest, AnthropicTool, ToolUseBlock } from '../../../lib/wire/anthropic.js';
import { foldSystemMessages } from '../fold-system-messages.js';
import type { LocalPrompt, ToolMode } from '../local-prompt.js';
import { decideToolCallFormat, decideToolMode, type ToolCallFormat } from '../tools/decide-tool-mode.js';
import { renderToolUse } from '../tools/render-tool-use.js';
import { selectTools, SMALL_MODEL_LEFT_OUT, type ToolLists, type ToolSelection } from '../tools/select-tools.js';
import { createOpenAiTools, type DefinitionDetail } from '../tools/tool-definitions.js';
import { applyBudgets } from './apply-budgets.js';
import { resolveBudgets, type ConfiguredBudgets, type PromptBudgets } from './budgets.js';
import { filterClaudeSystemPrompt, keepTaskSystemPrompt, removeBillingHeader } from './claude-system-prompt.js';
import { renderCompactSystemPrompt } from './compact-system-prompt.js';
import { filterConversation } from './filter-messages.js';
import { measureMessagesChars, readSystemText } from '../../../lib/tokens/measure-request.js';
import { createEmptyFacts, readEnvironmentFacts } from './read-facts.js';
import { createPromptCaches, type PromptCaches } from './prompt-caches.js';
import { trimBackgroundPrompt } from './trim-background-prompt.js';

export interface PrepareLocalPromptOptions {
  /** The local model's id (config `model`): size tier and tool family come from it. */
  model: string;
  /** Config `modelSize`: overrides the size read from the id. */
  modelSize?: ModelSize | null;
  /** Config `translator.toolMode`. */
  toolMode?: 'auto' | ToolMode;
  /** Config `translator.tools`. */
  tools?: ToolLists;
  /** Config `translator.budgets` (nulls: built-in defaults). */
  budgets?: ConfiguredBudgets;
  /** The Mac's chip name ("Apple M2 Max"), when known: scales the default prefill budget. */
  chip?: string;
}

export interface PreparedLocalPrompt extends LocalPrompt {
  /** The report plus the limit it was measured against (read by the translator for its 400 "prompt is too long"). */
  report: LocalPrompt['report'] & { contextLimit: number };
  modelSize: ModelSize;
  budgets: PromptBudgets;
  toolCallFormat: ToolCallFormat;
  offeredTools: AnthropicTool[];
  warnings: string[];
}

/** The options from mallex's config (the translator's seam passes the whole config). */
export function readPromptOptions(config: MallexConfig, chip?: string): PrepareLocalPromptOptions {
  return {
    model: config.model,
    modelSize: config.modelSize,
    toolMode: config.translator.toolMode,
    tools: config.translator.tools,
    budgets: config.translator.budgets,
    ...(chip ? { chip } : {}),
  };
}

// The model id comes from config: its size is read once, not with a few regexes per request.
const detectModelSizeOnce = (model: string, caches?: PromptCaches): DetectedModelSize => caches?.modelSizes.getOrSet(model, detectModelSize) ?? detectModelSize(model);

function resolveModelSize(options: PrepareLocalPromptOptions, caches?: PromptCaches): ModelSize {
  return options.modelSize ?? detectModelSizeOnce(options.model, caches).size;
}

/** The tools the local model is offered for this request: what the prompt defines and what the extractor accepts. */
export function selectOfferedTools(request: AnthropicMessagesRequest, options: PrepareLocalPromptOptions, caches?: PromptCaches): ToolSelection {
  const sizeLeftOut = resolveModelSize(options, caches) === 'small' ? SMALL_MODEL_LEFT_OUT : [];
  return selectTools(request.tools, options.tools ?? { allow: [], deny: [] }, sizeLeftOut);
}

/**
 * The translator's PreparePrompt seam (services/translator/app.ts): config in,
 * prompt out, with the machine's chip (detected once at start) scaling the
 * default prefill budget, and the translator's caches.
 */
export function createTrimmedPromptPreparer(caches: PromptCaches, chip?: string) {
  return (request: AnthropicMessagesRequest, config: MallexConfig): PreparedLocalPrompt => prepareLocalPrompt(request, readPromptOptions(config, chip), caches);
}

const DEFINITION_DETAIL: Readonly<Record<ModelSize, DefinitionDetail>> = {
  small: { toolDescriptionChars: 90, parameterDescriptionChars: 0, maxOptionalParameters: 3 },
  medium: { toolDescriptionChars: 160, parameterDescriptionChars: 60, maxOptionalParameters: 6 },
  large: { toolDescriptionChars: 400, parameterDescriptionChars: 120, maxOptionalParameters: Number.POSITIVE_INFINITY },
};


/**
 * What the local model sees for one Claude Code request (issue #4): a prompt
 * sized for the model, free of Claude Code infrastructure, stable from one
 * request of a conversation to the next, with the tools the model can use.
 * Pure: the same request and options always give the same prompt; `caches`
 * only save work (a fresh set gives the same prompt).
 */
export function prepareLocalPrompt(request: AnthropicMessagesRequest, options: PrepareLocalPromptOptions, caches: PromptCaches = createPromptCaches()): PreparedLocalPrompt {
  const detected = detectModelSizeOnce(options.model, caches);
  const size = resolveModelSize(options, caches);
  const warnings = options.modelSize || !detected.warning ? [] : [detected.warning];
  const budgets = resolveBudgets(size, options.budgets, options.chip);
  const toolMode = decideToolMode(options.toolMode ?? 'auto', options.model);
  const toolCallFormat = decideToolCallFormat(options.model);
  const detail = DEFINITION_DETAIL[size];
  const selection = selectOfferedTools(request, options, caches);
  const offered = selection.offered;
  const dropped = new Set<string>(selection.leftOut.map((name) => `tool ${name}`));

  const billing = removeBillingHeader(readSystemText(request.system));
  if (billing.removed) dropped.add('billing header');
  // A request without tools (title, summary, path extraction) carries its task in the system prompt: keep it.
  const compact = size !== 'large' && offered.length > 0;
  const facts = createEmptyFacts();
  const filtered = filterConversation(request.messages, facts, { extractFacts: compact, caches });
  for (const name of filtered.dropped) dropped.add(name);

  const toolInstructions = caches.toolInstructions.render({ mode: toolMode, format: toolCallFormat, tools: offered, detail });
  let base: string;
  if (compact) {
    readEnvironmentFacts(billing.text, facts, caches.facts);
    dropped.add('Claude Code system prompt');
    base = renderCompactSystemPrompt(size === 'small' ? 'small' : 'medium', facts, { offered: true, instructions: toolInstructions });
  } else if (offered.length === 0) {
    base = keepTaskSystemPrompt(billing.text);
    // A title-like request asking for a small JSON answer: its task's first sentence and the user's words suffice.
    const background = trimBackgroundPrompt(request, base, filtered.messages);
    if (background) {
      dropped.add('background task rules');
      base = background.system;
      filtered.messages = background.messages;
    }
  } else {
    const claude = filterClaudeSystemPrompt(billing.text, selection.leftOut);
    for (const name of claude.dropped) dropped.add(name);
    base = [claude.text, toolInstructions].filter(Boolean).join('\n\n');
  }
  const folded = foldSystemMessages(base, filtered.messages);
  const openaiTools = toolMode === 'native' && offered.length > 0 ? createOpenAiTools(offered, detail) : undefined;
  const toolsJson = openaiTools ? JSON.stringify(openaiTools) : '';
  const outcome = applyBudgets(folded.messages, budgets, estimateTokens(folded.system) + estimateTokens(toolsJson));
  for (const name of outcome.dropped) dropped.add(name);

  const charsAfter = folded.system.length + measureMessagesChars(outcome.messages) + toolsJson.length;
  return {
    system: folded.system,
    messages: outcome.messages,
    toolMode,
    ...(openaiTools ? { openaiTools } : {}),
    ...(toolMode === 'xml' ? { renderToolUse: (block: ToolUseBlock) => renderToolUse(block, toolCallFormat) } : {}),
    report: {
      charsAfter,
      tokensAfter: estimateTokensOfLength(charsAfter),
      dropped: [...dropped],
      overContextLimit: outcome.overContextLimit,
      contextLimit: budgets.contextLimit,
    },
    modelSize: size,
    budgets,
    toolCallFormat,
    offeredTools: offered,
    warnings,
  };
}
