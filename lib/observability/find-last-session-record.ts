import fs from 'node:fs';
import type { RequestRecord } from './request-record.js';

/**
 * The newest record of one session, read from the end of the request log only
 * (the status line runs after every answer and must stay fast on a big log).
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
        if (session === null || record.session === session) return record;
      } catch {
        // The first line of the tail may be cut in half.
      }
    }
    return null;
  } finally {
    await handle.close();
  }
}
