import * as zlib from 'node:zlib';
import { HttpException, HttpStatus } from '@nestjs/common';
import { EventStoreError } from '../event-store/errors.js';
import type { ApiErrorBody } from './api-error.js';

const DOMAIN_STATUS: Record<string, number> = {
  UNKNOWN_COMMAND: HttpStatus.NOT_FOUND,
  SIGNAL_NOT_FOUND: HttpStatus.NOT_FOUND,
  SIGNAL_ALREADY_EXISTS: HttpStatus.CONFLICT,
  ROLE_NOT_ALLOWED: HttpStatus.FORBIDDEN,
  TRANSITION_NOT_ALLOWED: HttpStatus.CONFLICT,
  FIELD_REQUIRED: HttpStatus.BAD_REQUEST,
  FIELD_NOT_ALLOWED: HttpStatus.BAD_REQUEST,
  FIELD_INVALID: HttpStatus.BAD_REQUEST,
  MERGE_TARGET_INVALID: HttpStatus.UNPROCESSABLE_ENTITY,
  WORKFLOW_VERSION_MISMATCH: HttpStatus.CONFLICT,
  NO_STATE_MAPPING: HttpStatus.UNPROCESSABLE_ENTITY,
  INVALID_STATE_MAPPING: HttpStatus.BAD_REQUEST,
  PERSONAL_DATA_DETECTED: HttpStatus.UNPROCESSABLE_ENTITY,
  TEXT_ALREADY_ERASED: HttpStatus.CONFLICT,
  ERASURE_REASON_INVALID: HttpStatus.BAD_REQUEST,
  PRECONDITION_FAILED: HttpStatus.PRECONDITION_FAILED,
  CONCURRENCY_CONFLICT: HttpStatus.CONFLICT,
  IDEMPOTENCY_KEY_REUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  TOKEN_EXPIRED: HttpStatus.UNAUTHORIZED,
  TOKEN_INVALID: HttpStatus.UNAUTHORIZED,
};

// Errors of body-parser and Express, recognised by their `type`.
const BODY_PARSER: Record<string, ApiErrorBody> = {
  'entity.too.large': {
    statusCode: HttpStatus.PAYLOAD_TOO_LARGE,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'Het verzoek is te groot.',
  },
  'entity.parse.failed': {
    statusCode: HttpStatus.BAD_REQUEST,
    code: 'MALFORMED_JSON',
    message: 'De inhoud van het verzoek is geen geldige JSON.',
  },
  // body-parser's own: a Content-Encoding it cannot decompress (its charset errors are the next type).
  'encoding.unsupported': {
    statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    code: 'UNSUPPORTED_CONTENT_ENCODING',
    message: `Deze compressie (Content-Encoding) wordt niet ondersteund; stuur de inhoud ongecomprimeerd of gecomprimeerd met ${dutchList(decompressible())}.`,
  },
  'charset.unsupported': {
    statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    code: 'UNSUPPORTED_ENCODING',
    message: 'Deze tekenset wordt niet ondersteund; gebruik UTF-8.',
  },
};

/** The Content-Encodings body-parser decompresses (zstd only where Node's zlib has it). */
function decompressible(): string[] {
  return ['gzip', 'deflate', 'br', ...('createZstdDecompress' in zlib ? ['zstd'] : [])];
}

function dutchList(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} of ${items.at(-1)}`;
}

/**
 * A body that is not what its Content-Encoding says (not compressed, cut off, corrupt): zlib's
 * error, passed on by body-parser with status 400 and no `type`. Recognised by zlib's codes
 * (`Z_DATA_ERROR`, `Z_BUF_ERROR`, …; a Brotli decoder's `ERR__ERROR_FORMAT_…`). The compression is
 * named only when it is one body-parser decompresses, so the header's text is never echoed back.
 */
function malformedContentEncoding(contentEncoding: string | undefined): ApiErrorBody {
  const encoding = contentEncoding?.trim().toLowerCase();
  const named =
    encoding !== undefined && decompressible().includes(encoding)
      ? `met ${encoding} (Content-Encoding: ${encoding})`
      : 'zoals de Content-Encoding van het verzoek zegt';
  return {
    statusCode: HttpStatus.BAD_REQUEST,
    code: 'MALFORMED_CONTENT_ENCODING',
    message: `De inhoud van het verzoek kon niet gedecomprimeerd worden: ze is niet geldig gecomprimeerd ${named}. Stuur ze zo gecomprimeerd, of ongecomprimeerd zonder Content-Encoding.`,
  };
}

const ZLIB_ERROR_CODE = /^(Z_[A-Z_]+|ERR__ERROR_[A-Z0-9_]+)$/;

function isDecompressionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return typeof code === 'string' && typeof errno === 'number' && ZLIB_ERROR_CODE.test(code);
}

// A path parameter with a broken percent-encoding ("%E0%A4%A"): Express throws a URIError.
const INVALID_PATH: ApiErrorBody = {
  statusCode: HttpStatus.BAD_REQUEST,
  code: 'INVALID_PATH',
  message: 'Het adres (URL) van het verzoek is ongeldig.',
};

// For framework exceptions without our shape: their own messages are English and may quote the request.
const GENERIC_MESSAGES: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'Het verzoek is ongeldig.',
  [HttpStatus.NOT_FOUND]: 'Deze pagina of dit object bestaat niet.',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'Deze methode is hier niet toegestaan.',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'Het verzoek is te groot.',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'Dit inhoudstype wordt niet ondersteund.',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Te veel verzoeken. Probeer het later opnieuw.',
};

export const INTERNAL_ERROR: ApiErrorBody = {
  statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
  code: 'INTERNAL_ERROR',
  message: 'Er ging iets mis aan onze kant. Probeer het later opnieuw.',
};

/** What of the request the mapping may need: the Content-Encoding, to name it when it is broken. */
export interface RequestContext {
  contentEncoding?: string | undefined;
}

/** Maps anything thrown to the API's error body; null for the unexpected (a 500, logged). */
export function toApiError(error: unknown, request: RequestContext = {}): ApiErrorBody | null {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    if (typeof response === 'object' && response !== null && 'code' in response)
      return response as ApiErrorBody;
    // The Express adapter wraps body-parser and URI errors in an HttpException, the original as cause.
    const parser = bodyParserError(error.cause);
    if (parser) return parser;
    if (isDecompressionError(error.cause)) return malformedContentEncoding(request.contentEncoding);
    if (error.cause instanceof URIError) return INVALID_PATH;
    const status = error.getStatus();
    return {
      statusCode: status,
      code: status === HttpStatus.NOT_FOUND ? 'NOT_FOUND' : `HTTP_${status}`,
      message:
        GENERIC_MESSAGES[status] ??
        (status < 500 ? 'Het verzoek kon niet verwerkt worden.' : INTERNAL_ERROR.message),
    };
  }
  if (typeof error !== 'object' || error === null) return null;
  const parser = bodyParserError(error);
  if (parser) return parser;
  if (isDecompressionError(error)) return malformedContentEncoding(request.contentEncoding);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && Object.hasOwn(DOMAIN_STATUS, code)) {
    const details = (error as { details?: unknown }).details ?? personalDataDetails(error);
    return {
      statusCode: DOMAIN_STATUS[code]!,
      code,
      message: (error as Error).message,
      ...(details && Object.keys(details).length > 0 ? { details } : {}),
    };
  }
  if (error instanceof EventStoreError) {
    // The store refused something the API should have caught first: still the caller's input.
    return { statusCode: HttpStatus.BAD_REQUEST, code: error.code, message: 'Het verzoek is ongeldig.' };
  }
  return null;
}

function bodyParserError(error: unknown): ApiErrorBody | null {
  if (typeof error !== 'object' || error === null) return null;
  const type = (error as { type?: unknown }).type;
  return typeof type === 'string' && Object.hasOwn(BODY_PARSER, type) ? BODY_PARSER[type]! : null;
}

/** PersonalDataError names the field and the kind (never the value) as properties of its own. */
function personalDataDetails(error: object): { field: string; kind: string } | undefined {
  const { code, field, kind } = error as { code?: unknown; field?: unknown; kind?: unknown };
  return code === 'PERSONAL_DATA_DETECTED' && typeof field === 'string' && typeof kind === 'string'
    ? { field, kind }
    : undefined;
}
