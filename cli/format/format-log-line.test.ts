import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRecord } from '../../test/helpers/request-records.js';
import { formatLogLine, formatRequestLine } from './format-log-line.js';

describe('formatRequestLine', () => {
  it('turns a gateway request record into one readable line', () => {
    const line = JSON.stringify(createRecord({ at: '2026-11-25T10:00:01.000Z' }));
    assert.equal(
      formatRequestLine(line),
      '10:00:01 ⚡ local  tier 1 classified/simple_code 200 ttft 300ms total 900ms prompt 15000→700 tok · mlx-community/Qwen2.5-Coder-7B-Instruct-4bit · session session-a',
    );
  });

  it('names escalations and errors', () => {
    const record = createRecord({ at: '2026-11-25T10:00:01.000Z', route: 'claude', tier: 2, reason: 'escalation', category: 'try_again', escalated: true, status: 529, errorType: 'overloaded_error', ttftMs: null, durationMs: 1500, promptTokensBefore: null, promptTokensAfter: null, model: 'claude-sonnet-5-5' });
    assert.equal(
      formatRequestLine(JSON.stringify(record)),
      '10:00:01 ☁ claude tier 2 escalation/try_again escalated 529 overloaded_error ttft - total 1.5s · claude-sonnet-5-5 · session session-a',
    );
  });

  it('names the changes made to a transcript sent to Claude', () => {
    const record = createRecord({ at: '2026-11-25T10:00:01.000Z', route: 'claude', tier: 2, reason: 'escalation', category: 'try_again', escalated: true, ttftMs: 800, durationMs: 1500, promptTokensBefore: null, promptTokensAfter: null, model: 'claude-sonnet-5-5', transcriptAdjustments: ['local-thinking-removed', 'thinking-dropped'] });
    assert.equal(
      formatRequestLine(JSON.stringify(record)),
      '10:00:01 ☁ claude tier 2 escalation/try_again escalated 200 ttft 800ms total 1.5s · claude-sonnet-5-5 · session session-a · transcript: local-thinking-removed, thinking-dropped',
    );
  });

  it('leaves a line that is not a record as it is', () => {
    assert.equal(formatRequestLine('{not json'), '{not json');
    assert.equal(formatRequestLine('{"level":"info"}'), '{"level":"info"}');
  });
});

describe('formatLogLine', () => {
  it('shortens JSON lines and leaves plain text alone', () => {
    assert.equal(formatLogLine('{"level":"info","service":"translator","msg":"listening on 127.0.0.1:3458"}'), 'info translator: listening on 127.0.0.1:3458');
    assert.equal(formatLogLine('{"level":"warn","service":"gateway","msg":"slow","ms":12}'), 'warn gateway: slow {"ms":12}');
    assert.equal(formatLogLine('Traceback (most recent call last):'), 'Traceback (most recent call last):');
    assert.equal(formatLogLine('{not json'), '{not json');
  });
});
