import { TOO_LONG_HEADER } from '../../../lib/http/headers.js';
import type { IncomingMessage } from 'node:http';
import { INTERNAL_TOKEN_HEADER } from '../../../lib/http/headers.js';
import { readRawBody } from '../../../lib/http/raw-body.js';
import { sendRequest } from '../../../lib/http/send-request.js';
import { setRouteHeaders, type Exchange, type GatewayContext, type RoutedDecision, type SendOutcome } from './exchange.js';
import { readHeldFailure } from './held-failure.js';
import { relayToClient, selectResponseHeaders } from './relay.js';

// The local route: Claude Code's request goes to the translator as it came,
// and the translator's answer (JSON or SSE) streams back through here.


export function readCount(response: IncomingMessage, name: string): number | null {
  const value = response.headers[name];
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;
}

export function createTranslatorUrl(context: GatewayContext, originalUrl: string): string {
  return `http://127.0.0.1:${context.config.servicePorts.translator}${originalUrl}`;
}

/**
 * When the first content block of a streamed answer passed (the translator
 * sends message_start and pings before the model's first token). A JSON
 * answer arrives whole and tells nothing about prefill.
 */
function watchFirstContent(response: IncomingMessage, now: () => number): () => number | null {
  let seenAt: number | null = null;
  if (!String(response.headers['content-type'] ?? '').includes('text/event-stream')) return () => null;
  const onData = (chunk: Buffer) => {
    if (!chunk.includes('content_block_start')) return;
    seenAt = now();
    response.off('data', onData);
  };
  response.on('data', onData);
  return () => seenAt;
}

/** The local route failed before answering; another route may serve the request, or this 529 is passed on. */
export function createUnreachableFailure(message: string): Extract<SendOutcome, { kind: 'failed' }> {
  return { kind: 'failed', cause: 'local-unreachable', failure: { status: 529, contentType: 'application/json', body: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message } }), errorType: 'overloaded_error' } };
}

/** Failures of the translator before its answer that another route may still serve. */
export type TranslatorReply = { kind: 'answer'; response: IncomingMessage } | { kind: 'aborted' } | Extract<SendOutcome, { kind: 'failed' }>;

/** Sends Claude Code's request to the translator as it came; sorts out the answers another route could serve instead. */
export async function callTranslator(context: GatewayContext, exchange: Exchange, signal: AbortSignal): Promise<TranslatorReply> {
  const { req } = exchange;
  let response: IncomingMessage;
  try {
    response = await sendRequest(createTranslatorUrl(context, req.originalUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: context.internalToken },
      // The gateway never changes a local request: the bytes Claude Code sent, not a re-serialisation.
      body: readRawBody(req) ?? JSON.stringify(exchange.body),
      signal,
    });
  } catch (error) {
    if (signal.aborted) return { kind: 'aborted' };
    return createUnreachableFailure(`the local translator could not be reached: ${(error as Error).message}`);
  }
  const status = response.statusCode ?? 502;
  if (status === 400 && response.headers[TOO_LONG_HEADER] === '1') {
    return { kind: 'failed', cause: 'local-too-long', failure: await readHeldFailure(response) };
  }
  // The translator could not serve it (model server down, overloaded): another route may.
  if (status >= 500) return { kind: 'failed', cause: 'local-unreachable', failure: await readHeldFailure(response) };
  return { kind: 'answer', response };
}

/** A request the translator refused is refused for Claude Code too, as the translator said it. */
export async function passOnRefusal(exchange: Exchange, response: IncomingMessage): Promise<{ status: number; errorType: string | null }> {
  const failure = await readHeldFailure(response);
  const status = response.statusCode ?? 400;
  exchange.res.status(status).type(failure.contentType).send(failure.body);
  return { status, errorType: failure.errorType };
}

export async function sendLocal(context: GatewayContext, exchange: Exchange, decision: RoutedDecision, releaseLocal: () => void): Promise<SendOutcome> {
  const { res } = exchange;
  // Claude Code gave up: stop the translator, which stops the model (PROTOCOL.md A7).
  const abandoned = new AbortController();
  const onClose = () => abandoned.abort();
  res.once('close', onClose);
  const sentAt = context.now();
  try {
    const reply = await callTranslator(context, exchange, abandoned.signal);
    if (reply.kind === 'aborted') return { kind: 'sent', ending: null };
    if (reply.kind === 'failed') return reply;
    const { response } = reply;
    const status = response.statusCode ?? 502;
    setRouteHeaders(res, decision);
    // The size before trimming is measured when the record is built (buildRequestRecord).
    const answered = { decision, model: context.config.model, promptTokensAfter: readCount(response, 'x-mallex-prompt-tokens-after') };
    if (status >= 400) return { kind: 'sent', ending: { ...answered, ...(await passOnRefusal(exchange, response)) } };
    const firstContentAt = watchFirstContent(response, context.now);
    const relayed = await relayToClient(res, response, status, selectResponseHeaders(response.headers, ['content-length', TOO_LONG_HEADER]), exchange.startedAt, context.now);
    // The model's own answer tells how fast it prefills: its uncached prompt tokens against the time to its first token.
    const contentAt = firstContentAt();
    if (contentAt !== null && relayed.uncachedInputTokens !== null) context.scheduler.recordPrefill({ tokens: relayed.uncachedInputTokens, ms: contentAt - sentAt });
    return { kind: 'sent', ending: { ...answered, ...relayed } };
  } finally {
    res.off('close', onClose);
    releaseLocal();
  }
}
