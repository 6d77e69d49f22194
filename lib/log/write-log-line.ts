// Services write their JSON log lines (state changes, warnings, errors; each
// request's record goes to requests.jsonl instead) to stdout, which pm2 reads
// through a pipe. On Linux a write to a pipe is synchronous, and on a busy
// machine each one costs a fraction of a millisecond on the request path.
// Lines are therefore gathered and written together once the current work is
// done (setImmediate), and written out at exit so none is lost. The exit
// handler is registered with the first line, not on import.

let pending: string[] = [];
let scheduled = false;
let flushesAtExit = false;

function flushLogLines(): void {
  scheduled = false;
  if (!pending.length) return;
  const text = pending.join('');
  pending = [];
  process.stdout.write(text);
}

export function writeLogLine(line: string): void {
  if (!flushesAtExit) {
    flushesAtExit = true;
    process.once('exit', flushLogLines);
  }
  pending.push(`${line}\n`);
  if (scheduled) return;
  scheduled = true;
  setImmediate(flushLogLines);
}
