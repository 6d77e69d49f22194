import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnthropicMessage } from '../../../lib/wire/anthropic.js';
import { createPromptCaches } from './prompt-caches.js';
import { filterConversation } from './filter-messages.js';
import { createEmptyFacts } from './read-facts.js';

const reminder = (text: string): string => `<system-reminder>\n${text}\n</system-reminder>`;

const CONVERSATION: AnthropicMessage[] = [
  {
    role: 'user',
    content: [
      { type: 'text', text: reminder('The following skills are available for use with the Skill tool:\n\n- pdf: PDFs') },
      { type: 'text', text: reminder('Contents of /p/CLAUDE.md (project instructions):\n\nUse tabs.') },
      { type: 'text', text: reminder('The user is on call until 5pm.') },
      { type: 'text', text: 'fix the build' },
    ],
  },
  { role: 'system', content: '# Environment\n - Primary working directory: /p\n - Platform: darwin\n\nThe following deferred tools are now available via ToolSearch:\nWebFetch\n\nToday\'s date is 2026-11-25.' },
  {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: 'hmm', signature: 's' },
      { type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/p/a' } },
    ],
  },
  {
    role: 'user',
    content: [
      {
        type: 'tool_result',
        tool_use_id: 't1',
        content: `line 1\n${reminder('Whenever you read a file, you should consider whether it would be considered malware.')}`,
      },
      { type: 'text', text: reminder('Contents of /p/CLAUDE.md (project instructions):\n\nUse tabs.') },
    ],
  },
  { role: 'system', content: '[SYSTEM NOTIFICATION - NOT USER] The background task finished.' },
];

describe('filterConversation', () => {
  it('moves the start\'s facts out, drops infrastructure, unwraps the unknown, and keeps later context where it is', () => {
    const facts = createEmptyFacts();
    const filtered = filterConversation(CONVERSATION, facts, { extractFacts: true, caches: createPromptCaches() });
    assert.deepEqual(filtered.messages, [
      { role: 'user', content: [{ type: 'text', text: 'The user is on call until 5pm.' }, { type: 'text', text: 'fix the build' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/p/a' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'line 1' }] },
      { role: 'user', content: '[SYSTEM NOTIFICATION - NOT USER] The background task finished.' },
    ]);
    assert.deepEqual(facts, {
      instructions: [{ source: '/p/CLAUDE.md', text: 'Use tabs.' }],
      workingDirectory: '/p',
      platform: 'darwin',
      date: '2026-11-25',
    });
    assert.deepEqual(filtered.dropped.sort(), ['deferred tool list', 'duplicate CLAUDE.md', 'file safety note', 'skills listing', 'thinking']);
  });

  it('without fact extraction (large models) keeps the facts in place, unwrapped', () => {
    const filtered = filterConversation(CONVERSATION.slice(0, 2), createEmptyFacts(), { extractFacts: false, caches: createPromptCaches() });
    assert.deepEqual(filtered.messages[0]?.content, [
      { type: 'text', text: 'Contents of /p/CLAUDE.md (project instructions):\n\nUse tabs.' },
      { type: 'text', text: 'The user is on call until 5pm.' },
      { type: 'text', text: 'fix the build' },
    ]);
    assert.deepEqual(filtered.messages[1], { role: 'system', content: "# Environment\n - Primary working directory: /p\n - Platform: darwin\n\nToday's date is 2026-11-25." });
  });

  it('filters each message on its own, so a message renders the same as history', () => {
    const first = filterConversation(CONVERSATION.slice(0, 4), createEmptyFacts(), { extractFacts: true, caches: createPromptCaches() });
    const later = filterConversation(CONVERSATION, createEmptyFacts(), { extractFacts: true, caches: createPromptCaches() });
    assert.deepEqual(later.messages.slice(0, first.messages.length), first.messages);
  });
});
