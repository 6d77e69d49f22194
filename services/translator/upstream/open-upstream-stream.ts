import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { UpstreamFailure } from './upstream-failure.js';

const ERROR_BODY_LIMIT = 2_000;

export interface UpstreamRequest {
  /** Resolves when the server has answered with a 2xx: the response, whose body is the SSE stream. */
  response: Promise<http.IncomingMessage>;
  /** Destroys the connection, which is how mlx notices a cancelled request (A7: on its next socket write). */
  stop(): void;
}

/**
 * POSTs the chat body. The body goes as a string with Content-Length:
 * mlx-lm.server answers 411 to a chunked body (A2). A connection opened in
 * advance (preconnect.ts) is used when given.
 */
export function openUpstreamStream(target: URL, body: string, socket?: net.Socket): UpstreamRequest {
  let request: http.ClientRequest | undefined;
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    const client = target.protocol === 'https:' ? https : http;
    request = client.request(target, {
      method: 'POST',
      // mlx-lm.server is HTTP/1.0 and closes every connection (A2): no pooling.
      ...(socket ? { createConnection: () => socket } : { agent: false }),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'text/event-stream' },
    });
    // The body is one write; without this, Nagle can hold its last segment back for a delayed ACK.
    // A preconnected socket has it already (preconnect.ts): setting it again is one more system call.
    if (!socket) request.setNoDelay(true);
    request.on('error', (error) => reject(new UpstreamFailure('unreachable', `the local model server at ${target.host} is not reachable: ${error.message}`, { cause: error })));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve(response);
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (piece: string) => {
        if (text.length < ERROR_BODY_LIMIT) text += piece;
      });
      const fail = () => reject(new UpstreamFailure('rejected', `the local model server answered ${status}: ${text.slice(0, ERROR_BODY_LIMIT).trim() || '(no body)'}`));
      response.on('end', fail);
      response.on('error', fail);
    });
    request.end(body);
  });
  // No Error object here: a stop ends many requests, and the caller knows why it stopped.
  return { response, stop: () => request?.destroy() };
}
