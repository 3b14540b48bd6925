import { session } from '../auth/session';

/** An API answer that is not 2xx, with the server's stable code and its Dutch message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The field the server named (privacy guard, validation), to show the message at that field. */
  get field(): string | undefined {
    const field = this.details['field'];
    return typeof field === 'string' ? field : undefined;
  }

  /** 409/412: someone else changed it first; the screen reloads and explains. */
  get isConflict(): boolean {
    return this.status === 409 || this.status === 412;
  }
}

export interface ApiAnswer<T> {
  body: T;
  status: number;
  /** The stream revision (`ETag`), for `If-Match` on the next command. */
  etag: string | null;
  headers: Headers;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | readonly string[] | undefined | null>;
  headers?: Record<string, string>;
  /** Send without a token (login, invites, public page). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

/** Builds `path?query` with repeated keys for lists and without empty values. */
export function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((item) => params.append(key, String(item)));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * The one way the screens talk to the API: JSON in and out, the session's bearer token, one
 * silent refresh when the access token has expired, and every failure as an `ApiFailure`.
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
  let response = await send(path, options);
  if (response.status === 401 && !options.anonymous && (await session.refresh())) {
    response = await send(path, options);
  }
  if (response.status === 401 && !options.anonymous) session.expired();
  const text = await response.text();
  const body = text ? parse(text) : null;
  if (!response.ok) throw referenced(failureOf(response.status, body), response);
  return {
    body: body as T,
    status: response.status,
    etag: response.headers.get('ETag'),
    headers: response.headers,
  };
}

/**
 * Downloads a file with the token (a plain link cannot carry it) and offers it to the user;
 * `accept` picks the representation where a route serves several (`text/csv`).
 */
export async function download(path: string, fileName: string, accept = '*/*'): Promise<void> {
  const options = { headers: { Accept: accept } };
  let response = await send(path, options);
  if (response.status === 401 && (await session.refresh())) response = await send(path, options);
  if (!response.ok) throw referenced(failureOf(response.status, parse(await response.text())), response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const token = options.anonymous ? null : session.accessToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  return fetch(withQuery(path, options.query), {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A server failure (5xx) names the request's correlation id, so that the person can pass it on and
 * the log lines of that request can be found (the server logs them with it).
 */
function referenced(failure: ApiFailure, response: Response): ApiFailure {
  const reference = response.headers.get('X-Correlation-Id');
  if (failure.status < 500 || reference === null) return failure;
  return new ApiFailure(
    failure.status,
    failure.code,
    `${failure.message} Geef bij een melding deze referentie door: ${reference}.`,
    { ...failure.details, reference },
  );
}

function failureOf(status: number, body: unknown): ApiFailure {
  if (body && typeof body === 'object' && 'code' in body) {
    const { code, message, details, ...rest } = body as Record<string, unknown>;
    const nested = details && typeof details === 'object' ? (details as Record<string, unknown>) : {};
    return new ApiFailure(status, String(code), typeof message === 'string' ? message : 'Er ging iets mis.', {
      ...rest,
      ...nested,
    });
  }
  if (status === 0 || status >= 500) {
    return new ApiFailure(
      status,
      'SERVER_ERROR',
      'De server kon je vraag niet verwerken. Probeer het later opnieuw.',
    );
  }
  return new ApiFailure(status, 'HTTP_' + status, `De server antwoordde met status ${status}.`);
}
