import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type RequestOptions } from '../api/client';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  etag: string | null;
  reload(): void;
}

/**
 * GETs `path` (again when path or query change, or on `reload()`), dropping answers that arrive
 * after a newer request; `null` as path waits.
 */
export function useApi<T>(path: string | null, query?: RequestOptions['query']): Loaded<T> {
  const [state, setState] = useState<Omit<Loaded<T>, 'reload'>>({
    data: undefined,
    error: undefined,
    loading: path !== null,
    etag: null,
  });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query ?? {});
  const latest = useRef(0);

  useEffect(() => {
    if (path === null) return;
    const id = ++latest.current;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    api<T>(path, { query: JSON.parse(key) as RequestOptions['query'], signal: controller.signal })
      .then((answer) => {
        if (id === latest.current)
          setState({ data: answer.body, error: undefined, loading: false, etag: answer.etag });
      })
      .catch((error: unknown) => {
        if (id === latest.current && !controller.signal.aborted)
          setState((s) => ({ ...s, error, loading: false }));
      });
    return () => controller.abort();
  }, [path, key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
