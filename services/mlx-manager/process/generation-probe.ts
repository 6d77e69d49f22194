import type { ChatCompletionsEndpoint } from '../../../lib/backend/chat-completions-endpoint.js';
import { readResponseText, sendRequest } from '../../../lib/http/send-request.js';

// Readiness and liveness: a real one-token streaming generation. /health
// answers 200 before the model has loaded and after the generation thread has
// died, so it proves nothing (PROTOCOL.md A2, A8); only a generated token does.
// node:http (lib/http/send-request.ts), not fetch: this service runs in V8
// lite mode, which has no WebAssembly for fetch's parser.

export type ProbeResult = { ok: true } | { ok: false; kind: 'refused' | 'http' | 'timeout' | 'protocol' | 'aborted'; detail: string };

/** True once a chunk with a finish_reason, or `[DONE]`, has arrived. */
function isGenerationFinished(buffer: string): boolean {
  for (const line of buffer.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const data = line.slice('data: '.length).trim();
    if (data === '[DONE]') return true;
    try {
      const chunk = JSON.parse(data) as { choices?: Array<{ finish_reason?: string | null }> };
      if (chunk.choices?.some((choice) => choice.finish_reason)) return true;
    } catch {
      // a partial line; the next read completes it
    }
  }
  return false;
}

/**
 * POSTs a max_tokens:1 streaming chat and waits until it finishes; the
 * deadline covers the whole exchange. mlx-lm.server gets no `model` (any
 * name but default_model loads a new model, A3); an external server gets the
 * configured one (lib/backend/chat-completions-endpoint.ts).
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
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') return { ok: false, kind: 'refused', detail: 'connection refused' };
    return { ok: false, kind: 'protocol', detail: code ?? (error as Error).message };
  };
  const body = JSON.stringify({
    ...(endpoint.model ? { model: endpoint.model } : {}),
    messages: [{ role: 'user', content: 'Say OK.' }],
    max_tokens: 1,
    stream: true,
    temperature: 0,
  });
  let response: Awaited<ReturnType<typeof sendRequest>>;
  try {
    response = await sendRequest(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: combined });
  } catch (error) {
    return describe(error);
  }
  try {
    if (response.statusCode !== 200) {
      const text = await readResponseText(response, 2000);
      return { ok: false, kind: 'http', detail: `HTTP ${response.statusCode}: ${text.slice(0, 200)}` };
    }
    let buffer = '';
    for await (const chunk of response) {
      buffer += (chunk as Buffer).toString('utf8');
      if (isGenerationFinished(buffer)) return { ok: true };
      // Keep only the unfinished last line; a finished answer is a few hundred bytes.
      if (buffer.length > 65_536) buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    }
    return { ok: false, kind: 'protocol', detail: 'the stream ended without a finished generation' };
  } catch (error) {
    return describe(error);
  } finally {
    response.destroy();
  }
}
