import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSameJson } from './same-json.js';

describe('isSameJson', () => {
  const cases: Array<[string, unknown, unknown, boolean]> = [
    ['equal primitives', 'a', 'a', true],
    ['different primitives', 1, '1', false],
    ['null and an object', null, {}, false],
    ['equal nested objects', { a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'x' }] }, true],
    ['the same keys in another order', { a: 1, b: 2 }, { b: 2, a: 1 }, false],
    ['a nested difference', { a: { b: [1, 2] } }, { a: { b: [1, 3] } }, false],
    ['a missing key of the same count', { a: 1, b: undefined }, { a: 1, c: undefined }, false],
    ['an extra key', { a: 1 }, { a: 1, b: 2 }, false],
    ['an array and an object with index keys', [1], { 0: 1 }, false],
    ['arrays of other lengths', [1, 2], [1, 2, 3], false],
  ];
  for (const [name, a, b, expected] of cases) {
    it(`${expected ? 'equal' : 'not equal'}: ${name}`, () => {
      assert.equal(isSameJson(a, b), expected);
      assert.equal(isSameJson(b, a), expected);
    });
  }

  it('finds a Claude Code tool list equal to a new parse of itself', () => {
    const tools = [{ name: 'Read', description: 'Reads a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } }];
    assert.equal(isSameJson(tools, JSON.parse(JSON.stringify(tools))), true);
  });
});
