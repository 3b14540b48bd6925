import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { PlatformLogger, setLogSink, type LogLevel } from './logger.js';

describe('PlatformLogger', () => {
  afterEach(() => setLogSink(null));

  it('writes each line to the sink set last, with its level and context', () => {
    const lines: Array<[LogLevel, string, string]> = [];
    setLogSink((level, context, message) => lines.push([level, context, message]));
    const logger = new PlatformLogger('Projections');
    logger.log('caught up');
    logger.warn('slow');
    logger.error('stopped');
    expect(lines).toEqual([
      ['log', 'Projections', 'caught up'],
      ['warn', 'Projections', 'slow'],
      ['error', 'Projections', 'stopped'],
    ]);
  });

  it('writes to the console by default: lines on stdout, warnings and errors on stderr, in Nest layout', () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      setLogSink(null);
      new PlatformLogger('ReadStore').log('opened');
      new PlatformLogger('ReadStore').warn('dropped');
      expect(out).toHaveBeenCalledTimes(1);
      expect(String(out.mock.calls[0]![0])).toMatch(
        new RegExp(`^\\[Nest\\] ${process.pid} {2}- .+ {5}LOG \\[ReadStore\\] opened\\n$`),
      );
      expect(err).toHaveBeenCalledTimes(1);
      expect(String(err.mock.calls[0]![0])).toMatch(/ {4}WARN \[ReadStore\] dropped\n$/);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
  it('writes JSON lines instead with LOG_FORMAT=json (the app sets it for its threads)', () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = process.env['LOG_FORMAT'];
    try {
      process.env['LOG_FORMAT'] = 'json';
      setLogSink(null);
      new PlatformLogger('ReadStore').log('opened');
      new PlatformLogger('ReadStore').error('lost');
      expect(JSON.parse(String(out.mock.calls[0]![0]))).toMatchObject({
        level: 'info',
        context: 'ReadStore',
        msg: 'opened',
        pid: process.pid,
      });
      expect(JSON.parse(String(err.mock.calls[0]![0]))).toMatchObject({ level: 'error', msg: 'lost' });
    } finally {
      if (before === undefined) delete process.env['LOG_FORMAT'];
      else process.env['LOG_FORMAT'] = before;
      out.mockRestore();
      err.mockRestore();
    }
  });
});
