import type { AnthropicMessage, AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import { cleanClaudeTranscript, isThinkingBlock, type TranscriptAdjustment } from './clean-claude-transcript.js';
import { limitCacheBreakpoints } from './limit-cache-breakpoints.js';

// The request body Anthropic gets: Claude Code's own, with `model` set to the
// tier's model and the changes a conversation needs after some of its turns
// were answered by the local model (issue #6, #15: it must not be refused).
// Each change is named in the request log.

export type ClaudeBodyAdjustment =
  | TranscriptAdjustment
  /** Thinking turned off for this request: a tool loop's last assistant turn is local (see below). */
  | 'thinking-dropped'
  /** cache_control breakpoints over Anthropic's 4 removed, earliest first. */
  | 'cache-control-trimmed';

/**
 * With thinking on, Anthropic requires the last assistant message of a tool
 * loop to start with a thinking block that it signed. A step answered locally
 * has none, and none can be made for it, so thinking is turned off for this
 * request: the one way the request is accepted. Claude's earlier signed
 * thinking stays in the transcript (Anthropic accepts it with thinking off).
 */
function needsThinkingDropped(body: AnthropicMessagesRequest, messages: readonly AnthropicMessage[]): boolean {
  const thinkingType = body.thinking?.type;
  if (thinkingType !== 'enabled' && thinkingType !== 'adaptive') return false;
  const lastAssistant = messages.findLast((message) => message.role === 'assistant');
  if (!lastAssistant || typeof lastAssistant.content === 'string') return false;
  const hasToolUse = lastAssistant.content.some((block) => block.type === 'tool_use');
  return hasToolUse && !isThinkingBlock(lastAssistant.content[0]);
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
  const cleaned = cleanClaudeTranscript(body.messages);
  const adjustments: ClaudeBodyAdjustment[] = [...cleaned.adjustments];
  let prepared: AnthropicMessagesRequest = { ...body, model: claudeModel, messages: cleaned.messages };
  if (needsThinkingDropped(body, cleaned.messages)) {
    adjustments.push('thinking-dropped');
    delete prepared.thinking;
    const contextManagement = removeThinkingEdits(prepared.context_management);
    if (contextManagement === undefined) delete prepared.context_management;
    else prepared.context_management = contextManagement;
  }
  const limited = limitCacheBreakpoints(prepared);
  if (limited.removed > 0) {
    adjustments.push('cache-control-trimmed');
    prepared = limited.body;
  }
  return { body: prepared, adjustments };
}
