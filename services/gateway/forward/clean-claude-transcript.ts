import { createHash } from 'node:crypto';
import type { AnthropicMessage, ContentBlock } from '../../../lib/wire/anthropic.js';
import { isLocalThinkingSignature } from '../../../lib/wire/mallex-markers.js';

// The messages of a conversation some of whose turns the local model wrote,
// made into what Anthropic accepts (PROTOCOL.md D2): what Anthropic did not
// issue goes, what it did issue stays exactly as it was. Pure: no I/O.

export type TranscriptAdjustment =
  /** Thinking blocks from local turns (unsigned, or signed with mallex's marker) removed. */
  | 'local-thinking-removed'
  /** A turn left with no content by that removal got Claude Code's own "(no content)" text. */
  | 'empty-turn-filled'
  /** tool_use ids Anthropic would refuse, rewritten together with their tool_results. */
  | 'tool-use-ids-rewritten';

/** The tool_use id pattern Anthropic accepts. */
const TOOL_USE_ID_PATTERN = /^[a-zA-Z0-9_-]+$/;

/** What Claude Code itself writes for an assistant turn without content. */
const EMPTY_TURN_TEXT = '(no content)';

export function isThinkingBlock(block: ContentBlock | undefined): boolean {
  return block?.type === 'thinking' || block?.type === 'redacted_thinking';
}

/** Local reasoning: a thinking block whose signature Anthropic cannot have issued. Redacted thinking only ever comes from Anthropic. */
function isLocalThinking(block: ContentBlock): boolean {
  return block.type === 'thinking' && isLocalThinkingSignature(block.signature);
}

/** A deterministic valid id for an invalid one, so a resend gets the same rewrite. */
function createValidToolUseId(id: string): string {
  return `toolu_${createHash('sha256').update(id).digest('hex').slice(0, 24)}`;
}

function collectInvalidToolUseIds(messages: readonly AnthropicMessage[]): Map<string, string> {
  const renamed = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== 'assistant' || typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type === 'tool_use' && !TOOL_USE_ID_PATTERN.test(String(block.id))) renamed.set(String(block.id), createValidToolUseId(String(block.id)));
    }
  }
  return renamed;
}

function renameToolIds(block: ContentBlock, renamed: ReadonlyMap<string, string>): ContentBlock {
  if (block.type === 'tool_use' && renamed.has(block.id)) return { ...block, id: renamed.get(block.id)! };
  if (block.type === 'tool_result' && renamed.has(block.tool_use_id)) return { ...block, tool_use_id: renamed.get(block.tool_use_id)! };
  return block;
}

/**
 * Cleans the messages; an unchanged message is the same object (and so is
 * sent byte for byte as Claude Code sent it). Claude's own signed thinking and
 * redacted thinking are kept wherever they are, also after local turns.
 */
export function cleanClaudeTranscript(messages: readonly AnthropicMessage[]): { messages: AnthropicMessage[]; adjustments: TranscriptAdjustment[] } {
  const adjustments = new Set<TranscriptAdjustment>();
  const renamed = collectInvalidToolUseIds(messages);
  if (renamed.size > 0) adjustments.add('tool-use-ids-rewritten');
  const cleaned = messages.map((message) => {
    if (typeof message.content === 'string') return message;
    let content = message.content;
    if (message.role === 'assistant' && content.some(isLocalThinking)) {
      content = content.filter((block) => !isLocalThinking(block));
      adjustments.add('local-thinking-removed');
      if (content.length === 0) {
        content = [{ type: 'text', text: EMPTY_TURN_TEXT }];
        adjustments.add('empty-turn-filled');
      }
    }
    if (renamed.size > 0 && content.some((block) => renameToolIds(block, renamed) !== block)) {
      content = content.map((block) => renameToolIds(block, renamed));
    }
    return content === message.content ? message : { ...message, content };
  });
  return { messages: cleaned, adjustments: [...adjustments] };
}
