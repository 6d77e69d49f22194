import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Category } from '../../../lib/config/schema.js';
import { decideRoute, updateTurnState, type LocalFacts, type RouteDecision, type RouteFacts, type RoutingPolicy, type TurnState } from './decide-route.js';
import { SessionStore } from './session-store.js';

const defaultPolicy: RoutingPolicy = {
  rules: { chit_chat: { tier: 1 }, simple_code: { tier: 1 }, hard_question: { tier: 3 }, try_again: { tier: 1 } },
  tiers: { '1': { target: 'local' }, '2': { target: 'claude', claudeModel: 'claude-sonnet-5-5' }, '3': { target: 'claude', claudeModel: 'claude-opus-5-5' } },
  localConcurrency: 1,
};
/** Tier 2 is a stronger local setup: local → local-medium → Opus. */
const localTier2Policy: RoutingPolicy = { ...defaultPolicy, tiers: { ...defaultPolicy.tiers, '2': { target: 'local' } } };
/** Only Claude tiers; local is still used for overflow fallbacks and background calls. */
const claudeOnlyPolicy: RoutingPolicy = {
  rules: { chit_chat: { tier: 2 }, simple_code: { tier: 2 }, hard_question: { tier: 3 }, try_again: { tier: 2 } },
  tiers: { '2': { target: 'claude', claudeModel: 'claude-sonnet-5-5' }, '3': { target: 'claude', claudeModel: 'claude-opus-5-5' } },
  localConcurrency: 2,
};

const ready: LocalFacts = { ready: true, inFlight: 0 };
const busy: LocalFacts = { ready: true, inFlight: 1 };
const notReady: LocalFacts = { ready: false, inFlight: 0 };
const prompt: RouteFacts = { kind: 'prompt', hasClaudeCredentials: true };
const continuation: RouteFacts = { kind: 'continuation', hasClaudeCredentials: true };
const background: RouteFacts = { kind: 'background', hasClaudeCredentials: true };
const noCredentials = { hasClaudeCredentials: false };
const localTurn: TurnState = { target: 'local', tier: 1, category: 'chit_chat' };
const opusTurn: TurnState = { target: 'claude', tier: 3, category: 'hard_question' };

const local = (tier: number | null, reason: string, category: Category | null = null): RouteDecision =>
  ({ target: 'local', tier, reason, category }) as RouteDecision;
const sonnet = (reason: string, category: Category | null = null): RouteDecision =>
  ({ target: 'claude', tier: 2, claudeModel: 'claude-sonnet-5-5', reason, category }) as RouteDecision;
const opus = (reason: string, category: Category | null = null): RouteDecision =>
  ({ target: 'claude', tier: 3, claudeModel: 'claude-opus-5-5', reason, category }) as RouteDecision;

type Case = [name: string, facts: RouteFacts, turn: TurnState | undefined, localFacts: LocalFacts, policy: RoutingPolicy, expected: RouteDecision];

const cases: Case[] = [
  // 1. Background calls
  ['background, local ready → local, never classified', background, undefined, ready, defaultPolicy, local(1, 'background')],
  ['background, local busy → still local (no classification to skip)', background, opusTurn, busy, defaultPolicy, local(1, 'background')],
  ['background, local not ready → cheapest Claude tier', background, undefined, notReady, defaultPolicy, sonnet('background')],
  ['background, local not ready, no credentials → a short answer, no waiting', { ...background, ...noCredentials }, undefined, notReady, defaultPolicy, { target: 'answer', reason: 'background' }],
  ['background, not started locally in time → cheapest Claude tier', { ...background, backgroundUnserved: true }, undefined, ready, defaultPolicy, sonnet('background')],
  ['background, not started in time, routing.background answer → a short answer', { ...background, backgroundUnserved: true }, undefined, ready, { ...defaultPolicy, background: 'answer' }, { target: 'answer', reason: 'background' }],
  ['background, local not ready, routing.background answer → a short answer', background, undefined, notReady, { ...defaultPolicy, background: 'answer' }, { target: 'answer', reason: 'background' }],
  ['background, too long for local, no credentials → a short answer, not an error', { ...background, ...noCredentials, localTooLong: true }, undefined, ready, defaultPolicy, { target: 'answer', reason: 'background' }],
  ['background, too long for local, routing.background answer → a short answer', { ...background, localTooLong: true }, undefined, ready, { ...defaultPolicy, background: 'answer' }, { target: 'answer', reason: 'background' }],
  ['background, too long for local → cheapest Claude tier', { ...background, localTooLong: true }, undefined, ready, defaultPolicy, sonnet('background')],
  ['new prompt, local idle but the predicted wait is too long → overflow before classifying', prompt, undefined, { ready: true, inFlight: 0, predictedWaitMs: 25_000 }, { ...defaultPolicy, maxLocalWaitSeconds: 20 }, sonnet('overflow')],
  ['new prompt, predicted wait within the limit → classify', prompt, undefined, { ready: true, inFlight: 0, predictedWaitMs: 1_500 }, { ...defaultPolicy, maxLocalWaitSeconds: 20 }, { target: 'classify' }],
  ['classified simple, the predicted wait too long → overflow with its category', { ...prompt, category: 'simple_code' }, undefined, { ready: true, inFlight: 0, predictedWaitMs: 25_000 }, { ...defaultPolicy, maxLocalWaitSeconds: 20 }, sonnet('overflow', 'simple_code')],
  ['new prompt, predicted wait too long, no credentials → local anyway', { ...prompt, ...noCredentials }, undefined, { ready: true, inFlight: 0, predictedWaitMs: 25_000 }, { ...defaultPolicy, maxLocalWaitSeconds: 20 }, local(1, 'no-credentials')],
  ['background, a ladder without local tiers → local outside the ladder', background, undefined, ready, claudeOnlyPolicy, local(null, 'background')],
  // 2. Tool-loop continuations
  ['continuation of a Claude turn → same tier, not classified', continuation, opusTurn, ready, defaultPolicy, opus('tool-loop', 'hard_question')],
  ['continuation of a Claude turn while local is busy → same tier', continuation, opusTurn, busy, defaultPolicy, opus('tool-loop', 'hard_question')],
  ['continuation of a local turn while local is busy → stays local', continuation, localTurn, busy, defaultPolicy, local(1, 'tool-loop', 'chit_chat')],
  ['continuation of a local tier-2 turn → tier 2', continuation, { target: 'local', tier: 2, category: 'try_again' }, ready, localTier2Policy, local(2, 'tool-loop', 'try_again')],
  ['continuation of a local turn, local not ready → first Claude tier', continuation, localTurn, notReady, defaultPolicy, sonnet('local-unavailable', 'chit_chat')],
  ['continuation of a Claude turn without credentials → local rules (classify)', { ...continuation, ...noCredentials }, opusTurn, ready, defaultPolicy, { target: 'classify' }],
  ['continuation with no known turn (gateway restarted) → classified like a prompt', continuation, undefined, ready, defaultPolicy, { target: 'classify' }],
  ['continuation with no known turn, classified', { ...continuation, category: 'hard_question' }, undefined, ready, defaultPolicy, opus('classified', 'hard_question')],
  // 3. Local model not ready
  ['prompt, local not ready → first Claude tier', prompt, undefined, notReady, defaultPolicy, sonnet('local-unavailable')],
  ['prompt, local not ready, no credentials → wait', { ...prompt, ...noCredentials }, undefined, notReady, defaultPolicy, { target: 'wait' }],
  ['prompt, local not ready, tier 2 local → first Claude tier is 3', prompt, undefined, notReady, localTier2Policy, opus('local-unavailable')],
  // 4. Local model busy
  ['prompt, local busy → first Claude tier, not classified', prompt, localTurn, busy, defaultPolicy, sonnet('overflow')],
  ['prompt, local busy, tier 2 local → first non-local tier (3)', prompt, undefined, busy, localTier2Policy, opus('overflow')],
  ['prompt, local busy, no credentials → queues locally, not classified', { ...prompt, ...noCredentials }, undefined, busy, defaultPolicy, local(1, 'no-credentials')],
  ['prompt, below a concurrency of 2 → classify', prompt, undefined, { ready: true, inFlight: 1 }, claudeOnlyPolicy, { target: 'classify' }],
  ['classified local, but the local model was taken meanwhile → overflow', { ...prompt, category: 'chit_chat' }, undefined, busy, defaultPolicy, sonnet('overflow', 'chit_chat')],
  ['classified Claude while local is busy → the category\'s tier', { ...prompt, category: 'hard_question' }, undefined, busy, defaultPolicy, opus('classified', 'hard_question')],
  // 5. Too long for the local budget
  ['too long for local → first Claude tier', { ...prompt, category: 'chit_chat', localTooLong: true }, undefined, ready, defaultPolicy, sonnet('context', 'chit_chat')],
  ['too long for local, continuation → first Claude tier, keeps the turn category', { ...continuation, localTooLong: true }, localTurn, ready, defaultPolicy, sonnet('context', 'chit_chat')],
  ['too long for local, no credentials → nowhere (pass the 400 on)', { ...prompt, ...noCredentials, category: 'chit_chat', localTooLong: true }, undefined, ready, defaultPolicy, { target: 'none', reason: 'context' }],
  // 6. Classification and rules
  ['prompt, local free → classify', prompt, undefined, ready, defaultPolicy, { target: 'classify' }],
  ['chit_chat → tier 1 local', { ...prompt, category: 'chit_chat' }, undefined, ready, defaultPolicy, local(1, 'classified', 'chit_chat')],
  ['simple_code → tier 1 local', { ...prompt, category: 'simple_code' }, opusTurn, ready, defaultPolicy, local(1, 'classified', 'simple_code')],
  ['hard_question → tier 3 Opus', { ...prompt, category: 'hard_question' }, localTurn, ready, defaultPolicy, opus('classified', 'hard_question')],
  ['hard_question without credentials → the strongest local tier below', { ...prompt, ...noCredentials, category: 'hard_question' }, undefined, ready, localTier2Policy, local(2, 'no-credentials', 'hard_question')],
  ['hard_question without credentials, default tiers → local tier 1', { ...prompt, ...noCredentials, category: 'hard_question' }, undefined, ready, defaultPolicy, local(1, 'no-credentials', 'hard_question')],
  // Escalation
  ['try_again after a local turn → Sonnet', { ...prompt, category: 'try_again' }, localTurn, ready, defaultPolicy, sonnet('escalation', 'try_again')],
  ['try_again after Sonnet → Opus', { ...prompt, category: 'try_again' }, { target: 'claude', tier: 2, category: 'try_again' }, ready, defaultPolicy, opus('escalation', 'try_again')],
  ['try_again after Opus → stays at the top', { ...prompt, category: 'try_again' }, opusTurn, ready, defaultPolicy, opus('escalation', 'try_again')],
  ['try_again after local, tier 2 local → local tier 2', { ...prompt, category: 'try_again' }, localTurn, ready, localTier2Policy, local(2, 'escalation', 'try_again')],
  ['try_again after local tier 2 → Opus', { ...prompt, category: 'try_again' }, { target: 'local', tier: 2, category: 'try_again' }, ready, localTier2Policy, opus('escalation', 'try_again')],
  ['try_again in a new session → rules.try_again (the bottom)', { ...prompt, category: 'try_again' }, undefined, ready, defaultPolicy, local(1, 'escalation', 'try_again')],
  ['try_again after local, no credentials → stays local', { ...prompt, ...noCredentials, category: 'try_again' }, localTurn, ready, defaultPolicy, local(1, 'no-credentials', 'try_again')],
  // Claude failing
  ['Claude failed twice, local ready → cloud-fallback', { ...prompt, category: 'hard_question', claudeFailed: true }, undefined, ready, defaultPolicy, local(1, 'cloud-fallback', 'hard_question')],
  ['Claude failed twice on a continuation, local busy → cloud-fallback anyway', { ...continuation, claudeFailed: true }, opusTurn, busy, defaultPolicy, local(1, 'cloud-fallback', 'hard_question')],
  ['Claude failed twice, local not ready → nowhere (pass Claude\'s error on)', { ...prompt, claudeFailed: true }, undefined, notReady, defaultPolicy, { target: 'none', reason: 'cloud-fallback' }],
  ['Claude failed twice after local was too long → nowhere (no ping-pong)', { ...prompt, category: 'chit_chat', localTooLong: true, claudeFailed: true }, undefined, ready, defaultPolicy, { target: 'none', reason: 'cloud-fallback' }],
];

describe('decideRoute', () => {
  for (const [name, facts, turn, localFacts, policy, expected] of cases) {
    it(name, () => assert.deepEqual(decideRoute(facts, turn, localFacts, policy), expected));
  }
});

describe('updateTurnState', () => {
  it('starts a turn on a new prompt, keeps it on background calls and waits', () => {
    const decision = opus('classified', 'hard_question');
    assert.deepEqual(updateTurnState(localTurn, 'prompt', decision), opusTurn);
    assert.deepEqual(updateTurnState(localTurn, 'background', local(1, 'background')), localTurn);
    assert.deepEqual(updateTurnState(localTurn, 'prompt', { target: 'wait' }), localTurn);
    assert.equal(updateTurnState(undefined, 'prompt', { target: 'classify' }), undefined);
  });

  it('moves a tool loop whose model had to change', () => {
    assert.deepEqual(updateTurnState(localTurn, 'continuation', sonnet('local-unavailable', 'chit_chat')), { target: 'claude', tier: 2, category: 'chit_chat' });
    assert.deepEqual(updateTurnState(opusTurn, 'continuation', local(1, 'cloud-fallback', 'hard_question')), { target: 'local', tier: 1, category: 'hard_question' });
  });
});

/** Routes one request of a session through the store, as the gateway does (classifier answer given). */
function routeThroughStore(store: SessionStore, session: string, facts: RouteFacts, now: number, policy = defaultPolicy): RouteDecision {
  const turn = store.readTurn(session, 'main', now);
  let decision = decideRoute(facts, turn, ready, policy);
  if (decision.target === 'classify') throw new Error('the test gives the category up front');
  const next = updateTurnState(turn, facts.kind, decision, facts.promptKey);
  if (next) store.writeTurn(session, 'main', next, now);
  return decision;
}

const said = (category: Category): RouteFacts => ({ ...prompt, category });
const tierOf = (decision: RouteDecision) => ('tier' in decision ? decision.tier : undefined);

describe('escalation over a session', () => {
  it('climbs local → Sonnet → Opus and stays there, keeps the tool loop on the escalated tier, and a new question starts over', () => {
    const store = new SessionStore({ ttlMs: 60_000, maxSessions: 10 });
    const steps: Array<[RouteFacts, number]> = [
      [said('simple_code'), 1],
      [said('try_again'), 2],
      [continuation, 2],
      [said('try_again'), 3],
      [said('try_again'), 3],
      [continuation, 3],
      [said('chit_chat'), 1],
    ];
    steps.forEach(([facts, tier], index) => assert.equal(tierOf(routeThroughStore(store, 's', facts, index)), tier, `step ${index}`));
  });

  it('climbs local → local tier 2 → Opus when tier 2 is local', () => {
    const store = new SessionStore({ ttlMs: 60_000, maxSessions: 10 });
    const tiers = [said('chit_chat'), said('try_again'), said('try_again')].map((facts, index) => tierOf(routeThroughStore(store, 's', facts, index, localTier2Policy)));
    assert.deepEqual(tiers, [1, 2, 3]);
  });

  it('keeps two sessions apart: each escalates from its own last turn', () => {
    const store = new SessionStore({ ttlMs: 60_000, maxSessions: 10 });
    routeThroughStore(store, 'a', said('chit_chat'), 0);
    routeThroughStore(store, 'b', said('hard_question'), 1);
    assert.equal(tierOf(routeThroughStore(store, 'a', said('try_again'), 2)), 2);
    assert.equal(tierOf(routeThroughStore(store, 'b', said('try_again'), 3)), 3);
    assert.equal(tierOf(routeThroughStore(store, 'a', said('try_again'), 4)), 3);
    assert.equal(tierOf(routeThroughStore(store, 'b', continuation, 5)), 3);
  });

  it('forgets an expired session: "try again" then starts at the bottom again', () => {
    const store = new SessionStore({ ttlMs: 1000, maxSessions: 10 });
    routeThroughStore(store, 's', said('hard_question'), 0);
    assert.equal(tierOf(routeThroughStore(store, 's', said('try_again'), 1000)), 3, 'still remembered at the TTL');
    assert.equal(tierOf(routeThroughStore(store, 's', said('try_again'), 2001)), 1, 'forgotten past the TTL');
  });
});

describe('server tools', () => {
  const webSearch: RouteFacts = { kind: 'background', hasClaudeCredentials: true, serverTool: true };
  const table: Array<[string, RouteFacts, TurnState | undefined, LocalFacts, RouteDecision]> = [
    ['a Haiku web search, local ready → first Claude tier, not local', webSearch, undefined, ready, sonnet('server-tool')],
    ['as a prompt inside a local turn → Claude', { ...webSearch, kind: 'prompt' }, localTurn, ready, sonnet('server-tool')],
    ['as a continuation of a local tool loop → Claude', { ...webSearch, kind: 'continuation' }, localTurn, ready, sonnet('server-tool')],
    ['no credentials → nothing (the gateway says why)', { ...webSearch, ...noCredentials }, undefined, ready, { target: 'none', reason: 'server-tool' }],
    ['Claude failed → nothing, never the local fallback', { ...webSearch, claudeFailed: true }, undefined, ready, { target: 'none', reason: 'server-tool' }],
  ];
  for (const [name, facts, turn, localFacts, expected] of table) {
    it(name, () => assert.deepEqual(decideRoute(facts, turn, localFacts, defaultPolicy), expected));
  }

  it('leaves the conversation\'s turn alone', () => {
    assert.deepEqual(updateTurnState(localTurn, 'prompt', sonnet('server-tool'), 'k'), localTurn);
  });
});

describe('a prompt sent again', () => {
  const again = (category: Category, promptKey: string): RouteFacts => ({ ...prompt, category, promptKey });
  const table: Array<[string, RouteFacts, TurnState, LocalFacts, RouteDecision]> = [
    ['the escalated try-again resent → the same Claude tier, not classified', { ...prompt, promptKey: 'k2' }, { target: 'claude', tier: 2, category: 'try_again', promptKey: 'k2' }, ready, sonnet('resend', 'try_again')],
    ['a local turn\'s prompt resent → local again', { ...prompt, promptKey: 'k1' }, { ...localTurn, promptKey: 'k1' }, busy, local(1, 'resend', 'chit_chat')],
    ['a different prompt → the usual rules (classify)', { ...prompt, promptKey: 'k3' }, { target: 'claude', tier: 2, category: 'try_again', promptKey: 'k2' }, ready, { target: 'classify' }],
    ['a Claude turn resent without credentials → the usual rules', { ...prompt, ...noCredentials, promptKey: 'k2' }, { ...opusTurn, promptKey: 'k2' }, ready, { target: 'classify' }],
    ['a local turn resent, local not ready → the usual rules', { ...prompt, promptKey: 'k1' }, { ...localTurn, promptKey: 'k1' }, notReady, sonnet('local-unavailable')],
    ['a turn remembered without a key → the usual rules', again('try_again', 'k1'), localTurn, ready, sonnet('escalation', 'try_again')],
  ];
  for (const [name, facts, turn, localFacts, expected] of table) {
    it(name, () => assert.deepEqual(decideRoute(facts, turn, localFacts, defaultPolicy), expected));
  }

  it('climbs once per "try again": a resend stays, the next "try again" climbs', () => {
    const store = new SessionStore({ ttlMs: 60_000, maxSessions: 10 });
    const steps: Array<[RouteFacts, number]> = [
      [again('simple_code', '0:a'), 1],
      [again('try_again', '1:b'), 2],
      // Claude Code's resend without thinking blocks, or a retry after an error; the classifier would say try_again again.
      [again('try_again', '1:b'), 2],
      [{ ...continuation, promptKey: '1:b' }, 2],
      [again('try_again', '1:b'), 2],
      [again('try_again', '3:b'), 3],
    ];
    steps.forEach(([facts, tier], index) => assert.equal(tierOf(routeThroughStore(store, 's', facts, index)), tier, `step ${index}`));
  });
});
