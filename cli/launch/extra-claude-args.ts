import type { MallexConfig } from '../../lib/config/schema.js';
import { PACKAGE_ROOT } from '../../lib/paths.js';
import path from 'node:path';

function quoteForShell(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Arguments mallex adds in front of the user's own when it starts Claude Code:
 * a status line that shows where the last request went (`mallex statusline`).
 * It goes through `--settings`, so the user's settings files are never
 * edited; a user who passes their own `--settings` keeps theirs alone.
 * The command names this very node and CLI, so it works without mallex on PATH.
 */
export function createExtraClaudeArgs(_config: MallexConfig, home: string, userArgs: readonly string[] = []): string[] {
  if (userArgs.some((arg) => arg === '--settings' || arg.startsWith('--settings='))) return [];
  const command = ['env', `MALLEX_HOME=${quoteForShell(home)}`, quoteForShell(process.execPath), quoteForShell(path.join(PACKAGE_ROOT, 'bin', 'mallex.js')), 'statusline'].join(' ');
  return ['--settings', JSON.stringify({ statusLine: { type: 'command', command, padding: 0 } })];
}
