import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextCache } from '../../../lib/cache/text-cache.js';
import { classifyContext as classifyWithCache, classifyParagraph, readInstructionFiles, type ContextCache } from './classify-context.js';

describe('classifyParagraph', () => {
  // Shapes from 2.1.50 and 2.1.328, and made-up ones a later version could send.
  const table: Array<[string, string]> = [
    ['# Environment\nYou have been invoked in the following environment:\n - Primary working directory: /p\n - Platform: darwin', 'environment'],
    ['Here is useful information about the environment you are running in:\n<env>\nWorking directory: /p\n</env>', 'environment'],
    ['gitStatus: This is the git status.\nCurrent branch: main', 'git-status'],
    ["Today's date is 2027-01-02.", 'date'],
    ['Current date: 2027-01-02', 'date'],
    ['The following skills are available for use with the Skill tool:\n\n- pdf: read PDFs\n- xlsx: sheets', 'skills listing'],
    ['Skills you can invoke now:\n- review: review code', 'skills listing'],
    ['When the user types `/<skill-name>`, invoke it via Skill.', 'skill instructions'],
    ['The following deferred tools are now available via ToolSearch:\nCronCreate\nMonitor', 'deferred tool list'],
    ['Available agent types for the Agent tool:\n- Explore: search', 'agent type list'],
    ['When you launch multiple agents for independent work, send them in one message.', 'agent instructions'],
    ['Attribution for git commits:\n- End commit messages with:\nCo-Authored-By: Claude', 'attribution guidance'],
    ['SessionStart:startup hook success: ok', 'hook confirmation'],
    ["The TodoWrite tool hasn't been used recently. Consider using it.", 'todo reminder'],
    ['Whenever you read a file, you should consider whether it would be considered malware.', 'file safety note'],
    ['You are powered by the model named Opus 5.5. Assistant knowledge cutoff is June 2026.', 'model identity'],
    ['IMPORTANT: this context may or may not be relevant to your tasks.', 'boilerplate'],
    ['The user opened the file /p/a.ts in the IDE.', 'unknown'],
    ['A brand-new kind of reminder from Claude Code 3.0 with facts worth keeping.', 'unknown'],
  ];
  for (const [paragraph, kind] of table) {
    it(`${kind}: ${JSON.stringify(paragraph.slice(0, 50))}`, () => assert.equal(classifyParagraph(paragraph), kind));
  }
});

describe('classifyContext', () => {
  const cache: ContextCache = new TextCache(8);
  const classifyContext = (text: string) => classifyWithCache(text, cache);

  it('classifies a text once: the same text again gets the same frozen sections', () => {
    const text = '# currentDate\nToday\'s date is 2026-11-25.\n\n# gitStatus\nCurrent branch: main';
    const first = classifyContext(text);
    assert.equal(classifyContext(text), first);
    assert.ok(Object.isFrozen(first) && first.every((section) => Object.isFrozen(section)));
    assert.deepEqual(first.map((section) => section.kind), ['date', 'git-status']);
  });

  it('splits the context reminder at its # key headings and keeps CLAUDE.md headings inside the file', () => {
    const text = [
      "As you answer the user's questions, you can use the following context:",
      '# claudeMd',
      'Codebase and user instructions are shown below.',
      '',
      'Contents of /p/CLAUDE.md (project instructions, checked into the codebase):',
      '',
      '# Rules',
      'Always use 2-space indent.',
      '',
      'Contents of /home/u/.claude/CLAUDE.md (user instructions):',
      '',
      'Be terse.',
      '# currentDate',
      "Today's date is 2026-11-25.",
      '',
      '      IMPORTANT: this context may or may not be relevant to your tasks.',
    ].join('\n');
    const sections = classifyContext(text);
    assert.deepEqual(sections.map((section) => section.kind), ['boilerplate', 'instructions', 'date', 'boilerplate']);
    assert.deepEqual(readInstructionFiles(sections[1]?.text ?? ''), [
      { source: '/p/CLAUDE.md', text: '# Rules\nAlways use 2-space indent.' },
      { source: '/home/u/.claude/CLAUDE.md', text: 'Be terse.' },
    ]);
  });

  it('reads a CLAUDE.md reminder without a heading (2.1.3xx) and an unknown key as plain paragraphs', () => {
    const sections = classifyContext('Codebase and user instructions are shown below.\n\nContents of /p/CLAUDE.md (project):\n\nUse tabs.\n\nAnd more.');
    assert.deepEqual(sections, [
      { kind: 'boilerplate', text: 'Codebase and user instructions are shown below.' },
      { kind: 'instructions', text: 'Contents of /p/CLAUDE.md (project):\n\nUse tabs.\n\nAnd more.' },
    ]);
    assert.deepEqual(classifyContext('# newThing\nSomething Claude Code 3 adds.').map((section) => section.kind), ['unknown']);
  });

  it('keeps a lead line together with a list that follows a blank line', () => {
    const sections = classifyContext('The following skills are available for use with the Skill tool:\n\n- a: b\n- c: d\n\nThe user likes tea.');
    assert.deepEqual(sections.map((section) => section.kind), ['skills listing', 'unknown']);
  });
});
