import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createDebugDumpWriter } from './debug-dump.js';
import { findLastSessionRecord } from './find-last-session-record.js';
import { formatStatusLine, shortenModelName } from './format-status-line.js';
import { REDACTED, redactHeaders } from './redact.js';
import { createRequestLog, readRequestRecords, rotatedLogPath } from './request-log.js';
import type { RequestRecord } from './request-record.js';
import { createRecord } from '../../test/helpers/request-records.js';
import { parseDuration, summarizeRequests } from './summarize-requests.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-obs-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('request log', () => {
  it('appends one JSON line per record with mode 0600', async () => {
    const logPath = path.join(dir, 'requests.jsonl');
    const log = createRequestLog(logPath, 1_000_000);
    log.append(createRecord({ id: 'a' }));
    log.append(createRecord({ id: 'b' }));
    await log.flush();
    const lines = fs.readFileSync(logPath, 'utf8').trim().split('\n');
    assert.deepEqual(lines.map((line) => (JSON.parse(line) as RequestRecord).id), ['a', 'b']);
    assert.equal(fs.statSync(logPath).mode & 0o777, 0o600);
  });

  it('gathers the records of one busy moment into one append', async () => {
    const logPath = path.join(dir, 'requests.jsonl');
    const log = createRequestLog(logPath, 1_000_000);
    const appends: unknown[] = [];
    const original = fs.promises.appendFile;
    fs.promises.appendFile = ((...args: Parameters<typeof original>) => (appends.push(args[0]), original(...args))) as typeof original;
    try {
      for (let index = 0; index < 20; index++) log.append(createRecord({ id: `r${index}` }));
      await log.flush();
    } finally {
      fs.promises.appendFile = original;
    }
    assert.equal(appends.length, 1);
    assert.equal((await readRequestRecords(logPath)).length, 20);
  });

  it('rotates past the size limit, keeping one older file, and reads both back in order', async () => {
    const logPath = path.join(dir, 'requests.jsonl');
    const lineLength = JSON.stringify(createRecord()).length + 1;
    const log = createRequestLog(logPath, lineLength * 3);
    for (let index = 0; index < 7; index++) log.append(createRecord({ id: `r${index}` }));
    await log.flush();
    assert.ok(fs.existsSync(rotatedLogPath(logPath)));
    assert.ok(fs.statSync(logPath).size <= lineLength * 3);
    const ids = (await readRequestRecords(logPath)).map((record) => record.id);
    assert.deepEqual(ids, ['r3', 'r4', 'r5', 'r6']);
  });

  it('skips a line cut in half by a crash', async () => {
    const logPath = path.join(dir, 'requests.jsonl');
    fs.writeFileSync(logPath, `${JSON.stringify(createRecord({ id: 'ok' }))}\n{"id":"cut`);
    assert.deepEqual((await readRequestRecords(logPath)).map((record) => record.id), ['ok']);
  });

  it('finds the newest record of one session from the end of the log', async () => {
    const logPath = path.join(dir, 'requests.jsonl');
    const lines = [createRecord({ id: '1', session: 'a' }), createRecord({ id: '2', session: 'b' }), createRecord({ id: '3', session: 'a' }), createRecord({ id: '4', session: 'b' })];
    fs.writeFileSync(logPath, lines.map((record) => JSON.stringify(record)).join('\n') + '\n');
    assert.equal((await findLastSessionRecord(logPath, 'a'))?.id, '3');
    assert.equal((await findLastSessionRecord(logPath, null))?.id, '4');
    assert.equal(await findLastSessionRecord(logPath, 'c'), null);
    assert.equal(await findLastSessionRecord(path.join(dir, 'missing.jsonl'), 'a'), null);
  });

  it("skips the session's background calls: the status line speaks of the user's prompt", async () => {
    const logPath = path.join(dir, 'requests.jsonl');
    const lines = [
      createRecord({ id: 'prompt', session: 'a', route: 'claude', reason: 'overflow' }),
      createRecord({ id: 'title', session: 'a', priority: 'background', reason: 'background' }),
      createRecord({ id: 'old-title', session: 'a', reason: 'background' }),
    ];
    fs.writeFileSync(logPath, lines.map((record) => JSON.stringify(record)).join('\n') + '\n');
    assert.equal((await findLastSessionRecord(logPath, 'a'))?.id, 'prompt');
    assert.equal(await findLastSessionRecord(path.join(dir, 'missing.jsonl'), 'a'), null);
  });
});

describe('summarizeRequests', () => {
  const records = [
    createRecord({ id: '1', at: '2026-11-25T08:00:00.000Z', ttftMs: 100 }),
    createRecord({ id: '2', at: '2026-11-25T09:00:00.000Z', ttftMs: 300, reason: 'tool-loop', category: null }),
    createRecord({ id: '3', at: '2026-11-25T09:30:00.000Z', route: 'claude', tier: 2, reason: 'overflow', category: null, ttftMs: 900, promptTokensBefore: null, promptTokensAfter: null, model: 'claude-sonnet-5-5' }),
    createRecord({ id: '4', at: '2026-11-25T10:00:00.000Z', route: 'claude', tier: 3, reason: 'classified', category: 'hard_question', ttftMs: 1100, promptTokensBefore: null, promptTokensAfter: null, model: 'claude-opus-5-5' }),
    createRecord({ id: '5', at: '2026-11-25T10:30:00.000Z', route: 'claude', tier: 2, reason: 'escalation', category: 'try_again', escalated: true, ttftMs: null, status: 529, errorType: 'overloaded_error', promptTokensBefore: null, promptTokensAfter: null }),
  ];

  it('counts routes, reasons, escalations, overflows and trimmed tokens exactly', () => {
    const summary = summarizeRequests(records, { since: null, prefillTokensPerSecond: 700 });
    assert.equal(summary.total, 5);
    assert.equal(summary.local, 2);
    assert.equal(summary.claude, 3);
    assert.equal(summary.localShare, 0.4);
    assert.equal(summary.failed, 1);
    assert.deepEqual(summary.byReason, { classified: 2, 'tool-loop': 1, overflow: 1, escalation: 1 });
    assert.deepEqual(summary.byCategory, { simple_code: 1, hard_question: 1, try_again: 1 });
    assert.equal(summary.escalations, 1);
    assert.equal(summary.overflows, 1);
    assert.equal(summary.promptTokensBefore, 30000);
    assert.equal(summary.promptTokensAfter, 1400);
    assert.equal(summary.promptTokensTrimmed, 28600);
    assert.equal(summary.prefillSecondsSaved, 28600 / 700);
    assert.deepEqual(summary.ttftP50Ms, { local: 200, claude: 1000 });
  });

  it('counts background calls apart from the user\'s requests', () => {
    const withBackground = [
      ...records,
      createRecord({ id: '6', priority: 'background', reason: 'background', schedule: 'preempted', preemptions: 2 }),
      createRecord({ id: '7', priority: 'background', reason: 'background', route: 'claude', schedule: 'expired' }),
      createRecord({ id: '8', reason: 'background' }),
    ];
    const summary = summarizeRequests(withBackground, { since: null, prefillTokensPerSecond: 700 });
    assert.equal(summary.total, 5);
    assert.equal(summary.local, 2);
    assert.deepEqual(summary.background, { total: 3, local: 2, claude: 1, bySchedule: { preempted: 1, expired: 1 }, preemptions: 2 });
  });

  it('keeps only records newer than --since', () => {
    const summary = summarizeRequests(records, { since: new Date('2026-11-25T09:45:00.000Z'), prefillTokensPerSecond: 700 });
    assert.equal(summary.total, 2);
    assert.equal(summary.local, 0);
  });

  it('reads durations like 30m, 24h and 7d', () => {
    assert.equal(parseDuration('30m'), 30 * 60_000);
    assert.equal(parseDuration('24h'), 24 * 3_600_000);
    assert.equal(parseDuration('7d'), 7 * 86_400_000);
    assert.equal(parseDuration('soon'), null);
  });
});

describe('formatStatusLine', () => {
  it('shows a local answer with the short model name and category', () => {
    assert.equal(formatStatusLine(createRecord()), '⚡ local · qwen2.5-coder-7b · simple_code');
  });
  it('shows an escalated Claude answer', () => {
    assert.equal(
      formatStatusLine(createRecord({ route: 'claude', model: 'claude-opus-5-5', category: 'hard_question', escalated: true, reason: 'escalation' })),
      '☁ claude-opus-5-5 · hard_question · escalated',
    );
  });
  it('names the reason when it is not the classifier', () => {
    assert.equal(formatStatusLine(createRecord({ route: 'claude', model: 'claude-sonnet-5-5', category: null, reason: 'overflow' })), '☁ claude-sonnet-5-5 · overflow');
    assert.equal(formatStatusLine(createRecord({ category: null, reason: 'tool-loop' })), '⚡ local · qwen2.5-coder-7b');
  });
  it('says so before the first request', () => {
    assert.equal(formatStatusLine(null), 'mallex · no request yet');
  });
  it('shortens model ids', () => {
    assert.equal(shortenModelName('mlx-community/Qwen3-Coder-30B-A3B-Instruct-4bit'), 'qwen3-coder-30b-a3b');
    assert.equal(shortenModelName('mlx-community/Qwen3-Coder-Next-4bit'), 'qwen3-coder-next');
  });
});

describe('debug dumps', () => {
  it('redacts every credential header', () => {
    const redacted = redactHeaders({ Authorization: 'Bearer sk-ant-oat01-secret', 'x-api-key': 'sk-ant-api', 'x-mallex-token': 'tok', 'content-type': 'application/json' });
    assert.deepEqual(redacted, { Authorization: REDACTED, 'x-api-key': REDACTED, 'x-mallex-token': REDACTED, 'content-type': 'application/json' });
  });

  it('writes the newest dump atomically with mode 0600, after the caller returns', async () => {
    const dumpPath = path.join(dir, 'last-request.json');
    const writer = createDebugDumpWriter(dumpPath, true);
    writer.write(() => ({ n: 1 }));
    writer.write(() => ({ n: 2 }));
    assert.equal(fs.existsSync(dumpPath), false, 'nothing is written synchronously');
    await writer.flush();
    assert.deepEqual(JSON.parse(fs.readFileSync(dumpPath, 'utf8')), { n: 2 });
    assert.equal(fs.statSync(dumpPath).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(dir), ['last-request.json'], 'no temp file is left behind');
  });

  it('builds and writes once for dumps that come within the delay: only the newest', async () => {
    const dumpPath = path.join(dir, 'last-request.json');
    const writer = createDebugDumpWriter(dumpPath, true, 50);
    const built: number[] = [];
    for (let n = 1; n <= 5; n++) writer.write(() => (built.push(n), { n }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(fs.existsSync(dumpPath), false, 'nothing is written before the delay');
    await writer.flush();
    assert.deepEqual(built, [5], 'the dumps it replaced were never built');
    assert.deepEqual(JSON.parse(fs.readFileSync(dumpPath, 'utf8')), { n: 5 });
  });

  it('writes at most once per delay however steadily dumps come', async () => {
    const dumpPath = path.join(dir, 'last-request.json');
    const writer = createDebugDumpWriter(dumpPath, true, 100);
    let built = 0;
    let n = 0;
    // A dump in every turn of the event loop for 300 ms, as on a busy service: some come while a write is under way.
    const started = Date.now();
    while (Date.now() - started < 300) {
      const current = ++n;
      writer.write(() => (built++, { n: current }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    // A first write after 100 ms, then at most one per 100 ms (the loop may overrun its 300 ms a little).
    assert.ok(built >= 1 && built <= 4, `${built} writes for ${n} dumps`);
    await writer.flush();
    assert.deepEqual(JSON.parse(fs.readFileSync(dumpPath, 'utf8')), { n }, 'the newest dump is written at the end');
  });

  it('writes what is waiting at once when flushed, without waiting for the delay', async () => {
    const dumpPath = path.join(dir, 'last-request.json');
    const writer = createDebugDumpWriter(dumpPath, true, 60_000);
    writer.write(() => ({ n: 1 }));
    let timer: NodeJS.Timeout | undefined;
    const waitedOut = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still waiting after 5 s'), 5_000)));
    assert.equal(await Promise.race([writer.flush().then(() => 'flushed'), waitedOut]), 'flushed');
    clearTimeout(timer);
    assert.deepEqual(JSON.parse(fs.readFileSync(dumpPath, 'utf8')), { n: 1 });
  });

  it('writes nothing when dumps are off', async () => {
    const dumpPath = path.join(dir, 'last-request.json');
    const writer = createDebugDumpWriter(dumpPath, false);
    writer.write(() => ({ n: 1 }));
    await writer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fs.existsSync(dumpPath), false);
  });
});
