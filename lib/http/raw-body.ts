import type { Request } from 'express';

// The JSON body exactly as it arrived, kept by createServiceApp's parser.
// A service that forwards a request unchanged sends these bytes rather than
// JSON.stringify of the parsed body: for Claude Code's 50 KB requests that
// saves the serialisation and its garbage on the request path (issue #8's
// benchmark). Same JSON, so the receiver parses the same value.

const RAW_BODY = Symbol('mallex.rawBody');

type WithRawBody = { [RAW_BODY]?: Buffer };

export function keepRawBody(req: unknown, buffer: Buffer): void {
  (req as WithRawBody)[RAW_BODY] = buffer;
}

/** The body's bytes as received, or undefined when no JSON body was parsed. */
export function readRawBody(req: Request): Buffer | undefined {
  return (req as unknown as WithRawBody)[RAW_BODY];
}
