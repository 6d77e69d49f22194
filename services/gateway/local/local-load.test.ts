import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalLoad } from './local-load.js';

describe('LocalLoad', () => {
  it('counts generations and classifications as in flight, waiting ones only as wanted, and reports every change', () => {
    const reported: Array<[number, number]> = [];
    const load = new LocalLoad((current) => reported.push([current.inFlight, current.wanted]));
    const endGeneration = load.acquire('generation');
    const endClassification = load.acquire('classification');
    const endWaiting = load.acquire('waiting');
    assert.deepEqual([load.inFlight, load.wanted], [2, 3]);
    endGeneration();
    endGeneration();
    endClassification();
    endWaiting();
    assert.deepEqual([load.inFlight, load.wanted], [0, 0]);
    assert.deepEqual(reported, [[1, 1], [2, 2], [2, 3], [1, 2], [0, 1], [0, 0]]);
  });
});
