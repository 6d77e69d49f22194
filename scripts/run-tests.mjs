// Runs every compiled test file (dist/**/*.test.js) with Node's test runner.
// Unit tests run in parallel; tests under test/integration and test/e2e start
// real processes (pm2, Python, Claude Code) and run one file at a time so a
// 2-core machine is not oversubscribed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', 'dist');
const only = process.argv.slice(2);

function findTests(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const all = findTests(root).filter((file) => !only.length || only.some((part) => file.includes(part)));
const isSerial = (file) => /[\\/]test[\\/](integration|e2e|reliability)[\\/]/.test(file);
const groups = [
  { name: 'unit', files: all.filter((file) => !isSerial(file)), concurrency: 2 },
  { name: 'integration', files: all.filter(isSerial), concurrency: 1 },
];

let failed = false;
for (const group of groups) {
  if (!group.files.length) continue;
  console.log(`\n# ${group.name}: ${group.files.length} files`);
  const result = spawnSync(
    process.execPath,
    ['--test', `--test-concurrency=${group.concurrency}`, '--test-reporter=spec', ...group.files],
    { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
