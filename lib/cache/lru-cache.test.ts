import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('forgets the least recently used entry past its size', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    assert.equal(cache.get('a'), 1);
    cache.set('c', 3);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('c'), 3);
    assert.equal(cache.size, 2);
  });

  it('stores nothing with size 0 and refuses a negative size', () => {
    const cache = new LruCache<string, number>(0);
    cache.set('a', 1);
    assert.equal(cache.get('a'), undefined);
    assert.throws(() => new LruCache(-1), RangeError);
  });

  it('computes a missing value once with getOrSet', () => {
    const cache = new LruCache<string, number>(2);
    let computed = 0;
    const compute = (key: string) => (computed++, key.length);
    assert.deepEqual([cache.getOrSet('abc', compute), cache.getOrSet('abc', compute)], [3, 3]);
    assert.equal(computed, 1);
  });
});
