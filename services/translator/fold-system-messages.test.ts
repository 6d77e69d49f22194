import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSystemText } from '../../lib/tokens/measure-request.js';
import { foldSystemMessages } from './fold-system-messages.js';

describe('foldSystemMessages', () => {
  it('folds role "system" messages into the system prompt, in order', () => {
    const folded = foldSystemMessages([{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }], [
      { role: 'user', content: 'hi' },
      { role: 'system', content: 'C' },
      { role: 'assistant', content: 'hello' },
      { role: 'system', content: [{ type: 'text', text: 'D' }] },
    ]);
    assert.equal(folded.system, 'A\n\nB\n\nC\n\nD');
    assert.deepEqual(folded.messages.map((message) => message.role), ['user', 'assistant']);
  });

  it('accepts a string system prompt and no system at all', () => {
    assert.equal(foldSystemMessages('S', []).system, 'S');
    assert.equal(foldSystemMessages(undefined, [{ role: 'system', content: 'X' }]).system, 'X');
    assert.equal(readSystemText(undefined), '');
  });
});
