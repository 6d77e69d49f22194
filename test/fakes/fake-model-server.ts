import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { computePrefillMs, createSerialQueue, measureRenderedPromptChars } from './model-serial-queue.js';
import { createPromptCacheModel, renderChatPrompt, renderGeneratedText, type PromptCacheLookup } from './prompt-cache-model.js';

// A stand-in for mlx-lm.server that speaks its wire format exactly as
// PROTOCOL.md A2–A7 describes it: HTTP/1.0-like (one request per connection,
// closed after the answer), Content-Length required, exact-path POST routes,
// keepalive comments during prefill, `role` in every delta, whole tool calls,
// the finish chunk then a separate usage chunk, then `data: [DONE]`.

export type FakeStep =
  | { content: string }
  | { reasoning: string }
  /** A whole tool call, never incremental (A4). `arguments` objects are sent as a JSON string. */
  | { toolCalls: Array<{ name: string; arguments: string | Record<string, unknown>; id?: string }> };

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
}

export type FakeFailure =
  /** Destroys the socket after the steps: no finish chunk, no [DONE] (A6, serial path). */
  | 'die-mid-stream'
  /** Sends the steps, then nothing more until the client goes away (A6, batch thread). */
  | 'never-finish'
  /** Answers 404 `{"error": errorMessage}` before any stream byte (A6, template/model failures). */
  | 'error-before-first-byte'
  /** Closes the socket without any answer (A3: uncaught parameter errors). */
  | 'close-without-answer';

export interface FakeReply {
  steps?: FakeStep[];
  /** `tool_call` is what builds before Jan 2026 sent (A5). `null`: no finish chunk. */
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'tool_call' | null;
  usage?: FakeUsage;
  /** Pause before each step. */
  chunkDelayMs?: number;
  /** Time spent "prefilling" after the headers and before the first step. */
  prefillMs?: number;
  /** `: keepalive N/M` comments spread over the prefill (one per prefill step in mlx). */
  keepalives?: number;
  failure?: FakeFailure;
  errorMessage?: string;
  /**
   * The server's context size in tokens (llama.cpp's --ctx-size; mlx-lm.server
   * has no such check): a prompt over it is answered as llama.cpp answers it,
   * 400 exceed_context_size_error before any stream byte.
   */
  contextTokens?: number;
}

export interface FakeRequestRecord {
  method: string;
  /** Path with its query string, as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: any;
  /** The client closed the connection before the fake finished its answer. */
  clientClosedEarly: boolean;
  /** Resolves when the connection is gone (either side). */
  closed: Promise<void>;
  /** When the first byte of the response body (after headers) was written; undefined if never. */
  firstBodyByteAt?: number;
  /** With the promptCache option: the rendered prompt's size, and how much of it the cache held (prompt-cache-model.ts). */
  promptCache?: PromptCacheLookup & { renderedChars: number };
}

export interface FakeModelServerOptions {
  script?: FakeReply;
  respond?: (body: any, record: FakeRequestRecord) => FakeReply;
  /** The model id reported by GET /v1/models and in chunks. */
  modelId?: string;
  port?: number;
  /** Model mlx-lm's prompt cache (`--prompt-cache-size` entries) and record cached/prefilled characters per request. */
  promptCache?: { maxEntries: number };
  /**
   * Serve one chat request at a time, as mlx-lm.server with concurrency 1:
   * the others wait in arrival order; a closed client connection cancels its
   * request, waiting or running, and frees the model.
   */
  serial?: boolean;
  /** Prefill time in proportion to the prompt, added to a reply's own prefillMs. */
  prefillCharsPerSecond?: number;
  /** Characters the model has to prefill for this request; default: the prompt-cache model's uncached part with `promptCache`, else the whole rendered prompt. */
  measureCharsToPrefill?: (body: any) => number;
}

export interface FakeModelServer {
  url: string;
  port: number;
  requests: FakeRequestRecord[];
  /** TCP connections accepted so far, with or without a request on them. */
  readonly connectionsAccepted: number;
  /** Connections open right now. */
  readonly connectionsOpen: number;
  /** Serial mode: chat requests waiting for the one running now. */
  readonly waiting: number;
  setScript(script: FakeReply | ((body: any, record: FakeRequestRecord) => FakeReply)): void;
  /** Stops listening and cuts open connections; the url then refuses connections. */
  close(): Promise<void>;
}

const CHAT_PATHS = new Set(['/v1/chat/completions', '/chat/completions']);
const DEFAULT_USAGE: FakeUsage = { prompt_tokens: 12, completion_tokens: 3 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createChunk(id: string, created: number, delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id,
    system_fingerprint: '0.32.0-fake',
    object: 'chat.completion.chunk',
    model: 'default_model',
    created,
    choices: [{ index: 0, finish_reason: finishReason, delta: { role: 'assistant', ...delta } }],
  };
}

function createUsage(usage: FakeUsage) {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
    prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
  };
}

function convertToolCalls(step: Extract<FakeStep, { toolCalls: unknown }>, firstIndex: number) {
  return step.toolCalls.map((call, offset) => ({
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
    type: 'function',
    id: call.id ?? randomUUID(),
    index: firstIndex + offset,
  }));
}

/**
 * The request checks mlx-lm.server makes before generating (A3, A6), so a
 * translator bug shows up the way it would against the real server.
 */
function findRequestProblem(body: any, modelId: string): string | 'no-answer' | null {
  // A missing `messages` or a `stream_options` without `include_usage` raise uncaught errors: no answer at all.
  if (!Array.isArray(body.messages)) return 'no-answer';
  if (body.stream_options !== undefined && body.stream_options !== null && !('include_usage' in body.stream_options)) return 'no-answer';
  if (body.model !== undefined && body.model !== 'default_model' && body.model !== modelId) {
    return `Failed to load model ${body.model}: repository not found`;
  }
  for (const message of body.messages) {
    if (Array.isArray(message.content) && message.content.some((part: any) => part?.type !== 'text')) {
      return "Only 'text' content type is supported.";
    }
    for (const call of message.tool_calls ?? []) {
      if (typeof call?.function?.arguments !== 'string') return 'the JSON object must be str, bytes or bytearray, not dict';
    }
  }
  return null;
}

/** Four characters a token, as the fake counts; llama.cpp's own words and fields for a prompt over its context. */
function findContextOverflow(body: any, contextTokens: number): object | null {
  const promptTokens = Math.ceil(measureRenderedPromptChars(body) / 4);
  if (promptTokens < contextTokens) return null;
  const message = `request (${promptTokens} tokens) exceeds the available context size (${contextTokens} tokens), try increasing it`;
  return { error: { code: 400, message, type: 'exceed_context_size_error', n_prompt_tokens: promptTokens, n_ctx: contextTokens } };
}

function sendText(res: http.ServerResponse, status: number, body: string, contentType = 'text/plain'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

/** Starts a fake mlx-lm.server on 127.0.0.1 (a free port unless one is given). */
export async function startFakeModelServer(options: FakeModelServerOptions = {}): Promise<FakeModelServer> {
  let respond: (body: any, record: FakeRequestRecord) => FakeReply =
    options.respond ?? (() => options.script ?? { steps: [{ content: 'ok' }], finishReason: 'stop' });
  const modelId = options.modelId ?? 'mlx-community/fake-model';
  const requests: FakeRequestRecord[] = [];
  const serialQueue = options.serial ? createSerialQueue() : null;
  const sockets = new Set<import('node:net').Socket>();
  const promptCache = options.promptCache ? createPromptCacheModel(options.promptCache.maxEntries) : undefined;
  /** The rendered prompt, looked up in the cache model; the generated text goes in with it once the answer ends. */
  const lookUpPrompt = (record: FakeRequestRecord): ((reply: FakeReply) => void) => {
    if (!promptCache) return () => {};
    const prompt = renderChatPrompt(record.body);
    record.promptCache = { renderedChars: prompt.length, ...promptCache.look(prompt) };
    return (reply) => {
      const steps = reply.steps ?? [];
      const content = steps.flatMap((step) => ('content' in step ? [step.content] : [])).join('');
      const calls = steps.flatMap((step) => ('toolCalls' in step ? convertToolCalls(step, 0) : []));
      promptCache.store(prompt, renderGeneratedText(content, calls));
    };
  };

  const server = http.createServer((req, res) => {
    let markClosed!: () => void;
    const record: FakeRequestRecord = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawBody: '',
      body: undefined,
      clientClosedEarly: false,
      closed: new Promise<void>((resolve) => (markClosed = resolve)),
    };
    let answered = false;
    res.on('finish', () => (answered = true));
    res.on('close', () => {
      if (!answered) record.clientClosedEarly = true;
      markClosed();
    });
    requests.push(record);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      record.rawBody = Buffer.concat(chunks).toString('utf8');
      void route(req, res, record).catch(() => res.destroy());
    });
  });

  async function route(req: http.IncomingMessage, res: http.ServerResponse, record: FakeRequestRecord): Promise<void> {
    const path = record.url;
    if (req.method === 'GET') {
      if (path === '/health') return sendText(res, 200, JSON.stringify({ status: 'ok' }), 'application/json');
      if (path === '/v1/models') {
        const models = { object: 'list', data: [{ id: modelId, object: 'model', created: 1760000000 }] };
        return sendText(res, 200, JSON.stringify(models), 'application/json');
      }
      return sendText(res, 404, 'Not Found');
    }
    // POST paths match exactly, so `?beta=true` is a 404 (A2).
    if (req.method !== 'POST' || !CHAT_PATHS.has(path)) return sendText(res, 404, 'Not Found');
    if (req.headers['content-length'] === undefined) {
      return sendText(res, 411, JSON.stringify({ error: 'Content-Length header is required' }), 'application/json');
    }
    try {
      record.body = JSON.parse(record.rawBody);
    } catch (error) {
      return sendText(res, 400, JSON.stringify({ error: `Invalid JSON in request body: ${(error as Error).message}` }), 'application/json');
    }
    if (typeof record.body !== 'object' || record.body === null || Array.isArray(record.body)) {
      return sendText(res, 400, JSON.stringify({ error: 'Request should be dict' }), 'application/json');
    }
    const problem = findRequestProblem(record.body, modelId);
    if (problem === 'no-answer') return void res.destroy();
    if (problem) return sendText(res, 404, JSON.stringify({ error: problem }), 'application/json');
    // The model is free again when this request's connection closes: answered, failed or cancelled.
    if (serialQueue && (await serialQueue.take(record.closed)) === null) return; // the client went away while it waited
    // Looked up once it is this request's turn: the cache holds what ran before it.
    const storeAnswer = lookUpPrompt(record);
    const reply = respond(record.body, record);
    const charsToPrefill = options.measureCharsToPrefill?.(record.body) ?? record.promptCache?.prefilledChars ?? measureRenderedPromptChars(record.body);
    const prefillMs = (reply.prefillMs ?? 0) + computePrefillMs(charsToPrefill, options.prefillCharsPerSecond);
    await answerChat(res, record, { ...reply, prefillMs }, storeAnswer);
  }

  async function answerChat(res: http.ServerResponse, record: FakeRequestRecord, reply: FakeReply, storeAnswer: (reply: FakeReply) => void): Promise<void> {
    if (reply.failure === 'close-without-answer') return void res.destroy();
    const overflow = reply.contextTokens === undefined ? null : findContextOverflow(record.body, reply.contextTokens);
    if (overflow) return sendText(res, 400, JSON.stringify(overflow), 'application/json');
    if (reply.failure === 'error-before-first-byte') {
      return sendText(res, 404, JSON.stringify({ error: reply.errorMessage ?? 'Failed to load model' }), 'application/json');
    }
    if (record.body.stream === true) await streamReply(res, record, reply);
    else await answerWhole(res, reply);
    if (!reply.failure) storeAnswer(reply);
  }

  async function streamReply(res: http.ServerResponse, record: FakeRequestRecord, reply: FakeReply): Promise<void> {
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = reply.usage ?? DEFAULT_USAGE;
    // No Content-Length and no chunked encoding: the body ends when the connection closes (HTTP/1.0).
    res.useChunkedEncodingByDefault = false;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'close' });
    res.flushHeaders();
    let flushed: Promise<void> = Promise.resolve();
    const write = (text: string) => {
      if (res.destroyed) return false;
      record.firstBodyByteAt ??= Date.now();
      flushed = new Promise<void>((resolve) => res.write(text, () => resolve()));
      return true;
    };
    const keepalives = reply.keepalives ?? 0;
    const prefillMs = reply.prefillMs ?? 0;
    for (let step = 1; step <= keepalives; step++) {
      await sleep(prefillMs / keepalives);
      const processed = Math.round((usage.prompt_tokens * step) / (keepalives + 1));
      if (!write(`: keepalive ${processed}/${usage.prompt_tokens}\n\n`)) return;
    }
    if (keepalives === 0 && prefillMs > 0) await sleep(prefillMs);
    let toolIndex = 0;
    for (const step of reply.steps ?? []) {
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      let delta: Record<string, unknown>;
      if ('content' in step) delta = { content: step.content };
      else if ('reasoning' in step) delta = { reasoning: step.reasoning };
      else {
        delta = { tool_calls: convertToolCalls(step, toolIndex) };
        toolIndex += step.toolCalls.length;
      }
      if (!write(`data: ${JSON.stringify(createChunk(id, created, delta))}\n\n`)) return;
    }
    if (reply.failure === 'die-mid-stream') {
      // What was written reaches the client first, as with a real server whose generation raised.
      await flushed;
      return void res.destroy();
    }
    if (reply.failure === 'never-finish') return; // the connection stays open until the client leaves or close()
    if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    if (reply.finishReason !== null) {
      if (!write(`data: ${JSON.stringify(createChunk(id, created, {}, reply.finishReason ?? 'stop'))}\n\n`)) return;
    }
    if (record.body.stream_options?.include_usage === true) {
      const usageChunk = { id, system_fingerprint: '0.32.0-fake', object: 'chat.completion', model: 'default_model', created, choices: [], usage: createUsage(usage) };
      if (!write(`data: ${JSON.stringify(usageChunk)}\n\n`)) return;
    }
    write('data: [DONE]\n\n');
    res.end();
  }

  async function answerWhole(res: http.ServerResponse, reply: FakeReply): Promise<void> {
    if (reply.prefillMs) await sleep(reply.prefillMs);
    const steps = reply.steps ?? [];
    const content = steps.flatMap((step) => ('content' in step ? [step.content] : [])).join('');
    const reasoning = steps.flatMap((step) => ('reasoning' in step ? [step.reasoning] : [])).join('');
    const toolCalls = steps.flatMap((step) => ('toolCalls' in step ? convertToolCalls(step, 0).map(({ index: _index, ...call }) => call) : []));
    const message: Record<string, unknown> = { role: 'assistant', content: content || null };
    if (reasoning) message.reasoning = reasoning;
    if (toolCalls.length) message.tool_calls = toolCalls;
    const body = {
      id: `chatcmpl-${randomUUID()}`,
      system_fingerprint: '0.32.0-fake',
      object: 'chat.completion',
      model: 'default_model',
      created: Math.floor(Date.now() / 1000),
      choices: [{ index: 0, finish_reason: reply.finishReason ?? 'stop', message }],
      usage: createUsage(reply.usage ?? DEFAULT_USAGE),
    };
    sendText(res, 200, JSON.stringify(body), 'application/json');
  }

  let connectionsAccepted = 0;
  server.on('connection', (socket) => {
    connectionsAccepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // HTTP/1.0-like: never keep a connection for a second request.
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connectionsAccepted() {
      return connectionsAccepted;
    },
    get connectionsOpen() {
      return sockets.size;
    },
    get waiting() {
      return serialQueue?.waiting ?? 0;
    },
    setScript(script) {
      respond = typeof script === 'function' ? script : () => script;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
