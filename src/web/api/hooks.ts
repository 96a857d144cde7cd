import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiError, get } from './client.ts';

export interface Loadable<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** Loads a GET resource; reloads when the URL changes or reload() is called. null skips loading. */
export function useGet<T>(url: string | null): Loadable<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(!!url);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is how reload() asks for the same URL again.
  useEffect(() => {
    if (!url) return;
    let live = true;
    setLoading(true);
    get<T>(url)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(e instanceof ApiError ? e : new ApiError(0, 'BRJ_ERR_NETWORK', String(e))))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [url, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/**
 * The address's query as filter state: `set(k, v)` writes one parameter (empty removes it) and drops
 * `resets` (e.g. the page number when a filter changes), replacing the history entry.
 */
export function useQueryState(resets: string[] = []) {
  const [params, setParams] = useSearchParams();
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.delete(k);
    if (v) next.set(k, v);
    for (const r of resets) if (r !== k) next.delete(r);
    setParams(next, { replace: true });
  };
  return { params, setParams, set };
}
