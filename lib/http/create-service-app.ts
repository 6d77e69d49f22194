import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { MALLEX_VERSION } from '../version.js';
import { AnthropicHttpError, sendAnthropicError, sendError } from './anthropic-error.js';
import { createLoopbackHostGuard, createTokenGuard } from './guards.js';
import { createJsonBodyParser } from './json-body.js';

/** Claude Code's requests stay far below this; a conversation with many images might not. */
const DEFAULT_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

export interface ServiceAppOptions {
  /** e.g. "gateway"; reported by /health. */
  name: string;
  /** The header that must carry the token, and the token. */
  tokenHeader: string;
  token: string;
  /** Says, in the 401 message, which token is meant. */
  describeToken: string;
  /** Largest accepted JSON body, in bytes. */
  bodyLimitBytes?: number;
  /** Paths answered without the token. */
  openPaths?: string[];
  /** Runs after the guards and before the body is read (the translator opens its model connection there). */
  beforeBody?: RequestHandler;
}

/**
 * The parts every mallex service shares, in order: the loopback Host check,
 * GET /health, the token check and a JSON body parser that rejects invalid
 * UTF-8 and JSON nested too deeply for the services' recursive walks
 * (json-body.ts).
 * Routes are added by the caller, then finishServiceApp() adds the 404 and
 * error handlers (registered last, as Express requires).
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  const startedAt = Date.now();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(createLoopbackHostGuard());
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', name: options.name, version: MALLEX_VERSION, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), pid: process.pid });
  });
  app.use(createTokenGuard({ header: options.tokenHeader, token: options.token, openPaths: options.openPaths, describe: options.describeToken }));
  if (options.beforeBody) app.use(options.beforeBody);
  app.use(createJsonBodyParser({ limitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES }));
  return app;
}

type ExitFlush = () => Promise<unknown>;

/** Registers what a service must write before its process exits (startService awaits it on SIGTERM/SIGINT). */
export function flushBeforeExit(app: Express, flush: ExitFlush): void {
  ((app.locals.exitFlushes ??= []) as ExitFlush[]).push(flush);
}

/** Runs the registered flushes; resolves when all have ended, each successfully or not. */
export async function runExitFlushes(app: Express): Promise<void> {
  const flushes = (app.locals.exitFlushes ?? []) as ExitFlush[];
  await Promise.allSettled(flushes.map((flush) => flush()));
}

export function finishServiceApp(app: Express): Express {
  app.use((req: Request, res: Response) => {
    sendAnthropicError(res, 404, `no route for ${req.method} ${req.path}`);
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof AnthropicHttpError) return sendError(res, error);
    // Errors of Express itself that carry a client-error status (e.g. a malformed URL).
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) return sendAnthropicError(res, status, (error as Error).message);
    console.error(JSON.stringify({ level: 'error', msg: 'unhandled error', error: String((error as Error)?.stack ?? error) }));
    sendAnthropicError(res, 500, 'internal error in mallex');
  });
  return app;
}
