import type { Category, MallexConfig } from '../../../lib/config/schema.js';
import type { RequestKind } from '../../../lib/claude-code/request-shape.js';
import { isLocalWaitTooLong } from '../schedule/decide-schedule.js';
import {
  createTierLadder,
  findFirstClaudeTier,
  findLocalTierFor,
  findNextTierUp,
  findTier,
  type LadderTier,
} from './tier-ladder.js';

// The route decision (issue #6), a pure function: no I/O, no clock. The
// gateway calls it, does what it says (classify, wait, forward), and calls it
// again with what it learned (the category, "too long for local", "Claude
// failed twice") until it names a target.

export type RouteTarget = 'local' | 'claude';

export type RouteReason =
  | 'background' // a side call (title, summary, Warmup)
  | 'tool-loop' // the tool loop stays on its turn's model
  | 'local-unavailable' // the local model is not ready
  | 'overflow' // the local model is busy with foreground work, or the predicted wait is too long
  | 'context' // too long for the local budget
  | 'classified' // the category's tier (routing.rules)
  | 'escalation' // "try again": one tier above the last turn
  | 'no-credentials' // a Claude tier was chosen but there is no credential to use it
  | 'server-tool' // Anthropic's server tools (web search, …): only Claude can serve it
  | 'resend' // the same prompt sent again (retry, resend without thinking): the tier it was given
  | 'cloud-fallback'; // Claude failed twice, answered locally

/** What the gateway remembers about the current turn of one conversation. */
export interface TurnState {
  target: RouteTarget;
  /** null: a local route outside the tier ladder (a ladder with no local tier). */
  tier: number | null;
  category: Category | null;
  /** The prompt this turn answers (readPromptKey); absent in turns remembered before it existed. */
  promptKey?: string;
}

export interface RouteFacts {
  kind: RequestKind;
  /** The client sent Authorization/x-api-key, or authMethod is apikey. */
  hasClaudeCredentials: boolean;
  /** The classifier's answer, once asked. */
  category?: Category;
  /** The translator answered that the prompt cannot fit the local budget. */
  localTooLong?: boolean;
  /** Claude answered 429/529/5xx or failed twice (the retry included). */
  claudeFailed?: boolean;
  /** The request carries server tools that Anthropic runs (web_search_…, web_fetch_…, code_execution_…). */
  serverTool?: boolean;
  /** The user's current prompt (readPromptKey): equal to the turn's when this request is that prompt sent again. */
  promptKey?: string;
  /** A background request the local model could not start in time (routing.backgroundWaitSeconds) or whose queue was full. */
  backgroundUnserved?: boolean;
}

export interface LocalFacts {
  ready: boolean;
  /** Foreground generations and classifications the local model serves now, other than this request's own (background work yields, so it does not count). */
  inFlight: number;
  /** The scheduler's prediction of this request's time to first token on the local model; null when not predicted. */
  predictedWaitMs?: number | null;
}

export type RoutingPolicy = Pick<MallexConfig['routing'], 'rules' | 'tiers' | 'localConcurrency'> & Partial<Pick<MallexConfig['routing'], 'maxLocalWaitSeconds' | 'background'>>;

function isLocalFull(local: LocalFacts, policy: RoutingPolicy): boolean {
  return local.inFlight >= policy.localConcurrency || isLocalWaitTooLong(local.predictedWaitMs ?? null, policy.maxLocalWaitSeconds ?? Infinity);
}

export type RouteDecision =
  | { target: 'local'; tier: number | null; reason: RouteReason; category: Category | null }
  | { target: 'claude'; tier: number; claudeModel: string; reason: RouteReason; category: Category | null }
  /** Ask the classifier, then decide again with `category`. */
  | { target: 'classify' }
  /** Nothing can serve it now: wait (bounded) for the local model, then decide again. */
  | { target: 'wait' }
  /** Nowhere left to send it: pass on the upstream's own answer. */
  | { target: 'none'; reason: RouteReason }
  /** A background call nothing may serve now: a short valid answer (create-short-answer.ts). */
  | { target: 'answer'; reason: 'background' };

function routeToTier(step: LadderTier, reason: RouteReason, category: Category | null): RouteDecision {
  return step.target === 'claude'
    ? { target: 'claude', tier: step.tier, claudeModel: step.claudeModel!, reason, category }
    : { target: 'local', tier: step.tier, reason, category };
}

function routeToLocal(ladder: readonly LadderTier[], tier: number | null, reason: RouteReason, category: Category | null): RouteDecision {
  return { target: 'local', tier: findLocalTierFor(ladder, tier)?.tier ?? null, reason, category };
}

function routeResend(ladder: readonly LadderTier[], turn: TurnState, facts: RouteFacts, local: LocalFacts): RouteDecision | undefined {
  if (turn.target === 'claude' && facts.hasClaudeCredentials && turn.tier !== null) {
    const step = findTier(ladder, turn.tier);
    if (step?.target === 'claude') return routeToTier(step, 'resend', turn.category);
  }
  if (turn.target === 'local' && local.ready) return { target: 'local', tier: turn.tier, reason: 'resend', category: turn.category };
  return undefined;
}

export function decideRoute(facts: RouteFacts, turn: TurnState | undefined, local: LocalFacts, policy: RoutingPolicy): RouteDecision {
  const ladder = createTierLadder(policy.tiers);
  const firstClaude = facts.hasClaudeCredentials ? findFirstClaudeTier(ladder) : undefined;
  const knownCategory = facts.category ?? (facts.kind === 'continuation' ? turn?.category : undefined) ?? null;

  // 0. Server tools: Claude or nothing, never a local answer that pretends to have searched.
  if (facts.serverTool) {
    return firstClaude && !facts.claudeFailed ? routeToTier(firstClaude, 'server-tool', null) : { target: 'none', reason: 'server-tool' };
  }

  // Re-decisions after an upstream said no.
  if (facts.claudeFailed) {
    const localCanServe = local.ready && !facts.localTooLong;
    return localCanServe ? routeToLocal(ladder, null, 'cloud-fallback', knownCategory) : { target: 'none', reason: 'cloud-fallback' };
  }
  if (facts.localTooLong && facts.kind !== 'background') {
    return firstClaude ? routeToTier(firstClaude, 'context', knownCategory) : { target: 'none', reason: 'context' };
  }

  // 1. Background calls never see the classifier and never wait for the
  //    model to become ready: what the local model cannot serve (not ready,
  //    not started in time, too long) gets the first Claude tier or a short
  //    answer (routing.background), never an error.
  if (facts.kind === 'background') {
    if (local.ready && !facts.backgroundUnserved && !facts.localTooLong) return routeToLocal(ladder, null, 'background', null);
    return firstClaude && policy.background !== 'answer' ? routeToTier(firstClaude, 'background', null) : { target: 'answer', reason: 'background' };
  }

  // 2. A tool loop stays on its turn's model while that model can serve it.
  if (facts.kind === 'continuation' && turn) {
    if (turn.target === 'claude' && facts.hasClaudeCredentials && turn.tier !== null) {
      const step = findTier(ladder, turn.tier);
      if (step?.target === 'claude') return routeToTier(step, 'tool-loop', turn.category);
    }
    if (turn.target === 'local' && local.ready) return { target: 'local', tier: turn.tier, reason: 'tool-loop', category: turn.category };
  }

  // 2b. The same prompt sent again stays where it was sent, so one "try again" climbs one tier.
  if (facts.kind === 'prompt' && turn && facts.promptKey && turn.promptKey === facts.promptKey) {
    const resent = routeResend(ladder, turn, facts, local);
    if (resent) return resent;
  }

  // 3. The local model is not ready.
  if (!local.ready) return firstClaude ? routeToTier(firstClaude, 'local-unavailable', knownCategory) : { target: 'wait' };

  // 4. The local model is busy with foreground work, or this prompt would wait
  //    too long for its first token: overflow without classifying. With no
  //    Claude tier the request queues locally; classifying it would queue too.
  if (isLocalFull(local, policy) && !facts.category) {
    return firstClaude ? routeToTier(firstClaude, 'overflow', null) : routeToLocal(ladder, null, 'no-credentials', knownCategory);
  }

  // 6. Classify (5, "too long", is learned from the translator afterwards).
  if (!facts.category) return { target: 'classify' };
  let chosen: LadderTier;
  let reason: RouteReason;
  if (facts.category === 'try_again' && turn?.tier != null) {
    chosen = findNextTierUp(ladder, turn.tier);
    reason = 'escalation';
  } else {
    chosen = findTier(ladder, policy.rules[facts.category].tier) ?? ladder[0]!;
    reason = facts.category === 'try_again' ? 'escalation' : 'classified';
  }
  if (chosen.target === 'claude' && !facts.hasClaudeCredentials) return routeToLocal(ladder, chosen.tier, 'no-credentials', facts.category);
  // Another request took the local model while this one was classified.
  if (chosen.target === 'local' && isLocalFull(local, policy) && firstClaude) {
    return routeToTier(firstClaude, 'overflow', facts.category);
  }
  return routeToTier(chosen, reason, facts.category);
}

/**
 * The turn state after a request was routed: a new prompt starts a turn, and
 * a turn that had to move (its model unusable, too long, Claude failing)
 * continues where it moved to. Background and server-tool calls leave it
 * alone. The prompt key lets a resend of the same prompt find its tier.
 */
export function updateTurnState(previous: TurnState | undefined, kind: RequestKind, decision: RouteDecision, promptKey?: string): TurnState | undefined {
  if (decision.target !== 'local' && decision.target !== 'claude') return previous;
  if (kind === 'background' || decision.reason === 'background' || decision.reason === 'server-tool') return previous;
  return { target: decision.target, tier: decision.tier, category: decision.category, ...(promptKey ? { promptKey } : {}) };
}
