import http from 'node:http';
import { decodeSseStream, type SseMessage } from '../../lib/sse/index.js';
import { checkSseMessages, type StreamCheck } from './check-sse-order.js';

// A streaming client for load tests and benchmarks: POSTs a body, reads the
// SSE answer to its end, and notes when the first event holding `marker`
// (the model's first text token) arrived. Bounded by a deadline.

export interface StreamResult {
  status: number;
  /** x-mallex-route of the answer (null from the model server directly). */
  route: string | null;
  /** Request start → the first event whose data holds the marker; null if none did. */
  ttftMs: number | null;
  /** Request start → the end of the body. */
  totalMs: number;
  /** The order check of the whole stream (when asked for). */
  check: StreamCheck | null;
  /** The body of a non-SSE answer (an error), cut short. */
  errorText: string | null;
}

export interface StreamRequest {
  url: string;
  body: string;
  headers?: Record<string, string>;
  marker: string;
  /** Check every event's order (PROTOCOL.md B4); off for the OpenAI stream of the model server. */
  checkOrder?: boolean;
  agent?: http.Agent;
  timeoutMs?: number;
}

const elapsedMs = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

export function sendStreaming({ url, body, headers = {}, marker, checkOrder = false, agent, timeoutMs = 30_000 }: StreamRequest): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request(url, {
      method: 'POST',
      agent: agent ?? false,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
    });
    const timer = setTimeout(() => request.destroy(new Error(`no whole answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
    request.setNoDelay(true);
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.once('response', (response) => {
      const status = response.statusCode ?? 0;
      const route = typeof response.headers['x-mallex-route'] === 'string' ? response.headers['x-mallex-route'] : null;
      void (async () => {
        let ttftMs: number | null = null;
        const messages: SseMessage[] = [];
        let errorText: string | null = null;
        if (String(response.headers['content-type']).startsWith('text/event-stream')) {
          for await (const message of decodeSseStream(response)) {
            if (ttftMs === null && message.data.includes(marker)) ttftMs = elapsedMs(started);
            if (checkOrder) messages.push(message);
          }
        } else {
          let text = '';
          for await (const chunk of response) text += String(chunk);
          errorText = text.slice(0, 500);
        }
        clearTimeout(timer);
        resolve({ status, route, ttftMs, totalMs: elapsedMs(started), check: checkOrder && errorText === null ? checkSseMessages(messages) : null, errorText });
      })().catch((error: unknown) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    request.end(body);
  });
}

/** Runs `total` requests from `clients` concurrent loops; resolves with every result and the wall time. */
export async function runConcurrently(total: number, clients: number, send: (index: number) => Promise<StreamResult>): Promise<{ results: StreamResult[]; wallMs: number }> {
  const results: StreamResult[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const index = next++;
        results[index] = await send(index);
      }
    }),
  );
  return { results, wallMs: elapsedMs(started) };
}

export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}
