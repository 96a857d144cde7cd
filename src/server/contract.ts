import type { RouteOptions } from 'fastify';
import { ErrorRef } from './schemas.ts';
import { operationIdOf } from './schema-bounds.ts';

/**
 * What every documented operation states without each route repeating it, derived from the same
 * mechanisms that produce it at run time:
 * - a stable operationId from its method and path;
 * - its security, unless the route states it (sign-in answers 401 for a wrong password): a route
 *   that declares 401 needs a session (or a department's API token, which acts
 *   as an enlace on any route); any other is open, with an optional session that may show more;
 *   every state-changing call outside Open311 also needs the CSRF header (plugins/auth.ts);
 * - the errors the framework answers for it: 400 when it validates params, query or body, 403 when
 *   CSRF applies, 429 when it is rate-limited.
 */
type Schema = {
  operationId?: string;
  hide?: boolean;
  security?: Record<string, string[]>[];
  params?: unknown;
  querystring?: unknown;
  body?: unknown;
  consumes?: string[];
  response?: Record<string, unknown>;
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function documentRoute(route: RouteOptions): void {
  const schema = (route.schema ??= {}) as Schema;
  schema.operationId ??= operationIdOf(route.method, route.url);
  // Hidden routes (OGC API, tiles) have their own document; Open311 answers errors in its own shape.
  if (schema.hide || route.url.startsWith('/open311/')) return;
  const method = Array.isArray(route.method) ? route.method[0] : route.method;
  const unsafe = UNSAFE.has(method);
  const response = schema.response ?? {};
  const signedIn = '401' in response;
  const csrf: Record<string, string[]> = unsafe ? { csrf: [] } : {};
  schema.security ??= signedIn ? [{ sesion: [], ...csrf }, { tokenDependencia: [] }] : unsafe ? [csrf] : [{}, { sesion: [] }];
  const add = (code: number) => {
    if (!(code in response)) schema.response = Object.assign(response, { [code]: ErrorRef });
  };
  if (schema.params || schema.querystring || schema.body || schema.consumes) add(400);
  if (unsafe) add(403);
  const config = route.config as { rateLimit?: unknown } | undefined;
  if (config?.rateLimit) add(429);
}
