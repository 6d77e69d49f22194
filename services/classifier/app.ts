import type { Express } from 'express';
import type { MallexConfig } from '../../lib/config/schema.js';
import { createServiceApp, finishServiceApp } from '../../lib/http/create-service-app.js';
import { INTERNAL_TOKEN_HEADER } from '../../lib/http/headers.js';

export interface ClassifierDependencies {
  config: MallexConfig;
  internalToken: string;
}

export function createApp(deps: ClassifierDependencies): Express {
  const app = createServiceApp({
    name: 'classifier',
    tokenHeader: INTERNAL_TOKEN_HEADER,
    token: deps.internalToken,
    describeToken: 'only mallex services may call the classifier',
  });
  return finishServiceApp(app);
}
