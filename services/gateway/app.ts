import type { Express } from 'express';
import type { MallexConfig } from '../../lib/config/schema.js';
import { createServiceApp, finishServiceApp } from '../../lib/http/create-service-app.js';
import { CLIENT_TOKEN_HEADER } from '../../lib/http/headers.js';

export interface GatewayDependencies {
  config: MallexConfig;
  clientToken: string;
  internalToken: string;
  /** MALLEX_HOME: where the request log and debug dumps go. */
  home: string;
}

export function createApp(deps: GatewayDependencies): Express {
  const app = createServiceApp({
    name: 'gateway',
    tokenHeader: CLIENT_TOKEN_HEADER,
    token: deps.clientToken,
    describeToken: 'start Claude Code with `mallex` so it sends the token from $MALLEX_HOME/token',
  });
  return finishServiceApp(app);
}
