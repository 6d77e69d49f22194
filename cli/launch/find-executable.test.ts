import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { findExecutable } from './find-executable.js';

describe('findExecutable', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mallex-path-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const first = path.join(root, 'first');
  const second = path.join(root, 'second');
  fs.mkdirSync(first);
  fs.mkdirSync(second);
  fs.writeFileSync(path.join(first, 'claude'), 'not executable', { mode: 0o644 });
  fs.mkdirSync(path.join(first, 'tool'));
  fs.writeFileSync(path.join(second, 'claude'), '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(second, 'tool'), '#!/bin/sh\n', { mode: 0o755 });

  it('skips files that are not executable and folders, like a shell', () => {
    const pathValue = [first, '', second].join(path.delimiter);
    assert.equal(findExecutable('claude', pathValue), path.join(second, 'claude'));
    assert.equal(findExecutable('tool', pathValue), path.join(second, 'tool'));
  });

  it('returns null when the command is nowhere on PATH', () => {
    assert.equal(findExecutable('claude', first), null);
    assert.equal(findExecutable('claude', undefined), null);
  });
});
