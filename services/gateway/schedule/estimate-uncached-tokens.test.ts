import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateUncachedTokens, TRIMMED_PREAMBLE_CHARS } from './estimate-uncached-tokens.js';

describe('estimateUncachedTokens', () => {
  const conversation = [
    { role: 'user' as const, content: 'x'.repeat(7000) },
    { role: 'assistant' as const, content: 'y'.repeat(3500) },
    { role: 'user' as const, content: 'z'.repeat(350) },
  ];
  it('counts the whole conversation plus the trimmed preamble when the local model has not seen it', () => {
    assert.equal(estimateUncachedTokens({ messages: conversation }, false), Math.ceil((TRIMMED_PREAMBLE_CHARS + 10_850) / 3.5));
  });
  it("leaves out Claude Code's system reminders, which the translator folds into its preamble", () => {
    const withReminder = [{ role: 'user' as const, content: [{ type: 'text' as const, text: `<system-reminder>\n${'r'.repeat(9000)}\n</system-reminder>` }, { type: 'text' as const, text: 'y'.repeat(350) }] }];
    assert.equal(estimateUncachedTokens({ messages: withReminder }, false), Math.ceil((TRIMMED_PREAMBLE_CHARS + 350) / 3.5));
  });
  it("counts only the new turn when the local model served the conversation's last turn (its cache holds the rest)", () => {
    assert.equal(estimateUncachedTokens({ messages: conversation }, true), 100);
  });
});
