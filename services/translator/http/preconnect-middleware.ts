import type { NextFunction, Request, Response } from 'express';
import { preconnect, type Preconnection } from '../upstream/preconnect.js';

// Runs before the body parser: a Messages request starts its connection to
// the model server as soon as its headers are in (preconnect.ts). A request
// that ends without using it (refused, too long, client gone) closes it.
// The connection waits in res.locals, Express's place for what one request's
// middleware hands to the next.

interface PreconnectLocals {
  preconnection?: Preconnection;
}

export function createPreconnectMiddleware(upstreamUrl: string) {
  const target = new URL(upstreamUrl);
  return function preconnectMessages(req: Request, res: Response, next: NextFunction): void {
    if (req.method === 'POST' && req.path === '/v1/messages') {
      const connection = preconnect(target);
      if (connection) {
        (res.locals as PreconnectLocals).preconnection = connection;
        res.once('close', () => connection.release());
      }
    }
    next();
  };
}

/** The request's preconnected socket, once; undefined when there is none (a new connection is opened then). */
export function takePreconnectedSocket(res: Response) {
  return (res.locals as PreconnectLocals).preconnection?.take();
}
