import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { TOO_LONG_HEADER } from '../../../lib/http/headers.js';
import type { BackgroundTicket } from '../schedule/local-scheduler.js';
import type { BackgroundSchedule } from '../record/gateway-record.js';
import { setRouteHeaders, type Exchange, type GatewayContext, type RoutedDecision, type SendOutcome } from './exchange.js';
import { relayToClient, selectResponseHeaders } from './relay.js';
import { callTranslator, createUnreachableFailure, passOnRefusal, readCount } from './send-local.js';

// A background call (title, summary, Warmup) on the local model: it waits
// for the scheduler (never ahead of the user's work), and a prompt that
// arrives while it runs stops it (the translator's request is closed, which
// closes the model's stream, PROTOCOL.md A7). Its answer is small and nobody
// watches it arrive, so it is read whole before it is passed on: a stopped
// one has sent Claude Code nothing and simply waits again, until its deadline.

/**
 * Background answers are short. A longer one is not held without bound, and
 * is not passed on cut either (a cut body is a broken answer): it counts as a
 * local answer that broke off, so the fallback decides.
 */
const MAX_ANSWER_BYTES = 1024 * 1024;

function readWhole(response: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ANSWER_BYTES) return void chunks.push(chunk);
      resolve(null);
      response.destroy();
    });
    response.once('end', () => resolve(Buffer.concat(chunks)));
    response.once('error', () => resolve(null));
    // A close without an end: the stream was cut (preempted, or the translator went away).
    response.once('close', () => resolve(response.complete ? Buffer.concat(chunks) : null));
  });
}

/** The schedule so far, with one more answer from the scheduler. */
function noteTicket(seen: BackgroundSchedule | null, ticket: Exclude<BackgroundTicket, { kind: 'gone' }>): BackgroundSchedule {
  const preemptions = seen?.preemptions ?? 0;
  if (ticket.kind === 'refused') return { schedule: 'refused', queuedMs: seen?.queuedMs ?? null, preemptions };
  const queuedMs = (seen?.queuedMs ?? 0) + ticket.queuedMs;
  if (ticket.kind === 'expired') return { schedule: 'expired', queuedMs, preemptions };
  return { schedule: preemptions > 0 ? 'preempted' : queuedMs > 0 ? 'queued' : 'ran', queuedMs, preemptions };
}

export async function sendBackground(context: GatewayContext, exchange: Exchange, decision: RoutedDecision): Promise<SendOutcome> {
  const { res } = exchange;
  const gone = new AbortController();
  const onClose = () => gone.abort();
  res.once('close', onClose);
  const deadline = exchange.startedAt + context.config.routing.backgroundWaitSeconds * 1000;
  let background: BackgroundSchedule | null = null;
  const outcome = (sent: SendOutcome): SendOutcome => (background ? { ...sent, background } : sent);
  try {
    for (let first = false; ; first = true) {
      const ticket = await context.scheduler.requestBackground({ deadline, tokens: 0, signal: gone.signal, first });
      if (ticket.kind === 'gone') return outcome({ kind: 'sent', ending: null });
      background = noteTicket(background, ticket);
      if (ticket.kind !== 'run') return outcome({ kind: 'unserved' });
      const { lease } = ticket;
      try {
        const reply = await callTranslator(context, exchange, AbortSignal.any([gone.signal, lease.preempted]));
        if (reply.kind === 'failed') return outcome(reply);
        if (reply.kind === 'answer') {
          const { response } = reply;
          const status = response.statusCode ?? 502;
          const answered = { decision, model: context.config.model };
          if (status >= 400) {
            setRouteHeaders(res, decision);
            return outcome({ kind: 'sent', ending: { ...answered, ...(await passOnRefusal(exchange, response)) } });
          }
          const answer = await readWhole(response);
          if (answer !== null) {
            setRouteHeaders(res, decision);
            const promptTokensAfter = readCount(response, 'x-mallex-prompt-tokens-after');
            const relayed = await relayToClient(res, Readable.from([answer]), status, selectResponseHeaders(response.headers, ['content-length', TOO_LONG_HEADER]), exchange.startedAt, context.now);
            return outcome({ kind: 'sent', ending: { ...answered, promptTokensAfter, ...relayed } });
          }
        }
      } finally {
        lease.release();
      }
      if (gone.signal.aborted) return outcome({ kind: 'sent', ending: null });
      if (!lease.preempted.aborted) {
        // Cut without a preemption: the translator broke off. Counted as unreachable, so the fallback decides.
        return outcome(createUnreachableFailure('the local answer broke off'));
      }
      background = { ...background, preemptions: background.preemptions + 1 };
    }
  } finally {
    res.off('close', onClose);
  }
}
