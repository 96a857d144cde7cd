import type { ApiPaths } from './paths.ts';
import { invalidateAfter } from './query.ts';

/**
 * A URL of the API's contract for a method (src/web/api/paths.ts, generated from the OpenAPI
 * document), with or without a query string: a typo or a removed route does not compile.
 */
export type ApiUrl<M extends keyof ApiPaths> = ApiPaths[M] | `${ApiPaths[M]}?${string}`;

/** The one fetcher: JSON in and out, CSRF header on writes, API errors as ApiError with a Spanish message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

async function csrf(): Promise<string> {
  if (!csrfToken) {
    const r = await fetch('/api/v1/auth/csrf', { credentials: 'same-origin' });
    csrfToken = (await r.json()).token;
  }
  return csrfToken!;
}

export async function api<T>(method: string, url: string, body?: unknown, retry = true, extra: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { ...extra };
  if (method !== 'GET') headers['x-csrf-token'] = await csrf();
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  const send = () =>
    fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
  let res = await send();
  // An overloaded server refuses before doing anything (reads and writes alike), so the request is
  // sent again after the Retry-After it asks for, up to three times.
  for (let i = 0; i < 3 && res.status === 503 && res.headers.has('retry-after'); i++) {
    await new Promise((r) => setTimeout(r, Math.min(10, Number(res.headers.get('retry-after')) || 1) * 1000));
    res = await send();
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    if (res.status === 403 && data?.code === 'BRJ_ERR_CSRF' && retry) {
      csrfToken = null;
      return api<T>(method, url, body, false, extra);
    }
    throw new ApiError(res.status, data?.code ?? 'BRJ_ERR_INTERNAL', data?.message ?? res.statusText, data?.details);
  }
  if (method !== 'GET') void invalidateAfter(url);
  return data as T;
}

export const get = <T>(url: ApiUrl<'get'>) => api<T>('GET', url);
export const post = <T>(url: ApiUrl<'post'>, body?: unknown) => api<T>('POST', url, body ?? {});
export const patch = <T>(url: ApiUrl<'patch'>, body?: unknown) => api<T>('PATCH', url, body ?? {});
export const del = <T>(url: ApiUrl<'delete'>) => api<T>('DELETE', url);

/** Query string from an object, skipping empty values. */
export const qs = (o: Record<string, string | number | boolean | undefined | null>): '' | `?${string}` => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};
