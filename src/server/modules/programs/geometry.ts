import type { Static } from 'typebox';
import { AppError } from '../../errors.ts';
import type { Geometry } from '../../schemas.ts';

export type GeoJsonGeometry = Static<typeof Geometry>;

const TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'];

/**
 * Checks a location before PostGIS sees it: lon/lat in range, lines with two points, closed rings
 * of four. (PGlite's PostGIS aborts on some degenerate rings instead of reporting them.)
 */
export function checkGeometry(g: GeoJsonGeometry): void {
  const bad = (m: string) => new AppError('BRJ_ERR_VALIDATION', `Ubicación no válida: ${m}`);
  if (!TYPES.includes(g.type)) throw bad(`tipo «${g.type}»; use punto, línea o polígono.`);
  const point = (p: unknown) => {
    if (!Array.isArray(p) || p.length < 2 || !p.slice(0, 2).every((n) => typeof n === 'number' && Number.isFinite(n)))
      throw bad('cada coordenada es [longitud, latitud].');
    const [x, y] = p as number[];
    if (x < -180 || x > 180 || y < -90 || y > 90)
      throw bad(`la coordenada [${x}, ${y}] está fuera de rango (se esperan grados, EPSG:4326).`);
  };
  const line = (l: unknown, min: number) => {
    if (!Array.isArray(l) || l.length < min) throw bad(`se requieren al menos ${min} puntos.`);
    l.forEach(point);
  };
  const polygon = (rings: unknown) => {
    if (!Array.isArray(rings) || rings.length === 0) throw bad('el polígono no tiene anillos.');
    for (const r of rings as number[][][]) {
      line(r, 4);
      const [a, b] = [r[0], r[r.length - 1]];
      if (a[0] !== b[0] || a[1] !== b[1]) throw bad('el anillo del polígono no está cerrado.');
    }
  };
  const c = g.coordinates;
  const many = (f: (x: unknown) => void) => {
    if (!Array.isArray(c) || c.length === 0) throw bad('la geometría está vacía.');
    c.forEach(f);
  };
  switch (g.type) {
    case 'Point':
      point(c);
      return;
    case 'MultiPoint':
      many(point);
      return;
    case 'LineString':
      line(c, 2);
      return;
    case 'MultiLineString':
      many((l) => line(l, 2));
      return;
    case 'Polygon':
      polygon(c);
      return;
    case 'MultiPolygon':
      many(polygon);
      return;
  }
}
