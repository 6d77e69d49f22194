import { writeFileAtomic } from '../fs/write-file-atomic.js';

/**
 * How long a dump waits before it is written. Requests that come within it
 * share one write (the newest wins), so under load the dumps cost a few
 * writes a second instead of six file operations per request, and none of
 * them runs while a request is still waiting for its first token.
 */
export const DUMP_DELAY_MS = 200;

/**
 * Writes a debug dump (last-request.json, last-translated.json) atomically and
 * off the request path: build() runs and the file is written DUMP_DELAY_MS
 * after the first waiting dump, and only the newest waiting dump is written.
 */
export function createDebugDumpWriter(filePath: string, enabled: boolean, delayMs = DUMP_DELAY_MS) {
  // busy: a drain is scheduled or running; it writes whatever is waiting.
  let busy = false;
  let waiting: (() => unknown) | null = null;
  let idle: Promise<void> = Promise.resolve();
  let resolveIdle: (() => void) | null = null;

  async function drain(): Promise<void> {
    while (waiting) {
      const build = waiting;
      waiting = null;
      try {
        const value = build();
        await writeFileAtomic(filePath, typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', msg: `could not write ${filePath}`, error: String(error) }));
      }
    }
    busy = false;
    resolveIdle?.();
  }

  return {
    /** build() is called later, once, and must return data that is already redacted (a string is written as it is). */
    write(build: () => unknown): void {
      if (!enabled) return;
      waiting = build;
      if (busy) return;
      busy = true;
      idle = new Promise((resolve) => (resolveIdle = resolve));
      setTimeout(() => void drain(), delayMs);
    },
    /** Resolves when nothing is waiting to be written. */
    flush: () => idle,
  };
}
