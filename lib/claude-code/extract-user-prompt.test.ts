import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRecordedRequest } from '../../test/helpers/claude-code-fixtures.js';
import { capText, extractUserPrompt, removeInfrastructureText } from './extract-user-prompt.js';

describe('extractUserPrompt', () => {
  for (const version of ['2.1.50', '2.1.328']) {
    it(`finds only what the user typed in a real ${version} request, not the reminders`, () => {
      const { body } = readRecordedRequest(version, 'chat', 1);
      assert.equal(extractUserPrompt(body.messages, 2000), 'what is 2+2');
    });

    it(`finds the turn's prompt, never the tool result, in a ${version} tool-loop request`, () => {
      const { body } = readRecordedRequest(version, 'tool', version === '2.1.50' ? 3 : 2);
      assert.equal(extractUserPrompt(body.messages, 2000), 'run echo hello');
    });
  }

  it('takes the last user message that has text of its own, skipping reminder-only and (no content) ones', () => {
    const prompt = extractUserPrompt(
      [
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'answer' },
        { role: 'user', content: [{ type: 'text', text: 'second question' }, { type: 'text', text: '<system-reminder>\nnote\n</system-reminder>' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: 'file text that is not a prompt' },
            { type: 'text', text: '<system-reminder>The file changed</system-reminder>' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: '(no content)' }] },
        { role: 'system', content: '[SYSTEM NOTIFICATION - NOT USER] agent finished' },
      ],
      2000,
    );
    assert.equal(prompt, 'second question');
  });

  it('answers "" when no user message has text of its own', () => {
    assert.equal(extractUserPrompt([{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x', content: 'out' }] }], 100), '');
    assert.equal(extractUserPrompt([], 100), '');
  });

  it('caps long prompts, keeping the head and the tail', () => {
    const text = `ASK ${'x'.repeat(5000)} END`;
    const capped = extractUserPrompt([{ role: 'user', content: text }], 300);
    assert.ok(capped.length <= 300, `length ${capped.length}`);
    assert.ok(capped.startsWith('ASK '));
    assert.ok(capped.endsWith(' END'));
  });
});

describe('removeInfrastructureText', () => {
  const cases: Array<[string, string]> = [
    ['<system-reminder>\nctx\n</system-reminder>\nfix the bug', 'fix the bug'],
    ['fix it<system-reminder>inline</system-reminder> please', 'fix it please'],
    ['<system-reminder>never closed', ''],
    ['(no content)', ''],
    ['[Request interrupted by user for tool use]', ''],
    ['<command-name>/review</command-name>\n<command-message>review</command-message>\n<command-args>the parser</command-args>', 'the parser'],
    ['<local-command-stdout>Compacted</local-command-stdout>', ''],
    ['  plain text  ', 'plain text'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(removeInfrastructureText(input), expected));
  }
});

describe('capText', () => {
  it('leaves short text alone and never exceeds the cap', () => {
    assert.equal(capText('short', 10), 'short');
    for (const max of [1, 3, 4, 10, 99]) assert.ok(capText('y'.repeat(200), max).length <= max, `cap ${max}`);
  });
});
