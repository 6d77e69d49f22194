import type { Response } from 'express';
import { formatSseError, sendAnthropicError } from '../../../lib/http/anthropic-error.js';
import { encodeSseJson } from '../../../lib/sse/encode-sse-event.js';
import type { AnthropicStreamEvent } from '../response/anthropic-stream-events.js';
import type { StreamConverter } from '../response/openai-stream-to-anthropic.js';
import { sendModelServerFailure } from './send-failure.js';
import { pumpUpstream, type PumpOptions } from '../upstream/pump-upstream.js';

const PING: AnthropicStreamEvent = { type: 'ping' };

/**
 * Streams the answer as Anthropic SSE. The 200, message_start and a ping go
 * out as soon as the server accepts the request, before its first body byte
 * (or at the first silence tick if it is slow to answer at all), so a long
 * prefill never looks idle to Claude Code (PROTOCOL.md B6). Until then a
 * failure is still a real status (lib/model-server/model-server-error.ts);
 * after, an `event: error`.
 */
export async function relaySse(res: Response, converter: StreamConverter, upstream: Omit<PumpOptions, 'onOpen' | 'onChunk' | 'onKeepalive' | 'onSilence'>): Promise<void> {
  let committed = false;
  const write = (events: AnthropicStreamEvent[]) => {
    if (events.length === 0 || res.writableEnded || res.destroyed) return;
    res.write(events.map((event) => encodeSseJson(event.type, event)).join(''));
  };
  const commit = () => {
    if (committed) return;
    committed = true;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    write([...converter.start(), PING]);
  };
  const ping = () => {
    if (committed) write([PING]);
    else commit();
  };

  const outcome = await pumpUpstream({
    ...upstream,
    onOpen: commit,
    onChunk: (chunk) => write(converter.push(chunk)),
    onKeepalive: ping,
    onSilence: ping,
  });

  switch (outcome.kind) {
    case 'finished': {
      const { events, failure } = converter.finish();
      if (failure === null) {
        write(events);
        res.end();
        return;
      }
      if (!committed) return sendAnthropicError(res, 500, failure, 'api_error');
      write(events);
      res.end(formatSseError('api_error', failure));
      return;
    }
    case 'client-gone':
      if (!res.destroyed) res.destroy();
      return;
    case 'failed': {
      if (!committed) return sendModelServerFailure(res, outcome.failure);
      res.end(formatSseError(outcome.failure.type, outcome.failure.message));
      return;
    }
    default: {
      const exhaustive: never = outcome;
      throw new TypeError(`unknown outcome ${JSON.stringify(exhaustive)}`);
    }
  }
}
