import fs from 'node:fs';

export interface ListeningSocket {
  address: string;
  port: number;
}

function decodeIpv4(hex: string): string {
  // /proc/net/tcp stores IPv4 addresses little-endian.
  const bytes = hex.match(/../g)!.map((pair) => parseInt(pair, 16));
  return bytes.reverse().join('.');
}

/** Listening TCP sockets from /proc/net/tcp{,6} (Linux), like `ss -ltn`. */
export function readListeningSockets(): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [addressHex, portHex] = (fields[1] ?? '').split(':');
      if (fields[3] !== '0A' || !addressHex || !portHex) continue; // 0A = LISTEN
      const address = addressHex.length === 8 ? decodeIpv4(addressHex) : addressHex === '00000000000000000000000001000000' ? '::1' : addressHex === '0'.repeat(32) ? '::' : addressHex;
      sockets.push({ address, port: parseInt(portHex, 16) });
    }
  }
  return sockets;
}
