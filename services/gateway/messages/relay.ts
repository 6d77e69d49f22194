import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Response } from 'express';
import { formatSseError } from '../../../lib/http/anthropic-error.js';
import { HOP_BY_HOP_HEADERS } from '../../../lib/http/headers.js';
import type { RelayedAnswer } from '../record/gateway-record.js';
import { createUsageTap } from '../record/usage-tap.js';

// Streams an upstream answer to Claude Code as it arrives (no buffering),
// noting the time to first byte and the usage numbers on the way.

const HOP_BY_HOP = new Set(HOP_BY_HOP_HEADERS);

/** Upstream response headers worth passing on; `dropped` names more to leave out. */
export function selectResponseHeaders(headers: IncomingHttpHeaders, dropped: string[] = []): Record<string, string | string[]> {
  const selected: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.includes(name)) continue;
    selected[name] = value;
  }
  return selected;
}

/**
 * Resolves when the answer has been passed on, the client went away (with
 * what passed until then), or the upstream broke (then a stream gets an
 * `event: error`, PROTOCOL.md B4, and anything else is cut so the client sees
 * a failure, not a short answer). `startedAt`: when the request arrived.
 */
export function relayToClient(res: Response, source: Readable, status: number, headers: Record<string, string | string[]>, startedAt: number, now: () => number): Promise<RelayedAnswer> {
  const contentType = String(headers['content-type'] ?? '');
  const isSse = contentType.includes('text/event-stream');
  const tap = createUsageTap(contentType);
  let ttftMs: number | null = null;
  let errorType: string | null = null;
  // The headers leave with the first body bytes (the translator sends message_start with its own headers):
  // one write and one wake-up of Claude Code instead of two.
  res.writeHead(status, headers);
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve({ status, errorType, ttftMs, ...tap.finish() });
    };
    source.on('data', (chunk: Buffer) => {
      if (ttftMs === null) ttftMs = now() - startedAt;
      tap.push(chunk);
    });
    source.once('end', () => {
      res.end();
      finish();
    });
    source.once('error', (error) => {
      if (!res.writableEnded && !res.destroyed) {
        errorType = 'api_error';
        if (isSse) res.end(formatSseError('api_error', `the upstream answer broke off: ${error.message}`));
        else res.destroy(error);
      }
      finish();
    });
    res.once('close', () => {
      if (!source.destroyed) source.destroy();
      finish();
    });
    source.pipe(res, { end: false });
  });
}
