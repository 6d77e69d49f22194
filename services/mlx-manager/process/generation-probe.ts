// Readiness and liveness: a real one-token streaming generation. /health
// answers 200 before the model has loaded and after the generation thread has
// died, so it proves nothing (PROTOCOL.md A2, A8); only a generated token does.

export type ProbeResult = { ok: true } | { ok: false; kind: 'refused' | 'http' | 'timeout' | 'protocol' | 'aborted'; detail: string };

function describeFetchError(error: unknown, timedOut: boolean, aborted: boolean): ProbeResult {
  if (aborted) return { ok: false, kind: 'aborted', detail: 'stopped' };
  if (timedOut) return { ok: false, kind: 'timeout', detail: 'no token before the deadline' };
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return { ok: false, kind: 'refused', detail: 'connection refused' };
  return { ok: false, kind: 'protocol', detail: cause?.message ?? (error as Error).message };
}

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
 * POSTs a max_tokens:1 streaming chat to `${baseUrl}/chat/completions`.
 * The body is a string, so fetch sends Content-Length (mlx-lm.server answers
 * 411 without it, A2).
 */
export async function probeGeneration({ baseUrl, model, timeoutMs, signal }: {
  baseUrl: string;
  model: string;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<ProbeResult> {
  const timeout = AbortSignal.timeout(Math.max(1, Math.round(timeoutMs)));
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say OK.' }], max_tokens: 1, stream: true, temperature: 0 });
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: combined,
    });
    if (!response.ok || !response.body) {
      const text = await response.text().catch(() => '');
      return { ok: false, kind: 'http', detail: `HTTP ${response.status}: ${text.slice(0, 200)}` };
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (value) buffer += decoder.decode(value, { stream: true });
      if (isGenerationFinished(buffer)) {
        await reader.cancel().catch(() => undefined);
        return { ok: true };
      }
      if (done) return { ok: false, kind: 'protocol', detail: 'the stream ended without a finished generation' };
      // Keep only the unfinished last line; a finished answer is a few hundred bytes.
      if (buffer.length > 65_536) buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    }
  } catch (error) {
    return describeFetchError(error, timeout.aborted, signal?.aborted ?? false);
  }
}
