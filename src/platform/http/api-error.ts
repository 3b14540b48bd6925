import { HttpException } from '@nestjs/common';
import type { PlainJsonFault } from '../json.js';

/** The one error shape of the API: a status, a stable code, a Dutch message for a person. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

export class ApiError extends HttpException {
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(
      {
        statusCode: status,
        code,
        message,
        ...(details === undefined ? {} : { details }),
      } satisfies ApiErrorBody,
      status,
    );
  }
}

const NOT_PLAIN_JSON: Record<PlainJsonFault['kind'], string> = {
  'forbidden-key': "De inhoud van het verzoek bevat de sleutel '__proto__', die niet toegelaten is.",
  'too-deep': 'De inhoud van het verzoek is dieper genest dan 64 niveaus.',
  'lone-surrogate':
    'De inhoud van het verzoek bevat tekst die geen geldige Unicode is (een losse surrogaat).',
  'key-lone-surrogate':
    'De inhoud van het verzoek bevat een veldnaam die geen geldige Unicode is (een losse surrogaat).',
  'not-finite': 'De inhoud van het verzoek bevat een getal dat te groot is.',
  'not-plain-object': 'De inhoud van het verzoek bevat een ongeldige waarde.',
  'symbol-key': 'De inhoud van het verzoek bevat een ongeldige waarde.',
  'not-json-type': 'De inhoud van het verzoek bevat een ongeldige waarde.',
};

/** Paths name the request's own keys: kept short in an answer. */
const MAX_FAULT_PATH = 200;

/**
 * 400 INVALID_BODY for a body that is no plain JSON (plainJsonFault): a Dutch message for a
 * person, and in `details` the fault as stable machine values (`fault`, `path`, `key`), no prose.
 */
export function notPlainJsonBody(fault: PlainJsonFault): ApiError {
  return new ApiError(400, 'INVALID_BODY', NOT_PLAIN_JSON[fault.kind], {
    fault: fault.kind,
    ...(fault.key === undefined ? {} : { key: fault.key }),
    path: fault.path.length > MAX_FAULT_PATH ? `${fault.path.slice(0, MAX_FAULT_PATH)}…` : fault.path,
  });
}
