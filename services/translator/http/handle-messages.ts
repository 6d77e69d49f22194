import type { Request, Response } from 'express';
import type { MallexConfig } from '../../../lib/config/schema.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import { sendAnthropicError } from '../../../lib/http/anthropic-error.js';
import { convertAnthropicRequestToOpenAi } from '../request/anthropic-request-to-openai.js';
import type { TranslatorIds } from './create-ids.js';
import type { LocalPrompt, PromptReport, ToolCallExtractor } from '../local-prompt.js';
import { createStreamConverter } from '../response/openai-stream-to-anthropic.js';
import type { PreparePrompt } from '../local-prompt.js';
import { describeTooLong, setPromptHeaders } from './prompt-headers.js';
import { sendTooLong } from './send-failure.js';
import { relayJson } from './relay-json.js';
import { relaySse } from './relay-sse.js';
import { parseMessagesRequest } from '../../../lib/wire/check-messages-request.js';
import { createFirstSeenWarnings } from './first-seen-warnings.js';
import { takePreconnectedSocket } from './preconnect-middleware.js';
import { findModelTurn, type ReplayStore } from '../replay/replay-store.js';

export interface MessagesHandlerDependencies {
  config: MallexConfig;
  upstream: { url: string; backendKind: 'mlx' | 'openai' };
  preparePrompt: PreparePrompt;
  createExtractor: (request: AnthropicMessagesRequest, config: MallexConfig, prompt: LocalPrompt) => ToolCallExtractor;
  ids: TranslatorIds;
  log: (entry: Record<string, unknown>) => void;
  /** The local model's recent answers, replayed verbatim when Claude Code sends them back (PROTOCOL.md D3). */
  replay: ReplayStore;
  /** Sees the exact body sent to the model (the last-translated.json debug dump). */
  recordTranslated?: (body: string) => void;
}

/** The limit the prompt was measured against: the preparer's, else the configured budget for the model's size. */
function readContextLimit(report: PromptReport & { contextLimit?: number }, config: MallexConfig): number | undefined {
  if (typeof report.contextLimit === 'number') return report.contextLimit;
  return config.modelSize ? (config.translator.budgets[config.modelSize].contextLimit ?? undefined) : undefined;
}

export function createMessagesHandler(deps: MessagesHandlerDependencies) {
  const { config } = deps;
  const upstreamUrl = new URL(deps.upstream.url);
  const firstSeenWarnings = createFirstSeenWarnings();
  return async function handleMessages(req: Request, res: Response): Promise<void> {
    const parsed = parseMessagesRequest(req.body);
    if (!parsed.ok) return sendAnthropicError(res, 400, parsed.message, 'invalid_request_error');
    const request = parsed.value;

    const prompt = await deps.preparePrompt(request, config);
    if (prompt.report.overContextLimit) {
      const limit = readContextLimit(prompt.report, config);
      setPromptHeaders(res, prompt.report);
      const message = limit === undefined ? `prompt is too long: ${prompt.report.tokensAfter} tokens > the local model's maximum` : describeTooLong(prompt.report.tokensAfter, limit);
      return sendTooLong(res, message);
    }

    const { result, warnings } = convertAnthropicRequestToOpenAi(request, prompt, {
      backendKind: deps.upstream.backendKind,
      model: config.model,
      maxOutputTokens: config.translator.maxOutputTokens,
      vision: config.backend.vision,
      findModelTurn: (blocks) => findModelTurn(deps.replay, blocks),
    });
    const streamed = request.stream === true;
    // Each request is in the gateway's record; here only what is new about what the model does not get.
    const unseen = firstSeenWarnings(warnings);
    if (unseen.length > 0) deps.log({ level: 'info', service: 'translator', msg: 'left out for the local model (logged once per kind)', ignored: unseen });

    // A client that leaves stops the upstream at once (A7: mlx would otherwise generate on).
    const clientGone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });

    const converter = createStreamConverter({
      messageId: deps.ids.createMessageId(),
      model: request.model,
      inputTokensEstimate: prompt.report.tokensAfter,
      createToolUseId: deps.ids.createToolUseId,
      extractor: deps.createExtractor(request, config, prompt),
    });
    const socket = takePreconnectedSocket(res);
    const upstream = {
      url: upstreamUrl,
      ...(socket ? { socket } : {}),
      body: JSON.stringify(result),
      clientGone: clientGone.signal,
      silenceMs: config.translator.pingIntervalSeconds * 1000,
      stallMs: config.translator.stallTimeoutSeconds * 1000,
    };
    // The response's headers leave when the model answers, so they are still open here.
    setPromptHeaders(res, prompt.report);
    const relaying = streamed ? relaySse(res, converter, upstream) : relayJson(res, converter, upstream);
    deps.recordTranslated?.(upstream.body);
    await relaying;
    const turn = converter.readModelTurn();
    if (turn) deps.replay.remember(turn);
  };
}
