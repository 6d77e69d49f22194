import fs from 'node:fs';
import path from 'node:path';
import type { RequestRecord } from './request-record.js';

/** The rotated-out log beside the current one. */
export function rotatedLogPath(logPath: string): string {
  const parsed = path.parse(logPath);
  return path.join(parsed.dir, `${parsed.name}.1${parsed.ext}`);
}

/**
 * Appends request records as JSON lines, off the request path: records that
 * arrive while a write runs are gathered and written together (one append
 * per batch, not one open/write/close per request under load), and past
 * maxBytes the file is renamed to requests.1.jsonl (one generation kept) so
 * the disk never fills.
 */
export function createRequestLog(logPath: string, maxBytes: number) {
  let size: number | null = null;
  let waiting: string[] = [];
  let writing: Promise<void> | null = null;

  async function rotate(): Promise<void> {
    await fs.promises.rename(logPath, rotatedLogPath(logPath)).catch(() => undefined);
    size = 0;
  }

  /** Writes the lines in as few appends as the size limit allows, rotating where a line would cross it. */
  async function appendLines(lines: string[]): Promise<void> {
    if (size === null) size = await fs.promises.stat(logPath).then((stat) => stat.size, () => 0);
    let batch = '';
    let batchBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      if (size + batchBytes > 0 && size + batchBytes + bytes > maxBytes) {
        if (batch) await fs.promises.appendFile(logPath, batch, { mode: 0o600 });
        await rotate();
        batch = '';
        batchBytes = 0;
      }
      batch += line;
      batchBytes += bytes;
    }
    if (batch) await fs.promises.appendFile(logPath, batch, { mode: 0o600 });
    size += batchBytes;
  }

  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      const lines = waiting;
      waiting = [];
      await appendLines(lines).catch((error: unknown) => {
        console.error(JSON.stringify({ level: 'error', msg: 'could not write the request log', error: String(error) }));
      });
    }
    writing = null;
  }

  return {
    append(record: RequestRecord): void {
      waiting.push(`${JSON.stringify(record)}\n`);
      // Started after the current work, so the records of one busy moment share a write.
      writing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain);
    },
    /** Resolves when every queued record is on disk. */
    flush: (): Promise<void> => writing ?? Promise.resolve(),
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
