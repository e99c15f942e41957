import type { IncomingMessage, ServerResponse } from 'node:http';
import accepts from 'accepts';

/**
 * Request and response helpers on Node's own `IncomingMessage` and `ServerResponse`, so a handler
 * answers the same whether Express routed the request or the front door did (`front-door.ts`).
 * Express's `Request` and `Response` extend these, so Express routes use the same helpers.
 */

/** One request header, the first when it was sent more than once. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The client's address, as Express's `req.ip` with `trust proxy` set to a hop count: the socket's
 * address, or the `X-Forwarded-For` entry that many proxies back.
 */
export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (trustedHops <= 0) return socketAddress;
  const forwarded = header(req, 'x-forwarded-for');
  if (!forwarded) return socketAddress;
  // Nearest proxy last: the socket, then X-Forwarded-For from right to left.
  const chain = [
    socketAddress,
    ...forwarded
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .reverse(),
  ];
  return chain[Math.min(trustedHops, chain.length - 1)]!;
}

/** Answers of {@link preferred} per request: a handler asks the same question more than once. */
const negotiated = new WeakMap<IncomingMessage, Map<string, string | false>>();

/** The first of `types` the request's `Accept` header prefers (`false`: none), as `req.accepts`. */
export function preferred(req: IncomingMessage, types: string[]): string | false {
  let answers = negotiated.get(req);
  if (!answers) negotiated.set(req, (answers = new Map<string, string | false>()));
  const key = types.join(',');
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = accepts(req).type(types) as string | false;
    answers.set(key, answer);
  }
  return answer;
}

/**
 * Sends `body` as JSON. Express's `res.json` parses and re-formats the Content-Type on every call,
 * and turns a body over 1,000 characters into a Buffer, which Node then writes apart from the
 * headers (two writes instead of one). Here the text goes to `res.end` as a string, which Node
 * sends together with the headers. Headers set before (request id, Cache-Control, …) are kept; a
 * HEAD gets no body (Node leaves it out). No ETag: the app has them off.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

/** Sends an HTML page with `headers` (CSP and the like). */
export function sendHtml(
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  html: string,
): void {
  for (const name in headers) res.setHeader(name, headers[name]!);
  sendText(res, status, 'text/html; charset=utf-8', html);
}

/**
 * Redirects to a path of ours. The body is plain text whatever the client accepts: browsers follow
 * the `Location` and show none of it.
 */
export function redirect(res: ServerResponse, status: 302 | 303, location: string): void {
  res.setHeader('Location', location);
  sendText(
    res,
    status,
    'text/plain; charset=utf-8',
    `${status === 303 ? 'See Other' : 'Found'}. Redirecting to ${location}`,
  );
}

function sendText(res: ServerResponse, status: number, type: string, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** A Connect-style body parser (`express.json()`, `express.urlencoded()`). */
type BodyParser = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Runs an Express body parser outside Express: resolves once the body is read (`req.body` set),
 * rejects with its error (too large, malformed), which `toAppError` maps like any other.
 */
export function readBody(
  parser: BodyParser,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // What a body parser passes on is an http-errors Error (or whatever a stream failed with).
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    parser(req, res, (error?: unknown) => (error === undefined ? resolve() : reject(error)));
  });
}
