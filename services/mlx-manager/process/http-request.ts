import http from 'node:http';
import https from 'node:https';

// The mlx-manager runs in V8 lite mode (lib/stack/service-definitions.ts),
// which turns WebAssembly off, and Node's fetch (undici) needs WebAssembly
// for its HTTP parser: it throws "WebAssembly is not defined". So this
// service speaks HTTP through node:http.

export type HttpFailure = { kind: 'refused' | 'timeout' | 'aborted' | 'network'; detail: string };

export class HttpRequestError extends Error {
  override name = 'HttpRequestError';
  constructor(readonly failure: HttpFailure, options?: { cause?: unknown }) {
    super(failure.detail, options);
  }
}

function describeError(error: NodeJS.ErrnoException, timeout: AbortSignal, signal: AbortSignal | undefined): HttpFailure {
  if (signal?.aborted) return { kind: 'aborted', detail: 'stopped' };
  if (timeout.aborted) return { kind: 'timeout', detail: 'no answer before the deadline' };
  if (error.code === 'ECONNREFUSED') return { kind: 'refused', detail: 'connection refused' };
  return { kind: 'network', detail: error.code ?? error.message };
}

/**
 * Sends one request and resolves with the response once its headers arrived;
 * the body is the caller's to read. A string body goes out with
 * Content-Length (mlx-lm.server answers 411 without it, PROTOCOL.md A2).
 * The deadline covers the whole exchange, body included.
 */
export function sendHttpRequest(url: string, { method = 'GET', body, timeoutMs, signal }: {
  method?: string;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<{ response: http.IncomingMessage; signal: AbortSignal; describe: (error: unknown) => HttpFailure }> {
  const timeout = AbortSignal.timeout(Math.max(1, Math.round(timeoutMs)));
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const describe = (error: unknown) => describeError(error as NodeJS.ErrnoException, timeout, signal);
  const client = url.startsWith('https:') ? https : http;
  const headers: Record<string, string | number> = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method, headers, signal: combined }, (response) => resolve({ response, signal: combined, describe }));
    request.on('error', (error) => reject(new HttpRequestError(describe(error), { cause: error })));
    request.end(body);
  });
}

/** Reads a whole (small) body as text, at most maxBytes. */
export async function readBodyText(response: http.IncomingMessage, maxBytes = 1_000_000): Promise<string> {
  let text = '';
  for await (const chunk of response) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > maxBytes) {
      response.destroy();
      break;
    }
  }
  return text;
}
