import { HttpRequestError, readBodyText, sendHttpRequest } from './http-request.js';

// Readiness and liveness: a real one-token streaming generation. /health
// answers 200 before the model has loaded and after the generation thread has
// died, so it proves nothing (PROTOCOL.md A2, A8); only a generated token does.

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

/** POSTs a max_tokens:1 streaming chat to `${baseUrl}/chat/completions` and waits for it to finish. */
export async function probeGeneration({ baseUrl, model, timeoutMs, signal }: {
  baseUrl: string;
  model: string;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<ProbeResult> {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Say OK.' }], max_tokens: 1, stream: true, temperature: 0 });
  let exchange: Awaited<ReturnType<typeof sendHttpRequest>>;
  try {
    exchange = await sendHttpRequest(`${baseUrl.replace(/\/+$/, '')}/chat/completions`, { method: 'POST', body, timeoutMs, signal });
  } catch (error) {
    const failure = error instanceof HttpRequestError ? error.failure : { kind: 'network' as const, detail: (error as Error).message };
    return { ok: false, kind: failure.kind === 'network' ? 'protocol' : failure.kind, detail: failure.detail };
  }
  const { response, describe } = exchange;
  try {
    if (response.statusCode !== 200) {
      const text = await readBodyText(response, 2000);
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
    const failure = describe(error);
    return { ok: false, kind: failure.kind === 'network' ? 'protocol' : failure.kind, detail: failure.detail };
  } finally {
    response.destroy();
  }
}
