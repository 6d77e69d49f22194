import type { AnthropicUsage } from '../../../lib/wire/anthropic.js';
import type { OpenAiUsage } from '../../../lib/wire/openai.js';

/**
 * mlx usage → Anthropic usage (PROTOCOL.md B3): the cached part of the prompt
 * is reported as a cache read, the rest as input. Estimates stand in when the
 * server sent no usage chunk.
 */
export function mapUsage(usage: OpenAiUsage | undefined, estimates: { inputTokens: number; outputTokens: number }): AnthropicUsage {
  if (!usage) {
    return { input_tokens: estimates.inputTokens, output_tokens: estimates.outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  }
  const cached = Math.min(usage.prompt_tokens_details?.cached_tokens ?? 0, usage.prompt_tokens);
  return {
    input_tokens: usage.prompt_tokens - cached,
    output_tokens: usage.completion_tokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}
