import type { IncomingMessage } from 'node:http';
import type net from 'node:net';
import { ModelServerError } from '../../../lib/model-server/model-server-error.js';
import { openChatStream } from '../../../lib/model-server/open-chat-stream.js';
import { parseChatMessage } from '../../../lib/model-server/parse-chat-chunk.js';
import { createSseDecoder, type SseMessage } from '../../../lib/sse/decode-sse-events.js';
import type { OpenAiStreamChunk } from '../../../lib/wire/openai.js';
import { watchSilence } from './watch-silence.js';

export type PumpOutcome =
  | { kind: 'finished' }
  /** The client went away; the upstream request was aborted. */
  | { kind: 'client-gone' }
  | { kind: 'failed'; failure: ModelServerError };

export interface PumpOptions {
  /** The chat completions URL, parsed once by the caller. */
  url: URL;
  body: string;
  /** A connection to the upstream opened in advance (preconnect.ts); a new one when absent. */
  socket?: net.Socket;
  /** Aborted when the client disconnects. */
  clientGone: AbortSignal;
  silenceMs: number;
  stallMs: number;
  /** The server accepted the request (2xx headers), before its first body byte. */
  onOpen(): void;
  onChunk(chunk: OpenAiStreamChunk): void;
  /** A `: keepalive N/M` comment (one per prefill step, A5). */
  onKeepalive(): void;
  /** silenceMs passed without a word from the server. */
  onSilence(): void;
  /** How long the server may keep the connection open after `data: [DONE]` (default DONE_GRACE_MS). */
  doneGraceMs?: number;
}

/** How long a server may keep the connection open after `data: [DONE]` before it is closed from here. */
const DONE_GRACE_MS = 2_000;

function describeBreak(error: unknown): ModelServerError {
  if (error instanceof ModelServerError) return error;
  return new ModelServerError('broken', `the connection to the local model broke: ${(error as Error).message}`, { cause: error });
}

/**
 * Runs one upstream request to its end: opens it, hands every chunk over as
 * it arrives, watches for silence and stalls, and stops at `[DONE]`. Never
 * rejects; the outcome says how it ended. Bounded in time by the stall limit.
 * The stream is read from the response's data events, so each chunk is
 * converted and written in the turn of the event loop that brought it.
 */
export function pumpUpstream(options: PumpOptions): Promise<PumpOutcome> {
  return new Promise((resolve) => {
    const upstream = openChatStream(options.url, options.body, { socket: options.socket });
    let stalled = false;
    let ended = false;
    const cancel = () => upstream.stop();
    if (options.clientGone.aborted) cancel();
    else options.clientGone.addEventListener('abort', cancel, { once: true });
    const watch = watchSilence({
      silenceMs: options.silenceMs,
      stallMs: options.stallMs,
      onSilence: options.onSilence,
      onStall: () => {
        stalled = true;
        upstream.stop();
      },
    });
    const describeInterruption = (): PumpOutcome | null => {
      if (options.clientGone.aborted) return { kind: 'client-gone' };
      if (stalled) return { kind: 'failed', failure: new ModelServerError('stalled', `the local model sent nothing for ${options.stallMs / 1000} s`) };
      return null;
    };
    // The first end is the outcome, except that a stop (client gone, stall) explains whatever the stop caused.
    const end = (outcome: PumpOutcome, stopUpstream = true) => {
      if (ended) return;
      ended = true;
      watch.stop();
      options.clientGone.removeEventListener('abort', cancel);
      if (stopUpstream) upstream.stop();
      resolve(describeInterruption() ?? outcome);
    };
    // Once ended, what stopping the upstream causes (a reset, a close) is expected: no failure is built for it.
    const fail = (error: unknown) => {
      if (!ended) end({ kind: 'failed', failure: describeBreak(error) });
    };

    const onMessage = (message: SseMessage) => {
      if (ended) return;
      watch.touch();
      let item: ReturnType<typeof parseChatMessage>;
      try {
        item = parseChatMessage(message);
      } catch (error) {
        return fail(error);
      }
      switch (item.kind) {
        case 'chunk':
          return options.onChunk(item.chunk);
        case 'done':
          return endAfterDone();
        case 'keepalive':
          return options.onKeepalive();
        case 'other-comment':
          return;
        default: {
          const exhaustive: never = item;
          throw new TypeError(`unknown stream item ${JSON.stringify(exhaustive)}`);
        }
      }
    };

    let response: IncomingMessage | undefined;
    // The answer is whole at [DONE]. The server then ends the response itself (mlx closes the connection,
    // A2): waiting for that instead of cutting the connection spares Node building a reset error with a
    // stack trace for every request. A server that keeps the connection open is cut after a grace period.
    const endAfterDone = () => {
      end({ kind: 'finished' }, false);
      if (!response || response.complete) return;
      const cut = setTimeout(upstream.stop, options.doneGraceMs ?? DONE_GRACE_MS);
      response.once('close', () => clearTimeout(cut));
    };

    const read = (opened: IncomingMessage) => {
      // Stopped while the answer's headers were on their way (the client left, a stall): stop() destroys it.
      if (ended) return;
      response = opened;
      watch.touch();
      const decoder = createSseDecoder(onMessage, { includeComments: true });
      response.on('data', (bytes: Buffer) => {
        try {
          decoder.push(bytes);
        } catch (error) {
          fail(error);
        }
      });
      response.once('end', () => {
        try {
          decoder.end();
        } catch (error) {
          return fail(error);
        }
        end({ kind: 'finished' });
      });
      // Stays attached after the end: a response destroyed by upstream.stop() may still emit one.
      response.on('error', fail);
      response.once('close', () => fail(new Error('the connection closed before the answer ended')));
      // After the listeners: body bytes that came with the headers are then read before the client's socket
      // is uncorked, so what onOpen writes (message_start) and the first token leave in one write. Data
      // events start on a later tick, so onOpen still comes first.
      options.onOpen();
    };
    upstream.response.then((opened) => {
      try {
        read(opened);
      } catch (error) {
        fail(error);
      }
    }, fail);
  });
}
