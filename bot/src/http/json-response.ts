import type { Response } from 'express';

/**
 * Sends `body` as JSON, for the routes that answer most often (link creation, the customer's status
 * poll). Express's `res.json` parses and re-formats the Content-Type on every call, and turns a body
 * over 1,000 characters into a Buffer, which Node then writes apart from the headers (two writes
 * instead of one). Here the text goes to `res.end` as a string, which Node sends together with
 * the headers. Headers set before (request id, Cache-Control, …) are kept; a HEAD gets no body
 * (Node leaves it out). No ETag: the app has them off.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
