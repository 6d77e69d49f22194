import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextCache } from '../../../lib/cache/text-cache.js';
import { createEmptyFacts, readEnvironmentFacts, type FactsCache } from './read-facts.js';

const newCache = (): FactsCache => new TextCache(8);

const ENV = [
  'Here is useful information about the environment you are running in:',
  '<env>',
  'Working directory: /Users/dev/project',
  'Is directory a git repo: Yes',
  'Platform: darwin',
  'OS Version: Darwin 25.0.0',
  '</env>',
  'gitStatus: This is the git status at the start of the conversation.',
  'Current branch: feature',
  '',
  'Main branch (you will usually use this for PRs): main',
  '',
  'Status:',
  'M src/a.ts',
  '?? notes.md',
  '',
  'Recent commits:',
  'abc123 first',
  'def456 second',
].join('\n');

describe('readEnvironmentFacts', () => {
  it('reads every fact line and every line of each block, the first of each kind winning', () => {
    const facts = createEmptyFacts();
    readEnvironmentFacts(`${ENV}\n\nPlatform: linux`, facts, newCache());
    assert.deepEqual(
      { ...facts },
      {
        instructions: [],
        workingDirectory: '/Users/dev/project',
        isGitRepo: true,
        platform: 'darwin',
        osVersion: 'Darwin 25.0.0',
        gitBranch: 'feature',
        mainBranch: 'main',
        gitChanges: ['M src/a.ts', '?? notes.md'],
        recentCommits: ['abc123 first', 'def456 second'],
      },
    );
  });

  it('keeps facts already known, and reads a text seen before the same way without letting callers change it', () => {
    const cache = newCache();
    const first = createEmptyFacts();
    readEnvironmentFacts(ENV, first, cache);
    assert.throws(() => (first.gitChanges as string[]).push('?? b.ts'), TypeError, 'the shared lists are frozen');
    const second = { ...createEmptyFacts(), platform: 'linux' };
    readEnvironmentFacts(ENV, second, cache);
    assert.equal(second.platform, 'linux');
    assert.deepEqual(second.gitChanges, ['M src/a.ts', '?? notes.md']);
    assert.equal(second.workingDirectory, '/Users/dev/project');
  });
});
