import fs from 'node:fs';
import http from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../lib/config/load-config.js';
import type { MallexConfig } from '../../lib/config/schema.js';
import type { RequestRecord } from '../../lib/observability/request-record.js';
import type { AnthropicMessagesRequest, ContentBlock } from '../../lib/wire/anthropic.js';
import { createApp as createClassifierApp } from '../../services/classifier/app.js';
import { CLASSIFIER_SYSTEM_PROMPT } from '../../services/classifier/classifier-prompt.js';
import { createApp as createGatewayApp, type GatewayDependencies } from '../../services/gateway/app.js';
import { createStaticStateSource } from '../helpers/static-state-source.js';
import { createApp as createTranslatorApp, type TranslatorDependencies } from '../../services/translator/app.js';
import { readRecordedRequest } from '../helpers/claude-code-fixtures.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { startFakeModelServer, type FakeModelServer, type FakeReply, type FakeRequestRecord } from '../fakes/fake-model-server.js';

// The gateway, the classifier and the translator, real and in process, each on
// its own free loopback port; only the model (fake mlx-lm.server, serving one
// request at a time) and Anthropic (fake API) are fakes. Local readiness comes
// from a controllable source.

export const CLIENT_TOKEN = 'routing-client-token';
export const INTERNAL_TOKEN = 'routing-internal-token';

export interface RoutingStack {
  gatewayUrl: string;
  /** The stack's own MALLEX_HOME (request log, debug dumps), removed on close. */
  home: string;
  config: MallexConfig;
  model: FakeModelServer;
  anthropic: FakeAnthropicServer;
  localState: ReturnType<typeof createStaticStateSource>;
  records: RequestRecord[];
  logLines: string[];
  /** Requests the classifier sent to the model. */
  classifierCalls(): FakeRequestRecord[];
  /** Generations the translator sent to the model. */
  generations(): FakeRequestRecord[];
  close(): Promise<void>;
}

export interface RoutingStackOptions {
  /** The model's answer to a classification, from the prompt it was shown. */
  classifyAs?: (prompt: string) => string;
  /** The model's answer to a generation. */
  generate?: (body: any) => FakeReply;
  routing?: Partial<MallexConfig['routing']>;
  classifier?: Partial<MallexConfig['classifier']>;
  translatorDeps?: Partial<TranslatorDependencies>;
  gatewayDeps?: Partial<GatewayDependencies>;
  /** The classifier's port is taken and let go again, so the gateway finds nothing there. */
  classifierDown?: boolean;
  /** The fake model's prefill speed; default PREFILL_CHARS_PER_SECOND. */
  prefillCharsPerSecond?: number;
}

/**
 * The fake model serves one request at a time, as mlx-lm.server started by
 * mallex does (PROTOCOL.md D1), and prefills in proportion to the prompt: a
 * request that reached the model behind another one waits for it, so a test
 * that asks "local or Claude?" sees what a real model server would cause.
 * Small, so the tests stay quick: a whole 2.1.328 request (~50 KB) takes
 * about 100 ms.
 */
export const PREFILL_CHARS_PER_SECOND = 500_000;

function isClassification(body: any): boolean {
  return body?.messages?.[0]?.content === CLASSIFIER_SYSTEM_PROMPT;
}

async function listen(app: Express): Promise<{ server: http.Server; port: number }> {
  // As startService builds it, so the tests run the servers the services run.
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function loadDefaultConfig(): MallexConfig {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-routing-'));
  try {
    return loadConfig(home).config;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

export async function startRoutingStack(options: RoutingStackOptions = {}): Promise<RoutingStack> {
  const classifyAs = options.classifyAs ?? (() => 'chit_chat');
  const generate = options.generate ?? (() => ({ steps: [{ content: 'local answer' }], finishReason: 'stop' as const }));
  const model = await startFakeModelServer({
    serial: true,
    prefillCharsPerSecond: options.prefillCharsPerSecond ?? PREFILL_CHARS_PER_SECOND,
    respond: (body) => {
      if (!isClassification(body)) return generate(body);
      return { steps: [{ content: classifyAs(String(body.messages[1]?.content ?? '')) }], finishReason: 'stop' };
    },
  });
  const anthropic = await startFakeAnthropicServer();
  const defaults = loadDefaultConfig();
  // The inner services' ports are only known once they listen; the config they read them from is completed then.
  const config: MallexConfig = {
    ...defaults,
    serverPort: model.port,
    claude: { baseUrl: anthropic.url },
    routing: { ...defaults.routing, waitForLocalSeconds: 1, ...options.routing },
    classifier: { ...defaults.classifier, timeoutMs: 2000, ...options.classifier },
  };
  const noLog = () => {};
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-routing-home-'));
  const classifier = await listen(createClassifierApp({ config, internalToken: INTERNAL_TOKEN, writeLine: noLog }));
  const translator = await listen(createTranslatorApp({ config, internalToken: INTERNAL_TOKEN, home, log: noLog, ...options.translatorDeps }));
  config.servicePorts = { ...config.servicePorts, classifier: classifier.port, translator: translator.port };
  if (options.classifierDown) await closeServer(classifier.server);
  const localState = createStaticStateSource({ ready: true, state: 'ready' });
  const records: RequestRecord[] = [];
  const logLines: string[] = [];
  const gateway = await listen(
    createGatewayApp({
      config,
      clientToken: CLIENT_TOKEN,
      internalToken: INTERNAL_TOKEN,
      home,
      localState,
      recordSinks: [(record) => records.push(record)],
      writeLine: (line) => logLines.push(line),
      claudeRetryDelayMs: 10,
      waitPollMs: 50,
      ...options.gatewayDeps,
    }),
  );
  return {
    gatewayUrl: `http://127.0.0.1:${gateway.port}`,
    home,
    config,
    model,
    anthropic,
    localState,
    records,
    logLines,
    classifierCalls: () => model.requests.filter((request) => isClassification(request.body)),
    generations: () => model.requests.filter((request) => request.body && !isClassification(request.body)),
    close: async () => {
      await closeServer(gateway.server);
      await closeServer(translator.server);
      if (classifier.server.listening) await closeServer(classifier.server);
      await model.close();
      await anthropic.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A real 2.1.328 request (reminders, role "system" message, tools, adaptive thinking) with the user's words replaced. */
export function createPromptRequest(prompt: string, { stream = false }: { stream?: boolean } = {}): AnthropicMessagesRequest {
  const { body } = readRecordedRequest('2.1.328', 'chat', 1);
  const first = body.messages[0]!.content as ContentBlock[];
  first[first.length - 1] = { type: 'text', text: prompt };
  return { ...body, stream };
}

/** The request after the assistant answered `answer` and the user said `next`: same conversation, new prompt. */
export function appendUserTurn(request: AnthropicMessagesRequest, answer: string, next: string): AnthropicMessagesRequest {
  return { ...request, messages: [...request.messages, { role: 'assistant', content: [{ type: 'text', text: answer }] }, { role: 'user', content: next }] };
}

/** The request that carries a tool result for the turn started by `request`. */
export function appendToolResult(request: AnthropicMessagesRequest, toolUseId = 'toolu_1'): AnthropicMessagesRequest {
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: [{ type: 'tool_use', id: toolUseId, name: 'Bash', input: { command: 'ls' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUseId, content: 'a.txt', cache_control: { type: 'ephemeral' } }] },
    ],
  };
}

/** Headers as Claude Code sends them through mallex: its own auth, Anthropic's headers, and the mallex token. */
export function createClientHeaders(session: string, auth: Record<string, string> = { authorization: 'Bearer sk-ant-oat01-user-login' }): Record<string, string> {
  return {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'anthropic-beta': 'claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14',
    'x-app': 'cli',
    'user-agent': 'claude-cli/2.1.328 (external, sdk-cli)',
    'x-claude-code-session-id': session,
    'x-mallex-token': CLIENT_TOKEN,
    ...auth,
  };
}

export interface GatewayAnswer {
  status: number;
  headers: Headers;
  text: string;
  route: string | null;
  tier: string | null;
  reason: string | null;
  category: string | null;
}

export async function sendToGateway(stack: RoutingStack, body: unknown, headers: Record<string, string>, { signal }: { signal?: AbortSignal } = {}): Promise<GatewayAnswer> {
  const response = await fetch(`${stack.gatewayUrl}/v1/messages?beta=true`, { method: 'POST', headers, body: JSON.stringify(body), signal: signal ?? AbortSignal.timeout(10_000) });
  const text = await response.text();
  const read = (name: string) => response.headers.get(`x-mallex-${name}`);
  return { status: response.status, headers: response.headers, text, route: read('route'), tier: read('tier'), reason: read('reason'), category: read('category') };
}

/** Waits (bounded) until a condition holds; for the gateway's record, which is written when the response closes. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
