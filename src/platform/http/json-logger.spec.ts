import { describe, expect, it } from '@jest/globals';
import { jsonLogLine } from '../json-log.js';
import { runInRequestContext } from '../request-context.js';
import { JsonLogger } from './json-logger.js';

/** A JsonLogger whose lines are parsed and kept, with the stream each was meant for. */
function collecting() {
  const lines: Array<Record<string, unknown> & { stream: string }> = [];
  const logger = new JsonLogger((line, level) => {
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    lines.push({
      ...(JSON.parse(line) as Record<string, unknown>),
      stream: level === 'info' || level === 'debug' || level === 'trace' ? 'stdout' : 'stderr',
    });
  });
  return { logger, lines };
}

const STACK = 'Error: boom\n    at run (/app/dist/src/x.js:10:5)\n    at main (/app/dist/src/main.js:2:1)';

describe('JsonLogger', () => {
  it('writes one JSON object per line with time, level, pid, context and msg', () => {
    const { logger, lines } = collecting();
    logger.log('started', 'Bootstrap');
    logger.warn('slow', 'Projections');
    logger.debug('detail');
    logger.verbose('more', 'X');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'Bootstrap', msg: 'started', stream: 'stdout' }),
      expect.objectContaining({ level: 'warn', context: 'Projections', msg: 'slow', stream: 'stderr' }),
      expect.objectContaining({ level: 'debug', msg: 'detail' }),
      expect.objectContaining({ level: 'trace', context: 'X', msg: 'more' }),
    ]);
    expect(lines[0]!['pid']).toBe(process.pid);
    expect(new Date(lines[0]!['time'] as string).toISOString()).toBe(lines[0]!['time']);
    expect(lines[2]).not.toHaveProperty('context');
  });

  it("takes Nest's error(message, stack?, context?) as its console logger does", () => {
    const { logger, lines } = collecting();
    logger.error('failed', STACK, 'Http');
    logger.error('failed', 'Http');
    logger.error('failed', STACK);
    logger.fatal(new Error('down'), 'Main');
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'failed', stack: STACK, context: 'Http' });
    expect(lines[1]).toMatchObject({ msg: 'failed', context: 'Http' });
    expect(lines[1]).not.toHaveProperty('stack');
    expect(lines[2]).toMatchObject({ msg: 'failed', stack: STACK });
    expect(lines[2]).not.toHaveProperty('context');
    expect(lines[3]).toMatchObject({ level: 'fatal', msg: 'down', context: 'Main', stream: 'stderr' });
    expect(lines[3]!['stack']).toEqual(expect.stringContaining('Error: down'));
  });

  it('gives the fields of an object message to the line, never over its own keys', () => {
    const { logger, lines } = collecting();
    logger.log({ msg: 'request', method: 'GET', status: 200, level: 'fatal', time: 'never', n: 5n }, 'HTTP');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'request', method: 'GET', status: 200, n: '5' });
    expect(lines[0]!['time']).not.toBe('never');
  });

  it('carries the correlation id of the request being handled, through awaits', async () => {
    const { logger, lines } = collecting();
    logger.log('outside');
    await runInRequestContext({ correlationId: 'corr-7' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.log('inside', 'Signals');
    });
    expect(lines[0]).not.toHaveProperty('correlationId');
    expect(lines[1]).toMatchObject({ msg: 'inside', correlationId: 'corr-7' });
  });

  it('never throws on a message JSON cannot hold (a cycle)', () => {
    const cyclic: Record<string, unknown> = { msg: 'cycle' };
    cyclic['self'] = cyclic;
    // The message's fields are copied into the line: the cycle shows one step in.
    expect(JSON.parse(jsonLogLine('info', 'X', cyclic))).toMatchObject({
      msg: 'cycle',
      self: { msg: 'cycle', self: '[cycle]' },
    });
  });
});
