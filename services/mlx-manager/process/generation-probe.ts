import type { ChatCompletionsEndpoint } from '../../../lib/model-server/chat-completions-endpoint.js';
import { ModelServerError } from '../../../lib/model-server/model-server-error.js';
import { openChatStream } from '../../../lib/model-server/open-chat-stream.js';
import { parseChatMessage } from '../../../lib/model-server/parse-chat-chunk.js';
import { decodeSseStream } from '../../../lib/sse/index.js';

// Readiness and liveness: a real one-token streaming generation. /health
// answers 200 before the model has loaded and after the generation thread has
// died, so it proves nothing (PROTOCOL.md A2, A8); only a generated token does.

export type ProbeResult = { ok: true } | { ok: false; kind: 'refused' | 'http' | 'timeout' | 'protocol' | 'aborted'; detail: string };

/**
 * POSTs a max_tokens:1 streaming chat and waits until it finishes; the
 * deadline covers the whole exchange. mlx-lm.server gets no `model` (any
 * name but default_model loads a new model, A3); an external server gets the
 * configured one (lib/model-server/chat-completions-endpoint.ts).
 */
export async function probeGeneration({ endpoint, timeoutMs, signal }: {
  endpoint: ChatCompletionsEndpoint;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<ProbeResult> {
  const timeout = AbortSignal.timeout(Math.max(1, Math.round(timeoutMs)));
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const describe = (error: unknown): ProbeResult => {
    if (signal?.aborted) return { ok: false, kind: 'aborted', detail: 'stopped' };
    if (timeout.aborted) return { ok: false, kind: 'timeout', detail: 'no token before the deadline' };
    if (error instanceof ModelServerError && error.upstreamStatus !== undefined) return { ok: false, kind: 'http', detail: error.message };
    const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') return { ok: false, kind: 'refused', detail: 'connection refused' };
    return { ok: false, kind: 'protocol', detail: (error as Error).message };
  };
  const body = JSON.stringify({
    ...(endpoint.model ? { model: endpoint.model } : {}),
    messages: [{ role: 'user', content: 'Say OK.' }],
    max_tokens: 1,
    stream: true,
    temperature: 0,
  });
  const stream = openChatStream(new URL(endpoint.url), body, { signal: combined });
  try {
    const response = await stream.response;
    for await (const message of decodeSseStream(response, { includeComments: true })) {
      const item = parseChatMessage(message);
      if (item.kind === 'done') return { ok: true };
      if (item.kind === 'chunk' && item.chunk.choices?.some((choice) => choice.finish_reason)) return { ok: true };
    }
    if (combined.aborted) return describe(combined.reason);
    return { ok: false, kind: 'protocol', detail: 'the stream ended without a finished generation' };
  } catch (error) {
    return describe(error);
  } finally {
    stream.stop();
  }
}
