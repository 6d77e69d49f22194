import type net from 'node:net';
import type { OpenAiStreamChunk } from '../../../lib/wire/openai.js';
import { openUpstreamStream } from './open-upstream-stream.js';
import { UpstreamFailure } from './upstream-failure.js';
import { watchSilence } from './watch-silence.js';

export type PumpOutcome =
  | { kind: 'finished' }
  /** The client went away; the upstream request was aborted. */
  | { kind: 'client-gone' }
  | { kind: 'failed'; failure: UpstreamFailure };

export interface PumpOptions {
  url: string;
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
}

/**
 * Runs one upstream request to its end: opens it, hands every chunk over as
 * it arrives, watches for silence and stalls, and stops at `[DONE]`. Never
 * throws; the outcome says how it ended. Bounded in time by the stall limit.
 */
// Why the upstream request is stopped; one shared reason, because abort()
// without one builds a DOMException with a stack trace at the end of every request.
const STOPPED = new Error('the upstream request was stopped');

export async function pumpUpstream(options: PumpOptions): Promise<PumpOutcome> {
  const upstream = new AbortController();
  let stalled = false;
  const cancel = () => upstream.abort(STOPPED);
  options.clientGone.addEventListener('abort', cancel, { once: true });
  const watch = watchSilence({
    silenceMs: options.silenceMs,
    stallMs: options.stallMs,
    onSilence: options.onSilence,
    onStall: () => {
      stalled = true;
      upstream.abort(STOPPED);
    },
  });
  const describeInterruption = (): PumpOutcome | null => {
    if (options.clientGone.aborted) return { kind: 'client-gone' };
    if (stalled) return { kind: 'failed', failure: new UpstreamFailure('stalled', `the local model sent nothing for ${options.stallMs / 1000} s`) };
    return null;
  };
  try {
    const messages = await openUpstreamStream(options.url, options.body, upstream.signal, options.socket);
    watch.touch();
    options.onOpen();
    for await (const message of messages) {
      watch.touch();
      if (message.comment !== undefined) {
        if (message.comment.startsWith('keepalive')) options.onKeepalive();
        continue;
      }
      if (message.data === '[DONE]') break;
      let chunk: OpenAiStreamChunk;
      try {
        chunk = JSON.parse(message.data) as OpenAiStreamChunk;
      } catch (error) {
        throw new UpstreamFailure('broken', `the local model sent a chunk that is not JSON: ${message.data.slice(0, 200)}`, { cause: error });
      }
      options.onChunk(chunk);
    }
    // A destroyed response may end quietly instead of throwing: say why it ended.
    return describeInterruption() ?? { kind: 'finished' };
  } catch (error) {
    const interruption = describeInterruption();
    if (interruption) return interruption;
    if (error instanceof UpstreamFailure) return { kind: 'failed', failure: error };
    return { kind: 'failed', failure: new UpstreamFailure('broken', `the connection to the local model broke: ${(error as Error).message}`, { cause: error }) };
  } finally {
    watch.stop();
    options.clientGone.removeEventListener('abort', cancel);
    // Stops the upstream request in every case where the loop left early ([DONE] included; mlx closes anyway).
    upstream.abort(STOPPED);
  }
}
