import type { TurnState } from './decide-route.js';

// Per-session memory for tool loops and "try again": Claude Code session →
// conversation (main loop, each sub-agent) → the current turn's route.
// Bounded in sessions, conversations per session and age; the clock is
// passed in so tests can move it.

interface SessionEntry {
  touchedAt: number;
  conversations: Map<string, TurnState>;
  /** Conversations the translator found too long for the local model: the message count then. */
  tooLong: Map<string, number>;
}

export interface SessionStoreOptions {
  ttlMs: number;
  maxSessions: number;
  /** The main loop plus sub-agents; old ones are forgotten first. */
  maxConversationsPerSession?: number;
}

export class SessionStore {
  readonly #sessions = new Map<string, SessionEntry>();
  readonly #ttlMs: number;
  readonly #maxSessions: number;
  readonly #maxConversations: number;

  constructor({ ttlMs, maxSessions, maxConversationsPerSession = 64 }: SessionStoreOptions) {
    if (!(ttlMs > 0)) throw new RangeError(`ttlMs must be positive, got ${ttlMs}`);
    if (!(maxSessions >= 1)) throw new RangeError(`maxSessions must be at least 1, got ${maxSessions}`);
    this.#ttlMs = ttlMs;
    this.#maxSessions = maxSessions;
    this.#maxConversations = maxConversationsPerSession;
  }

  get size(): number {
    return this.#sessions.size;
  }

  #readSession(sessionId: string, now: number): SessionEntry | undefined {
    const entry = this.#sessions.get(sessionId);
    if (!entry) return undefined;
    if (now - entry.touchedAt > this.#ttlMs) {
      this.#sessions.delete(sessionId);
      return undefined;
    }
    return entry;
  }

  readTurn(sessionId: string, conversationKey: string, now: number): TurnState | undefined {
    return this.#readSession(sessionId, now)?.conversations.get(conversationKey);
  }

  writeTurn(sessionId: string, conversationKey: string, turn: TurnState, now: number): void {
    this.#remember(sessionId, now, (entry) => entry.conversations, conversationKey, turn);
  }

  /**
   * Remembers that a conversation is too long for the local model (issue #14,
   * rule 4), so its next prompts go where they can be served without another
   * trip through the translator to learn it again.
   */
  markTooLong(sessionId: string, conversationKey: string, messageCount: number, now: number): void {
    this.#remember(sessionId, now, (entry) => entry.tooLong, conversationKey, messageCount);
  }

  /** Sets one conversation's value in a per-session map, keeping both the map and the sessions bounded and in LRU order. */
  #remember<V>(sessionId: string, now: number, selectMap: (entry: SessionEntry) => Map<string, V>, conversationKey: string, value: V): void {
    const map = selectMap(this.#touchSession(sessionId, now));
    map.delete(conversationKey);
    map.set(conversationKey, value);
    dropOldest(map, this.#maxConversations);
    this.#dropExpired(now);
    dropOldest(this.#sessions, this.#maxSessions);
  }

  /** Still too long: it has not shrunk below the size it had then (Claude Code's compaction starts it over, shorter). */
  isTooLong(sessionId: string, conversationKey: string, messageCount: number, now: number): boolean {
    const known = this.#readSession(sessionId, now)?.tooLong.get(conversationKey);
    return known !== undefined && messageCount >= known;
  }

  #touchSession(sessionId: string, now: number): SessionEntry {
    const entry = this.#readSession(sessionId, now) ?? { touchedAt: now, conversations: new Map(), tooLong: new Map() };
    entry.touchedAt = now;
    // Re-inserting keeps the sessions in least-recently-used order.
    this.#sessions.delete(sessionId);
    this.#sessions.set(sessionId, entry);
    return entry;
  }

  #dropExpired(now: number): void {
    for (const [sessionId, entry] of this.#sessions) {
      // In LRU order, so the first fresh one ends the scan.
      if (now - entry.touchedAt <= this.#ttlMs) break;
      this.#sessions.delete(sessionId);
    }
  }
}

function dropOldest<K, V>(map: Map<K, V>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}
