import fs from 'node:fs';
import { classifyExit } from './decisions/classify-exit.js';
import { EMPTY_DOWNLOAD_PROGRESS, type DownloadProgress } from './decisions/download-progress.js';
import { readPidFile } from './process/process-identity.js';
import type { ServerFiles } from './process/server-files.js';
import type { ServerProcess } from './process/server-process.js';
import type { ExitReason, LastExit } from './server-status.js';

const KEPT_LINES = 20;

/**
 * One run of the server process, from spawn (or adoption) to its exit: what
 * its output said and why it ended. `ended` resolves on the first of: the
 * process exited, or the supervisor decided it must go (`fail`).
 */
export class ServerRun {
  killedFor: ExitReason | null = null;
  sawOomLine = false;
  download: DownloadProgress = EMPTY_DOWNLOAD_PROGRESS;
  readonly lastLines: string[] = [];
  readonly ended: Promise<void>;
  private endNow!: () => void;
  private finishing: Promise<LastExit> | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly server: ServerProcess,
    private readonly files: ServerFiles,
    private readonly killGraceMs: number,
    private readonly now: () => number,
  ) {
    this.ended = new Promise((resolve) => (this.endNow = resolve));
    void server.exited.then(() => this.endNow());
  }

  noteLine(line: string): void {
    this.lastLines.push(line);
    if (this.lastLines.length > KEPT_LINES) this.lastLines.shift();
  }

  /** The first reason given wins. */
  fail(reason: ExitReason): void {
    this.killedFor ??= reason;
    this.endNow();
  }

  failAfter(reason: ExitReason, delayMs: number): void {
    const timer = setTimeout(() => this.fail(reason), delayMs);
    this.timers.add(timer);
  }

  /** Makes sure the process is gone and says why it ended; the same answer to every caller. */
  finish(): Promise<LastExit> {
    this.finishing ??= (async () => {
      const exit = this.killedFor && this.server.isRunning() ? await this.server.terminate(this.killGraceMs) : await this.server.exited;
      for (const timer of this.timers) clearTimeout(timer);
      const requestedPid = readPidFile(this.files.stopRequest);
      const stopRequestedOutside = requestedPid !== null && requestedPid === this.server.pid;
      if (stopRequestedOutside) fs.rmSync(this.files.stopRequest, { force: true });
      if (this.server.pid !== null && readPidFile(this.files.pid) === this.server.pid) fs.rmSync(this.files.pid, { force: true });
      return {
        code: exit.code,
        signal: exit.signal,
        reason: classifyExit({ killedFor: this.killedFor, stopRequestedOutside, sawOomLine: this.sawOomLine }),
        at: new Date(this.now()).toISOString(),
      };
    })();
    return this.finishing;
  }
}
