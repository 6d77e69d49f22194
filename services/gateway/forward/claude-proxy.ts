import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { HeaderPlan } from './plan-claude-headers.js';

// The pass-through to Anthropic with http-proxy-middleware. One middleware for
// the app; each attempt (the first try and the one retry) registers what to
// send and whom to tell, keyed by the incoming request. The response is
// handled by the caller (selfHandleResponse) so that a 429/529/5xx can be
// retried or answered locally instead of being passed on.

export interface ClaudeAttempt {
  /** The prepared JSON body (model rewritten, thinking adjusted). */
  body: Buffer;
  headers: HeaderPlan;
  onResponse(upstream: IncomingMessage): void;
  /** Network failure, or the attempt was cut (also after the response started). */
  onError(error: Error): void;
}

export interface ClaudeProxy {
  /** Starts one attempt; returns a function that aborts it. */
  send(req: Request, res: Response, attempt: ClaudeAttempt): () => void;
}

export function createClaudeProxy(baseUrl: string): ClaudeProxy {
  const attempts = new WeakMap<IncomingMessage, { attempt: ClaudeAttempt; upstream?: ClientRequest; settled: boolean }>();

  const middleware = createProxyMiddleware<Request, Response>({
    target: baseUrl,
    changeOrigin: true,
    selfHandleResponse: true,
    on: {
      proxyReq(upstream, req) {
        const entry = attempts.get(req);
        if (!entry) return;
        entry.upstream = upstream;
        for (const name of entry.attempt.headers.remove) upstream.removeHeader(name);
        for (const [name, value] of Object.entries(entry.attempt.headers.set)) upstream.setHeader(name, value);
        // The body parser (lib/http/json-body.ts) consumed the client's stream; its already-ended pipe
        // ends this request on the next tick, after this write.
        upstream.setHeader('content-length', entry.attempt.body.length);
        upstream.write(entry.attempt.body);
      },
      proxyRes(proxyRes, req) {
        // http-proxy's types give the upstream response the incoming request's type.
        const upstreamResponse = proxyRes as unknown as IncomingMessage;
        const entry = attempts.get(req);
        if (!entry || entry.settled || (upstreamResponse as IncomingMessage & { req?: ClientRequest }).req !== entry.upstream) {
          upstreamResponse.resume();
          return;
        }
        entry.attempt.onResponse(upstreamResponse);
      },
      error(error, req) {
        const entry = attempts.get(req as IncomingMessage);
        if (!entry || entry.settled) return;
        entry.settled = true;
        entry.attempt.onError(error);
      },
    },
  });

  return {
    send(req, res, attempt) {
      const entry: { attempt: ClaudeAttempt; upstream?: ClientRequest; settled: boolean } = { attempt, settled: false };
      attempts.set(req, entry);
      void middleware(req, res as unknown as ServerResponse & Response, (error?: unknown) => {
        if (error && !entry.settled) {
          entry.settled = true;
          attempt.onError(error instanceof Error ? error : new Error(String(error)));
        }
      });
      return () => {
        entry.settled = true;
        entry.upstream?.destroy();
      };
    },
  };
}
