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
  ];
  for (const [name, text, limit, expected] of cases) {
    it(`${expected ? 'refuses' : 'accepts'} ${name}`, () => assert.equal(exceedsJsonDepth(bytes(text), limit), expected));
  }

  it('accepts a real Claude Code request under the default limit and refuses 100,000 levels', () => {
    assert.equal(exceedsJsonDepth(bytes(JSON.stringify({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [{ input_schema: { properties: { a: { items: { type: 'object' } } } } }] }))), false);
    assert.equal(exceedsJsonDepth(bytes(nested(100_000))), true);
  });
});
