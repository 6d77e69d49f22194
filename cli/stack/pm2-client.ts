import type pm2Types from 'pm2';

// pm2's programmatic API with promises. pm2 reads PM2_HOME when it is first
// imported, so `pm2 ls` run with the same PM2_HOME shows the same processes.

function callback<T>(resolve: (value: T) => void, reject: (error: Error) => void) {
  return (error: Error | null | undefined, value: T) => (error ? reject(error) : resolve(value));
}

export type Pm2Process = pm2Types.ProcessDescription;

// pm2 is imported on first use: it takes a few hundred milliseconds to load,
// and commands such as `mallex statusline` and `mallex --help` never need it.
let loaded: typeof pm2Types | undefined;
async function loadPm2(): Promise<typeof pm2Types> {
  loaded ??= ((await import('pm2')) as unknown as { default: typeof pm2Types }).default;
  return loaded;
}

// No PM2_NODE_OPTIONS for the daemon: pm2 also appends that variable to the
// node arguments of every app it forks (God/ForkMode.js reads it from the
// daemon's environment), so it overrode each service's own flags
// (createPm2AppOptions): --no-opt or --lite-mode reached the gateway and the
// translator on the request path, and --lite-mode turned WebAssembly off,
// which fetch needs. The daemon costs about 6 MB more without it.

export const pm2Client = {
  connect: async () => {
    const pm2 = await loadPm2();
    return new Promise<void>((resolve, reject) => pm2.connect((error) => (error ? reject(error) : resolve())));
  },
  disconnect: () => loaded?.disconnect(),
  start: async (options: pm2Types.StartOptions) => {
    const pm2 = await loadPm2();
    return new Promise<unknown>((resolve, reject) => pm2.start(options, callback(resolve, reject)));
  },
  list: async () => {
    const pm2 = await loadPm2();
    return new Promise<Pm2Process[]>((resolve, reject) => pm2.list(callback<Pm2Process[]>(resolve, reject)));
  },
  delete: async (name: string) => {
    const pm2 = await loadPm2();
    return new Promise<unknown>((resolve, reject) => pm2.delete(name, callback(resolve, reject)));
  },
  restart: async (name: string) => {
    const pm2 = await loadPm2();
    return new Promise<unknown>((resolve, reject) => pm2.restart(name, callback(resolve, reject)));
  },
  killDaemon: async () => {
    const pm2 = await loadPm2();
    return new Promise<unknown>((resolve, reject) => pm2.killDaemon(callback(resolve, reject)));
  },
};

/** Runs fn with a connection to the pm2 daemon, and always lets go of it. */
export async function withPm2<T>(fn: () => Promise<T>): Promise<T> {
  await pm2Client.connect();
  try {
    return await fn();
  } finally {
    pm2Client.disconnect();
  }
}
