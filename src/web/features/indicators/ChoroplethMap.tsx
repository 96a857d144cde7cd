import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiUrl, get } from '../../api/client.ts';
import { TerritoryMap, type MapLayer } from '../../components/TerritoryMap.tsx';
import { extent } from '../../components/geo.ts';
import { fmt } from '../../i18n/index.ts';
import type { ValueRow } from '../../api/indicators/index.ts';

// A neutral sequential ramp: darker means more, not better (for some indicators less is better).
const RAMP = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'];

/** Class breaks by quantiles (five classes, fewer when there are few distinct values). */
export function quantileBreaks(values: number[], classes = 5): number[] {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return [];
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) breaks.push(v[Math.floor((i * v.length) / classes)]);
  return [...new Set(breaks)].filter((b) => b > v[0]);
}

export function ChoroplethMap(props: {
  municipalityId: string;
  valuesUrl: ApiUrl<'get'>;
  level: string;
  bbox: [number, number, number, number] | null;
  decimals: number;
  unit: string;
}) {
  const { t } = useTranslation();
  const [geo, setGeo] = useState<GeoJSON.FeatureCollection | null>(null);
  const [rows, setRows] = useState<ValueRow[] | null>(null);
  useEffect(() => {
    void get<GeoJSON.FeatureCollection>(
      `/api/v1/municipalities/${props.municipalityId}/units.geojson?level=${props.level}&tolerance=0.0001`,
    ).then(setGeo);
  }, [props.municipalityId, props.level]);
  useEffect(() => {
    void get<ValueRow[]>(props.valuesUrl).then(setRows);
  }, [props.valuesUrl]);
  const { data, breaks } = useMemo(() => {
    if (!geo || !rows) return { data: null, breaks: [] as number[] };
    const byKey = new Map(rows.map((r) => [r.cvegeo, r]));
    const values = rows.filter((r) => r.valor !== null).map((r) => r.valor!);
    const features = geo.features.map((f) => {
      const r = byKey.get(String(f.properties?.cvegeo));
      const label = r?.valor == null ? (r?.motivo ?? t('ind.noData')) : `${fmt.dec(r.valor, props.decimals)} ${props.unit}`;
      return { ...f, properties: { ...f.properties, valor: r?.valor ?? null, label } };
    });
    return { data: { type: 'FeatureCollection', features } as GeoJSON.FeatureCollection, breaks: quantileBreaks(values) };
  }, [geo, rows, props.decimals, props.unit, t]);
  const fill = useMemo(
    () => [
      'case',
      ['==', ['get', 'valor'], null],
      '#d9d9d9',
      ['step', ['get', 'valor'], RAMP[0], ...breaks.flatMap((b, i) => [b, RAMP[Math.min(i + 1, RAMP.length - 1)]])],
    ],
    [breaks],
  );
  // Fit the units that have geometry (the city), not the whole municipality.
  const bounds = useMemo(() => (geo ? extent(geo) : props.bbox), [geo, props.bbox]);
  const layers: MapLayer[] = data
    ? [{ id: 'valores', label: props.level, url: data, color: '#0b5d4b', visible: true, fill, fillOpacity: 0.75 }]
    : [];
  const edges = rows ? [Math.min(...rows.filter((r) => r.valor !== null).map((r) => r.valor!)), ...breaks] : [];
  return (
    <div className="choropleth" data-testid="choropleth">
      <TerritoryMap bbox={bounds} layers={layers} ariaLabel={t('ind.map', { level: props.level })} />
      {breaks.length > 0 && (
        // biome-ignore lint/a11y/useSemanticElements: a fieldset is for form controls; this names a group of legend entries.
        <div className="legend" role="group" aria-label={t('ind.legend')}>
          {edges.map((e, i) => (
            <span key={i} className="legend-item">
              <span className="swatch" style={{ background: RAMP[i] }} aria-hidden="true" /> {i === edges.length - 1 ? '≥ ' : ''}
              {fmt.dec(e, props.decimals)}
              {i < edges.length - 1 ? ` – ${fmt.dec(edges[i + 1], props.decimals)}` : ''}
            </span>
          ))}
          <span className="legend-item">
            <span className="swatch" style={{ background: '#d9d9d9' }} aria-hidden="true" /> {t('ind.noData')}
          </span>
        </div>
      )}
    </div>
  );
}
