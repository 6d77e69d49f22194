import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { writeFileAtomicSync } from '../fs/write-file-atomic.js';
import { homePaths } from '../paths.js';

export function createRandomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The token Claude Code must send in x-mallex-token. Created on first use in
 * $MALLEX_HOME/token with mode 0600; later calls read it back.
 */
export function ensureClientToken(home: string): string {
  const tokenPath = homePaths(home).token;
  try {
    const existing = fs.readFileSync(tokenPath, 'utf8').trim();
    if (existing) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = createRandomToken();
  writeFileAtomicSync(tokenPath, `${token}\n`);
  return token;
}
