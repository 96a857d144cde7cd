/** Reading the OpenAPI document in tests: a value that passes a schema, for sweeps over every route. */

export type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  minProperties?: number;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

const SAMPLES = ['2026-T1', '32056', '123456', 'FISM-DF', 'PRUEBA', 'Texto de prueba', 'abc'];
export function sample(s: Schema): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(alt.find((a) => a.type !== 'null') ?? alt[0]);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object':
      // A PATCH body names at least one field (minProperties): the first one then.
      return Object.fromEntries(
        [...new Set([...(s.required ?? []), ...(s.minProperties ? Object.keys(s.properties ?? {}).slice(0, s.minProperties) : [])])].map(
          (k) => [k, sample(s.properties![k])],
        ),
      );
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items ?? {}));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string': {
      if (s.format === 'date') return '2026-01-01';
      if (s.format === 'date-time') return '2026-01-01T10:00:00Z';
      if (s.format === 'email') return 'prueba@example.mx';
      const re = s.pattern ? new RegExp(s.pattern) : null;
      const hit = SAMPLES.find((x) => (!re || re.test(x)) && x.length >= (s.minLength ?? 0));
      return hit ?? 'x'.repeat(Math.max(3, s.minLength ?? 3));
    }
    default:
      return {};
  }
}
