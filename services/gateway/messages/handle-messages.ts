import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { extractUserPrompt } from '../../../lib/claude-code/extract-user-prompt.js';
import { findServerTools, hasClientCredentials, readConversationKey, readPromptKey, readRequestKind, readSessionId } from '../../../lib/claude-code/request-shape.js';
import { sendAnthropicError } from '../../../lib/http/anthropic-error.js';
import type { AnthropicMessagesRequest } from '../../../lib/wire/anthropic.js';
import { findMessagesRequestProblem } from '../../../lib/wire/check-messages-request.js';
import { updateTurnState, type RouteFacts } from '../route/decide-route.js';
import { buildRequestRecord, type BackgroundSchedule, type Ending } from '../record/gateway-record.js';
import { MALLEX_ROUTE_HEADERS, setRouteHeaders, type Exchange, type GatewayContext, type HeldFailure, type RoutedDecision } from './exchange.js';
import { createShortAnswer } from '../schedule/create-short-answer.js';
import { sendBackground } from './send-background.js';
import { sendClaude } from './send-claude.js';
import { sendLocal } from './send-local.js';
import { settleRoute } from './settle-route.js';

// POST /v1/messages: decide, send, and when an upstream says no before
// answering (too long for local, Claude failing, the translator down), decide
// again with that fact. Each fact can be learned once, so this ends. Each step
// returns what it learned; the request's record is built once from those
// outcomes, when the response has closed and the steps have returned.

const MAX_ROUTES_PER_REQUEST = 4;

function createExchange(context: GatewayContext, req: Request, res: Response, body: AnthropicMessagesRequest): Exchange {
  const startedAt = context.now();
  const sessionId = readSessionId(req.headers, body);
  const conversationKey = readConversationKey(body.messages);
  const kind = readRequestKind(body);
  return {
    req,
    res,
    body,
    kind,
    sessionId,
    conversationKey,
    prompt: kind === 'background' ? '' : extractUserPrompt(body.messages, context.config.classifier.maxPromptChars),
    turn: sessionId ? context.sessions.readTurn(sessionId, conversationKey, startedAt) : undefined,
    startedAt,
  };
}

/** What is known for the first decision. */
function readFacts(context: GatewayContext, exchange: Exchange): RouteFacts {
  const { req, body, kind, sessionId, conversationKey, startedAt } = exchange;
  const hasClaudeCredentials = context.config.routing.authMethod === 'apikey' ? Boolean(context.config.routing.claudeApiKey) : hasClientCredentials(req.headers);
  // Known too long for the local model (rule 4): straight to where it fits, when there is such a place.
  const localTooLong = kind !== 'background' && hasClaudeCredentials && sessionId !== undefined && context.sessions.isTooLong(sessionId, conversationKey, body.messages.length, startedAt);
  return { kind, hasClaudeCredentials, serverTool: findServerTools(body).length > 0, promptKey: readPromptKey(body.messages), ...(localTooLong ? { localTooLong } : {}) };
}

function rememberTurn(context: GatewayContext, exchange: Exchange, decision: RoutedDecision, promptKey: string | undefined): void {
  if (!exchange.sessionId) return;
  const next = updateTurnState(exchange.turn, exchange.kind, decision, promptKey);
  if (next && next !== exchange.turn) context.sessions.writeTurn(exchange.sessionId, exchange.conversationKey, next, context.now());
}

/** Passes on the last upstream's own error, labelled with the route that gave it and why nothing else could serve it. */
function sendHeldFailure(context: GatewayContext, res: Response, failure: HeldFailure, failed: RoutedDecision | undefined, finalReason?: string): Ending | null {
  if (res.headersSent) {
    res.end();
    return null;
  }
  if (failed) setRouteHeaders(res, failed);
  if (finalReason) res.setHeader(MALLEX_ROUTE_HEADERS.reason, finalReason);
  res.status(failure.status).type(failure.contentType).send(failure.body);
  const model = failed?.target === 'claude' ? failed.claudeModel : context.config.model;
  return { decision: failed ?? null, model, ...(finalReason ? { reason: finalReason } : {}), status: failure.status, errorType: failure.errorType };
}

/**
 * A request with Anthropic's server tools and no Claude credentials: no local
 * answer can search the web, and waiting would not help, so a 400 says why.
 */
function sendServerToolRefusal(context: GatewayContext, exchange: Exchange): Ending {
  const tools = findServerTools(exchange.body).join(', ');
  exchange.res.setHeader(MALLEX_ROUTE_HEADERS.reason, 'server-tool');
  sendAnthropicError(exchange.res, 400, `web search needs Claude: this request uses Anthropic's server tools (${tools}), which only Claude can run, and mallex has no Claude credentials to send it with (log in to Claude Code, or give mallex an Anthropic API key)`);
  return { decision: null, model: context.config.model, reason: 'server-tool', status: 400, errorType: 'invalid_request_error' };
}

/** A background call nothing may serve now (routing.background): an empty, valid answer. */
function sendShortAnswer(context: GatewayContext, exchange: Exchange): Ending {
  const answer = createShortAnswer({ stream: exchange.body.stream === true, model: context.config.model, id: `msg_${randomUUID().replaceAll('-', '')}` });
  const decision: RoutedDecision = { target: 'local', tier: null, reason: 'background', category: null };
  setRouteHeaders(exchange.res, decision);
  exchange.res.status(200).type(answer.contentType).send(answer.body);
  return { decision, model: context.config.model, status: 200, errorType: null, inputTokens: 0, outputTokens: 0 };
}

/** What the steps learned that the record needs, kept across re-decisions. */
interface Learned {
  classifierMs: number | null;
  predictedWaitMs: number | null;
  transcriptAdjustments: string[];
  background: BackgroundSchedule | null;
}

/** Decides, sends, and decides again on a failure before the answer; returns what was passed on (null: nothing). */
async function serve(context: GatewayContext, exchange: Exchange, learned: Learned): Promise<Ending | null> {
  const { res } = exchange;
  let facts = readFacts(context, exchange);
  let localUnreachable = false; // the translator could not serve it: local counts as not ready for the rest of this request
  let held: HeldFailure | undefined;
  let failed: RoutedDecision | undefined;
  for (let round = 0; round < MAX_ROUTES_PER_REQUEST; round++) {
    const settled = await settleRoute(context, exchange, facts, localUnreachable);
    const { decision, releaseLocal } = settled;
    if (settled.category !== undefined) facts = { ...facts, category: settled.category };
    if (settled.classifierMs !== null) learned.classifierMs = settled.classifierMs;
    learned.predictedWaitMs = settled.predictedWaitMs;
    if (res.destroyed) {
      releaseLocal();
      return null;
    }
    if (decision.target === 'wait' || decision.target === 'none') {
      releaseLocal();
      const reason = decision.target === 'none' ? decision.reason : 'local-unavailable';
      // The last upstream's own answer says more than a generic 529.
      if (held) return sendHeldFailure(context, res, held, failed, reason);
      if (reason === 'server-tool') return sendServerToolRefusal(context, exchange);
      res.setHeader(MALLEX_ROUTE_HEADERS.reason, reason);
      sendAnthropicError(res, 529, `the local model is not ready (waited ${context.config.routing.waitForLocalSeconds} s) and no Claude tier can be used`);
      return { decision: null, model: context.config.model, reason, status: 529, errorType: 'overloaded_error' };
    }
    if (decision.target === 'answer') return sendShortAnswer(context, exchange);
    rememberTurn(context, exchange, decision, facts.promptKey);
    const outcome =
      decision.target === 'claude'
        ? await sendClaude(context, exchange, decision)
        : decision.reason === 'background'
          ? await sendBackground(context, exchange, decision)
          : await sendLocal(context, exchange, decision, releaseLocal);
    if (outcome.transcriptAdjustments) learned.transcriptAdjustments = outcome.transcriptAdjustments;
    if (outcome.background) learned.background = outcome.background;
    if (outcome.kind === 'sent') return outcome.ending;
    if (outcome.kind === 'unserved') {
      facts = { ...facts, backgroundUnserved: true };
      continue;
    }
    held = outcome.failure;
    failed = decision;
    switch (outcome.cause) {
      case 'local-too-long':
        facts = { ...facts, localTooLong: true };
        if (exchange.sessionId) context.sessions.markTooLong(exchange.sessionId, exchange.conversationKey, exchange.body.messages.length, context.now());
        break;
      case 'local-unreachable':
        localUnreachable = true;
        break;
      case 'claude-failed':
        facts = { ...facts, claudeFailed: true };
        break;
      default: {
        const unknown: never = outcome.cause;
        throw new Error(`unknown send failure ${String(unknown)}`);
      }
    }
  }
  return held ? sendHeldFailure(context, res, held, failed) : null;
}

export function createMessagesHandler(context: GatewayContext) {
  return async function handleMessages(req: Request, res: Response): Promise<void> {
    // What the routing code walks must have the shape it expects, or it throws (a 500) instead of a 400.
    const problem = findMessagesRequestProblem(req.body);
    if (problem !== null) return sendAnthropicError(res, 400, `invalid request: ${problem}`);
    const exchange = createExchange(context, req, res, req.body as AnthropicMessagesRequest);
    const closed = new Promise<{ closedAt: number; closedStatus: number }>((resolve) => {
      res.once('close', () => {
        exchange.lease?.release();
        // 499: the client left before any header was sent.
        resolve({ closedAt: context.now(), closedStatus: res.headersSent ? res.statusCode : 499 });
      });
    });
    const learned: Learned = { classifierMs: null, predictedWaitMs: null, transcriptAdjustments: [], background: null };
    const served = serve(context, exchange, learned);
    // Once both have happened, so a client that left mid-answer gets what the relay saw until then.
    const recorded = Promise.all([served.catch(() => null), closed]).then(([ending, close]) => {
      context.pendingRecords.delete(recorded);
      const { startedAt, sessionId, kind } = exchange;
      const id = `req_${randomUUID().replaceAll('-', '')}`;
      context.emitRecord(buildRequestRecord({ id, startedAt, session: sessionId ?? null, priority: kind === 'background' ? 'background' : 'foreground', localModel: context.config.model, ...learned, ending, ...close }, exchange.body));
    });
    context.pendingRecords.add(recorded);
    await served;
  };
}
