import type { Command } from 'commander';
import { findLastSessionRecord } from '../../lib/observability/find-last-session-record.js';
import { formatStatusLine } from '../../lib/observability/format-status-line.js';
import { homePaths } from '../../lib/paths.js';

/** Claude Code runs the status line command with a JSON description of the session on stdin. */
async function readSessionId(stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string | null> {
  if (stdin.isTTY) return null;
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.length > 1_000_000) break;
  }
  try {
    const parsed = JSON.parse(text) as { session_id?: unknown };
    return typeof parsed.session_id === 'string' ? parsed.session_id : null;
  } catch {
    return null;
  }
}

/**
 * Kept free of the config loader and pm2: Claude Code runs it after every
 * answer, so bin/mallex.js calls it directly without loading the whole CLI.
 */
export async function runStatusline(home: string): Promise<string> {
  const session = await readSessionId(process.stdin);
  return formatStatusLine(await findLastSessionRecord(homePaths(home).requestLog, session));
}

export function registerStatusline(program: Command, home: string): void {
  program
    // Hidden from --help: Claude Code runs it, people do not.
    .command('statusline', { hidden: true })
    .description("print the current Claude Code session's last route in one line (Claude Code's status line runs this)")
    .action(async () => {
      process.stdout.write(`${await runStatusline(home)}\n`);
    });
}
