import { setTimeout as sleep } from 'node:timers/promises';
import type { Category } from '../../../lib/config/schema.js';
import { decideRoute, type RouteDecision, type RouteFacts } from '../route/decide-route.js';
import { estimateUncachedTokens } from '../schedule/estimate-uncached-tokens.js';
import type { Exchange, GatewayContext } from './exchange.js';

export interface SettledRoute {
  decision: Exclude<RouteDecision, { target: 'classify' }>;
  /** For a local route: ends this request's hold on the local model (taken when local was decided). */
  releaseLocal: () => void;
  /** The classifier's answer and time, when it was asked (or its fallback, for a prompt without the user's words). */
  category: Category | undefined;
  classifierMs: number | null;
  /** The last prediction of a new prompt's wait for the local model, when one was made. */
  predictedWaitMs: number | null;
}

const noop = () => {};

/**
 * Runs the pure decision until it names a target: classifies when it asks to
 * (once, since the answer is then a fact), and waits, bounded by
 * routing.waitForLocalSeconds, while nothing can serve the request. A
 * foreground request takes the scheduler's lease in the same tick as the
 * decision that needs the model (classification or generation), so two
 * requests can never both see the model free; background requests are
 * scheduled by send-background.ts.
 */
export async function settleRoute(context: GatewayContext, exchange: Exchange, known: RouteFacts, localUnreachable: boolean): Promise<SettledRoute> {
  const { config, scheduler } = context;
  const waitUntil = context.now() + config.routing.waitForLocalSeconds * 1000;
  let facts = known;
  let classifierMs: number | null = null;
  let predictedWaitMs: number | null = null;
  const settled = (decision: SettledRoute['decision'], releaseLocal: () => void): SettledRoute => ({ decision, releaseLocal, category: facts.category, classifierMs, predictedWaitMs });
  let releaseWaiting: (() => void) | null = null;
  try {
    for (;;) {
      const snapshot = await scheduler.readState();
      const ready = snapshot.ready && !localUnreachable;
      const inFlight = scheduler.counts.runningForeground - (exchange.lease ? 1 : 0);
      predictedWaitMs = predictWait(context, exchange, ready);
      const decision = decideRoute(facts, exchange.turn, { ready, inFlight, predictedWaitMs }, config.routing);
      switch (decision.target) {
        case 'classify': {
          const classified = await classifyPrompt(context, exchange);
          facts = { ...facts, category: classified.category };
          classifierMs = classified.ms;
          continue;
        }
        case 'wait':
          // The translator already failed this request: waiting for the model would not help.
          if (localUnreachable || exchange.res.destroyed || context.now() >= waitUntil) return settled(decision, releaseLease(exchange));
          releaseWaiting ??= scheduler.waitForReady();
          await sleep(context.waitPollMs);
          continue;
        case 'local': {
          if (decision.reason === 'background') return settled(decision, noop);
          const lease = (exchange.lease ??= scheduler.startForeground('generation', exchange.uncachedTokens ?? 0));
          lease.work = 'generation';
          return settled(decision, releaseLease(exchange));
        }
        case 'claude':
        case 'none':
        case 'answer':
          releaseLease(exchange)();
          return settled(decision, noop);
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

/** Ends the request's hold on the model, once. */
function releaseLease(exchange: Exchange): () => void {
  return () => {
    exchange.lease?.release();
    exchange.lease = undefined;
  };
}

/**
 * Only a new prompt that the local model could serve is predicted: a tool
 * loop stays on its turn's model, and background work yields to everything.
 */
function predictWait(context: GatewayContext, exchange: Exchange, ready: boolean): number | null {
  if (!ready || exchange.kind !== 'prompt' || exchange.lease) return null;
  exchange.uncachedTokens ??= estimateUncachedTokens(exchange.body, exchange.turn?.target === 'local');
  return context.scheduler.predictWaitMs(exchange.uncachedTokens);
}

/**
 * Asks the classifier on the local model (foreground work); a prompt with no
 * text of the user's own gets the fallback, and no time (nothing was asked).
 */
async function classifyPrompt(context: GatewayContext, exchange: Exchange): Promise<{ category: Category; ms: number | null }> {
  const startedAt = context.now();
  if (exchange.prompt.length === 0) return { category: context.config.classifier.fallbackCategory, ms: null };
  exchange.lease ??= context.scheduler.startForeground('classification', exchange.uncachedTokens ?? 0);
  try {
    const result = await context.classify(exchange.prompt);
    return { category: result.category, ms: context.now() - startedAt };
  } catch (error) {
    releaseLease(exchange)();
    throw error;
  }
}
