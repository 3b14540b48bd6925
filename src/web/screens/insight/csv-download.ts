import { download, withQuery, type RequestOptions } from '../../api/client';

/**
 * Downloads a route's CSV representation: the API picks CSV by `Accept: text/csv` (these routes
 * answer any other type with JSON). The shared `download()` brings the token, its refresh and the
 * Dutch failures.
 */
export function downloadCsv(path: string, query: RequestOptions['query'], fileName: string): Promise<void> {
  return download(withQuery(path, query), fileName, 'text/csv');
}
