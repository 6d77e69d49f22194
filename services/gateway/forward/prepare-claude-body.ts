import type { AnthropicMessage, AnthropicMessagesRequest, ContentBlock } from '../../../lib/wire/anthropic.js';

// The request body Anthropic gets: Claude Code's own, with `model` set to the
// tier's model and the changes a conversation needs after some of its turns
// were answered by the local model (issue #6: it must not be rejected).

export type ClaudeBodyAdjustment = 'unsigned-thinking-removed' | 'thinking-dropped';

function isThinkingBlock(block: ContentBlock): boolean {
  return block.type === 'thinking' || block.type === 'redacted_thinking';
}

/** A thinking block Anthropic did not sign (a local turn's reasoning) is rejected upstream. */
function isUnsignedThinking(block: ContentBlock): boolean {
  return block.type === 'thinking' && (typeof block.signature !== 'string' || block.signature.length === 0);
}

function removeUnsignedThinking(messages: AnthropicMessage[]): { messages: AnthropicMessage[]; changed: boolean } {
  let changed = false;
  const result = messages.map((message) => {
    if (message.role !== 'assistant' || typeof message.content === 'string') return message;
    const kept = message.content.filter((block) => !isUnsignedThinking(block));
    if (kept.length === message.content.length || kept.length === 0) return message;
    changed = true;
    return { ...message, content: kept };
  });
  return { messages: result, changed };
}

/**
 * With thinking on, Anthropic requires the last assistant message of a tool
 * loop to start with a thinking block. A turn answered locally has none, so
 * thinking is dropped for this request rather than let it fail.
 */
function needsThinkingDropped(body: AnthropicMessagesRequest, messages: AnthropicMessage[]): boolean {
  const thinkingType = body.thinking?.type;
  if (thinkingType !== 'enabled' && thinkingType !== 'adaptive') return false;
  const lastAssistant = messages.findLast((message) => message.role === 'assistant');
  if (!lastAssistant || typeof lastAssistant.content === 'string') return false;
  const hasToolUse = lastAssistant.content.some((block) => block.type === 'tool_use');
  const first = lastAssistant.content[0];
  return hasToolUse && (first === undefined || !isThinkingBlock(first));
}

/** context_management edits that clear thinking are refused when thinking is off. */
function removeThinkingEdits(contextManagement: unknown): unknown {
  if (!contextManagement || typeof contextManagement !== 'object') return contextManagement;
  const edits = (contextManagement as { edits?: unknown }).edits;
  if (!Array.isArray(edits)) return contextManagement;
  const kept = edits.filter((edit) => !String((edit as { type?: unknown })?.type ?? '').startsWith('clear_thinking'));
  return kept.length === 0 ? undefined : { ...(contextManagement as object), edits: kept };
}

export function prepareClaudeBody(body: AnthropicMessagesRequest, claudeModel: string): { body: AnthropicMessagesRequest; adjustments: ClaudeBodyAdjustment[] } {
  const adjustments: ClaudeBodyAdjustment[] = [];
  const cleaned = removeUnsignedThinking(body.messages);
  if (cleaned.changed) adjustments.push('unsigned-thinking-removed');
  const prepared: AnthropicMessagesRequest = { ...body, model: claudeModel, messages: cleaned.messages };
  if (needsThinkingDropped(body, cleaned.messages)) {
    adjustments.push('thinking-dropped');
    delete prepared.thinking;
    const contextManagement = removeThinkingEdits(prepared.context_management);
    if (contextManagement === undefined) delete prepared.context_management;
    else prepared.context_management = contextManagement;
  }
  return { body: prepared, adjustments };
}
