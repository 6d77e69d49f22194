import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { readResponseText } from '../http/send-request.js';
import { describeRejection, ModelServerError } from './model-server-error.js';

// The one way mallex opens a streamed chat completion on the local model
// server: the translator's generation, the classifier's question and the
// mlx-manager's readiness probe all come through here, and its failures are
// ModelServerErrors (model-server-error.ts).

const ERROR_BODY_LIMIT = 2_000;

export interface ChatStream {
  /** Resolves when the server has answered with a 2xx: the response, whose body is the SSE stream. */
  response: Promise<http.IncomingMessage>;
  /** Destroys the connection, which is how mlx notices a cancelled request (A7: on its next socket write). */
  stop(): void;
}

export interface OpenChatStreamOptions {
  /** A connection opened in advance (services/translator/upstream/preconnect.ts). */
  socket?: net.Socket;
  /** Stops the request, as stop() does. */
  signal?: AbortSignal;
}

/**
 * POSTs the chat body. The body goes as a string with Content-Length:
 * mlx-lm.server answers 411 to a chunked body (A2). Streaming always:
 * mlx-lm.server never cancels a non-streaming request (A7).
 */
export function openChatStream(target: URL, body: string, { socket, signal }: OpenChatStreamOptions = {}): ChatStream {
  let request: http.ClientRequest | undefined;
  const stop = () => request?.destroy();
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    const client = target.protocol === 'https:' ? https : http;
    request = client.request(target, {
      method: 'POST',
      // mlx-lm.server is HTTP/1.0 and closes every connection (A2): no pooling.
      ...(socket ? { createConnection: () => socket } : { agent: false }),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'text/event-stream' },
    });
    // The body is one write; without this, Nagle can hold its last segment back for a delayed ACK.
    // A preconnected socket has it already (preconnect.ts).
    if (!socket) request.setNoDelay(true);
    request.on('error', (error) => reject(new ModelServerError('unreachable', `the local model server at ${target.host} is not reachable: ${error.message}`, { cause: error })));
    request.on('response', (answer) => {
      const status = answer.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve(answer);
      readResponseText(answer, ERROR_BODY_LIMIT).then(
        (text) => reject(describeRejection(status, text)),
        (error: Error) => reject(new ModelServerError('broken', `the local model server answered ${status} and then broke off: ${error.message}`, { cause: error })),
      );
    });
    request.end(body);
  });
  if (signal) {
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    const forget = () => signal.removeEventListener('abort', stop);
    response.then((answer) => answer.once('close', forget), forget);
  }
  // No Error object here: a stop ends many requests, and the caller knows why it stopped.
  return { response, stop };
}
