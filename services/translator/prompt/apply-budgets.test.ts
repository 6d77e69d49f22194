import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnthropicMessage } from '../../../lib/wire/anthropic.js';
import { applyBudgets } from './apply-budgets.js';

function toolTurn(index: number, resultChars: number): AnthropicMessage[] {
  return [
    { role: 'assistant', content: [{ type: 'tool_use', id: `t${index}`, name: 'Bash', input: { command: `step ${index}` } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${index}`, content: `${index}:`.padEnd(resultChars, 'x') }] },
  ];
}

function conversation(turns: number, resultChars: number): AnthropicMessage[] {
  return [{ role: 'user', content: 'the first prompt' }, ...Array.from({ length: turns }, (_, index) => toolTurn(index, resultChars)).flat()];
}

describe('applyBudgets', () => {
  it('leaves a prompt within both budgets untouched', () => {
    const messages = conversation(3, 100);
    const outcome = applyBudgets(messages, { prefillBudget: 4000, contextLimit: 16000 }, 500);
    assert.deepEqual(outcome, { messages, dropped: [], overContextLimit: false });
  });

  it('shortens a large tool result, keeping head and tail and saying how much was cut', () => {
    const text = `HEAD${'m'.repeat(20000)}TAIL`;
    const messages: AnthropicMessage[] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'r', name: 'Read', input: { file_path: '/a' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'r', content: [{ type: 'text', text }] }] },
    ];
    const outcome = applyBudgets(messages, { prefillBudget: 1000, contextLimit: 16000 }, 0);
    const result = outcome.messages[2]?.content;
    assert.ok(Array.isArray(result) && result[0]?.type === 'tool_result' && typeof result[0].content === 'string');
    const shortened = result[0].content;
    assert.ok(shortened.startsWith('HEAD') && shortened.endsWith('TAIL'));
    assert.match(shortened, /\[… 16508 of 20008 characters cut here by mallex/);
    assert.ok(shortened.length < 3600, `${shortened.length}`);
    assert.deepEqual(outcome.dropped, ['middle of a Read result']);
  });

  it('drops the oldest whole turns in large steps, keeping the first prompt, and keeps the cut point while the conversation grows', () => {
    const budgets = { prefillBudget: 4000, contextLimit: 4000 };
    const results: AnthropicMessage[][] = [];
    for (let turns = 1; turns <= 40; turns += 1) {
      const outcome = applyBudgets(conversation(turns, 700), budgets, 300);
      assert.equal(outcome.overContextLimit, false);
      assert.match(JSON.stringify(outcome.messages[0]), /the first prompt/);
      results.push(outcome.messages);
    }
    // Count how often request N+1 does not start with request N's messages: only when a step is taken.
    let prefixChanges = 0;
    for (let index = 1; index < results.length; index += 1) {
      const previous = results[index - 1] ?? [];
      const current = results[index] ?? [];
      if (JSON.stringify(current.slice(0, previous.length)) !== JSON.stringify(previous)) prefixChanges += 1;
    }
    assert.ok(prefixChanges > 0 && prefixChanges <= 8, `prefix changed ${prefixChanges} times in 40 requests`);
    const last = results.at(-1) ?? [];
    assert.match(JSON.stringify(last[0]), /earlier messages of this conversation were left out/);
    assert.equal(last[1]?.role, 'assistant', 'a kept turn starts with its tool_use, so every tool_result keeps its call');
  });

  it('reports a prompt that is still too long after every cut', () => {
    const messages: AnthropicMessage[] = [{ role: 'user', content: 'x'.repeat(50000) }];
    const outcome = applyBudgets(messages, { prefillBudget: 4000, contextLimit: 1000 }, 0);
    assert.equal(outcome.overContextLimit, true);
    assert.deepEqual(outcome.messages, messages);
  });
});
