import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ApiError, type ApiUrl, get } from './client.ts';

export interface Loadable<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads a GET resource through the shared cache (TanStack Query): components showing the same URL
 * share one request, a write refetches what it may have changed (`invalidateAfter`), and while a
 * new URL loads the previous data stays on screen. null skips loading.
 */
export function useGet<T>(url: ApiUrl<'get'> | null): Loadable<T> {
  const q = useQuery<T, ApiError>({
    queryKey: [url],
    queryFn: async () => {
      try {
        return await get<T>(url!);
      } catch (e) {
        throw e instanceof ApiError ? e : new ApiError(0, 'BRJ_ERR_NETWORK', String(e));
      }
    },
    enabled: !!url,
    placeholderData: keepPreviousData,
  });
  const { refetch } = q;
  const reload = useCallback(() => void refetch(), [refetch]);
  return { data: url ? q.data : undefined, error: q.error, loading: !!url && q.isFetching, reload };
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
