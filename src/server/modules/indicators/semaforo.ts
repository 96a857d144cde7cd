export type Semaforo = 'verde' | 'amarillo' | 'rojo';
export type Sentido = 'ascendente' | 'descendente';

/**
 * Traffic light of a value against its meta. The shortfall is how far the value falls short of the
 * meta in the indicator's direction, as a percentage of the meta: green up to `verde` % (default 5),
 * yellow up to `amarillo` % (default 15), red beyond. Meeting or beating the meta is green.
 *
 * @example semaforo(95, 100, 'ascendente') // 'verde' (5 % short: the edge is green)
 */
export function semaforo(value: number | null, meta: number | null, sentido: Sentido, verde = 5, amarillo = 15): Semaforo | null {
  if (value == null || meta == null) return null;
  const shortfall = sentido === 'ascendente' ? meta - value : value - meta;
  if (shortfall <= 0) return 'verde';
  if (meta === 0) return 'rojo';
  const pct = (shortfall / Math.abs(meta)) * 100;
  // Rounded to 9 decimals so 95 against 100 is exactly 5 %, not 5.000000000000001 %.
  const p = Math.round(pct * 1e9) / 1e9;
  if (p <= verde) return 'verde';
  if (p <= amarillo) return 'amarillo';
  return 'rojo';
}

/**
 * Progress towards the meta in percent: from the baseline when there is one
 * ((value − base) / (meta − base)), else value / meta (ascendente) or meta / value (descendente).
 */
export function avance(value: number | null, meta: number | null, sentido: Sentido, base: number | null = null): number | null {
  if (value == null || meta == null) return null;
  if (base != null && meta !== base) return ((value - base) / (meta - base)) * 100;
  if (sentido === 'ascendente') return meta === 0 ? null : (value / meta) * 100;
  return value === 0 ? null : (meta / value) * 100;
}

/** The meta that applies to a period: the quarter's when there is one, else the year's. */
export function metaFor(periodo: string, metas: { anio: number; trimestre: number | null; valor: number }[]): number | null {
  const anio = Number(periodo.slice(0, 4));
  const q = /-T([1-4])$/.exec(periodo)?.[1];
  const m = /-(\d{2})$/.exec(periodo)?.[1];
  const trimestre = q ? Number(q) : m ? Math.ceil(Number(m) / 3) : null;
  if (trimestre) {
    const exact = metas.find((t) => t.anio === anio && t.trimestre === trimestre);
    if (exact) return exact.valor;
  }
  return metas.find((t) => t.anio === anio && t.trimestre === null)?.valor ?? null;
}
