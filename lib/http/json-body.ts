import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, Response } from 'express';
import { AnthropicHttpError } from './anthropic-error.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';
import { keepRawBody } from './raw-body.js';

// The services' JSON body parser, in place of express.json(): every mallex
// request carries JSON in UTF-8, uncompressed, and on this path each
// microsecond counts (the stack adds a hop per service). It reads the body
// into one buffer, refuses what the services must not walk (invalid UTF-8,
// nesting deeper than MAX_JSON_DEPTH, more than the limit) with a 4xx, and
// keeps the bytes for services that forward them unchanged (raw-body.ts).
// Like express.json(): any content type, an empty body is {}, only an object
// or array at the top, req.body stays undefined for requests without a body.

/** As type-is decides it for express.json(): a length (0 included) or a chunked body. */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number.parseInt(req.headers['content-length'] ?? '', 10));
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

function firstNonWhitespace(buffer: Buffer): string | undefined {
  for (const byte of buffer) if (!WHITESPACE.has(byte)) return String.fromCharCode(byte);
  return undefined;
}

function describeLimit(limitBytes: number): string {
  return `${Math.round(limitBytes / (1024 * 1024))} MB`;
}

/** Parses the body; throws the 400 that says what is wrong. */
export function parseJsonBody(buffer: Buffer): unknown {
  if (buffer.length === 0) return {};
  if (!isUtf8(buffer)) throw new AnthropicHttpError(400, 'request body is not valid UTF-8');
  if (exceedsJsonDepth(buffer)) throw new AnthropicHttpError(400, `request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`);
  const first = firstNonWhitespace(buffer);
  if (first !== '{' && first !== '[') throw new AnthropicHttpError(400, `request body is not valid JSON: expected an object or an array, found ${first === undefined ? 'only whitespace' : JSON.stringify(first)}`);
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch (error) {
    throw new AnthropicHttpError(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
}

export function createJsonBodyParser({ limitBytes }: { limitBytes: number }) {
  return function readJsonBody(req: Request, _res: Response, next: NextFunction): void {
    if (!hasBody(req)) return next();
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      req.resume();
      return next(new AnthropicHttpError(415, `content-encoding ${encoding} is not supported: send the body uncompressed`));
    }
    const tooLarge = () => new AnthropicHttpError(413, `request body is too large (the limit is ${describeLimit(limitBytes)})`);
    if (Number(req.headers['content-length']) > limitBytes) {
      // Read and dropped, so the client can finish sending and read the answer.
      req.resume();
      return next(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: Error | null) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (error) {
        req.resume();
        return next(error);
      }
      try {
        const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        req.body = parseJsonBody(buffer);
        keepRawBody(req, buffer);
      } catch (parseError) {
        return next(parseError);
      }
      next();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) return finish(tooLarge());
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish(null));
    req.once('aborted', () => finish(new AnthropicHttpError(400, 'request aborted by the client')));
    req.once('error', (error) => finish(new AnthropicHttpError(400, `the request body could not be read: ${error.message}`)));
  };
}
