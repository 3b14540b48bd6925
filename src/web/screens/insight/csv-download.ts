import { api, withQuery, type RequestOptions } from '../../api/client';

/**
 * Downloads a route's CSV representation: the API picks CSV by `Accept: text/csv` (the shared
 * `download()` asks for any type, which these routes answer with JSON). Goes through `api()`, so
 * the token, its refresh and the Dutch failures are the same as everywhere.
 */
export async function downloadCsv(
  path: string,
  query: RequestOptions['query'],
  fileName: string,
): Promise<void> {
  const { body } = await api<unknown>(withQuery(path, query), { headers: { Accept: 'text/csv' } });
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
