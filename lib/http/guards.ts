import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { sendAnthropicError } from './anthropic-error.js';

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The host name of a Host header, without the port ("[::1]:3456" → "[::1]"). */
function parseHostName(hostHeader: string): string {
  const trimmed = hostHeader.trim().toLowerCase();
  if (trimmed.startsWith('[')) {
    const end = trimmed.indexOf(']');
    return end === -1 ? trimmed : trimmed.slice(0, end + 1);
  }
  const colon = trimmed.indexOf(':');
  return colon === -1 ? trimmed : trimmed.slice(0, colon);
}

function isLoopbackHost(hostHeader: string | undefined): boolean {
  return hostHeader !== undefined && LOOPBACK_HOSTNAMES.has(parseHostName(hostHeader));
}

/**
 * Refuses requests whose Host is not a loopback name. A web page that rebinds
 * its own DNS name to 127.0.0.1 still sends its own name as Host, so this
 * stops such pages from using the proxy.
 */
export function createLoopbackHostGuard() {
  return function requireLoopbackHost(req: Request, res: Response, next: NextFunction): void {
    if (isLoopbackHost(req.headers.host)) return next();
    sendAnthropicError(res, 403, 'mallex only answers requests addressed to 127.0.0.1 or localhost');
  };
}

function tokensMatch(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Requires `header: token` on every request except the paths listed as open. */
export function createTokenGuard({ header, token, openPaths = ['/health'], describe }: {
  header: string;
  token: string;
  openPaths?: string[];
  describe: string;
}) {
  return function requireToken(req: Request, res: Response, next: NextFunction): void {
    if (openPaths.includes(req.path)) return next();
    const given = req.headers[header];
    if (tokensMatch(typeof given === 'string' ? given : undefined, token)) return next();
    sendAnthropicError(res, 401, `missing or wrong ${header} header: ${describe}`);
  };
}
