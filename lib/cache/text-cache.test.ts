import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextCache } from './text-cache.js';

const longText = (middle: string) => `${'head '.repeat(40)}${middle}${' tail'.repeat(40)}`;

describe('TextCache', () => {
  it('finds a long text again when it comes back as a new string', () => {
    const cache = new TextCache<number>(4);
    cache.set(longText('the middle'), 1);
    const again = JSON.parse(JSON.stringify(longText('the middle'))) as string;
    assert.equal(cache.get(again), 1);
  });

  it('tells apart long texts that differ only in the middle (same length, head and tail)', () => {
    const cache = new TextCache<number>(4);
    cache.set(longText('middle A'), 1);
    assert.equal(cache.get(longText('middle B')), undefined);
    cache.set(longText('middle B'), 2);
    assert.equal(cache.get(longText('middle B')), 2);
    assert.equal(cache.get(longText('middle A')), undefined, 'the newer text took the place');
  });

  it('keeps short texts whole and forgets the least recently used past its size', () => {
    const cache = new TextCache<string>(2);
    cache.set('a', 'A');
    cache.set(longText('b'), 'B');
    assert.equal(cache.get('a'), 'A');
    cache.set('c', 'C');
    assert.equal(cache.get(longText('b')), undefined);
    assert.deepEqual([cache.get('a'), cache.get('c')], ['A', 'C']);
  });

  it('computes a missing text\'s value once with getOrSet, and again for a look-alike text', () => {
    const cache = new TextCache<string>(4);
    const seen: string[] = [];
    const compute = (text: string) => (seen.push(text), text.toUpperCase());
    cache.getOrSet(longText('A'), compute);
    cache.getOrSet(JSON.parse(JSON.stringify(longText('A'))) as string, compute);
    assert.equal(cache.getOrSet(longText('B'), compute), longText('B').toUpperCase());
    assert.deepEqual(seen, [longText('A'), longText('B')]);
  });
});

