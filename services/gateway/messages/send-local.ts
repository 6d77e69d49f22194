import { Readable } from 'node:stream';
import { INTERNAL_TOKEN_HEADER } from '../../../lib/http/headers.js';
import { applyDecision, type Exchange, type GatewayContext, type RoutedDecision, type SendOutcome } from './exchange.js';
import { readHeldFailure } from './held-failure.js';
import { relayToClient, selectResponseHeaders } from './relay.js';

// The local route: Claude Code's request goes to the translator as it came,
// and the translator's answer (JSON or SSE) streams back through here.

/** The translator's signal that the prompt cannot fit the local budget (answered before any model call). */
export const TOO_LONG_HEADER = 'x-mallex-too-long';

function readCount(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
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
    let response: globalThis.Response;
    try {
      response = await fetch(createTranslatorUrl(context, req.originalUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: context.internalToken },
        body: JSON.stringify(exchange.body),
        signal: abandoned.signal,
      });
    } catch (error) {
      if (abandoned.signal.aborted) return { kind: 'sent' };
      const message = `the local translator could not be reached: ${(error as Error).message}`;
      return { kind: 'failed', cause: 'local-unreachable', failure: { status: 529, contentType: 'application/json', body: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message } }), errorType: 'overloaded_error' } };
    }
    if (response.status === 400 && response.headers.get(TOO_LONG_HEADER) === '1') {
      return { kind: 'failed', cause: 'local-too-long', failure: await readHeldFailure(response) };
    }
    // The translator could not serve it (model server down, overloaded): another route may.
    if (response.status >= 500) return { kind: 'failed', cause: 'local-unreachable', failure: await readHeldFailure(response) };
    applyDecision(exchange, decision, context.config.model);
    record.promptTokensBefore = readCount(response.headers, 'x-mallex-prompt-tokens-before');
    record.promptTokensAfter = readCount(response.headers, 'x-mallex-prompt-tokens-after');
    if (response.status >= 400) record.errorType = (await peekErrorType(response)) ?? null;
    // fetch already undid any content-encoding, and the length may no longer match.
    const headers = selectResponseHeaders(response.headers, ['content-length', 'content-encoding', TOO_LONG_HEADER]);
    const body = response.body ? Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>) : Readable.from([]);
    await relayToClient(exchange, body, response.status, headers, context.now);
    return { kind: 'sent' };
  } finally {
    res.off('close', onClose);
    releaseLocal();
  }
}

async function peekErrorType(response: globalThis.Response): Promise<string | undefined> {
  try {
    const parsed = (await response.clone().json()) as { error?: { type?: string } };
    return parsed.error?.type;
  } catch {
    return undefined;
  }
}
