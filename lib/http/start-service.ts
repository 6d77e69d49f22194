import http from 'node:http';
import type { Express } from 'express';

/**
 * Listens on 127.0.0.1 only and closes cleanly on SIGTERM/SIGINT (pm2 sends
 * SIGINT, then SIGKILL after kill_timeout).
 */
export function startService(name: string, app: Express, port: number, onClose?: () => Promise<void> | void): Promise<http.Server> {
  const server = http.createServer(app);
  // Long generations stream for minutes; only idle sockets are timed out.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  const shutdown = (signal: string) => {
    console.log(JSON.stringify({ level: 'info', service: name, msg: `stopping on ${signal}` }));
    server.close();
    server.closeAllConnections();
    Promise.resolve(onClose?.()).finally(() => process.exit(0));
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
