import { readResponseText, sendRequest } from '../../lib/http/send-request.js';
import { decodeSseStream } from '../../lib/sse/decode-sse-events.js';

export type GenerationResult = { ok: true } | { ok: false; reason: string };

// A model the server loads on first use (Ollama, LM Studio) can take this long
// to answer its first token; doctor waits for it once.
const GENERATION_TIMEOUT_MS = 60_000;

/**
 * Asks the server for one token the way the translator asks: a streamed chat
 * completion. Works when a chunk with choices arrives; says why otherwise.
 */
export async function probeOneToken(url: string, model: string, timeoutMs = GENERATION_TIMEOUT_MS): Promise<GenerationResult> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say OK.' }], max_tokens: 1, stream: true });
  try {
    const response = await sendRequest(`${url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: deadline });
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) return { ok: false, reason: `it answered ${status}: ${(await readResponseText(response, 300)).trim()}` };
    for await (const message of decodeSseStream(response)) {
      if (message.data === '[DONE]') break;
      const chunk = JSON.parse(message.data) as { choices?: unknown; error?: unknown };
      if (chunk.error) return { ok: false, reason: `it streamed an error: ${JSON.stringify(chunk.error).slice(0, 200)}` };
      if (Array.isArray(chunk.choices)) {
        response.destroy();
        return { ok: true };
      }
    }
    return { ok: false, reason: 'its stream ended without a token' };
  } catch (error) {
    if (deadline.aborted) return { ok: false, reason: `no token within ${timeoutMs / 1000} s` };
    return { ok: false, reason: (error as Error).message };
  }
}
