import type { Response } from 'express';
import { sendAnthropicError } from '../../../lib/http/anthropic-error.js';
import { createMessageAggregator } from '../response/aggregate-anthropic-message.js';
import type { StreamConverter } from '../response/openai-stream-to-anthropic.js';
import { sendModelServerFailure } from './send-failure.js';
import { pumpUpstream, type PumpOptions } from '../upstream/pump-upstream.js';

/**
 * Answers a non-streaming request from the same upstream stream (A7: mlx
 * never cancels a non-streaming request), aggregated into one message.
 */
export async function relayJson(res: Response, converter: StreamConverter, upstream: Omit<PumpOptions, 'onOpen' | 'onChunk' | 'onKeepalive' | 'onSilence'>): Promise<void> {
  const aggregator = createMessageAggregator();
  converter.start().forEach(aggregator.push);
  const outcome = await pumpUpstream({
    ...upstream,
    onOpen: () => {},
    onChunk: (chunk) => converter.push(chunk).forEach(aggregator.push),
    onKeepalive: () => {},
    onSilence: () => {},
  });
  switch (outcome.kind) {
    case 'finished': {
      const { events, failure } = converter.finish();
      if (failure !== null) return sendAnthropicError(res, 500, failure, 'api_error');
      events.forEach(aggregator.push);
      res.json(aggregator.result());
      return;
    }
    case 'client-gone':
      if (!res.destroyed) res.destroy();
      return;
    case 'failed': {
      sendModelServerFailure(res, outcome.failure);
      return;
    }
    default: {
      const exhaustive: never = outcome;
      throw new TypeError(`unknown outcome ${JSON.stringify(exhaustive)}`);
    }
  }
}
