import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Request } from 'express';
import type { HeaderPlan } from './plan-claude-headers.js';

// The pass-through to Anthropic: Claude Code's request, its body prepared and
// its headers planned (plan-claude-headers.ts), sent with node:http(s). The
// caller reads the response (a 429/529/5xx can be retried or answered
// locally instead of being passed on). One connection per attempt, closed
// after it, as the proxy library used before did.

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
  send(req: Request, attempt: ClaudeAttempt): () => void;
}

export function createClaudeProxy(baseUrl: string): ClaudeProxy {
  const base = new URL(baseUrl);
  const client = base.protocol === 'https:' ? https : http;
  // A base URL with a path (a corporate proxy's prefix, say) keeps it in front of the request's own.
  const basePath = base.pathname.replace(/\/$/, '');
  return {
    send(req, attempt) {
      const headers: OutgoingHttpHeaders = { ...req.headers };
      for (const name of attempt.headers.remove) delete headers[name];
      Object.assign(headers, attempt.headers.set);
      headers.host = base.host;
      headers['content-length'] = attempt.body.length;
      let settled = false;
      const upstream = client.request({
        protocol: base.protocol,
        hostname: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port,
        path: basePath + req.originalUrl,
        method: req.method,
        headers,
        agent: false,
      });
      upstream.once('response', (response) => {
        if (settled) return void response.resume();
        attempt.onResponse(response);
      });
      upstream.on('error', (error) => {
        if (settled) return;
        settled = true;
        attempt.onError(error);
      });
      upstream.end(attempt.body);
      return () => {
        settled = true;
        upstream.destroy();
      };
    },
  };
}
