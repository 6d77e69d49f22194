import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerStatus } from '../../services/mlx-manager/server-status.js';
import { formatLocalModelLine } from './up.js';

function createStatus(patch: Partial<ServerStatus>): ServerStatus {
  return { state: 'ready', model: 'm', pid: 1, port: 8080, restarts: 0, restartsByReason: {}, lastExit: null, progress: null, since: '2026-01-01T00:00:00.000Z', message: 'serving m', ...patch };
}

describe('formatLocalModelLine', () => {
  it('shows the download percentage', () => {
    assert.equal(formatLocalModelLine(createStatus({ state: 'downloading', progress: 42, message: 'downloading m' }), { home: '/h', final: false }), 'local model: downloading 42 % - downloading m');
  });

  it('says where to watch a start that is still going when it returns', () => {
    const line = formatLocalModelLine(createStatus({ state: 'installing', message: 'installing mlx-lm==0.32.2' }), { home: '/h', final: true });
    assert.match(line, /^local model: installing - installing mlx-lm==0\.32\.2\n  still going in the background: watch it with `mallex status` or in \/h\/server\.log$/);
  });

  it('adds nothing to a settled state', () => {
    assert.equal(formatLocalModelLine(createStatus({}), { home: '/h', final: true }), 'local model: ready - serving m');
    assert.equal(formatLocalModelLine(null, { home: '/h', final: true }), 'local model: unknown (the mlx-manager did not answer)');
  });
});
