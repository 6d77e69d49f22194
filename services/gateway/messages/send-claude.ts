import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepareClaudeBody } from '../forward/prepare-claude-body.js';
import { planClaudeHeaders, type ClaudeAuth } from '../forward/plan-claude-headers.js';
import type { RelayedAnswer } from '../record/gateway-record.js';
import { setRouteHeaders, type Exchange, type GatewayContext, type HeldFailure, type RoutedDecision, type SendOutcome } from './exchange.js';
import { readErrorType, readHeldFailure } from './held-failure.js';
import { relayToClient, selectResponseHeaders } from './relay.js';

// The Claude route: Claude Code's own request, model rewritten, sent by the
// Claude proxy (forward/claude-proxy.ts). 429, 529, 5xx or a network failure before the first
// byte is retried once; a second failure is handed back so the request can be
// answered locally (reason cloud-fallback).

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function createAuth(context: GatewayContext): ClaudeAuth {
  const { authMethod, claudeApiKey } = context.config.routing;
  return authMethod === 'apikey' && claudeApiKey ? { method: 'apikey', apiKey: claudeApiKey } : { method: 'oauth' };
}

/** answered: the relay is passing Claude's answer on, and resolves with what passed. */
type AttemptResult = { kind: 'answered'; relayed: Promise<RelayedAnswer> } | { kind: 'gone' } | { kind: 'failed'; failure: HeldFailure };

export async function sendClaude(context: GatewayContext, exchange: Exchange, decision: Extract<RoutedDecision, { target: 'claude' }>): Promise<SendOutcome> {
  const prepared = prepareClaudeBody(exchange.body, decision.claudeModel);
  const transcriptAdjustments = prepared.adjustments;
  const body = Buffer.from(JSON.stringify(prepared.body));
  const headers = planClaudeHeaders(exchange.req.headers, createAuth(context));
  let failure: HeldFailure | undefined;
  for (let attempt = 1; attempt <= 2; attempt++) {
    if (attempt > 1) await sleep(context.claudeRetryDelayMs);
    if (exchange.res.destroyed) return { kind: 'sent', ending: null, transcriptAdjustments };
    const result = await attemptClaude(context, exchange, decision, body, headers);
    if (result.kind === 'gone') return { kind: 'sent', ending: null, transcriptAdjustments };
    if (result.kind === 'answered') {
      const relayed = await result.relayed;
      // An error status passed on as Anthropic sent it; a break mid-answer (the relay's api_error) says more.
      const errorType = relayed.errorType ?? (relayed.status >= 400 ? readErrorType('', relayed.status) : null);
      return { kind: 'sent', ending: { decision, model: decision.claudeModel, ...relayed, errorType }, transcriptAdjustments };
    }
    failure = result.failure;
  }
  return { kind: 'failed', cause: 'claude-failed', failure: failure!, transcriptAdjustments };
}

function attemptClaude(context: GatewayContext, exchange: Exchange, decision: Extract<RoutedDecision, { target: 'claude' }>, body: Buffer, headers: ReturnType<typeof planClaudeHeaders>): Promise<AttemptResult> {
  const { req, res } = exchange;
  return new Promise((resolve) => {
    let answered = false;
    // The client left before Claude answered: nothing more will come (the proxy reports no error for its own abort).
    const onClientClose = () => {
      abort();
      settle({ kind: 'gone' });
    };
    const settle = (result: AttemptResult) => {
      if (answered) return;
      answered = true;
      resolve(result);
    };
    const abort = context.claudeProxy.send(req, {
      body,
      headers,
      onResponse(upstream: IncomingMessage) {
        const status = upstream.statusCode ?? 502;
        if (isRetryableStatus(status)) {
          res.off('close', onClientClose);
          void readHeldFailure(upstream).then((failure) => settle({ kind: 'failed', failure }));
          return;
        }
        setRouteHeaders(res, decision);
        // The bytes pass untouched, so Anthropic's own length and encoding stay valid.
        const passed = selectResponseHeaders(upstream.headers);
        const relayed = relayToClient(res, upstream, status, passed, exchange.startedAt, context.now).finally(() => res.off('close', onClientClose));
        settle({ kind: 'answered', relayed });
      },
      onError(error) {
        res.off('close', onClientClose);
        if (res.destroyed) return settle({ kind: 'gone' });
        if (res.headersSent) return; // the relay reports a break after the answer started
        const message = `could not reach Anthropic: ${(error as NodeJS.ErrnoException).code ?? error.message}`;
        settle({ kind: 'failed', failure: { status: 502, contentType: 'application/json', body: JSON.stringify({ type: 'error', error: { type: 'api_error', message } }), errorType: 'api_error' } });
      },
    });
    res.once('close', onClientClose);
  });
}
