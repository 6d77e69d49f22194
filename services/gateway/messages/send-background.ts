import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { TOO_LONG_HEADER } from '../../../lib/http/headers.js';
import type { BackgroundTicket } from '../schedule/local-scheduler.js';
import { applyDecision, type Exchange, type GatewayContext, type RoutedDecision, type SendOutcome } from './exchange.js';
import { relayToClient, selectResponseHeaders } from './relay.js';
import { callTranslator, createUnreachableFailure, passOnRefusal, readCount } from './send-local.js';

// A background call (title, summary, Warmup) on the local model: it waits
// for the scheduler (never ahead of the user's work), and a prompt that
// arrives while it runs stops it (the translator's request is closed, which
// closes the model's stream, PROTOCOL.md A7). Its answer is small and nobody
// watches it arrive, so it is read whole before it is passed on: a stopped
// one has sent Claude Code nothing and simply waits again, until its deadline.

/** Background answers are short; a longer one is cut rather than held without bound. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export type BackgroundOutcome = SendOutcome | { kind: 'unserved' };

function readWhole(response: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
    });
    response.once('end', () => resolve(Buffer.concat(chunks)));
    response.once('error', () => resolve(null));
    // A close without an end: the stream was cut (preempted, or the translator went away).
    response.once('close', () => resolve(response.complete ? Buffer.concat(chunks) : null));
  });
}

function noteTicket(exchange: Exchange, ticket: Exclude<BackgroundTicket, { kind: 'gone' }>): void {
  const { record } = exchange;
  if (ticket.kind === 'refused') return void (record.schedule = 'refused');
  record.queuedMs = (record.queuedMs ?? 0) + ticket.queuedMs;
  if (ticket.kind === 'expired') return void (record.schedule = 'expired');
  record.schedule = (record.preemptions ?? 0) > 0 ? 'preempted' : (record.queuedMs ?? 0) > 0 ? 'queued' : 'ran';
}

export async function sendBackground(context: GatewayContext, exchange: Exchange, decision: RoutedDecision): Promise<BackgroundOutcome> {
  const { res, record } = exchange;
  const gone = new AbortController();
  const onClose = () => gone.abort();
  res.once('close', onClose);
  const deadline = exchange.startedAt + context.config.routing.backgroundWaitSeconds * 1000;
  try {
    for (let first = false; ; first = true) {
      const ticket = await context.scheduler.requestBackground({ deadline, tokens: 0, signal: gone.signal, first });
      if (ticket.kind === 'gone') return { kind: 'sent' };
      noteTicket(exchange, ticket);
      if (ticket.kind !== 'run') return { kind: 'unserved' };
      const { lease } = ticket;
      try {
        const reply = await callTranslator(context, exchange, AbortSignal.any([gone.signal, lease.preempted]));
        if (reply.kind === 'failed') return reply;
        if (reply.kind === 'answer') {
          const { response } = reply;
          const status = response.statusCode ?? 502;
          if (status >= 400) {
            applyDecision(exchange, decision, context.config.model);
            await passOnRefusal(exchange, response);
            return { kind: 'sent' };
          }
          const answer = await readWhole(response);
          if (answer !== null) {
            applyDecision(exchange, decision, context.config.model);
            record.promptTokensAfter = readCount(response, 'x-mallex-prompt-tokens-after');
            await relayToClient(exchange, Readable.from([answer]), status, selectResponseHeaders(response.headers, ['content-length', TOO_LONG_HEADER]), context.now);
            return { kind: 'sent' };
          }
        }
      } finally {
        lease.release();
      }
      if (gone.signal.aborted) return { kind: 'sent' };
      if (!lease.preempted.aborted) {
        // Cut without a preemption: the translator broke off. Counted as unreachable, so the fallback decides.
        return createUnreachableFailure('the local answer broke off');
      }
      record.preemptions = (record.preemptions ?? 0) + 1;
    }
  } finally {
    res.off('close', onClose);
  }
}
