import fs from 'node:fs';
import path from 'node:path';
import type { RequestRecord } from './request-record.js';

/** The rotated-out log beside the current one. */
export function rotatedLogPath(logPath: string): string {
  const parsed = path.parse(logPath);
  return path.join(parsed.dir, `${parsed.name}.1${parsed.ext}`);
}

/**
 * Appends request records as JSON lines, off the request path: writes are
 * queued and done one at a time, and past maxBytes the file is renamed to
 * requests.1.jsonl (one generation kept) so the disk never fills.
 */
export function createRequestLog(logPath: string, maxBytes: number) {
  let pending = Promise.resolve();
  let size: number | null = null;

  async function appendLine(line: string): Promise<void> {
    if (size === null) size = await fs.promises.stat(logPath).then((stat) => stat.size, () => 0);
    if (size > 0 && size + line.length > maxBytes) {
      await fs.promises.rename(logPath, rotatedLogPath(logPath)).catch(() => undefined);
      size = 0;
    }
    await fs.promises.appendFile(logPath, line, { mode: 0o600 });
    size += Buffer.byteLength(line);
  }

  return {
    append(record: RequestRecord): void {
      const line = `${JSON.stringify(record)}\n`;
      pending = pending.then(() => appendLine(line)).catch((error: unknown) => {
        console.error(JSON.stringify({ level: 'error', msg: 'could not write the request log', error: String(error) }));
      });
    },
    /** Resolves when every queued record is on disk. */
    flush: () => pending,
  };
}

export type RequestLog = ReturnType<typeof createRequestLog>;

/** Every record in the rotated and current log, oldest first; unreadable lines are skipped. */
export async function readRequestRecords(logPath: string): Promise<RequestRecord[]> {
  const records: RequestRecord[] = [];
  for (const file of [rotatedLogPath(logPath), logPath]) {
    const text = await fs.promises.readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as RequestRecord);
      } catch {
        // A line cut by a crash mid-write: skip it rather than fail the whole summary.
      }
    }
  }
  return records;
}
