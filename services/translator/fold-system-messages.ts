import { readSystemText } from '../../lib/tokens/measure-request.js';
import type { AnthropicMessage, ContentBlock, TextBlock } from '../../lib/wire/anthropic.js';

function readMessageText(content: string | ContentBlock[]): string {
  if (typeof content === 'string') return content;
  return content
    .filter((block): block is TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('\n\n');
}

/**
 * Claude Code 2.1.3xx puts role "system" messages inside `messages`
 * (PROTOCOL.md C). Common chat templates reject a system message after the
 * first position, so their text is folded, in order, into the leading system
 * prompt; the remaining messages are user and assistant only.
 */
export function foldSystemMessages(
  system: string | TextBlock[] | undefined,
  messages: AnthropicMessage[],
): { system: string; messages: AnthropicMessage[] } {
  const parts = [readSystemText(system)];
  const conversation: AnthropicMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system') parts.push(readMessageText(message.content));
    else conversation.push(message);
  }
  return { system: parts.filter((part) => part.length > 0).join('\n\n'), messages: conversation };
}
