// How mlx-lm.server started by mallex (`--prompt-concurrency 1
// --decode-concurrency 1`, PROTOCOL.md D1) takes requests: one at a time, the
// others waiting in arrival order; a client that closes its connection
// cancels its request (A7), whether it waits or runs. And how long it
// prefills: in proportion to the characters it has to read.

/**
 * The one place a prefill delay is computed: milliseconds to prefill this
 * many characters (those the prompt cache does not already hold; by default
 * the whole rendered prompt) at this speed.
 */
export function computePrefillMs(charsToPrefill: number, charsPerSecond: number | undefined): number {
  if (!charsPerSecond || charsPerSecond <= 0) return 0;
  return Math.round((charsToPrefill / charsPerSecond) * 1000);
}

/** The characters of the prompt as the model reads it: every message's content and the tool definitions. */
export function measureRenderedPromptChars(body: any): number {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  let chars = 0;
  for (const message of messages) {
    chars += typeof message?.content === 'string' ? message.content.length : JSON.stringify(message?.content ?? '').length;
    if (message?.tool_calls) chars += JSON.stringify(message.tool_calls).length;
  }
  return chars + (body?.tools ? JSON.stringify(body.tools).length : 0);
}

export interface SerialQueue {
  /** Resolves with a release function when it is this request's turn, or null if `gone` fired first. */
  take(gone: Promise<void>): Promise<(() => void) | null>;
  /** Requests running (0 or 1) and waiting. */
  readonly running: number;
  readonly waiting: number;
}

export function createSerialQueue(): SerialQueue {
  const waiters: Array<() => void> = [];
  let busy = false;
  const next = () => {
    busy = false;
    const wake = waiters.shift();
    if (wake) wake();
  };
  return {
    get running() {
      return busy ? 1 : 0;
    },
    get waiting() {
      return waiters.length;
    },
    take(gone) {
      return new Promise((resolve) => {
        let cancelled = false;
        const start = () => {
          busy = true;
          let released = false;
          const release = () => {
            if (released) return;
            released = true;
            next();
          };
          // Cancellation also frees the slot while running.
          void gone.then(release);
          resolve(release);
        };
        void gone.then(() => {
          if (cancelled) return;
          const index = waiters.indexOf(start);
          if (index >= 0) {
            cancelled = true;
            waiters.splice(index, 1);
            resolve(null);
          }
        });
        if (!busy) start();
        else waiters.push(start);
      });
    },
  };
}
