export interface SilenceWatch {
  /** The upstream said something: both clocks start again. */
  touch(): void;
  stop(): void;
}

/**
 * Calls onSilence every `silenceMs` while the upstream is quiet (pings keep
 * Claude Code's idle watchdog calm, PROTOCOL.md B6) and onStall once after
 * `stallMs` of quiet. Timer.refresh() re-arms without allocating per chunk.
 */
export function watchSilence({ silenceMs, stallMs, onSilence, onStall }: {
  silenceMs: number;
  stallMs: number;
  onSilence: () => void;
  onStall: () => void;
}): SilenceWatch {
  const silenceTimer: NodeJS.Timeout = setTimeout(function tick() {
    onSilence();
    silenceTimer.refresh();
  }, silenceMs);
  const stallTimer = setTimeout(() => {
    clearTimeout(silenceTimer);
    onStall();
  }, stallMs);
  return {
    touch() {
      silenceTimer.refresh();
      stallTimer.refresh();
    },
    stop() {
      clearTimeout(silenceTimer);
      clearTimeout(stallTimer);
    },
  };
}
