import { TOO_LONG_HEADER } from '../../../lib/http/headers.js';
import type { IncomingMessage } from 'node:http';
import { INTERNAL_TOKEN_HEADER } from '../../../lib/http/headers.js';
import { readRawBody } from '../../../lib/http/raw-body.js';
import { sendRequest } from '../../../lib/http/send-request.js';
import { applyDecision, type Exchange, type GatewayContext, type RoutedDecision, type SendOutcome } from './exchange.js';
import { readHeldFailure } from './held-failure.js';
import { relayToClient, selectResponseHeaders } from './relay.js';

// The local route: Claude Code's request goes to the translator as it came,
// and the translator's answer (JSON or SSE) streams back through here.


function readCount(response: IncomingMessage, name: string): number | null {
  const value = response.headers[name];
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;
}

export function createTranslatorUrl(context: GatewayContext, originalUrl: string): string {
  return `http://127.0.0.1:${context.config.servicePorts.translator}${originalUrl}`;
}

export async function sendLocal(context: GatewayContext, exchange: Exchange, decision: RoutedDecision, releaseLocal: () => void): Promise<SendOutcome> {
  const { req, res, record } = exchange;
  // Claude Code gave up: stop the translator, which stops the model (PROTOCOL.md A7).
  const abandoned = new AbortController();
  const onClose = () => abandoned.abort();
  res.once('close', onClose);
  try {
    let response: IncomingMessage;
    try {
      response = await sendRequest(createTranslatorUrl(context, req.originalUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: context.internalToken },
        // The gateway never changes a local request: the bytes Claude Code sent, not a re-serialisation.
        body: readRawBody(req) ?? JSON.stringify(exchange.body),
        signal: abandoned.signal,
      });
    } catch (error) {
      if (abandoned.signal.aborted) return { kind: 'sent' };
      const message = `the local translator could not be reached: ${(error as Error).message}`;
      return { kind: 'failed', cause: 'local-unreachable', failure: { status: 529, contentType: 'application/json', body: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message } }), errorType: 'overloaded_error' } };
    }
    const status = response.statusCode ?? 502;
    if (status === 400 && response.headers[TOO_LONG_HEADER] === '1') {
      return { kind: 'failed', cause: 'local-too-long', failure: await readHeldFailure(response) };
    }
    // The translator could not serve it (model server down, overloaded): another route may.
    if (status >= 500) return { kind: 'failed', cause: 'local-unreachable', failure: await readHeldFailure(response) };
    applyDecision(exchange, decision, context.config.model);
    // The size before trimming is measured by the gateway when the record is emitted (recordPromptBefore).
    record.promptTokensAfter = readCount(response, 'x-mallex-prompt-tokens-after');
    if (status >= 400) {
      // A request the translator refused is refused for Claude Code too, as the translator said it.
      const failure = await readHeldFailure(response);
      record.status = status;
      record.errorType = failure.errorType;
      res.status(status).type(failure.contentType).send(failure.body);
      return { kind: 'sent' };
    }
    await relayToClient(exchange, response, status, selectResponseHeaders(response.headers, ['content-length', TOO_LONG_HEADER]), context.now);
    return { kind: 'sent' };
  } finally {
    res.off('close', onClose);
    releaseLocal();
  }
}
