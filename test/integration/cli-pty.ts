import { runProcess } from '../helpers/run-cli.js';

// Drives a command through a real pseudo-terminal, the way a person at a
// terminal would: Python's pty module (node-pty is not available) forks the
// command on a new PTY, waits for each expected text on screen and then types
// the step's keys. Every wait has a deadline, so a stuck prompt fails the test.
const DRIVER = String.raw`
import fcntl, json, os, pty, re, select, signal, struct, sys, termios, time
steps = json.loads(sys.argv[1])
command = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 140, 0, 0))
ansi = re.compile(rb'\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]')
transcript = b''
unread = b''
def read_some(timeout):
    global transcript, unread
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    if not data:
        return False
    transcript += data
    unread += data
    return True
def finish(error):
    code = None
    try:
        os.kill(pid, signal.SIGKILL) if error else None
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
    except ChildProcessError:
        pass
    print(json.dumps({'error': error, 'code': code, 'screen': ansi.sub(b'', transcript).decode('utf8', 'replace')}))
    sys.exit(0)
for step in steps:
    pattern = re.compile(step['expect'].encode())
    deadline = time.time() + step.get('timeout', 20)
    while not pattern.search(ansi.sub(b'', unread)):
        if time.time() > deadline or not read_some(max(0.0, deadline - time.time())):
            finish('did not see ' + step['expect'])
    unread = b''
    time.sleep(step.get('pause', 0.3))
    os.write(fd, step['send'].encode())
deadline = time.time() + 20
while time.time() < deadline and read_some(max(0.0, deadline - time.time())):
    pass
finish(None)
`;

export interface PtyStep {
  /** A regular expression for text on screen (ANSI codes removed) since the previous step. */
  expect: string;
  /** Keys to type: "\r" is Enter, "\x1b[B" the down arrow, "\x03" Ctrl-C. */
  send: string;
}

export interface PtyResult {
  error: string | null;
  code: number | null;
  screen: string;
}

export const KEYS = { enter: '\r', down: '\x1b[B', up: '\x1b[A', ctrlC: '\x03', ctrlE: '\x05' } as const;

export async function runInPty(command: string[], steps: PtyStep[], env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<PtyResult> {
  const { stdout, stderr } = await runProcess('python3', ['-c', DRIVER, JSON.stringify(steps), ...command], { env: { ...env, TERM: 'xterm-256color' }, timeoutMs });
  try {
    return JSON.parse(stdout) as PtyResult;
  } catch {
    throw new Error(`the PTY driver printed no result: ${stdout}\n${stderr}`);
  }
}
