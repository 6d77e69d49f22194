import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCategory } from './parse-category.js';

describe('parseCategory', () => {
  const cases: Array<[string, string | null]> = [
    ['chit_chat', 'chit_chat'],
    ['Chit-chat.', 'chit_chat'],
    [' **hard_question**\n', 'hard_question'],
    ['Category: simple code', 'simple_code'],
    ['simple', 'simple_code'],
    ['try again', 'try_again'],
    ['TRY_AGAIN', 'try_again'],
    ['hard', 'hard_question'],
    ['This is hard_question, not simple_code', 'hard_question'],
    ['I think simple_code (not hard)', 'simple_code'],
    ['chitchat', 'chit_chat'],
    ['', null],
    ['banana', null],
    ['hardware', null],
  ];
  for (const [answer, expected] of cases) {
    it(`${JSON.stringify(answer)} → ${expected}`, () => assert.equal(parseCategory(answer), expected));
  }
});
