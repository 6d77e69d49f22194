import http from 'node:http';
import https from 'node:https';

// HTTP between mallex's processes (services and CLI), on node:http: the
// answer is a Node stream that can be piped to a client's response as it
// arrives, and its parser needs nothing a V8 flag can take away (fetch's is
// WebAssembly, which --lite-mode turns off).

export interface SendRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Aborts the request (and its response) when it fires. */
  signal?: AbortSignal;
  /** Gives up when no response headers came within this time. */
  timeoutMs?: number;
}

/** Sends a request; resolves with the response once its headers are in, its body still to be read. */
export function sendRequest(url: string, { method = 'GET', headers = {}, body, signal, timeoutMs }: SendRequestOptions = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const outgoingHeaders = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const request = client.request(target, { method, headers: outgoingHeaders });
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    const cleanUp = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    if (timeoutMs !== undefined) timer = setTimeout(() => request.destroy(new Error(`no answer from ${target.host} within ${timeoutMs} ms`)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.once('response', (response) => {
      clearTimeout(timer);
      // The signal keeps covering the body; it is let go when the response is done.
      response.once('close', cleanUp);
      resolve(response);
    });
    request.once('error', (error) => {
      cleanUp();
      reject(error);
    });
    request.end(body);
  });
}

/** Reads a whole (small) response body as text, cut at maxBytes. */
export function readResponseText(response: http.IncomingMessage, maxBytes = 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size < maxBytes) chunks.push(chunk);
      size += chunk.length;
    });
    const done = () => resolve(Buffer.concat(chunks).toString('utf8').slice(0, maxBytes));
    response.once('end', done);
    response.once('error', reject);
    // Destroyed without an error (the request was stopped): what came so far.
    response.once('close', done);
  });
}

/** A JSON request with a deadline for the whole exchange; throws on network errors and non-2xx answers. */
export async function requestJson<T>(url: string, { method = 'GET', headers = {}, body, timeoutMs = 2000 }: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {}): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`${method} ${url} did not answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    const response = await sendRequest(url, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: deadline.signal,
    });
    const text = await readResponseText(response);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new Error(`${method} ${url} answered ${status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  } finally {
    clearTimeout(timer);
  }
}
