import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchRule } from './match-rule.js';

describe('matchRule', () => {
  const cases: Array<[string, string | null]> = [
    ["that's wrong, try again", 'try_again'],
    ['Try again', 'try_again'],
    ['retry', 'try_again'],
    ['redo it please', 'try_again'],
    ['No, that is not what I asked for.', 'try_again'],
    ['nope. do it again', 'try_again'],
    ['This is still wrong', 'try_again'],
    ['wrong', 'try_again'],
    ['It’s incorrect', 'try_again'],
    ['hi', 'chit_chat'],
    ['Thanks!', 'chit_chat'],
    ['thank you so much :)', 'chit_chat'],
    ['good morning', 'chit_chat'],
    // The same words about the code are not verdicts on the answer.
    ['add retry logic to the http client', null],
    ['the test for parseDate is wrong in leap years', null],
    ['hi, can you refactor the parser into three modules?', null],
    ['no', null],
    ['', null],
    [`try again ${'with much more detail '.repeat(10)}`, null],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text.slice(0, 40))} → ${expected}`, () => assert.equal(matchRule(text), expected));
  }
});
