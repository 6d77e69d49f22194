import { writeLogLine } from '../../lib/log/write-log-line.js';
import type { Express } from 'express';
import type { MallexConfig } from '../../lib/config/schema.js';
import { createServiceApp, finishServiceApp, flushBeforeExit } from '../../lib/http/create-service-app.js';
import { INTERNAL_TOKEN_HEADER } from '../../lib/http/headers.js';
import { randomIds, type TranslatorIds } from './http/create-ids.js';
import { handleCountTokens } from './http/handle-count-tokens.js';
import { createMessagesHandler } from './http/handle-messages.js';
import { createModelsHandler } from './http/handle-models.js';
import type { AnthropicMessagesRequest } from '../../lib/wire/anthropic.js';
import type { LocalPrompt, PreparePrompt, ToolCallExtractor } from './local-prompt.js';
import { createTrimmedPromptPreparer } from './prompt/prepare-local-prompt.js';
import { createTranslatorState, type TranslatorState } from './translator-state.js';
import { createRequestToolCallExtractor } from './tools/create-request-extractor.js';
import { resolveUpstream } from './upstream/upstream-url.js';
import { createPreconnectMiddleware } from './http/preconnect-middleware.js';
import { createDebugDumpWriter } from '../../lib/observability/debug-dump.js';
import { homePaths } from '../../lib/paths.js';

export interface TranslatorDependencies {
  config: MallexConfig;
  internalToken: string;
  /** MALLEX_HOME: where this service may write its files. */
  home: string;
  /** The Mac's chip name, when known: scales the trimming preparer's default prefill budget. */
  chip?: string;
  /** What the translator remembers between requests; a fresh one by default. */
  state?: TranslatorState;
  /** Turns a request into what the local model sees; the trimming preparer unless a test swaps it. */
  preparePrompt?: PreparePrompt;
  /** A fresh tool-call extractor per response, for the tools this request offered. */
  createExtractor?: (request: AnthropicMessagesRequest, config: MallexConfig, prompt: LocalPrompt) => ToolCallExtractor;
  ids?: TranslatorIds;
  /** Overrides the chat completions URL derived from backend.* (tests point it at a fake server). */
  upstreamUrl?: string;
  log?: (entry: Record<string, unknown>) => void;
}

export function createApp(deps: TranslatorDependencies): Express {
  const state = deps.state ?? createTranslatorState();
  const upstream = resolveUpstream(deps.config);
  const upstreamUrl = deps.upstreamUrl ?? upstream.url;
  const app = createServiceApp({
    name: 'translator',
    tokenHeader: INTERNAL_TOKEN_HEADER,
    token: deps.internalToken,
    describeToken: 'only mallex services may call the translator',
    beforeBody: createPreconnectMiddleware(upstreamUrl),
  });
  // What the local model received, for debugging a prompt (config debug.dumps).
  const translatedDump = createDebugDumpWriter(homePaths(deps.home).lastTranslated, deps.config.debug.dumps);
  flushBeforeExit(app, translatedDump.flush);
  const handleMessages = createMessagesHandler({
    config: deps.config,
    upstream: { ...upstream, url: upstreamUrl },
    preparePrompt: deps.preparePrompt ?? createTrimmedPromptPreparer(state.promptCaches, deps.chip),
    replay: state.replay,
    createExtractor: deps.createExtractor ?? createRequestToolCallExtractor,
    ids: deps.ids ?? randomIds,
    log: deps.log ?? ((entry) => writeLogLine(JSON.stringify(entry))),
    recordTranslated: (body) => translatedDump.write(() => body),
  });
  // Express matches on the path only, so Claude Code's `?beta=true` is accepted (PROTOCOL.md B1).
  app.post('/v1/messages', handleMessages);
  app.post('/v1/messages/count_tokens', handleCountTokens);
  app.get('/v1/models', createModelsHandler(deps.config, new Date()));
  return finishServiceApp(app);
}
