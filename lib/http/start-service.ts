import http from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import { runExitFlushes } from './create-service-app.js';

/** Within pm2's kill_timeout (5 s), whatever hangs. */
const EXIT_DEADLINE_MS = 3000;

/**
 * Listens on 127.0.0.1 only and closes cleanly on SIGTERM/SIGINT (pm2 sends
 * SIGINT, then SIGKILL after kill_timeout): connections closed, then what the
 * app still has to write (flushBeforeExit), then exit.
 */
export function startService(name: string, app: Express, port: number, onClose?: () => Promise<void> | void): Promise<http.Server> {
  const server = http.createServer(app);
  // Long generations stream for minutes; only idle sockets are timed out.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const shutdown = (signal: string) => {
    console.log(JSON.stringify({ level: 'info', service: name, msg: `stopping on ${signal}` }));
    // Listeners added now run after the responses' own: once they have, every answer cut here has run its
    // 'close' handlers (the gateway's request records among them). The server's own 'close' comes earlier.
    const socketsClosed = Promise.all([...sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve))));
    server.close();
    server.closeAllConnections();
    const stop = async () => {
      await onClose?.();
      await socketsClosed;
      await runExitFlushes(app);
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, EXIT_DEADLINE_MS)));
    void Promise.race([stop(), deadline]).finally(() => {
      clearTimeout(timer);
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      console.log(JSON.stringify({ level: 'info', service: name, msg: `listening on 127.0.0.1:${port}` }));
      resolve(server);
    });
  });
}
