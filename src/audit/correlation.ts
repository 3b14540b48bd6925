import { uuidv7 } from '../platform/ids.js';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** The caller's `X-Correlation-Id` when it is a plain id, else a new one. */
export function correlationIdOf(header: string | undefined): string {
  return header !== undefined && CORRELATION_ID.test(header) ? header : uuidv7();
}
