import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exceedsJsonDepth } from './json-depth.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('exceedsJsonDepth', () => {
  const cases: Array<[string, string, number, boolean]> = [
    ['a flat object', '{"a":1,"b":[1,2,3]}', 2, false],
    ['exactly the limit', nested(4), 4, false],
    ['one level over the limit', nested(5), 4, true],
    ['objects and arrays mixed', '{"a":[{"b":[{}]}]}', 4, true],
    ['brackets inside strings', `{"text":"${'['.repeat(50)}"}`, 4, false],
    ['an escaped quote inside a string', `{"text":"\\"${'{'.repeat(50)}"}`, 4, false],
    ['an escaped backslash before the closing quote', `{"a":"\\\\","b":${nested(5)}}`, 4, true],
    ['siblings that each stay under the limit', `[${nested(3)},${nested(3)},${nested(3)}]`, 4, false],
    ['multi-byte text', `{"é":"${'ü'.repeat(20)}"}`, 1, false],
    ['brackets in a long string, past the byte-by-byte part', `{"text":"${'a'.repeat(40)}${'['.repeat(50)}"}`, 4, false],
    ['an escaped quote in a long string', `{"text":"${'a'.repeat(40)}\\"${'{'.repeat(50)}"}`, 4, false],
    ['escaped backslashes before a long string\'s closing quote', `{"a":"${'a'.repeat(40)}\\\\\\\\","b":${nested(5)}}`, 4, true],
    ['an escape that straddles the end of the byte-by-byte part', `{"a":"${'a'.repeat(31)}\\"${'['.repeat(10)}","b":${nested(5)}}`, 4, true],
    ['a string that never closes', `{"a":"${'['.repeat(400)}`, 4, false],
  ];
  for (const [name, text, limit, expected] of cases) {
    it(`${expected ? 'refuses' : 'accepts'} ${name}`, () => assert.equal(exceedsJsonDepth(bytes(text), limit), expected));
  }

  it('agrees with a walk of the parsed value on random JSON with long and escaped strings', () => {
    // mulberry32: a seeded generator, so a failure can be reproduced.
    let seed = 7;
    const random = (below: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
      return ((value ^ (value >>> 14)) >>> 0) % below;
    };
    const pieces = ['a', '[[[[[[[[', ']', '{{{{{{{{', '}', '"', '\\', 'é', '\n', ' '];
    const randomString = () => Array.from({ length: random(80) }, () => pieces[random(pieces.length)]).join('');
    const randomValue = (depth: number): unknown => {
      if (depth > 7 || random(3) === 0) return randomString();
      return random(2) === 0 ? Array.from({ length: random(4) }, () => randomValue(depth + 1)) : Object.fromEntries(Array.from({ length: random(4) }, () => [randomString(), randomValue(depth + 1)]));
    };
    const depthOf = (value: unknown): number => (typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0);
    for (let round = 0; round < 300; round++) {
      const value = randomValue(0);
      const limit = 1 + random(6);
      assert.equal(exceedsJsonDepth(bytes(JSON.stringify(value)), limit), depthOf(value) > limit, JSON.stringify(value));
    }
  });

  it('accepts a real Claude Code request under the default limit and refuses 100,000 levels', () => {
    assert.equal(exceedsJsonDepth(bytes(JSON.stringify({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [{ input_schema: { properties: { a: { items: { type: 'object' } } } } }] }))), false);
    assert.equal(exceedsJsonDepth(bytes(nested(100_000))), true);
  });
});
