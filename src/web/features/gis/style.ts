import * as ss from 'simple-statistics';
import type { ExpressionSpecification, FilterSpecification } from 'maplibre-gl';
import type { Estilo } from '../../api/gis/index.ts';
import i18n, { fmt } from '../../i18n/index.ts';

export type { Estilo } from '../../api/gis/index.ts';

export interface Filtro {
  campo: string;
  op: '=' | '!=' | '>' | '>=' | '<' | '<=' | 'contiene';
  valor: string;
}

/** Sequential ramps (ColorBrewer) and a qualitative palette for categories. */
export const RAMPAS: Record<string, string[]> = {
  verdes: ['#edf8e9', '#c7e9c0', '#a1d99b', '#74c476', '#41ab5d', '#238b45', '#006d2c', '#00441b', '#002a10'],
  azules: ['#eff3ff', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b', '#041c40'],
  rojos: ['#fee5d9', '#fcbba1', '#fc9272', '#fb6a4a', '#ef3b2c', '#cb181d', '#a50f15', '#67000d', '#3d0008'],
  naranjas: ['#feedde', '#fdd0a2', '#fdae6b', '#fd8d3c', '#f16913', '#d94801', '#a63603', '#7f2704', '#4d1702'],
  morados: ['#f2f0f7', '#dadaeb', '#bcbddc', '#9e9ac8', '#807dba', '#6a51a3', '#54278f', '#3f007d', '#25004a'],
  semaforo: ['#d73027', '#f46d43', '#fdae61', '#fee08b', '#d9ef8b', '#a6d96a', '#66bd63', '#1a9850', '#006837'],
};
export const CATEGORICA = [
  '#1b9e77',
  '#d95f02',
  '#7570b3',
  '#e7298a',
  '#66a61e',
  '#e6ab02',
  '#a6761d',
  '#1f78b4',
  '#b2df8a',
  '#fb9a99',
  '#cab2d6',
  '#ffff99',
];
export const SIN_DATO = '#bdbdbd';

/** `n` colours spread over a ramp (light to dark). */
export function rampColors(name: string, n: number): string[] {
  const r = RAMPAS[name] ?? RAMPAS.verdes;
  if (n <= 1) return [r[Math.floor(r.length / 2)]];
  return Array.from({ length: n }, (_, i) => r[Math.round((i * (r.length - 1)) / (n - 1))]);
}

/** The MapLibre colour expression of a style. */
export function colorExpression(e: Estilo): ExpressionSpecification | string {
  if (e.tipo === 'categorias' && e.campo && e.categorias?.length) {
    const pairs = e.categorias.filter((c) => c.valor !== null).flatMap((c) => [String(c.valor), c.color]);
    const nullColor = e.categorias.find((c) => c.valor === null)?.color ?? e.color ?? SIN_DATO;
    if (!pairs.length) return nullColor;
    return [
      'case',
      ['!', ['has', e.campo]],
      nullColor,
      ['match', ['to-string', ['get', e.campo]], ...pairs, e.color ?? SIN_DATO],
    ] as unknown as ExpressionSpecification;
  }
  if (e.tipo === 'graduado' && e.campo && e.colores?.length) {
    if (!e.cortes?.length)
      return ['case', ['==', ['typeof', ['get', e.campo]], 'number'], e.colores[0], SIN_DATO] as unknown as ExpressionSpecification;
    const steps = e.cortes.flatMap((c, i) => [c, e.colores![Math.min(i + 1, e.colores!.length - 1)]]);
    return [
      'case',
      ['==', ['typeof', ['get', e.campo]], 'number'],
      ['step', ['get', e.campo], e.colores[0], ...steps],
      SIN_DATO,
    ] as unknown as ExpressionSpecification;
  }
  return e.color ?? '#0b5d4b';
}

/** Legend rows of a style: a colour and what it means. */
export function legendOf(e: Estilo, decimals = 2): { color: string; label: string }[] {
  if (e.tipo === 'categorias' && e.categorias) {
    return [
      ...e.categorias.map((c) => ({ color: c.color, label: c.etiqueta ?? (c.valor === null ? i18n.t('viewer.noData') : String(c.valor)) })),
      { color: e.color ?? SIN_DATO, label: i18n.t('viewer.others') },
    ];
  }
  if (e.tipo === 'graduado' && e.colores) {
    const c = e.cortes ?? [];
    if (!c.length)
      return [
        { color: e.colores[0], label: i18n.t('viewer.allValues') },
        { color: SIN_DATO, label: i18n.t('viewer.noData') },
      ];
    const f = (v: number) => fmt.dec(v, Number.isInteger(v) ? 0 : decimals);
    return [
      ...e.colores.slice(0, c.length + 1).map((color, i) => ({
        color,
        label: i === 0 ? `< ${f(c[0])}` : i === c.length ? `≥ ${f(c[i - 1])}` : `${f(c[i - 1])} – ${f(c[i])}`,
      })),
      { color: SIN_DATO, label: i18n.t('viewer.noData') },
    ];
  }
  return [{ color: e.color ?? '#0b5d4b', label: '' }];
}

/** Class breaks computed in the browser for GeoJSON layers (territory, actions, indicators). */
export function classifyValues(values: number[], metodo: 'igual' | 'cuantiles' | 'naturales', clases: number): number[] {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length < 2) return [];
  let cortes: number[];
  if (metodo === 'igual') cortes = ss.equalIntervalBreaks(v, clases).slice(1, -1);
  else if (metodo === 'cuantiles') cortes = Array.from({ length: clases - 1 }, (_, i) => ss.quantileSorted(v, (i + 1) / clases));
  else
    cortes = ss
      .ckmeans(v, Math.min(clases, new Set(v).size))
      .slice(1)
      .map((g) => g[0]);
  const round = (x: number) => Number(x.toPrecision(6));
  return [...new Set(cortes.map(round))].filter((c) => c > v[0] && c <= v[v.length - 1]);
}

/** A MapLibre filter from the viewer's attribute filter (numbers compared as numbers). */
export function filterExpression(f: Filtro | undefined, numeric: boolean): FilterSpecification | null {
  if (!f?.campo || f.valor === '') return null;
  const get = ['get', f.campo];
  if (f.op === 'contiene') return ['in', f.valor.toLowerCase(), ['downcase', ['to-string', get]]] as unknown as FilterSpecification;
  const n = Number(f.valor.replace(',', '.'));
  const value = numeric && Number.isFinite(n) ? n : f.valor;
  const lhs = numeric && Number.isFinite(n) ? ['to-number', get] : ['to-string', get];
  return ['all', ['has', f.campo], [f.op, lhs, value]] as unknown as FilterSpecification;
}
