import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function isMusl(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return process.platform === 'linux' && !report?.header?.glibcVersionRuntime;
}

/**
 * The real Claude Code CLI from the pinned devDependency. The npm package
 * ships one binary per platform as an optional dependency
 * (@anthropic-ai/claude-code-<platform>-<arch>[-musl]/claude); its install
 * script, which npm may not run, only links it, so the binary is found here directly.
 */
export function findClaudeCodeBinary(): string {
  const platform = `${process.platform}-${process.arch}${isMusl() ? '-musl' : ''}`;
  const packageJson = require.resolve(`@anthropic-ai/claude-code-${platform}/package.json`);
  const binary = path.join(path.dirname(packageJson), process.platform === 'win32' ? 'claude.exe' : 'claude');
  fs.accessSync(binary, fs.constants.X_OK);
  return binary;
}
