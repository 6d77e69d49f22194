import { setTimeout as sleep } from 'node:timers/promises';
import { decideRoute, type RouteDecision } from '../route/decide-route.js';
import type { Exchange, GatewayContext } from './exchange.js';

export interface SettledRoute {
  decision: Exclude<RouteDecision, { target: 'classify' }>;
  /** For a local route: ends its count in the local load (the generation slot was taken when it was decided). */
  releaseLocal: () => void;
}

const noop = () => {};

/**
 * Runs the pure decision until it names a target: classifies when it asks to
 * (once, since the answer is then a fact), and waits, bounded by
 * routing.waitForLocalSeconds, while nothing can serve the request. The local
 * slot is taken in the same tick as the decision that chose local, so two
 * requests can never both see the model free.
 */
export async function settleRoute(context: GatewayContext, exchange: Exchange): Promise<SettledRoute> {
  const { config, load } = context;
  const waitUntil = context.now() + config.routing.waitForLocalSeconds * 1000;
  let releaseWaiting: (() => void) | null = null;
  try {
    for (;;) {
      const snapshot = await context.localState.readState();
      const local = { ready: snapshot.ready && !exchange.localUnreachable, inFlight: load.inFlight };
      const decision = decideRoute(exchange.facts, exchange.turn, local, config.routing);
      switch (decision.target) {
        case 'classify':
          await classifyPrompt(context, exchange);
          continue;
        case 'wait':
          // The translator already failed this request: waiting for the model would not help.
          if (exchange.localUnreachable || exchange.res.destroyed || context.now() >= waitUntil) return { decision, releaseLocal: noop };
          releaseWaiting ??= load.acquire('waiting');
          await sleep(context.waitPollMs);
          continue;
        case 'local':
          return { decision, releaseLocal: load.acquire('generation') };
        case 'claude':
        case 'none':
          return { decision, releaseLocal: noop };
        default: {
          const unknown: never = decision;
          throw new Error(`unknown route decision ${JSON.stringify(unknown)}`);
        }
      }
    }
  } finally {
    releaseWaiting?.();
  }
}

/** Asks the classifier (counted as local work); a prompt with no text of the user's own gets the fallback. */
async function classifyPrompt(context: GatewayContext, exchange: Exchange): Promise<void> {
  const release = context.load.acquire('classification');
  const startedAt = context.now();
  try {
    if (exchange.prompt.length === 0) {
      exchange.facts.category = context.config.classifier.fallbackCategory;
      return;
    }
    const result = await context.classify(exchange.prompt);
    exchange.facts.category = result.category;
    exchange.record.classifierMs = context.now() - startedAt;
  } finally {
    release();
  }
}
