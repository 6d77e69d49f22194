import type { SseMessage } from '../sse/decode-sse-events.js';
import type { OpenAiStreamChunk } from '../wire/openai.js';
import { describeContextOverflow, isContextOverflow, ModelServerError, readErrorDetail } from './model-server-error.js';

// What one SSE message of a streamed chat completion says, for every reader of
// one (lib/sse decodes the bytes). A keepalive comment is one prefill step
// (A5); `[DONE]` ends the answer; a chunk carrying `error` is a failed
// generation, never a chunk without content.

export type ChatStreamItem = { kind: 'chunk'; chunk: OpenAiStreamChunk } | { kind: 'done' } | { kind: 'keepalive' } | { kind: 'other-comment' };

/** Throws a ModelServerError for a chunk that is not JSON or that reports an error. */
export function parseChatMessage(message: SseMessage): ChatStreamItem {
  if (message.comment !== undefined) return message.comment.startsWith('keepalive') ? { kind: 'keepalive' } : { kind: 'other-comment' };
  if (message.data === '[DONE]') return { kind: 'done' };
  let chunk: OpenAiStreamChunk & { error?: unknown };
  try {
    chunk = JSON.parse(message.data) as OpenAiStreamChunk & { error?: unknown };
  } catch (error) {
    throw new ModelServerError('broken', `the local model sent a chunk that is not JSON: ${message.data.slice(0, 200)}`, { cause: error });
  }
  if (chunk.error !== undefined && chunk.error !== null) {
    const detail = readErrorDetail(message.data);
    // Servers that report the overflow inside the stream (older llama.cpp) mean what their HTTP 400 means.
    if (isContextOverflow(detail)) throw new ModelServerError('too-long', describeContextOverflow(detail));
    throw new ModelServerError('stream-error', `the local model server reported an error during generation: ${detail}`);
  }
  return { kind: 'chunk', chunk };
}
