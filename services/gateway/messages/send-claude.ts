import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepareClaudeBody } from '../forward/prepare-claude-body.js';
import { planClaudeHeaders, type ClaudeAuth } from '../forward/plan-claude-headers.js';
import { applyDecision, type Exchange, type GatewayContext, type HeldFailure, type RoutedDecision, type SendOutcome } from './exchange.js';
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

type AttemptResult = { kind: 'sent' } | { kind: 'failed'; failure: HeldFailure };

export async function sendClaude(context: GatewayContext, exchange: Exchange, decision: Extract<RoutedDecision, { target: 'claude' }>): Promise<SendOutcome> {
  const prepared = prepareClaudeBody(exchange.body, decision.claudeModel);
  exchange.record.transcriptAdjustments = prepared.adjustments;
  const body = Buffer.from(JSON.stringify(prepared.body));
  const headers = planClaudeHeaders(exchange.req.headers, createAuth(context));
  let failure: HeldFailure | undefined;
  for (let attempt = 1; attempt <= 2; attempt++) {
    if (attempt > 1) await sleep(context.claudeRetryDelayMs);
    if (exchange.res.destroyed) return { kind: 'sent' };
    const result = await attemptClaude(context, exchange, decision, body, headers);
    if (result.kind === 'sent') return result;
    failure = result.failure;
  }
  return { kind: 'failed', cause: 'claude-failed', failure: failure! };
}

function attemptClaude(context: GatewayContext, exchange: Exchange, decision: Extract<RoutedDecision, { target: 'claude' }>, body: Buffer, headers: ReturnType<typeof planClaudeHeaders>): Promise<AttemptResult> {
  const { req, res } = exchange;
  return new Promise((resolve) => {
    let answered = false;
    const onClientClose = () => abort();
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
        applyDecision(exchange, decision, decision.claudeModel);
        if (status >= 400) exchange.record.errorType = readErrorType('', status);
        // The bytes pass untouched, so Anthropic's own length and encoding stay valid.
        const passed = selectResponseHeaders(upstream.headers);
        void relayToClient(exchange, upstream, status, passed, context.now).finally(() => res.off('close', onClientClose));
        settle({ kind: 'sent' });
      },
      onError(error) {
        res.off('close', onClientClose);
        if (res.destroyed) return settle({ kind: 'sent' });
        if (res.headersSent) return; // the relay reports a break after the answer started
        const message = `could not reach Anthropic: ${(error as NodeJS.ErrnoException).code ?? error.message}`;
        settle({ kind: 'failed', failure: { status: 502, contentType: 'application/json', body: JSON.stringify({ type: 'error', error: { type: 'api_error', message } }), errorType: 'api_error' } });
      },
    });
    res.once('close', onClientClose);
  });
}
