import { useEffect, useRef } from 'react';
import * as Plot from '@observablehq/plot';
import type { Ficha, ValueRow } from '../../api/indicators/index.ts';

export interface SeriesChartOptions {
  rows: ValueRow[];
  /** Disaggregated rows (sexo:mujer…), drawn as their own lines. */
  extra?: ValueRow[];
  ficha: Pick<Ficha, 'metas' | 'comparativos' | 'unidadMedida' | 'decimales'>;
  /** Name of the unit the series belongs to, e.g. "Zacatecas". */
  label: string;
  height?: number;
}

const COLORS = { valor: '#0b5d4b', meta: '#b3261e', nacional: '#6d4c9f', estatal: '#d68910' } as Record<string, string>;

/** Line chart of an indicator with its metas and comparison series; redrawn on resize, removed on unmount. */
export function SeriesChart({ rows, extra = [], ficha, label, height = 320 }: SeriesChartOptions) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const nf = new Intl.NumberFormat('es-MX', { maximumFractionDigits: ficha.decimales });
    const data = [
      ...rows.filter((r) => r.valor !== null).map((r) => ({ periodo: r.periodo, valor: r.valor!, serie: label })),
      ...extra
        .filter((r) => r.valor !== null)
        .map((r) => ({ periodo: r.periodo, valor: r.valor!, serie: `${label} · ${r.desagregacion.replace(':', ': ')}` })),
      ...ficha.comparativos
        .filter((c) => c.valor !== null)
        .map((c) => ({
          periodo: c.periodo,
          valor: c.valor!,
          serie: c.serie === 'nacional' ? 'Media nacional' : c.serie === 'estatal' ? 'Referencia estatal' : c.serie,
        })),
    ];
    const metas = ficha.metas.map((m) => ({
      periodo: m.trimestre ? `${m.anio}-T${m.trimestre}` : String(m.anio),
      valor: m.valor,
      serie: 'Meta',
    }));
    const periods = [...new Set([...data, ...metas].map((d) => d.periodo))].sort();
    const series = [...new Set(data.map((d) => d.serie))];
    const others = ['#2e86c1', '#c0392b', '#16a085', '#8e44ad', '#7f8c8d'];
    const color = (s: string) =>
      s === label
        ? COLORS.valor
        : s === 'Media nacional'
          ? COLORS.nacional
          : s === 'Referencia estatal'
            ? COLORS.estatal
            : others[series.indexOf(s) % others.length];
    const draw = () => {
      const chart = Plot.plot({
        width: el.clientWidth || 640,
        height,
        marginLeft: 64,
        style: { fontSize: '13px', background: 'transparent' },
        x: { label: null, type: 'point', domain: periods },
        y: { label: ficha.unidadMedida || null, grid: true, tickFormat: (d: number) => nf.format(d), zero: false },
        color: { legend: true, domain: [...series, 'Meta'], range: [...series.map(color), COLORS.meta] },
        marks: [
          Plot.lineY(data, { x: 'periodo', y: 'valor', stroke: 'serie', strokeWidth: 2 }),
          Plot.dot(data, {
            x: 'periodo',
            y: 'valor',
            fill: 'serie',
            r: 3,
            tip: true,
            title: (d: { serie: string; periodo: string; valor: number }) => `${d.serie} ${d.periodo}: ${nf.format(d.valor)}`,
          }),
          Plot.dot(metas, {
            x: 'periodo',
            y: 'valor',
            symbol: 'diamond',
            r: 6,
            stroke: COLORS.meta,
            fill: 'white',
            strokeWidth: 2,
            title: (d: { periodo: string; valor: number }) => `Meta ${d.periodo}: ${nf.format(d.valor)}`,
          }),
        ],
      });
      el.replaceChildren(chart);
    };
    draw();
    const ro = new ResizeObserver(() => draw());
    ro.observe(el);
    return () => {
      ro.disconnect();
      el.replaceChildren();
    };
  }, [rows, extra, ficha, label, height]);
  return <div ref={ref} className="chart" data-testid="series-chart" role="img" aria-label={`Gráfica de ${label}`} />;
}
