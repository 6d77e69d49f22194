import type { StopReason } from '../../../lib/wire/anthropic.js';

/**
 * OpenAI finish_reason → Anthropic stop_reason (PROTOCOL.md B3). `tool_call`
 * is what mlx-lm builds before Jan 2026 sent (A5). A tool stop without an
 * emitted call (mlx drops unparseable calls, A4) is an end of turn; a plain
 * stop after an extracted call is a tool stop, or Claude Code would not run it.
 */
export function mapFinishReason(finishReason: string, emittedToolUse: boolean): StopReason {
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'tool_call':
    case 'function_call':
    case 'stop':
      return emittedToolUse ? 'tool_use' : 'end_turn';
    case 'content_filter':
      return 'refusal';
    default:
      // Unknown reasons from other OpenAI-compatible servers end the turn normally.
      return emittedToolUse ? 'tool_use' : 'end_turn';
  }
}
