import { connect } from 'node:net';
import fc from 'fast-check';

/** Pieces request targets are made of: the router's own paths and what trips up path parsing. */
const PIECES = [
  '/',
  '_vigil',
  'metrics',
  'health',
  'live',
  'ready',
  'started',
  '?',
  '#',
  '&',
  '=',
  '%',
  '%2F',
  '%2e%2e',
  '%E0%A4%A',
  '%00',
  '//',
  '..',
  '.',
  ';',
  'format=prometheus',
  'format=openmetrics',
  'quick=true',
  'é',
  '😀',
  '\u202e',
  '*',
  'http://x',
];

/**
 * Arbitrary request targets for property tests of path handling: pieces of the router's own
 * paths mixed with `?`, `#`, `%`, `//`, `..`, unicode and stray characters, any printable
 * string, and very long ones (up to 8 KiB, below Node's 16 KiB header limit).
 */
export function requestTargets(prefix = ''): fc.Arbitrary<string> {
  const pieces = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })), {
    maxLength: 12,
  });
  return fc.oneof(
    { weight: 6, arbitrary: pieces.map((parts) => `${prefix}/${parts.join('')}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('/metrics', '/health', '/health/ready'), pieces)
        .map(([path, parts]) => `${prefix}${path}${parts.join('')}`),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => `/${s}`) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('a', '/', '%', '?', '#', 'é'),
          fc.integer({ min: 1_000, max: 8_000 }),
        )
        .map(([c, n]) => `${prefix}/metrics${c.repeat(n)}`),
    },
  );
}

/** What came back for a raw request: the status line's code, or why there was none. */
export type RawOutcome = { status: number } | { timeout: true } | { closed: true };

/**
 * Sends `GET <target> HTTP/1.1` over a plain socket, byte for byte (fetch and `http.request`
 * would drop a `#fragment` or refuse odd characters), and answers the status code of the
 * response, `{ timeout: true }` when none came within `ms`, or `{ closed: true }` when the
 * server closed the connection without one.
 */
export function rawTarget(base: string, target: string, ms = 2_000): Promise<RawOutcome> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const done = (outcome: RawOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done({ timeout: true }), ms);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const line = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (line !== null) done({ status: Number(line[1]) });
    });
    socket.on('error', () => done({ closed: true }));
    socket.on('close', () => done({ closed: true }));
    socket.write(
      Buffer.concat([
        Buffer.from('GET ', 'latin1'),
        Buffer.from(target, 'utf8'),
        Buffer.from(' HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 'latin1'),
      ]),
    );
  });
}
