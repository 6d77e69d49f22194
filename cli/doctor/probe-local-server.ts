import { openChatStream } from '../../lib/model-server/open-chat-stream.js';
import { parseChatMessage } from '../../lib/model-server/parse-chat-chunk.js';
import { decodeSseStream } from '../../lib/sse/decode-sse-events.js';

export type GenerationResult = { ok: true } | { ok: false; reason: string };

// A model the server loads on first use (Ollama, LM Studio) can take this long
// to answer its first token; doctor waits for it once.
const GENERATION_TIMEOUT_MS = 60_000;

/**
 * Asks the server for one token the way the translator asks: a streamed chat
 * completion through lib/model-server. Works when a chunk with choices
 * arrives; says why otherwise, in the words the services would use.
 */
export async function probeOneToken(url: string, model: string, timeoutMs = GENERATION_TIMEOUT_MS): Promise<GenerationResult> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say OK.' }], max_tokens: 1, stream: true });
  const stream = openChatStream(new URL(`${url}/chat/completions`), body, { signal: deadline });
  try {
    const response = await stream.response;
    for await (const message of decodeSseStream(response, { includeComments: true })) {
      const item = parseChatMessage(message);
      if (item.kind === 'done') break;
      if (item.kind === 'chunk' && Array.isArray(item.chunk.choices)) return { ok: true };
    }
    if (deadline.aborted) return { ok: false, reason: `no token within ${timeoutMs / 1000} s` };
    return { ok: false, reason: 'its stream ended without a token' };
  } catch (error) {
    if (deadline.aborted) return { ok: false, reason: `no token within ${timeoutMs / 1000} s` };
    return { ok: false, reason: (error as Error).message };
  } finally {
    stream.stop();
  }
}
