import type { Express } from 'express';
import type { MallexConfig } from '../../lib/config/schema.js';
import { createServiceApp, finishServiceApp } from '../../lib/http/create-service-app.js';
import { INTERNAL_TOKEN_HEADER } from '../../lib/http/headers.js';

export interface MlxManagerDependencies {
  config: MallexConfig;
  internalToken: string;
  /** MALLEX_HOME: where this service may write its files. */
  home: string;
}

export function createApp(deps: MlxManagerDependencies): Express {
  const app = createServiceApp({
    name: 'mlx-manager',
    tokenHeader: INTERNAL_TOKEN_HEADER,
    token: deps.internalToken,
    describeToken: 'only mallex services may call the mlx-manager',
  });
  return finishServiceApp(app);
}
