import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRecord } from '../../test/helpers/request-records.js';
import type { RequestSummary } from '../../lib/observability/summarize-requests.js';
import { runMallex } from '../../test/helpers/run-cli.js';
import { createTempHome, type TempHome } from '../../test/helpers/temp-home.js';

describe('mallex stats and mallex statusline over a recorded request log', () => {
  let temp: TempHome;
  before(async () => {
    temp = await createTempHome();
    const now = Date.now();
    const records = [
      createRecord({ id: '1', at: new Date(now - 3 * 86_400_000).toISOString(), session: 'old' }),
      createRecord({ id: '2', at: new Date(now - 3_600_000).toISOString(), session: 's1' }),
      createRecord({ id: '3', at: new Date(now - 1_800_000).toISOString(), session: 's1', route: 'claude', model: 'claude-opus-5-5', tier: 3, category: 'hard_question', promptTokensBefore: null, promptTokensAfter: null }),
      createRecord({ id: '4', at: new Date(now - 60_000).toISOString(), session: 's2', reason: 'tool-loop', category: null }),
    ];
    fs.writeFileSync(path.join(temp.home, 'requests.jsonl'), records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  });
  after(() => temp.remove());

  it('prints totals as JSON', async () => {
    const result = await runMallex(['stats', '--json'], { env: temp.env });
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as RequestSummary;
    assert.equal(summary.total, 4);
    assert.equal(summary.local, 3);
    assert.equal(summary.claude, 1);
    assert.equal(summary.promptTokensTrimmed, 3 * (15000 - 700));
  });

  it('honours --since', async () => {
    const result = await runMallex(['stats', '--json', '--since', '24h'], { env: temp.env });
    assert.equal((JSON.parse(result.stdout) as RequestSummary).total, 3);
  });

  it('prints a readable summary', async () => {
    const result = await runMallex(['stats', '--since', '24h'], { env: temp.env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /requests\s+3\s+local 2 \(67%\)\s+claude 1/);
    assert.match(result.stdout, /prompt trimmed\s+30k → 1400 tokens \(−95%\), about 40\.9 s of local prefill saved at 700 tokens\/s/);
  });

  it('rejects a --since it cannot read', async () => {
    const result = await runMallex(['stats', '--since', 'yesterday'], { env: temp.env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--since expects a duration/);
  });

  it("prints the session's last route for Claude Code's status line", async () => {
    const s1 = await runMallex(['statusline'], { env: temp.env, input: JSON.stringify({ session_id: 's1', model: { id: 'x' } }) });
    assert.equal(s1.stdout, '☁ claude-opus-5-5 · hard_question\n');
    const s2 = await runMallex(['statusline'], { env: temp.env, input: JSON.stringify({ session_id: 's2' }) });
    assert.equal(s2.stdout, '⚡ local · qwen2.5-coder-7b\n');
    const unknown = await runMallex(['statusline'], { env: temp.env, input: JSON.stringify({ session_id: 'nope' }) });
    assert.equal(unknown.stdout, 'mallex · no request yet\n');
  });
});
