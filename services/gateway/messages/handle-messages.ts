import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { extractUserPrompt } from '../../../lib/claude-code/extract-user-prompt.js';
import { findServerTools, hasClientCredentials, readConversationKey, readPromptKey, readRequestKind, readSessionId } from '../../../lib/claude-code/request-shape.js';
import { sendAnthropicError } from '../../../lib/http/anthropic-error.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import { findMessagesRequestProblem } from '../../../lib/wire/check-messages-request.js';
import { updateTurnState } from '../route/decide-route.js';
import { recordPromptBefore, startRequestRecord } from '../record/gateway-record.js';
import { applyDecision, MALLEX_ROUTE_HEADERS, type Exchange, type GatewayContext, type HeldFailure, type RoutedDecision } from './exchange.js';
import { createShortAnswer } from '../schedule/create-short-answer.js';
import { sendBackground } from './send-background.js';
import { sendClaude } from './send-claude.js';
import { sendLocal } from './send-local.js';
import { settleRoute } from './settle-route.js';

// POST /v1/messages: decide, send, and when an upstream says no before
// answering (too long for local, Claude failing, the translator down), decide
// again with that fact. Each fact can be learned once, so this ends.

const MAX_ROUTES_PER_REQUEST = 4;

function createExchange(context: GatewayContext, req: Request, res: Response, body: AnthropicMessagesRequest): Exchange {
  const startedAt = context.now();
  const sessionId = readSessionId(req.headers, body);
  const conversationKey = readConversationKey(body.messages);
  const kind = readRequestKind(body);
  const hasClaudeCredentials = context.config.routing.authMethod === 'apikey' ? Boolean(context.config.routing.claudeApiKey) : hasClientCredentials(req.headers);
  // Known too long for the local model (rule 4): straight to where it fits, when there is such a place.
  const localTooLong = kind !== 'background' && hasClaudeCredentials && sessionId !== undefined && context.sessions.isTooLong(sessionId, conversationKey, body.messages.length, startedAt);
  return {
    req,
    res,
    body,
    kind,
    sessionId,
    conversationKey,
    prompt: kind === 'background' ? '' : extractUserPrompt(body.messages, context.config.classifier.maxPromptChars),
    facts: { kind, hasClaudeCredentials, serverTool: findServerTools(body).length > 0, promptKey: readPromptKey(body.messages), ...(localTooLong ? { localTooLong } : {}) },
    turn: sessionId ? context.sessions.readTurn(sessionId, conversationKey, startedAt) : undefined,
    record: startRequestRecord({ id: `req_${randomUUID().replaceAll('-', '')}`, at: new Date(startedAt), session: sessionId ?? null, model: context.config.model, priority: kind === 'background' ? 'background' : 'foreground' }),
    startedAt,
    localUnreachable: false,
  };
}

function rememberTurn(context: GatewayContext, exchange: Exchange, decision: RoutedDecision): void {
  if (!exchange.sessionId) return;
  const next = updateTurnState(exchange.turn, exchange.kind, decision, exchange.facts.promptKey);
  if (next && next !== exchange.turn) context.sessions.writeTurn(exchange.sessionId, exchange.conversationKey, next, context.now());
}

/** Passes on the last upstream's own error, labelled with the route that gave it and why nothing else could serve it. */
function sendHeldFailure(context: GatewayContext, exchange: Exchange, failure: HeldFailure, failed: RoutedDecision | undefined, finalReason?: string): void {
  const { res, record } = exchange;
  if (res.headersSent) return void res.end();
  if (failed) applyDecision(exchange, failed, failed.target === 'claude' ? failed.claudeModel : context.config.model);
  if (finalReason) {
    res.setHeader(MALLEX_ROUTE_HEADERS.reason, finalReason);
    record.reason = finalReason;
  }
  record.status = failure.status;
  record.errorType = failure.errorType;
  res.status(failure.status).type(failure.contentType).send(failure.body);
}

/**
 * A request with Anthropic's server tools and no Claude credentials: no local
 * answer can search the web, and waiting would not help, so a 400 says why.
 */
function sendServerToolRefusal(exchange: Exchange): void {
  const tools = findServerTools(exchange.body).join(', ');
  exchange.res.setHeader(MALLEX_ROUTE_HEADERS.reason, 'server-tool');
  exchange.record.reason = 'server-tool';
  exchange.record.status = 400;
  exchange.record.errorType = 'invalid_request_error';
  sendAnthropicError(exchange.res, 400, `web search needs Claude: this request uses Anthropic's server tools (${tools}), which only Claude can run, and mallex has no Claude credentials to send it with (log in to Claude Code, or give mallex an Anthropic API key)`);
}

/** A background call nothing may serve now (routing.background): an empty, valid answer. */
function sendShortAnswer(context: GatewayContext, exchange: Exchange): void {
  const { res, record } = exchange;
  const answer = createShortAnswer({ stream: exchange.body.stream === true, model: context.config.model, id: `msg_${randomUUID().replaceAll('-', '')}` });
  applyDecision(exchange, { target: 'local', tier: null, reason: 'background', category: null }, context.config.model);
  record.status = 200;
  record.inputTokens = 0;
  record.outputTokens = 0;
  res.status(200).type(answer.contentType).send(answer.body);
}

export function createMessagesHandler(context: GatewayContext) {
  return async function handleMessages(req: Request, res: Response): Promise<void> {
    // What the routing code walks must have the shape it expects, or it throws (a 500) instead of a 400.
    const problem = findMessagesRequestProblem(req.body);
    if (problem !== null) return sendAnthropicError(res, 400, `invalid request: ${problem}`);
    const exchange = createExchange(context, req, res, req.body as AnthropicMessagesRequest);
    res.once('close', () => {
      const { record } = exchange;
      exchange.lease?.release();
      record.durationMs = context.now() - exchange.startedAt;
      if (record.status === 0) record.status = res.headersSent ? res.statusCode : 499; // 499: the client left first
      recordPromptBefore(record, exchange.body);
      context.emitRecord(record);
    });

    let held: HeldFailure | undefined;
    let failed: RoutedDecision | undefined;
    for (let round = 0; round < MAX_ROUTES_PER_REQUEST; round++) {
      const { decision, releaseLocal } = await settleRoute(context, exchange);
      if (res.destroyed) return releaseLocal();
      if (decision.target === 'wait' || decision.target === 'none') {
        releaseLocal();
        const reason = decision.target === 'none' ? decision.reason : 'local-unavailable';
        // The last upstream's own answer says more than a generic 529.
        if (held) return sendHeldFailure(context, exchange, held, failed, reason);
        if (reason === 'server-tool') return sendServerToolRefusal(exchange);
        res.setHeader(MALLEX_ROUTE_HEADERS.reason, reason);
        exchange.record.reason = reason;
        exchange.record.status = 529;
        exchange.record.errorType = 'overloaded_error';
        return sendAnthropicError(res, 529, `the local model is not ready (waited ${context.config.routing.waitForLocalSeconds} s) and no Claude tier can be used`);
      }
      if (decision.target === 'answer') return sendShortAnswer(context, exchange);
      rememberTurn(context, exchange, decision);
      const outcome =
        decision.target === 'claude'
          ? await sendClaude(context, exchange, decision)
          : decision.reason === 'background'
            ? await sendBackground(context, exchange, decision)
            : await sendLocal(context, exchange, decision, releaseLocal);
      if (outcome.kind === 'sent') return;
      if (outcome.kind === 'unserved') {
        exchange.facts.backgroundUnserved = true;
        continue;
      }
      held = outcome.failure;
      failed = decision;
      switch (outcome.cause) {
        case 'local-too-long':
          exchange.facts.localTooLong = true;
          if (exchange.sessionId) context.sessions.markTooLong(exchange.sessionId, exchange.conversationKey, exchange.body.messages.length, context.now());
          break;
        case 'local-unreachable':
          exchange.localUnreachable = true;
          break;
        case 'claude-failed':
          exchange.facts.claudeFailed = true;
          break;
        default: {
          const unknown: never = outcome.cause;
          throw new Error(`unknown send failure ${String(unknown)}`);
        }
      }
    }
    if (held) sendHeldFailure(context, exchange, held, failed);
  };
}
