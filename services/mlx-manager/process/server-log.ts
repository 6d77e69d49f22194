import fs from 'node:fs';

/**
 * $MALLEX_HOME/server.log, written by the supervisor from the server's piped
 * output. Each start moves the previous log to server.prev.log, so the
 * evidence of a crash survives the restart; a log past maxBytes is rotated
 * the same way while the server runs, so the disk does not fill.
 */
export class ServerLog {
  private fd: number | null = null;
  private size = 0;

  constructor(
    private readonly logPath: string,
    private readonly previousLogPath: string,
    private readonly maxBytes: number,
  ) {}

  /** Moves the last log aside and opens a new one. */
  startNew(): void {
    this.close();
    this.moveAside();
    this.open();
  }

  append(text: string): void {
    if (this.fd === null) this.open();
    const bytes = Buffer.from(text, 'utf8');
    fs.writeSync(this.fd!, bytes);
    this.size += bytes.length;
    if (this.size > this.maxBytes) this.startNew();
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private moveAside(): void {
    try {
      if (fs.statSync(this.logPath).size > 0) fs.renameSync(this.logPath, this.previousLogPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  private open(): void {
    this.fd = fs.openSync(this.logPath, 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }
}
