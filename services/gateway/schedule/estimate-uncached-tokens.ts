import { estimateTokensOfLength } from '../../../lib/tokens/estimate-tokens.js';
import { measureMessagesChars } from '../../../lib/tokens/measure-request.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';

// How much of a prompt the local model would have to prefill, estimated
// before the translator has trimmed it. The translator replaces Claude Code's
// system prompt and tool definitions (tens of kilobytes) with a short
// preamble of its own, so the messages are what grows; the model server's
// prompt cache holds a conversation's earlier turns when the local model
// served them (PROTOCOL.md D3), so only the new turn is counted then.

/** About what the translator keeps of Claude Code's system prompt and tool definitions for a small model. */
export const TRIMMED_PREAMBLE_CHARS = 2000;

export function estimateUncachedTokens(body: Pick<AnthropicMessagesRequest, 'messages'>, previousTurnWasLocal: boolean): number {
  if (!previousTurnWasLocal) return estimateTokensOfLength(TRIMMED_PREAMBLE_CHARS + measureMessagesChars(body.messages));
  const lastAssistant = body.messages.findLastIndex((message) => message.role === 'assistant');
  return estimateTokensOfLength(measureMessagesChars(body.messages.slice(lastAssistant + 1)));
}
