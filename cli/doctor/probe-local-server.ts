import type { MallexConfig } from '../../lib/config/schema.js';
import { resolveChatCompletionsEndpoint } from '../../lib/model-server/chat-completions-endpoint.js';
import { openChatStream } from '../../lib/model-server/open-chat-stream.js';
import { parseChatMessage } from '../../lib/model-server/parse-chat-chunk.js';
import { decodeSseStream } from '../../lib/sse/decode-sse-events.js';
import { createHttpProbe, type ProbeResult } from '../setup/local-servers.js';

export type GenerationResult = { ok: true } | { ok: false; reason: string };

// A model the server loads on first use (Ollama, LM Studio) can take this long
// to answer its first token; doctor waits for it once.
const GENERATION_TIMEOUT_MS = 60_000;

/**
 * Asks the server for one token the way the translator asks: a streamed chat
 * completion through lib/model-server. Works when a chunk with choices
 * arrives; says why otherwise, in the words the services would use.
 */
export async function probeOneToken(chatCompletionsUrl: string, model: string, timeoutMs = GENERATION_TIMEOUT_MS): Promise<GenerationResult> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say OK.' }], max_tokens: 1, stream: true });
  const stream = openChatStream(new URL(chatCompletionsUrl), body, { signal: deadline });
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

/**
 * The server the user runs (backend.kind openai), asked at the URLs the
 * services use (lib/model-server): its model list, then one token when it
 * answered. backend.url as the user wrote it, a trailing slash included.
 */
export async function probeLocalServer(config: Pick<MallexConfig, 'backend' | 'serverPort' | 'model'>, { generationTimeoutMs = GENERATION_TIMEOUT_MS } = {}): Promise<{ listing: ProbeResult; generation: GenerationResult | null }> {
  const listing = await createHttpProbe()(config.backend.url);
  if (!listing.ok) return { listing, generation: null };
  return { listing, generation: await probeOneToken(resolveChatCompletionsEndpoint(config).url, config.model, generationTimeoutMs) };
}
