import type { ExitReason } from '../server-status.js';

/**
 * Why the server process ended. A reason the supervisor killed it for comes
 * first (it knows best); then a stop asked for from outside (`mallex server
 * stop`); then the Metal out-of-memory line seen in its output, since the
 * abort itself (SIGABRT, shell exit 134) says nothing more than "abort".
 */
export function classifyExit({ killedFor, stopRequestedOutside, sawOomLine }: {
  killedFor: ExitReason | null;
  stopRequestedOutside: boolean;
  sawOomLine: boolean;
}): ExitReason {
  if (killedFor) return killedFor;
  if (stopRequestedOutside) return 'stopped-outside';
  if (sawOomLine) return 'oom';
  return 'crash';
}
