import type { AnthropicMessage, AnthropicMessagesRequest, ContentBlock, TextBlock } from '../wire/anthropic.js';
import { estimateTokens, estimateTokensOfLength } from './estimate-tokens.js';

// The sizes of what Claude Code sent: the translator budgets the local
// model's prompt with them, the gateway records how much trimming saved.

export function readSystemText(system: string | TextBlock[] | undefined): string {
  if (system === undefined) return '';
  if (typeof system === 'string') return system;
  return system.map((block) => block.text).join('\n\n');
}

export function readToolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: string; text?: unknown }) => (part.type === 'text' && typeof part.text === 'string' ? part.text : `[${part.type ?? 'part'}]`))
    .join('\n');
}

// Images and documents reach the model as a short note or are dropped by the
// converter; their base64 says nothing about the prompt's size.
function readBlockText(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'tool_use':
      return block.name + JSON.stringify(block.input ?? {});
    case 'tool_result':
      return readToolResultText(block.content);
    case 'thinking':
      return block.thinking;
    case 'redacted_thinking':
    case 'image':
    case 'document':
      return `[${block.type}]`;
    default: {
      const unknown: never = block;
      return JSON.stringify(unknown);
    }
  }
}

/** The text of a message that reaches the model (text, tool inputs, tool results), for sizes and estimates. */
export function readMessageText(message: AnthropicMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map(readBlockText).join('\n');
}

export function estimateMessageTokens(message: AnthropicMessage): number {
  return estimateTokens(readMessageText(message));
}

export function measureMessagesChars(messages: readonly AnthropicMessage[]): number {
  return messages.reduce((total, message) => total + readMessageText(message).length, 0);
}

/**
 * Characters of what Claude Code sent that a model would read: system,
 * messages, tool definitions (counted, not concatenated). The tools' JSON
 * makes it the costliest part of a record, so the gateway measures it once
 * the answer has gone, off the path to the first token.
 */
export function measureRequestChars(request: AnthropicMessagesRequest): number {
  return readSystemText(request.system).length + measureMessagesChars(request.messages) + JSON.stringify(request.tools ?? []).length;
}

export function estimateRequestTokens(request: AnthropicMessagesRequest): number {
  return estimateTokensOfLength(measureRequestChars(request));
}
