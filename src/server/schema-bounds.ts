/**
 * Defaults that keep every input the schemas accept storable in PostgreSQL, applied to each route's
 * schema when it is registered (so the OpenAPI document states them too):
 * - integers without bounds fit an int4 column (a route that takes an int8 says so with its own bounds);
 * - numbers without bounds fit numeric(16, 2), the widest money column, and Infinity never passes;
 * - strings never hold NUL, which PostgreSQL's text cannot store, and required ones are not blank;
 * - a PATCH body names at least one field.
 */

export const INT4 = { minimum: -2147483648, maximum: 2147483647 } as const;
export const NUMERIC_16_2 = { minimum: -99999999999999, maximum: 99999999999999 } as const;
export const NO_NUL = '^[^\\u0000]*$';
// A required text (minLength ≥ 1) also needs a visible character: services trim before storing.
export const NOT_BLANK = '^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$';

type Json = Record<string, unknown>;

function bound(s: unknown, seen: Set<object>): void {
  if (!s || typeof s !== 'object' || seen.has(s)) return;
  seen.add(s);
  if (Array.isArray(s)) {
    for (const x of s) bound(x, seen);
    return;
  }
  const o = s as Json;
  const types = Array.isArray(o.type) ? o.type : [o.type];
  const limits = types.includes('integer') ? INT4 : types.includes('number') ? NUMERIC_16_2 : null;
  if (limits) {
    if (o.minimum === undefined && o.exclusiveMinimum === undefined) o.minimum = limits.minimum;
    if (o.maximum === undefined && o.exclusiveMaximum === undefined) o.maximum = limits.maximum;
  }
  if (types.includes('string') && o.pattern === undefined && o.format === undefined && o.enum === undefined && o.const === undefined) {
    o.pattern = typeof o.minLength === 'number' && o.minLength > 0 ? NOT_BLANK : NO_NUL;
  }
  for (const k of ['properties', 'patternProperties'])
    if (o[k] && typeof o[k] === 'object') for (const v of Object.values(o[k] as Json)) bound(v, seen);
  for (const k of ['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', 'not']) bound(o[k], seen);
}

export function boundRouteSchema(method: string | string[], schema: Json | undefined): void {
  if (!schema) return;
  const seen = new Set<object>();
  for (const part of ['body', 'querystring', 'params', 'headers']) bound(schema[part], seen);
  const body = schema.body as Json | undefined;
  const patch = Array.isArray(method) ? method.includes('PATCH') : method === 'PATCH';
  if (patch && body && body.type === 'object' && body.minProperties === undefined) body.minProperties = 1;
}

/**
 * Ajv's type coercion turns "Infinity" in a path or query into a number its range checks then skip
 * (they test only finite numbers), so non-finite values are refused after validation.
 */
export function nonFiniteField(...parts: unknown[]): string | null {
  for (const part of parts) {
    if (!part || typeof part !== 'object') continue;
    for (const [k, v] of Object.entries(part)) {
      for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'number' && !Number.isFinite(x)) return k;
    }
  }
  return null;
}

/** `GET /api/v1/municipalities/:municipalityId/plans/:planId` → `getMunicipalitiesPlansByPlanId`, unique per method and path. */
export function operationIdOf(method: string | string[], url: string): string {
  const m = (Array.isArray(method) ? method[0] : method).toLowerCase();
  const words = url
    .replace(/^\/api\/v1\//, '/')
    .split('/')
    .filter(Boolean)
    .map((seg) => (seg.startsWith(':') ? `by-${seg.slice(1)}` : seg))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return m + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}
