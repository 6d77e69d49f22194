import type { Express, Request, Response } from 'express';
import type { MallexConfig } from '../../lib/config/schema.js';
import { AnthropicHttpError } from '../../lib/http/anthropic-error.js';
import { createServiceApp, finishServiceApp } from '../../lib/http/create-service-app.js';
import { INTERNAL_TOKEN_HEADER } from '../../lib/http/headers.js';
import type { BackendSupervisor } from './backend-supervisor.js';
import { createSupervisor } from './create-supervisor.js';

export interface MlxManagerDependencies {
  config: MallexConfig;
  internalToken: string;
  /** MALLEX_HOME: where this service may write its files. */
  home: string;
  /** The supervisor the routes drive; made from the config when left out (it starts nothing until asked). */
  supervisor?: BackendSupervisor;
}

function readInFlight(body: unknown): number {
  const inFlight = (body as { inFlight?: unknown } | undefined)?.inFlight;
  if (typeof inFlight !== 'number' || !Number.isInteger(inFlight) || inFlight < 0) {
    throw new AnthropicHttpError(400, 'POST /activity needs a JSON body {"inFlight": <integer >= 0>}');
  }
  return inFlight;
}

/**
 * GET /status, POST /start, /stop, /restart and /activity. Starting the
 * supervisor is server.ts's job, so building the app (as the contract test
 * does) never spawns Python.
 */
export function createApp(deps: MlxManagerDependencies): Express {
  const supervisor = deps.supervisor ?? createSupervisor(deps.config, deps.home);
  const app = createServiceApp({
    name: 'mlx-manager',
    tokenHeader: INTERNAL_TOKEN_HEADER,
    token: deps.internalToken,
    describeToken: 'only mallex services may call the mlx-manager',
  });
  app.get('/status', (_req: Request, res: Response) => {
    res.json(supervisor.readStatus());
  });
  app.post('/start', (_req: Request, res: Response) => {
    res.status(202).json(supervisor.start());
  });
  app.post('/stop', async (_req: Request, res: Response) => {
    res.json(await supervisor.stop());
  });
  app.post('/restart', async (_req: Request, res: Response) => {
    res.status(202).json(await supervisor.restart());
  });
  app.post('/activity', (req: Request, res: Response) => {
    res.json(supervisor.reportActivity(readInFlight(req.body)));
  });
  return finishServiceApp(app);
}
