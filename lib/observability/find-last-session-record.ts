import fs from 'node:fs';
import type { RequestRecord } from './request-record.js';

/** Background work (titles, summaries, Warmup) is not the user's prompt; older lines without `priority` say it by their reason. */
export function isForegroundRecord(record: RequestRecord): boolean {
  return (record.priority ?? (record.reason === 'background' ? 'background' : 'foreground')) === 'foreground';
}

/**
 * The newest record of the user's own work (not background) in one session,
 * read from the end of the request log only (the status line runs after
 * every answer and must stay fast on a big log). In interactive mode Claude
 * Code sends a title request with every prompt (PROTOCOL.md D1); the status
 * line speaks of the prompt.
 */
export async function findLastSessionRecord(logPath: string, session: string | null, tailBytes = 256 * 1024): Promise<RequestRecord | null> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(logPath, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, tailBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    for (let index = lines.length - 1; index >= 0; index--) {
      const line = lines[index];
      if (!line) continue;
      try {
        const record = JSON.parse(line) as RequestRecord;
        if ((session === null || record.session === session) && isForegroundRecord(record)) return record;
      } catch {
        // The first line of the tail may be cut in half.
      }
    }
    return null;
  } finally {
    await handle.close();
  }
}
