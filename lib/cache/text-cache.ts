import { LruCache } from './lru-cache.js';

// Claude Code sends the same long texts with every request of a conversation
// (its system prompt, the reminders: 0.5-25 KB each), each time as a new
// string. A Map hashes every new string in full before it can look it up
// (BENCHMARKS.md has what that cost). This cache hashes a short fingerprint
// of the text instead and compares the whole text only when the fingerprint
// matches.

const SHORT_TEXT = 160;
const EDGE = 64;

/** The text itself when short; else its length, head and tail. */
function fingerprint(text: string): string {
  return text.length <= SHORT_TEXT ? text : `${text.length}\0${text.slice(0, EDGE)}\0${text.slice(-EDGE)}`;
}

/** A least-recently-used map from texts to what was derived from them; size 0 stores nothing. */
export class TextCache<V> {
  readonly #entries: LruCache<string, { text: string; value: V }>;

  constructor(maxEntries: number) {
    this.#entries = new LruCache(maxEntries);
  }

  get(text: string): V | undefined {
    const entry = this.#entries.get(fingerprint(text));
    // Two texts with one fingerprint: the newer one holds the place, the older one is a miss.
    return entry !== undefined && entry.text === text ? entry.value : undefined;
  }

  set(text: string, value: V): void {
    this.#entries.set(fingerprint(text), { text, value });
  }

  /** The stored value, or compute(text) stored and returned. */
  getOrSet(text: string, compute: (text: string) => V): V {
    let value = this.get(text);
    if (value === undefined) this.set(text, (value = compute(text)));
    return value;
  }
}
