import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// A stand-in for api.anthropic.com that speaks the Messages API as PROTOCOL.md
// B3–B5 describe it: JSON answers, SSE with an `event:` and a `data:` line per
// event in the SDK's order, and Anthropic-shaped errors with request ids.
// Scripted answers; every request is recorded (headers and body).

export type FakeAnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface FakeAnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export type FakeAnthropicReply =
  | { kind: 'message'; content?: FakeAnthropicBlock[]; stopReason?: string; usage?: FakeAnthropicUsage; chunkDelayMs?: number }
  /** 429 rate_limit_error, 529 overloaded_error, 500 api_error, … (B5). */
  | { kind: 'error'; status: number; type?: string; message?: string }
  /** The connection is cut before any byte: a network failure. */
  | { kind: 'drop' }
  /** Headers and message_start go out, then the connection is cut mid-stream. */
  | { kind: 'break-mid-stream' }
  /** No answer until the client goes away. */
  | { kind: 'hang' };

export interface FakeAnthropicRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  /** Resolves when the connection to the client is gone. */
  closed: Promise<void>;
}

export interface FakeAnthropicServer {
  url: string;
  port: number;
  requests: FakeAnthropicRequest[];
  /** Answers used in order before falling back to `respond`. */
  enqueue(...replies: FakeAnthropicReply[]): void;
  setResponder(respond: (request: FakeAnthropicRequest) => FakeAnthropicReply): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 504: 'timeout_error', 529: 'overloaded_error' };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function writeEvent(res: http.ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function sendError(res: http.ServerResponse, status: number, requestId: string, type = ERROR_TYPES[status] ?? 'api_error', message = 'Overloaded'): void {
  const body = JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...(status >= 500 || status === 429 ? { 'x-should-retry': 'true' } : {}) });
  res.end(body);
}

async function streamMessage(res: http.ServerResponse, id: string, model: string, reply: Extract<FakeAnthropicReply, { kind: 'message' }>, content: FakeAnthropicBlock[], usage: FakeAnthropicUsage): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': id });
  const startUsage = { input_tokens: usage.input_tokens, output_tokens: 1, cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0, cache_read_input_tokens: usage.cache_read_input_tokens ?? 0 };
  writeEvent(res, 'message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage } });
  writeEvent(res, 'ping', { type: 'ping' });
  for (const [index, block] of content.entries()) {
    if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    switch (block.type) {
      case 'text':
        writeEvent(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        writeEvent(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } });
        break;
      case 'thinking':
        writeEvent(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
        writeEvent(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: block.thinking } });
        writeEvent(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } });
        break;
      case 'tool_use':
        writeEvent(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
        writeEvent(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
        break;
      default: {
        const unknown: never = block;
        throw new Error(`unknown block ${JSON.stringify(unknown)}`);
      }
    }
    writeEvent(res, 'content_block_stop', { type: 'content_block_stop', index });
  }
  const stopReason = reply.stopReason ?? (content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');
  writeEvent(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  writeEvent(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

export async function startFakeAnthropicServer({ respond }: { respond?: (request: FakeAnthropicRequest) => FakeAnthropicReply } = {}): Promise<FakeAnthropicServer> {
  let responder = respond ?? (() => ({ kind: 'message' }) as FakeAnthropicReply);
  const queue: FakeAnthropicReply[] = [];
  const requests: FakeAnthropicRequest[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const record: FakeAnthropicRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, closed: new Promise((resolve) => res.once('close', () => resolve())) };
      requests.push(record);
      void answer(record, res).catch(() => res.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function answer(request: FakeAnthropicRequest, res: http.ServerResponse): Promise<void> {
    const id = `msg_fake_${++counter}`;
    const path = request.url.split('?')[0];
    if (request.method === 'POST' && path === '/v1/messages/count_tokens') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ input_tokens: JSON.stringify(request.body?.messages ?? []).length }));
    }
    if (request.method !== 'POST' || path !== '/v1/messages') return sendError(res, 404, id, 'not_found_error', `no route ${request.method} ${path}`);
    const reply = queue.shift() ?? responder(request);
    switch (reply.kind) {
      case 'error':
        return sendError(res, reply.status, id, reply.type, reply.message);
      case 'drop':
        return void res.socket?.destroy();
      case 'hang':
        return;
      case 'break-mid-stream':
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
        writeEvent(res, 'message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: request.body.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } });
        await sleep(20);
        return void res.socket?.destroy();
      case 'message': {
        const content = reply.content ?? [{ type: 'text', text: `answer from ${request.body.model}` }];
        const usage = reply.usage ?? { input_tokens: 25, output_tokens: 7 };
        if (request.body?.stream) return streamMessage(res, id, request.body.model, reply, content, usage);
        const stopReason = reply.stopReason ?? (content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': id });
        return void res.end(JSON.stringify({ id, type: 'message', role: 'assistant', model: request.body.model, content, stop_reason: stopReason, stop_sequence: null, usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage } }));
      }
      default: {
        const unknown: never = reply;
        throw new Error(`unknown reply ${JSON.stringify(unknown)}`);
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setResponder: (next) => void (responder = next),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
