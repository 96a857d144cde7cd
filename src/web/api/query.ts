import { QueryClient } from '@tanstack/react-query';

/**
 * The one cache of API reads (TanStack Query), keyed by URL. Reads are shared between the
 * components that show them and refetched when a write may have changed them (see `invalidateAfter`).
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // API errors are answers (404, 403…), not glitches: show them at once, do not retry.
      retry: false,
      refetchOnWindowFocus: false,
    },
  },
});

/**
 * After a successful write, the cached reads it may have changed: every read under the same
 * municipality (or, outside one, under the same first path segment after /api/v1/), plus the
 * current person's notices and session. Broad on purpose: a mounted page refetches what it shows,
 * an unmounted one only marks it stale, and a missed dependency would show old data.
 */
export function invalidateAfter(url: string) {
  const path = url.split('?')[0];
  const m = /^\/api\/v1\/municipalities\/([^/]+)/.exec(path);
  const scope = m ? `/api/v1/municipalities/${m[1]}` : `/api/v1/${path.replace(/^\/api\/v1\//, '').split('/')[0]}`;
  return queryClient.invalidateQueries({
    predicate: (q) => {
      const key = String(q.queryKey[0]);
      return (
        key.startsWith(scope) ||
        key.startsWith('/api/v1/me/') ||
        key.startsWith('/api/v1/auth/me') ||
        (!!m && key.startsWith('/api/v1/admin/'))
      );
    },
  });
}
