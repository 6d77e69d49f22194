import type { AnthropicErrorType } from '../../../lib/http/anthropic-error.js';
import type { AnthropicMessageResponse, AnthropicUsage, StopReason } from '../../../lib/wire/anthropic.js';

// The Anthropic streaming events the translator produces (PROTOCOL.md B4).

export type StartedBlock =
  | { type: 'text'; text: '' }
  | { type: 'thinking'; thinking: ''; signature: '' }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, never> };

export type BlockDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string }
  | { type: 'input_json_delta'; partial_json: string };

export type AnthropicStreamEvent =
  | { type: 'message_start'; message: AnthropicMessageResponse }
  | { type: 'content_block_start'; index: number; content_block: StartedBlock }
  | { type: 'content_block_delta'; index: number; delta: BlockDelta }
  | { type: 'content_block_stop'; index: number }
  | { type: 'message_delta'; delta: { stop_reason: StopReason; stop_sequence: string | null }; usage: AnthropicUsage }
  | { type: 'message_stop' }
  | { type: 'ping' }
  | { type: 'error'; error: { type: AnthropicErrorType; message: string } };

// The local thinking signature lives in lib (the gateway removes what carries it).
export { LOCAL_THINKING_SIGNATURE } from '../../../lib/wire/mallex-markers.js';
