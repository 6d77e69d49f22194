import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnthropicHttpError } from './anthropic-error.js';
import { parseJsonBody } from './json-body.js';

function refusal(body: Buffer | string): { status: number; message: string } {
  try {
    parseJsonBody(Buffer.from(body));
  } catch (error) {
    assert.ok(error instanceof AnthropicHttpError, String(error));
    return { status: error.status, message: error.message };
  }
  throw new Error('expected a refusal');
}

describe('parseJsonBody', () => {
  it('parses an object or an array, whitespace around it allowed', () => {
    assert.deepEqual(parseJsonBody(Buffer.from(' \n{"a":[1,{"b":"ü"}]}\n')), { a: [1, { b: 'ü' }] });
    assert.deepEqual(parseJsonBody(Buffer.from('[1,2]')), [1, 2]);
  });

  it('reads an empty body as {} (the handlers then say what is missing)', () => {
    assert.deepEqual(parseJsonBody(Buffer.alloc(0)), {});
  });

  it('refuses with a 400 that says what is wrong', () => {
    assert.deepEqual(refusal('{"a": '), { status: 400, message: refusal('{"a": ').message });
    assert.match(refusal('{"a": ').message, /^request body is not valid JSON: /);
    assert.match(refusal('"just a string"').message, /expected an object or an array, found "\\""/);
    assert.match(refusal('null').message, /found "n"/);
    assert.match(refusal('   ').message, /found only whitespace/);
    assert.equal(refusal(Buffer.from([0x7b, 0xff, 0x7d])).message, 'request body is not valid UTF-8');
    assert.match(refusal(`{"a":${'['.repeat(300)}${']'.repeat(300)}}`).message, /deeper than 256 levels/);
  });
});
