import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ServerLog } from './server-log.js';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-server-log-'));
after(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('ServerLog', () => {
  const logPath = path.join(folder, 'server.log');
  const previousPath = path.join(folder, 'server.prev.log');

  it('moves the last run\'s log to server.prev.log at every start', () => {
    const log = new ServerLog(logPath, previousPath, 1000);
    log.startNew();
    log.append('first run: Abort trap\n');
    log.startNew();
    log.append('second run\n');
    log.close();
    assert.equal(fs.readFileSync(previousPath, 'utf8'), 'first run: Abort trap\n');
    assert.equal(fs.readFileSync(logPath, 'utf8'), 'second run\n');
  });

  it('rotates a log that grows past the limit while running', () => {
    const log = new ServerLog(logPath, previousPath, 100);
    log.startNew();
    for (let index = 0; index < 30; index += 1) log.append(`line ${String(index).padStart(3, '0')}\n`);
    log.close();
    assert.ok(fs.statSync(logPath).size <= 100);
    assert.ok(fs.statSync(previousPath).size > 100);
    assert.match(fs.readFileSync(logPath, 'utf8'), /line 029/);
  });
});
