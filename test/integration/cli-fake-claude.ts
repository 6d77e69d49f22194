import fs from 'node:fs';
import path from 'node:path';

/** What the fake `claude` saw. */
export interface ClaudeRecord {
  argv: string[];
  env: Record<string, string | undefined>;
  stdin: string;
  /** Status of a request to ANTHROPIC_BASE_URL with the headers from ANTHROPIC_CUSTOM_HEADERS, and of one without them. */
  gatewayWithHeaders: number | string;
  gatewayWithoutHeaders: number | string;
}

// A stand-in for Claude Code (the real one talks to Anthropic first): it
// records its argv, environment and standard input to $FAKE_CLAUDE_RECORD,
// proves the environment reaches the gateway the way Claude Code would use
// it, prints a line on each stream and exits with $FAKE_CLAUDE_EXIT.
const FAKE_CLAUDE = `#!/usr/bin/env node
const fs = require('node:fs');
async function probe(withHeaders) {
  const headers = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
  if (withHeaders) {
    for (const line of (process.env.ANTHROPIC_CUSTOM_HEADERS || '').split('\\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
  }
  try {
    const response = await fetch(process.env.ANTHROPIC_BASE_URL + '/v1/messages/count_tokens', {
      method: 'POST', headers, body: JSON.stringify({ model: 'claude-opus-5-5', messages: [{ role: 'user', content: 'hi' }] }),
      signal: AbortSignal.timeout(5000),
    });
    return response.status;
  } catch (error) {
    return String(error);
  }
}
(async () => {
  const stdin = process.stdin.isTTY ? '' : fs.readFileSync(0, 'utf8');
  const record = {
    argv: process.argv.slice(2),
    env: process.env,
    stdin,
    gatewayWithHeaders: await probe(true),
    gatewayWithoutHeaders: await probe(false),
  };
  fs.writeFileSync(process.env.FAKE_CLAUDE_RECORD, JSON.stringify(record));
  process.stdout.write('fake claude answered\\n');
  process.stderr.write('fake claude note\\n');
  process.exit(Number(process.env.FAKE_CLAUDE_EXIT || 0));
})();
`;

/** Writes the fake as `claude` in a new folder and returns that folder (to put first on PATH). */
export function writeFakeClaude(root: string): string {
  const folder = path.join(root, 'fake-bin');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'claude'), FAKE_CLAUDE, { mode: 0o755 });
  return folder;
}

export function readClaudeRecord(recordPath: string): ClaudeRecord {
  return JSON.parse(fs.readFileSync(recordPath, 'utf8')) as ClaudeRecord;
}
