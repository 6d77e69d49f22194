import { readUserText } from '../../../lib/claude-code/extract-user-prompt.js';
import { estimateTokensOfLength } from '../../../lib/tokens/estimate-tokens.js';
import { readMessageText, readToolResultText } from '../../../lib/tokens/measure-request.js';
import type { AnthropicMessage, AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';

// How much of a prompt the local model would have to prefill, estimated
// before the translator has trimmed it. The translator replaces Claude Code's
// system prompt, tool definitions and system reminders (tens of kilobytes)
// with a short preamble of its own that keeps their facts, so what grows is
// the conversation itself: the user's words, the answers, the tool results.
// The model server's prompt cache holds a conversation's earlier turns when
// the local model served them (PROTOCOL.md D3), so only the new turn counts then.

/** About what the translator keeps of Claude Code's system prompt, tools and reminders for a small model. */
export const TRIMMED_PREAMBLE_CHARS = 2000;

/**
 * The characters of a message that reach the model: a user's own words and
 * tool results, not Claude Code's reminders; an answer whole. Role "system"
 * messages (2.1.328's environment) are folded into the preamble.
 */
function measureConversationChars(message: AnthropicMessage): number {
  if (message.role === 'system') return 0;
  if (message.role === 'assistant') return readMessageText(message).length;
  if (typeof message.content === 'string') return readUserText(message.content).length;
  let chars = readUserText(message.content).length;
  for (const block of message.content) if (block.type === 'tool_result') chars += readToolResultText(block.content).length;
  return chars;
}

export function estimateUncachedTokens(body: Pick<AnthropicMessagesRequest, 'messages'>, previousTurnWasLocal: boolean): number {
  const lastAssistant = body.messages.findLastIndex((message) => message.role === 'assistant');
  const counted = previousTurnWasLocal ? body.messages.slice(lastAssistant + 1) : body.messages;
  const chars = counted.reduce((total, message) => total + measureConversationChars(message), previousTurnWasLocal ? 0 : TRIMMED_PREAMBLE_CHARS);
  return estimateTokensOfLength(chars);
}
