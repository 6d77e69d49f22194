import { writeLogLine } from '../../lib/log/write-log-line.js';
import type { Express, Request, Response } from 'express';
import { resolveChatCompletionsEndpoint } from '../../lib/model-server/chat-completions-endpoint.js';
import type { MallexConfig } from '../../lib/config/schema.js';
import { sendAnthropicError } from '../../lib/http/anthropic-error.js';
import { createServiceApp, finishServiceApp } from '../../lib/http/create-service-app.js';
import { INTERNAL_TOKEN_HEADER } from '../../lib/http/headers.js';
import { createModelAsker, type AskModel } from './ask-model.js';
import { createClassifier } from './classify.js';

export interface ClassifierDependencies {
  config: MallexConfig;
  internalToken: string;
  /** Replaces the call to the local model server (tests of the service around it). */
  askModel?: AskModel;
  now?: () => number;
  /** Where a fallback classification is logged (category, reason, ms; never the text); default stdout. */
  writeLine?: (line: string) => void;
}

export function createApp(deps: ClassifierDependencies): Express {
  const app = createServiceApp({
    name: 'classifier',
    tokenHeader: INTERNAL_TOKEN_HEADER,
    token: deps.internalToken,
    describeToken: 'only mallex services may call the classifier',
  });
  const { config } = deps;
  const writeLine = deps.writeLine ?? writeLogLine;
  const classify = createClassifier({
    askModel: deps.askModel ?? createModelAsker(resolveChatCompletionsEndpoint(config), { disableThinking: config.backend.kind === 'mlx' }),
    timeoutMs: config.classifier.timeoutMs,
    fallbackCategory: config.classifier.fallbackCategory,
    maxPromptChars: config.classifier.maxPromptChars,
    cacheSize: config.classifier.cacheSize,
    now: deps.now,
  });

  app.post('/classify', async (req: Request, res: Response) => {
    const text: unknown = req.body?.text;
    if (typeof text !== 'string') return sendAnthropicError(res, 400, 'expected a JSON body {"text": string}');
    // The gateway gave up (its own timeout, or Claude Code went away): stop asking the model.
    const abandoned = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abandoned.abort();
    });
    const result = await classify(text, abandoned.signal);
    // Only the fallbacks: every classification is already in the gateway's request record, and a line per
    // request to stdout costs a pipe write here and a wake-up of the pm2 daemon on the request path.
    if (result.error) writeLine(JSON.stringify({ level: 'warn', service: 'classifier', msg: 'fallback category used', category: result.category, ms: result.ms, error: result.error }));
    if (!abandoned.signal.aborted) res.json({ category: result.category, source: result.source, ms: result.ms });
  });

  return finishServiceApp(app);
}
