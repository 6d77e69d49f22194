// The shape GET /status answers with. The gateway routes around a local model
// that is not `ready`; `mallex status` and `mallex up` show it to the user.

const SERVER_STATES = [
  'stopped',
  'installing',
  'starting',
  'downloading',
  'loading',
  'ready',
  'crashed',
  'failed',
  'idle-stopped',
  'unreachable',
] as const;
export type ServerState = (typeof SERVER_STATES)[number];

/** Why the server process ended (or was ended by the supervisor). */
export type ExitReason =
  | 'crash'
  | 'oom'
  | 'generation-thread-died'
  | 'hang'
  | 'start-timeout'
  | 'stopped'
  | 'stopped-outside'
  | 'idle-stopped';

/** The reasons that count as a failure and lead to a restart. */
export type FailureReason = Extract<ExitReason, 'crash' | 'oom' | 'generation-thread-died' | 'hang' | 'start-timeout'>;

export interface LastExit {
  code: number | null;
  signal: string | null;
  reason: ExitReason;
  /** ISO time. */
  at: string;
}

export interface ServerStatus {
  state: ServerState;
  model: string;
  pid: number | null;
  port: number;
  /** Automatic restarts since the service started. */
  restarts: number;
  /** The same restarts by what caused them (crash, oom, hang, …), for the gateway's metrics. */
  restartsByReason: Partial<Record<ExitReason, number>>;
  lastExit: LastExit | null;
  /** 0..100 while downloading; null otherwise. */
  progress: number | null;
  /** ISO time the state was entered. */
  since: string;
  /** One sentence for a person. */
  message: string;
  /** Evidence behind the message (pip's last error lines, the server's last log lines). */
  details?: string[];
}

export function isFailureReason(reason: ExitReason): reason is FailureReason {
  switch (reason) {
    case 'crash':
    case 'oom':
    case 'generation-thread-died':
    case 'hang':
    case 'start-timeout':
      return true;
    case 'stopped':
    case 'stopped-outside':
    case 'idle-stopped':
      return false;
    default: {
      const unknown: never = reason;
      throw new Error(`unknown exit reason ${String(unknown)}`);
    }
  }
}
