import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import type { OpenAiChatRequest } from '../../../lib/wire/openai.js';
import { convertAnthropicMessages, summarizeWarnings, type MessageConversionOptions } from './convert-anthropic-messages.js';
import type { LocalPrompt } from '../local-prompt.js';

// One Anthropic Messages request (already prepared into a LocalPrompt) → the
// OpenAI Chat Completions body for the local server. Pure: the prompt decides
// what the model sees; this decides only how it is spelled.

export interface RequestConversionOptions {
  backendKind: 'mlx' | 'openai';
  /** Sent as `model` for openai backends only (A3: mlx would load any other name). */
  model: string;
  maxOutputTokens: number;
  vision: boolean;
  /** The local model's own earlier answers (services/translator/replay), replayed verbatim when Claude Code sends them back. */
  findModelTurn?: MessageConversionOptions['findModelTurn'];
}

/** Top-level fields the translator reads; anything else is reported as ignored. */
const HANDLED_FIELDS = new Set(['model', 'max_tokens', 'messages', 'system', 'tools', 'stream', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'thinking']);

function countCacheControls(request: AnthropicMessagesRequest): number {
  let count = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if ('cache_control' in record) count++;
      // Tool inputs and schemas are user data, not request structure.
      for (const key in record) if (key !== 'input' && key !== 'input_schema' && typeof record[key] === 'object') visit(record[key]);
    }
  };
  visit(request.system);
  visit(request.messages);
  visit(request.tools);
  return count;
}

export function convertAnthropicRequestToOpenAi(
  request: AnthropicMessagesRequest,
  prompt: LocalPrompt,
  options: RequestConversionOptions,
): { result: OpenAiChatRequest; warnings: string[] } {
  const warnings: string[] = [];
  for (const key of Object.keys(request)) {
    // tool_choice cannot be enforced by mlx (A3); metadata, context_management,
    // output_config, service_tier… mean nothing to a local model.
    if (!HANDLED_FIELDS.has(key)) warnings.push(`${key} ignored`);
  }
  const cacheControls = countCacheControls(request);
  if (cacheControls) warnings.push(`cache_control ignored (×${cacheControls})`);

  const converted = convertAnthropicMessages(prompt.system, prompt.messages, {
    toolMode: prompt.toolMode,
    vision: options.vision,
    ...(prompt.renderToolUse ? { renderToolUse: prompt.renderToolUse } : {}),
    ...(options.findModelTurn ? { findModelTurn: options.findModelTurn } : {}),
  });
  warnings.push(...converted.warnings);

  const maxTokens = Math.min(request.max_tokens, options.maxOutputTokens);
  if (maxTokens < request.max_tokens) warnings.push(`max_tokens ${request.max_tokens} capped to ${maxTokens}`);

  // Always streamed, even for JSON answers: mlx never cancels a non-streaming request (A7).
  const result: OpenAiChatRequest = {
    ...(options.backendKind === 'openai' ? { model: options.model } : {}),
    messages: converted.messages,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: maxTokens,
  };
  if (request.temperature !== undefined) result.temperature = request.temperature;
  if (request.top_p !== undefined) result.top_p = request.top_p;
  if (request.top_k !== undefined) result.top_k = request.top_k;
  if (request.stop_sequences?.length) result.stop = request.stop_sequences;
  if (prompt.toolMode === 'native' && prompt.openaiTools?.length) result.tools = prompt.openaiTools;
  if (request.thinking?.type === 'disabled') result.chat_template_kwargs = { enable_thinking: false };
  return { result, warnings: summarizeWarnings(warnings) };
}
