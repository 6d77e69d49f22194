import { writeFileAtomic } from '../fs/write-file-atomic.js';

/**
 * Writes a debug dump (last-request.json, last-translated.json) atomically and
 * off the request path. Serialisation happens after the response is under way
 * (setImmediate), and while one write runs only the newest waiting dump is kept.
 */
export function createDebugDumpWriter(filePath: string, enabled: boolean) {
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
      setImmediate(() => void drain());
    },
    /** Resolves when nothing is waiting to be written. */
    flush: () => idle,
  };
}
