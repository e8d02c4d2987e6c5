import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

/** A message the test server accepted. */
export interface ReceivedMail {
  /** The envelope: `MAIL FROM` and every accepted `RCPT TO`. */
  readonly from: string;
  readonly recipients: readonly string[];
  /** The user logged in, if any. */
  readonly user: string | undefined;
  readonly mail: ParsedMail;
}

export interface SmtpTestServerOptions {
  /** Require this login (AUTH PLAIN or LOGIN); without it, no login is needed. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** The one login method offered. Default both, PLAIN and LOGIN. */
  readonly authMethod?: 'PLAIN' | 'LOGIN';
  /** Refuse every `RCPT TO` with this reply code (451, 550). */
  readonly rcptReply?: number;
  /** Refuse the message after `DATA` with this reply code (451, 554). */
  readonly dataReply?: number;
}

export interface SmtpTestServer {
  readonly port: number;
  /** The messages accepted, in order; a message is here before its `250` reply goes out. */
  readonly received: readonly ReceivedMail[];
  /** How many connections clients opened. */
  readonly connections: number;
  close(): Promise<void>;
}

function refusal(code: number): SMTPServerError {
  const error: SMTPServerError = new Error(code < 500 ? 'Try again later' : 'Refused');
  error.responseCode = code;
  return error;
}

/**
 * A real SMTP server (`smtp-server`) on 127.0.0.1 and a free port, without TLS (so STARTTLS is off
 * and AUTH is allowed in clear), keeping what arrives parsed by `mailparser`.
 */
export async function startSmtpTestServer(
  options: SmtpTestServerOptions = {},
): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = [];
  let connections = 0;
  const { auth, authMethod, rcptReply, dataReply } = options;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: auth === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    authOptional: auth === undefined,
    allowInsecureAuth: true,
    authMethods: authMethod === undefined ? ['PLAIN', 'LOGIN'] : [authMethod],
    // Connections a test left open are cut soon at close().
    closeTimeout: 1_000,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onAuth(login, _session, callback) {
      if (login.username === auth?.user && login.password === auth?.pass) {
        callback(null, { user: login.username });
      } else {
        // Echoes the password tried, as a careless server might: the client must cut it out.
        const tried = `${login.username}:${login.password}`;
        callback(null, { message: `Authentication failed for ${tried}`, responseCode: 535 });
      }
    },
    onRcptTo(_address, _session, callback) {
      callback(rcptReply === undefined ? null : refusal(rcptReply));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          if (dataReply !== undefined) return callback(refusal(dataReply));
          received.push({
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            user: typeof session.user === 'string' ? session.user : undefined,
            mail,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    get connections() {
      return connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface SilentServer {
  readonly port: number;
  /** The next connection's socket (or the first one, if a client already connected). */
  connection(): Promise<Socket>;
  close(): Promise<void>;
}

/** A TCP server that accepts connections and never says a word: no SMTP greeting. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async connection() {
      const [first] = sockets;
      if (first !== undefined) return first;
      const [socket] = (await once(server, 'connection')) as [Socket];
      return socket;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
