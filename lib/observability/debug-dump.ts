import { writeFileAtomic } from '../fs/write-file-atomic.js';

/**
 * How long a dump waits before it is written, and the least time between two
 * writes. Requests that come within it share one write (the newest wins), so
 * under load the dumps cost five writes a second instead of six file
 * operations per request, and none of them runs while a request is still
 * waiting for its first token.
 */
const DUMP_DELAY_MS = 200;

/**
 * Writes a debug dump (last-request.json, last-translated.json) atomically and
 * off the request path: build() runs and the file is written DUMP_DELAY_MS
 * after the first waiting dump, only the newest waiting dump is written, and
 * the next write waits DUMP_DELAY_MS again, however busy the service is.
 */
export function createDebugDumpWriter(filePath: string, enabled: boolean, delayMs = DUMP_DELAY_MS) {
  let waiting: (() => unknown) | null = null;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> | null = null;

  async function writeNewest(): Promise<void> {
    const build = waiting!;
    waiting = null;
    try {
      const value = build();
      await writeFileAtomic(filePath, typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', msg: `could not write ${filePath}`, error: String(error) }));
    }
  }

  function drain(): void {
    timer = null;
    writing = writeNewest().finally(() => {
      writing = null;
      if (waiting) timer = setTimeout(drain, delayMs);
    });
  }

  return {
    /** build() is called later, once, and must return data that is already redacted (a string is written as it is). */
    write(build: () => unknown): void {
      if (!enabled) return;
      waiting = build;
      if (timer === null && writing === null) timer = setTimeout(drain, delayMs);
    },
    /** Writes what is waiting now, without the delay (at exit); resolves when nothing is left to write. */
    async flush(): Promise<void> {
      while (timer !== null || writing !== null) {
        if (writing !== null) await writing;
        else {
          clearTimeout(timer!);
          drain();
        }
      }
    },
  };
}
