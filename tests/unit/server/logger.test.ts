import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppError } from '@shared';
import { GraphHttpError } from '../../../bot/src/adapters/graph/graph-client';
import { createLogger, errorFields, scoped } from '../../../bot/src/logger';
import { ROOT, sources } from '../../support/sources';

function recording(level: 'debug' | 'info' = 'debug') {
  const lines: Array<{ level: string; json: Record<string, unknown> }> = [];
  const logger = createLogger(level, (at, line) =>
    lines.push({ level: at, json: JSON.parse(line) as Record<string, unknown> }),
  );
  return { logger, lines };
}

describe('logger', () => {
  it('writes one JSON object per line with time, level and message, above the level only', () => {
    const { logger, lines } = recording('info');
    logger.debug('hidden');
    logger.warn('shown', { callId: 'c1' });
    expect(lines).toHaveLength(1);
    const { time, ...rest } = lines[0]!.json;
    expect(new Date(String(time)).toISOString()).toBe(time);
    expect({ level: lines[0]!.level, ...rest }).toEqual({
      level: 'warn',
      message: 'shown',
      callId: 'c1',
    });
  });

  it('redacts names, codes, tokens and cookies, and link paths in texts', () => {
    const { logger, lines } = recording();
    logger.info('claim on /j/Abc_DEF-123456789012345 failed', {
      customerName: 'Zebulon',
      name: 'Zebulon',
      token: 'tok-1',
      claimToken: 'tok-2',
      cookie: 'otc_claim=tok-3',
      authorization: 'Bearer tok-4',
      linkCode: 'Abc_DEF-123456789012345',
      path: '/j/Abc_DEF-123456789012345/lobby',
    });
    const text = JSON.stringify(lines);
    for (const secret of ['Zebulon', 'tok-1', 'tok-2', 'tok-3', 'tok-4', 'Abc_DEF']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]!.json).toMatchObject({ customerName: '[redacted]', path: '/j/…/lobby' });
  });

  it('scopes lines to a request and a call', () => {
    const { logger, lines } = recording();
    scoped(scoped(logger, { requestId: 'r-1' }), { callId: 'c-1' }).error('failed');
    expect(lines[0]!.json).toMatchObject({ requestId: 'r-1', callId: 'c-1', message: 'failed' });
    const plain = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    scoped(plain, { requestId: 'r-2' }).warn('w', { a: 1 });
    expect(plain.warn).toHaveBeenCalledWith('w', { requestId: 'r-2', a: 1 });
  });

  it('logs an error with its stack, its causes and Graph request ids', () => {
    const graph = new GraphHttpError(503, 'ServiceUnavailable', 'Graph 503', 'req-1', 'client-1');
    const fields = errorFields(
      new AppError('upstream-unavailable', 'create the meeting', { cause: graph }),
    );
    expect(fields).toMatchObject({
      error: 'AppError',
      errorMessage: 'create the meeting',
      errorCode: 'upstream-unavailable',
      cause: 'GraphHttpError: Graph 503',
      graphRequestId: 'req-1',
      graphClientRequestId: 'client-1',
    });
    expect(String(fields['stack'])).toMatch(/AppError: create the meeting\n\s+at /);
    expect(errorFields('plain')).toEqual({ error: 'plain' });
  });
});

// A log line that keeps only `error.name` ("Error", "TypeError") says that something failed, not
// what or where: every site logs through errorFields (message, stack, cause, Graph request ids).
describe('log sites', () => {
  it('never log an error by its name alone', () => {
    const found: string[] = [];
    for (const file of sources(join(ROOT, 'bot/src'), { tsx: false })) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\berror:\s*\w+ instanceof Error \? \w+\.name\b/.test(line)) {
            found.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
          }
        });
    }
    expect(found).toEqual([]);
  });
});
