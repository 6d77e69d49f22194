import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { checkAnthropicRequest, type SignatureCheck } from './check-anthropic-request.js';

// A stand-in for api.anthropic.com that speaks the Messages API as PROTOCOL.md
// B3–B5 describe it: JSON answers, SSE with an `event:` and a `data:` line per
// event in the SDK's order, and Anthropic-shaped errors with request ids.
// Scripted answers; every request is recorded (headers and body).
//
// As strict as the real API (PROTOCOL.md D2): thinking it answers with is
// signed (an HMAC of the text under a key of this server's own), and a request
// whose transcript the real API would refuse (a signature it did not issue, a
// tool loop without thinking first while thinking is on, unpaired tool ids,
// over 4 cache_control breakpoints, an unknown model) gets the real refusal,
// before any scripted answer. Refusals are counted in `refusals`.

/** Scripted blocks; thinking is signed by the fake itself, as only Anthropic can sign. */
export type FakeAnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'redacted_thinking' }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

type IssuedBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
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
  /** The requests refused as the real API would refuse them, with what was answered. */
  refusals: Array<{ request: FakeAnthropicRequest; status: number; type: string; message: string }>;
  /** The signature this server issues for a thinking text (for tests that build a Claude transcript by hand). */
  signThinking(thinking: string): string;
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

/** Models the real API knows: Claude ids. A local model's id or a typo gets a 404. */
const KNOWN_MODEL_PATTERN = /^claude-[a-z0-9.-]+$/;

function createSigner(): SignatureCheck & { sign(thinking: string): string; issueRedactedData(): string } {
  const key = randomBytes(32);
  const mac = (label: string, value: Buffer | string) => createHmac('sha256', key).update(label).update(value).digest();
  const sign = (thinking: string) => mac('thinking:', thinking).toString('base64');
  return {
    sign,
    isSignedThinking: (thinking, signature) => typeof signature === 'string' && signature === sign(thinking),
    issueRedactedData() {
      const nonce = randomBytes(24);
      return Buffer.concat([nonce, mac('redacted:', nonce)]).toString('base64');
    },
    isIssuedRedactedData(data) {
      if (typeof data !== 'string') return false;
      const bytes = Buffer.from(data, 'base64');
      if (bytes.length !== 56 || bytes.toString('base64') !== data) return false;
      return timingSafeEqual(bytes.subarray(24), mac('redacted:', bytes.subarray(0, 24)));
    },
  };
}

async function streamMessage(res: http.ServerResponse, id: string, model: string, reply: Extract<FakeAnthropicReply, { kind: 'message' }>, content: IssuedBlock[], usage: FakeAnthropicUsage): Promise<void> {
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
      case 'redacted_thinking':
        writeEvent(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'redacted_thinking', data: block.data } });
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

export interface FakeAnthropicOptions {
  respond?: (request: FakeAnthropicRequest) => FakeAnthropicReply;
  /** Which model ids exist (default: claude-…). */
  isKnownModel?: (model: string) => boolean;
}

export async function startFakeAnthropicServer({ respond, isKnownModel = (model) => KNOWN_MODEL_PATTERN.test(model) }: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
  let responder = respond ?? (() => ({ kind: 'message' }) as FakeAnthropicReply);
  const queue: FakeAnthropicReply[] = [];
  const requests: FakeAnthropicRequest[] = [];
  const refusals: FakeAnthropicServer['refusals'] = [];
  const signer = createSigner();
  const issue = (block: FakeAnthropicBlock): IssuedBlock => {
    switch (block.type) {
      case 'thinking':
        return { type: 'thinking', thinking: block.thinking, signature: signer.sign(block.thinking) };
      case 'redacted_thinking':
        return { type: 'redacted_thinking', data: signer.issueRedactedData() };
      case 'text':
      case 'tool_use':
        return block;
      default: {
        const unknown: never = block;
        throw new Error(`unknown block ${JSON.stringify(unknown)}`);
      }
    }
  };
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
    const refusal = checkAnthropicRequest(request.body, signer, isKnownModel);
    if (refusal) {
      refusals.push({ request, ...refusal });
      return sendError(res, refusal.status, id, refusal.type, refusal.message);
    }
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
        const content = (reply.content ?? [{ type: 'text', text: `answer from ${request.body.model}` }]).map(issue);
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
    refusals,
    signThinking: signer.sign,
    enqueue: (...replies) => void queue.push(...replies),
    setResponder: (next) => void (responder = next),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
