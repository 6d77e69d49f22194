import net from 'node:net';

// The model server closes every connection after its answer (HTTP/1.0,
// PROTOCOL.md A2), so each request needs a new one. Opening it when the
// request's headers arrive, while the body is read, parsed and trimmed,
// takes the TCP handshake and the server's accept off the time to first
// token. mlx-lm.server gives each connection a thread that waits for a
// request line; a connection closed without one just ends that thread.

export interface Preconnection {
  /** The connected (or connecting) socket, handed over once; undefined when it failed or was already taken. */
  take(): net.Socket | undefined;
  /** Closes the socket unless it was taken. Safe to call more than once. */
  release(): void;
}

/** Starts a TCP connection to a plain-HTTP upstream; https upstreams get none (undefined). */
export function preconnect(url: URL): Preconnection | undefined {
  if (url.protocol !== 'http:') return undefined;
  const socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) });
  socket.setNoDelay(true);
  let failed = false;
  // A refused connection is not this request's error yet: the real attempt reports it.
  socket.once('error', () => (failed = true));
  let owned = true;
  return {
    take() {
      if (!owned) return undefined;
      owned = false;
      if (failed || socket.destroyed) {
        socket.destroy();
        return undefined;
      }
      return socket;
    },
    release() {
      if (!owned) return;
      owned = false;
      socket.destroy();
    },
  };
}
