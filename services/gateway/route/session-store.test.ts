import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TurnState } from './decide-route.js';
import { SessionStore } from './session-store.js';

const turn = (tier: number): TurnState => ({ target: tier === 1 ? 'local' : 'claude', tier, category: 'simple_code' });

describe('SessionStore', () => {
  it('keeps the conversations of one session apart (main loop and sub-agents)', () => {
    const store = new SessionStore({ ttlMs: 1000, maxSessions: 5 });
    store.writeTurn('s', 'main', turn(1), 0);
    store.writeTurn('s', 'agent-1', turn(2), 0);
    assert.deepEqual(store.readTurn('s', 'main', 10), turn(1));
    assert.deepEqual(store.readTurn('s', 'agent-1', 10), turn(2));
    assert.equal(store.readTurn('s', 'agent-2', 10), undefined);
    assert.equal(store.readTurn('other', 'main', 10), undefined);
  });

  it('expires a session a TTL after its last write', () => {
    const store = new SessionStore({ ttlMs: 1000, maxSessions: 5 });
    store.writeTurn('s', 'main', turn(3), 0);
    store.writeTurn('s', 'main', turn(3), 900);
    assert.deepEqual(store.readTurn('s', 'main', 1900), turn(3));
    assert.equal(store.readTurn('s', 'main', 1901), undefined);
    assert.equal(store.size, 0);
  });

  it('holds at most maxSessions, forgetting the least recently written', () => {
    const store = new SessionStore({ ttlMs: 60_000, maxSessions: 2 });
    store.writeTurn('a', 'main', turn(1), 0);
    store.writeTurn('b', 'main', turn(1), 1);
    store.writeTurn('a', 'main', turn(2), 2);
    store.writeTurn('c', 'main', turn(1), 3);
    assert.equal(store.size, 2);
    assert.equal(store.readTurn('b', 'main', 4), undefined);
    assert.deepEqual(store.readTurn('a', 'main', 4), turn(2));
  });

  it('drops expired sessions when writing, so the map does not hold dead ones', () => {
    const store = new SessionStore({ ttlMs: 10, maxSessions: 100 });
    for (let index = 0; index < 50; index++) store.writeTurn(`s${index}`, 'main', turn(1), index * 100);
    assert.equal(store.size, 1);
  });

  it('bounds the conversations of one session', () => {
    const store = new SessionStore({ ttlMs: 60_000, maxSessions: 2, maxConversationsPerSession: 3 });
    for (let index = 0; index < 5; index++) store.writeTurn('s', `c${index}`, turn(1), index);
    assert.equal(store.readTurn('s', 'c0', 10), undefined);
    assert.equal(store.readTurn('s', 'c1', 10), undefined);
    assert.deepEqual(store.readTurn('s', 'c4', 10), turn(1));
  });

  it('rejects nonsense options up front', () => {
    assert.throws(() => new SessionStore({ ttlMs: 0, maxSessions: 1 }), RangeError);
    assert.throws(() => new SessionStore({ ttlMs: 1, maxSessions: 0 }), RangeError);
  });
});

describe('SessionStore: conversations too long for the local model', () => {
  it('remembers one until it shrinks, per conversation, and forgets it with the session', () => {
    const store = new SessionStore({ ttlMs: 1000, maxSessions: 10 });
    store.markTooLong('s', 'main', 40, 0);
    assert.equal(store.isTooLong('s', 'main', 40, 10), true);
    assert.equal(store.isTooLong('s', 'main', 42, 10), true, 'grown further: still too long');
    assert.equal(store.isTooLong('s', 'main', 12, 10), false, 'compacted: tried locally again');
    assert.equal(store.isTooLong('s', 'sub-agent', 50, 10), false, 'another conversation of the session');
    assert.equal(store.isTooLong('other', 'main', 50, 10), false);
    assert.equal(store.isTooLong('s', 'main', 40, 2000), false, 'expired with the session');
  });
});
