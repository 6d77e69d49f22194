import type { ExitReason, LastExit, ServerState, ServerStatus } from './server-status.js';

/** The current ServerStatus and its listeners; `since` moves only when the state changes. */
export class SupervisorStatus {
  private status: ServerStatus;
  private readonly listeners = new Set<(status: ServerStatus) => void>();

  constructor(private readonly options: { model: string; port: number; now: () => number; message: string; state?: ServerState }) {
    this.status = {
      state: options.state ?? 'stopped',
      model: options.model,
      pid: null,
      port: options.port,
      restarts: 0,
      restartsByReason: {},
      lastExit: null,
      progress: null,
      since: new Date(options.now()).toISOString(),
      message: options.message,
    };
  }

  read(): ServerStatus {
    return structuredClone(this.status);
  }

  subscribe(listener: (status: ServerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** progress and details are cleared unless given; pid is kept unless given. */
  set(state: ServerState, { message, progress = null, details, pid }: { message: string; progress?: number | null; details?: string[]; pid?: number | null }): void {
    const since = state === this.status.state ? this.status.since : new Date(this.options.now()).toISOString();
    const { details: _previous, ...rest } = this.status;
    this.status = { ...rest, state, message, progress, since, pid: pid === undefined ? this.status.pid : pid, ...(details?.length ? { details } : {}) };
    this.notify();
  }

  recordExit(exit: LastExit): void {
    if (this.status.lastExit === exit) return;
    this.status = { ...this.status, lastExit: exit };
    this.notify();
  }

  countRestart(reason: ExitReason): void {
    const byReason = { ...this.status.restartsByReason, [reason]: (this.status.restartsByReason[reason] ?? 0) + 1 };
    this.status = { ...this.status, restarts: this.status.restarts + 1, restartsByReason: byReason };
    this.notify();
  }

  private notify(): void {
    const snapshot = this.read();
    for (const listener of this.listeners) listener(snapshot);
  }
}
