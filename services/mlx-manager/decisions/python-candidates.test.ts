import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSupportedPython, listPythonCandidates } from './python-candidates.js';

describe('listPythonCandidates', () => {
  it('uses only mlx.python when it is set', () => {
    assert.deepEqual(listPythonCandidates({ configured: '/x/python', platform: 'darwin', homeDir: '/h', pyenvVersions: ['3.12.1'] }), ['/x/python']);
  });

  it('tries PATH names, then pyenv versions newest first, then Homebrew on macOS', () => {
    const candidates = listPythonCandidates({ configured: null, platform: 'darwin', homeDir: '/Users/u', pyenvVersions: ['3.9.18', 'miniforge3', '3.12.1', '3.10.4'] });
    assert.deepEqual(candidates.slice(0, 3), ['python3', 'python', 'python3.14']);
    const pyenv = candidates.filter((candidate) => candidate.includes('.pyenv'));
    assert.deepEqual(pyenv, [
      '/Users/u/.pyenv/versions/3.12.1/bin/python3',
      '/Users/u/.pyenv/versions/3.10.4/bin/python3',
      '/Users/u/.pyenv/versions/3.9.18/bin/python3',
      '/Users/u/.pyenv/versions/miniforge3/bin/python3',
    ]);
    assert.ok(candidates.includes('/opt/homebrew/bin/python3'));
    assert.ok(candidates.includes('/opt/homebrew/opt/python@3.12/bin/python3.12'));
    assert.ok(candidates.indexOf('/opt/homebrew/bin/python3') > candidates.indexOf(pyenv[0]!));
  });

  it('does not look in Homebrew folders on Linux', () => {
    const candidates = listPythonCandidates({ configured: null, platform: 'linux', homeDir: '/home/u', pyenvVersions: [] });
    assert.equal(candidates.some((candidate) => candidate.includes('homebrew')), false);
  });
});

describe('isSupportedPython', () => {
  const cases: Array<[[number, number], boolean]> = [[[3, 9], false], [[3, 10], true], [[3, 13], true], [[2, 7], false], [[4, 0], true]];
  for (const [version, expected] of cases) it(`${version.join('.')} → ${expected}`, () => assert.equal(isSupportedPython(version), expected));
});
