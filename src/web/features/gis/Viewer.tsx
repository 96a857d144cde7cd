import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import * as maplibregl from 'maplibre-gl';
import type { ExpressionSpecification, GeoJSONSource, LayerSpecification, VectorTileSource } from 'maplibre-gl';
import turfArea from '@turf/area';
import turfLength from '@turf/length';
import { ApiError, get } from '../../api/client.ts';
import { type LayerSummary, layerClasses, layerValues, ogcFeature, updateLayer, useLayers } from '../../api/gis/index.ts';
import { useGet } from '../../api/hooks.ts';
import type { MunicipalityDetail } from '../../api/territory/index.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox } from '../../components/Status.tsx';
import { basemapChoices, baseStyle, newMap } from '../../components/TerritoryMap.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { LEVEL_LABEL, loadLayerDef, type LayerDef } from './layer-defs.ts';
import {
  CATEGORICA,
  classifyValues,
  colorExpression,
  filterExpression,
  legendOf,
  RAMPAS,
  rampColors,
  type Estilo,
  type Filtro,
} from './style.ts';
import { decodeView, encodeView, type View, type ViewLayer } from './view-state.ts';
import type { IndicatorSummary } from '../../api/indicators/index.ts';

interface Hit {
  key: string;
  title: string;
  id: string | number | undefined;
  props: Record<string, unknown>;
}
type Tool = 'identificar' | 'distancia' | 'area';

const layerIds = (key: string) => [`l:${key}:fill`, `l:${key}:line`, `l:${key}:circle`, `l:${key}:heat`];

/** The estilo in force: the unsaved one of the view, else the layer's. */
const styleOf = (def: LayerDef, vl: ViewLayer) => vl.estilo ?? def.estilo;

/** Attributes low-zoom tiles must carry for this view (styled or filtered fields not saved with the layer). */
function tileFields(def: LayerDef, vl: ViewLayer) {
  const f = new Set<string>();
  const e = styleOf(def, vl);
  if (e.campo) f.add(e.campo);
  if (vl.filtro?.campo) f.add(vl.filtro.campo);
  return [...f].sort();
}

function tilesUrl(def: LayerDef, vl: ViewLayer) {
  const campos = tileFields(def, vl);
  return `${window.location.origin}/tiles/${def.slug}/{z}/{x}/{y}.mvt?v=${def.version}${campos.length ? `&campos=${encodeURIComponent(campos.join(','))}` : ''}`;
}

// MapLibre reports Multi* types for multi-part GeoJSON features.
const IS_POLYGON: ExpressionSpecification = ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false];
const IS_POINT: ExpressionSpecification = ['match', ['geometry-type'], ['Point', 'MultiPoint'], true, false];

/** MapLibre style layers for one view layer (bottom to top: fill, line, circle). */
function styleLayers(def: LayerDef, vl: ViewLayer): LayerSpecification[] {
  if (def.heat) {
    return [
      {
        id: `l:${def.key}:heat`,
        type: 'heatmap',
        source: `s:${def.key}`,
        layout: { visibility: vl.visible ? 'visible' : 'none' },
        paint: {
          'heatmap-weight': ['sqrt', ['/', ['get', 'n'], ['get', 'max']]],
          'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 10, 0.9, 16, 0.5],
          'heatmap-radius': ['interpolate', ['exponential', 1.5], ['zoom'], 10, 14, 13, 34, 16, 90],
          'heatmap-opacity': 0.75 * vl.opacity,
          'heatmap-color': [
            'interpolate',
            ['linear'],
            ['heatmap-density'],
            0,
            'rgba(255,255,178,0)',
            0.2,
            '#fed976',
            0.4,
            '#feb24c',
            0.6,
            '#fd8d3c',
            0.8,
            '#f03b20',
            1,
            '#bd0026',
          ],
        },
      } as LayerSpecification,
    ];
  }
  const e = styleOf(def, vl);
  const color = colorExpression(e) as never;
  const numeric = def.fields.find((f) => f.name === vl.filtro?.campo)?.type;
  const filter = filterExpression(vl.filtro, numeric === 'number' || numeric === 'integer');
  const source = `s:${def.key}`;
  const sourceLayer = def.slug ? { 'source-layer': def.slug } : {};
  const visibility = vl.visible ? 'visible' : 'none';
  const base = { source, ...sourceLayer, layout: { visibility }, ...(filter ? { filter } : {}) };
  const fillOpacity = (e.opacidad ?? (e.tipo === 'unico' ? 0.35 : 0.75)) * vl.opacity;
  const out: LayerSpecification[] = [];
  if (def.geometry === 'polygon' || def.geometry === 'mixed') {
    out.push({
      id: `l:${def.key}:fill`,
      type: 'fill',
      ...base,
      filter: ['all', IS_POLYGON, ...(filter ? [filter as ExpressionSpecification] : [])],
      paint: { 'fill-color': color, 'fill-opacity': fillOpacity },
    } as LayerSpecification);
  }
  const polygonOutline = def.geometry === 'polygon';
  out.push({
    id: `l:${def.key}:line`,
    type: 'line',
    ...base,
    ...(def.geometry === 'mixed' ? { filter: ['all', ['!', IS_POINT], ...(filter ? [filter as ExpressionSpecification] : [])] } : {}),
    layout: { visibility: def.geometry === 'point' ? 'none' : visibility, 'line-join': 'round' },
    paint: polygonOutline
      ? {
          'line-color': e.tipo === 'unico' ? color : '#37474f',
          'line-width': e.tipo === 'unico' ? 1.4 : 0.5,
          'line-opacity': 0.9 * vl.opacity,
        }
      : { 'line-color': color, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.5, 16, 4], 'line-opacity': vl.opacity },
  } as LayerSpecification);
  if (def.geometry === 'point' || def.geometry === 'mixed') {
    out.push({
      id: `l:${def.key}:circle`,
      type: 'circle',
      ...base,
      ...(def.geometry === 'mixed' ? { filter: ['all', IS_POINT, ...(filter ? [filter as ExpressionSpecification] : [])] } : {}),
      paint: {
        'circle-color': color,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 3, 16, 7],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
        'circle-opacity': vl.opacity,
        'circle-stroke-opacity': vl.opacity,
      },
    } as LayerSpecification);
  }
  return out;
}

const fmtLength = (km: number) => (km < 1 ? `${fmt.int(Math.round(km * 1000))} m` : `${fmt.dec(km, 2)} km`);
const fmtArea = (m2: number) =>
  m2 < 10_000 ? `${fmt.int(Math.round(m2))} m²` : m2 < 1_000_000 ? `${fmt.dec(m2 / 10_000, 2)} ha` : `${fmt.dec(m2 / 1_000_000, 2)} km²`;

/**
 * The map viewer: catalogue layers (vector tiles) and live layers of other modules (territory, POA
 * actions with progress, indicator values) with legends, styles, filters, identify, place search,
 * measuring, a shareable address, PNG export and a print layout.
 */
export function Viewer() {
  const { t } = useTranslation();
  const { municipalityId } = useParams();
  const mid = municipalityId!;
  const [params, setParams] = useSearchParams();
  const { config, can } = useSession();
  const muni = useGet<MunicipalityDetail>(`/api/v1/municipalities/${mid}`);
  const catalogue = useLayers(mid);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the view in the address when the page opened; later views come from the map itself.
  const initial = useMemo(() => decodeView(params), []);
  const [view, setView] = useState<View | null>(initial);
  const [defs, setDefs] = useState<Record<string, LayerDef | { error: string }>>({});
  const [hits, setHits] = useState<Hit[]>([]);
  const [hitIndex, setHitIndex] = useState(0);
  const [tool, setTool] = useState<Tool>('identificar');
  // On a phone the layer panel is a bottom sheet over the map, closed until asked for.
  const [sheetOpen, setSheetOpen] = useState(false);
  const [measure, setMeasure] = useState<[number, number][]>([]);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const [idle, setIdle] = useState(false);
  const mapEl = useRef<HTMLDivElement>(null);
  const map = useRef<maplibregl.Map | null>(null);
  const toolRef = useRef<Tool>(tool);
  toolRef.current = tool;
  const viewRef = useRef(view);
  viewRef.current = view;
  const defsRef = useRef(defs);
  defsRef.current = defs;

  // Without a shared view: the municipality's public catalogue layers.
  useEffect(() => {
    if (view || !catalogue.data) return;
    setView({
      center: null,
      zoom: null,
      layers: catalogue.data.slice(0, 8).map((l) => ({ key: `capa:${l.slug}`, visible: true, opacity: 1 })),
    });
  }, [catalogue.data, view]);

  // Load the definition of every layer in the view.
  useEffect(() => {
    for (const l of view?.layers ?? []) {
      if (defs[l.key]) continue;
      setDefs((d) => ({ ...d, [l.key]: { error: '' } }));
      loadLayerDef(l.key, mid)
        .then((def) => setDefs((d) => ({ ...d, [l.key]: def })))
        .catch((e: Error) => setDefs((d) => ({ ...d, [l.key]: { error: e.message || t('viewer.layerError') } })));
    }
  }, [view?.layers, defs, mid, t]);

  // The map, once we know where to look.
  const start = !!(view && (view.center || muni.data));
  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once per basemap; the municipality and the labels only shape its first view.
  useEffect(() => {
    if (!start || !config || !mapEl.current || map.current) return;
    const v = viewRef.current!;
    const m = newMap({
      container: mapEl.current,
      style: baseStyle(config, v.base),
      ...(v.center && v.zoom !== null
        ? { center: v.center, zoom: v.zoom }
        : { bounds: muni.data?.bbox ?? [-102.7, 22.6, -102.4, 22.9], fitBoundsOptions: { padding: 20 } }),
      attributionControl: { compact: true },
      locale: {
        'NavigationControl.ZoomIn': t('viewer.zoomIn'),
        'NavigationControl.ZoomOut': t('viewer.zoomOut'),
        'NavigationControl.ResetBearing': t('viewer.north'),
        'AttributionControl.ToggleAttribution': t('viewer.attribution'),
      },
      // Lets the canvas be read back for the PNG export.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    m.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
    m.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    m.on('load', () => {
      m.addSource('medicion', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      m.addLayer({
        id: 'medicion-fill',
        type: 'fill',
        source: 'medicion',
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': '#ff6f00', 'fill-opacity': 0.15 },
      });
      m.addLayer({
        id: 'medicion-line',
        type: 'line',
        source: 'medicion',
        paint: { 'line-color': '#ff6f00', 'line-width': 2, 'line-dasharray': [2, 1] },
      });
      m.addLayer({
        id: 'medicion-pt',
        type: 'circle',
        source: 'medicion',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-color': '#ff6f00', 'circle-radius': 4 },
      });
      // Place names stay readable above the layers (which go below the measurement).
      for (const l of m.getStyle().layers) if (l.type === 'symbol' && l.id.startsWith('b-')) m.moveLayer(l.id);
      setReady(true);
    });
    m.on('moveend', () => {
      const c = m.getCenter();
      setView((v) => (v ? { ...v, center: [c.lng, c.lat], zoom: m.getZoom() } : v));
    });
    m.on('idle', () => setIdle(true));
    m.on('dataloading', () => setIdle(false));
    m.on('click', (ev) => {
      if (toolRef.current !== 'identificar') {
        setMeasure((pts) => [...pts, [ev.lngLat.lng, ev.lngLat.lat]]);
        return;
      }
      const ids = (viewRef.current?.layers ?? [])
        .filter((l) => l.visible)
        .flatMap((l) => layerIds(l.key))
        .filter((id) => m.getLayer(id));
      const found = m.queryRenderedFeatures(
        [
          [ev.point.x - 5, ev.point.y - 5],
          [ev.point.x + 5, ev.point.y + 5],
        ],
        { layers: ids },
      );
      const seen = new Set<string>();
      const list: Hit[] = [];
      for (const f of found) {
        const key = f.layer.id.split(':').slice(1, -1).join(':');
        const uid = `${key}#${f.id ?? JSON.stringify(f.properties)}`;
        if (seen.has(uid)) continue;
        seen.add(uid);
        const def = defsRef.current[key];
        list.push({ key, title: def && 'title' in def ? def.title : key, id: f.id, props: f.properties });
      }
      setHits(list);
      setHitIndex(0);
    });
    map.current = m;
    // Browser tests reach the map through its element (to place clicks on known coordinates).
    (mapEl.current as HTMLDivElement & { map?: maplibregl.Map }).map = m;
    return () => {
      setReady(false);
      m.remove();
      map.current = null;
    };
  }, [start, config, view?.base]);

  // Draw the view's layers in order (the first in the list on top).
  useEffect(() => {
    const m = map.current;
    const style = m?.getStyle();
    if (!m || !ready || !view || !style) return;
    for (const l of style.layers) if (l.id.startsWith('l:')) m.removeLayer(l.id);
    for (const vl of [...view.layers].reverse()) {
      const def = defs[vl.key];
      if (!def || !('title' in def)) continue;
      const sid = `s:${def.key}`;
      if (def.slug) {
        const url = tilesUrl(def, vl);
        const src = m.getSource(sid) as VectorTileSource | undefined;
        if (!src) m.addSource(sid, { type: 'vector', tiles: [url], bounds: def.bbox ?? undefined, maxzoom: 22, attribution: '' });
        else if (src.tiles?.[0] !== url) src.setTiles([url]);
      } else if (!m.getSource(sid)) m.addSource(sid, { type: 'geojson', data: def.data! });
      for (const spec of styleLayers(def, vl)) m.addLayer(spec, 'medicion-fill');
    }
  }, [view, defs, ready]);

  // Heat layers follow the view: the server aggregates the calls for the visible area and zoom.
  const refreshHeat = useCallback(async () => {
    const m = map.current;
    if (!m) return;
    const b = m.getBounds();
    for (const vl of viewRef.current?.layers ?? []) {
      const def = defsRef.current[vl.key];
      if (!def || !('heat' in def) || !def.heat || !vl.visible) continue;
      const fc = await def.heat([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], m.getZoom());
      // The cell count of the busiest cell travels with each feature for the weight expression.
      for (const f of fc.features) f.properties = { ...f.properties, max: fc.max };
      (m.getSource(`s:${def.key}`) as GeoJSONSource | undefined)?.setData(fc);
    }
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the heat layers are fetched again when the layers shown or their definitions change.
  useEffect(() => {
    const m = map.current;
    if (!m || !ready) return;
    void refreshHeat();
    const on = () => void refreshHeat();
    m.on('moveend', on);
    return () => void m.off('moveend', on);
  }, [ready, defs, view?.layers, refreshHeat]);

  // Without a saved position, frame the layers once they are known.
  const framed = useRef(!!initial?.center);
  useEffect(() => {
    const m = map.current;
    if (framed.current || !m || !ready || !view?.layers.length) return;
    const loaded = view.layers.map((l) => defs[l.key]);
    if (loaded.some((d) => !d || ('error' in d && d.error === ''))) return;
    const boxes = loaded.flatMap((d) => (d && 'bbox' in d && d.bbox ? [d.bbox] : []));
    framed.current = true;
    if (boxes.length)
      m.fitBounds(
        [
          Math.min(...boxes.map((b) => b[0])),
          Math.min(...boxes.map((b) => b[1])),
          Math.max(...boxes.map((b) => b[2])),
          Math.max(...boxes.map((b) => b[3])),
        ],
        { padding: 30, maxZoom: 16, duration: 0 },
      );
  }, [defs, view?.layers, ready]);

  // The address always holds the current view (share = copy it).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new view writes the address; reading the address here must not trigger it.
  useEffect(() => {
    if (!view) return;
    const next = new URLSearchParams(params);
    next.delete('capas');
    next.set('vista', encodeView(view));
    if (next.toString() !== params.toString()) setParams(next, { replace: true });
  }, [view]);

  // Measuring: the drawn line or polygon and its length or area.
  // biome-ignore lint/correctness/useExhaustiveDependencies: drawn again once the map is ready, for a measurement started before it loaded.
  useEffect(() => {
    const src = map.current?.getSource('medicion') as GeoJSONSource | undefined;
    if (!src) return;
    const features: GeoJSON.Feature[] = measure.map((c) => ({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: c },
    }));
    if (measure.length > 1)
      features.push({
        type: 'Feature',
        properties: {},
        geometry:
          tool === 'area' && measure.length > 2
            ? { type: 'Polygon', coordinates: [[...measure, measure[0]]] }
            : { type: 'LineString', coordinates: measure },
      });
    src.setData({ type: 'FeatureCollection', features });
  }, [measure, tool, ready]);
  const measured = useMemo(() => {
    if (tool === 'distancia' && measure.length > 1)
      return fmtLength(
        turfLength({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: measure } }, { units: 'kilometers' }),
      );
    if (tool === 'area' && measure.length > 2)
      return fmtArea(turfArea({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...measure, measure[0]]] } }));
    return null;
  }, [measure, tool]);

  const update = useCallback(
    (key: string, change: Partial<ViewLayer>) =>
      setView((v) => v && { ...v, layers: v.layers.map((l) => (l.key === key ? { ...l, ...change } : l)) }),
    [],
  );
  const move = (key: string, delta: number) =>
    setView((v) => {
      if (!v) return v;
      const i = v.layers.findIndex((l) => l.key === key);
      const j = i + delta;
      if (j < 0 || j >= v.layers.length) return v;
      const layers = [...v.layers];
      [layers[i], layers[j]] = [layers[j], layers[i]];
      return { ...v, layers };
    });
  const remove = (key: string) => setView((v) => v && { ...v, layers: v.layers.filter((l) => l.key !== key) });
  const add = (key: string) =>
    setView((v) => (v && !v.layers.some((l) => l.key === key) ? { ...v, layers: [{ key, visible: true, opacity: 1 }, ...v.layers] } : v));
  const zoomTo = (def: LayerDef) => def.bbox && map.current?.fitBounds(def.bbox, { padding: 30, maxZoom: 16 });

  async function exportPng() {
    const m = map.current;
    if (!m) return;
    const canvas = m.getCanvas();
    const legend = (view?.layers ?? [])
      .filter((l) => l.visible)
      .flatMap((l) => {
        const d = defs[l.key];
        return d && 'title' in d ? [{ title: d.title, rows: legendOf(styleOf(d, l), d.decimals) }] : [];
      });
    const lines = legend.reduce((n, g) => n + 1 + g.rows.length, 0);
    const out = document.createElement('canvas');
    out.width = canvas.width;
    out.height = canvas.height + 60 + lines * 20;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    ctx.fillStyle = '#1b1b1b';
    ctx.font = 'bold 16px sans-serif';
    let y = canvas.height + 24;
    ctx.fillText(`${muni.data?.name ?? ''} — ${t('viewer.title')} · ${fmt.dateTime(new Date().toISOString())}`, 12, y);
    ctx.font = '13px sans-serif';
    for (const g of legend) {
      y += 20;
      ctx.fillStyle = '#1b1b1b';
      ctx.fillText(g.title, 12, y);
      for (const r of g.rows) {
        y += 20;
        ctx.fillStyle = r.color;
        ctx.fillRect(20, y - 11, 14, 14);
        ctx.fillStyle = '#1b1b1b';
        ctx.fillText(r.label, 42, y);
      }
    }
    ctx.fillStyle = '#555';
    ctx.fillText('Brújula · datos abiertos', 12, out.height - 10);
    const a = document.createElement('a');
    a.download = `mapa-${mid}.png`;
    a.href = out.toDataURL('image/png');
    a.click();
  }

  async function share() {
    const url = window.location.href;
    setShareUrl(url);
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // Without clipboard permission the address stays visible to copy by hand.
    }
  }

  const present = new Set((view?.layers ?? []).map((l) => l.key));
  const hit = hits[hitIndex];
  return (
    <Layout>
      <div className="viewer" data-testid="viewer">
        <aside className={`viewer-side${sheetOpen ? ' open' : ''}`} aria-label={t('viewer.layers')}>
          <button
            type="button"
            className="sheet-handle no-print"
            aria-expanded={sheetOpen}
            onClick={() => setSheetOpen((o) => !o)}
            data-testid="sheet-handle"
          >
            <span className="grip" aria-hidden="true" />
            {t('viewer.sheet', { count: view?.layers.length ?? 0 })} {sheetOpen ? '▾' : '▴'}
          </button>
          <div className="row spread no-print">
            <h1>{t('viewer.title')}</h1>
            <span className="small">
              <Link to={`/m/${mid}/sig`}>{t('viewer.catalogue')}</Link> · <Link to={`/m/${mid}/llamadas`}>{t('calls.link')}</Link>
            </span>
          </div>
          <h1 className="print-only">
            {muni.data?.name} — {t('viewer.title')}
          </h1>
          <label className="no-print">
            {t('viewer.basemap')}
            <select
              name="basemap"
              value={view?.base ?? basemapChoices(config)[0].id}
              onChange={(e) => setView((v) => v && { ...v, base: e.target.value })}
            >
              {basemapChoices(config).map((b) => (
                <option key={b.id} value={b.id}>
                  {b.id === 'externo'
                    ? t('viewer.baseExternal')
                    : b.id === 'ninguno'
                      ? t('viewer.baseNone')
                      : t('viewer.baseLocal', { name: b.label })}
                </option>
              ))}
            </select>
          </label>
          <PlaceSearch
            municipalityId={mid}
            onPick={(b) => map.current?.fitBounds(b as [number, number, number, number], { padding: 40, maxZoom: 17 })}
          />
          <AddLayer municipalityId={mid} catalogue={catalogue.data ?? []} levels={muni.data?.levels ?? {}} present={present} onAdd={add} />
          <ErrorBox error={catalogue.error} />
          {view && view.layers.length === 0 && <p className="muted">{t('viewer.noLayers')}</p>}
          <ol className="layer-tree" data-testid="layer-tree">
            {(view?.layers ?? []).map((vl, i) => {
              const def = defs[vl.key];
              return (
                <LayerItem
                  key={vl.key}
                  vl={vl}
                  def={def && 'title' in def ? def : null}
                  error={def && 'error' in def && def.error ? def.error : null}
                  first={i === 0}
                  last={i === (view?.layers.length ?? 0) - 1}
                  canSave={!!(def && 'slug' in def && def.slug && can(['planner'], (def as LayerDef).municipalityId ?? null))}
                  onChange={(c) => update(vl.key, c)}
                  onMove={(d) => move(vl.key, d)}
                  onRemove={() => remove(vl.key)}
                  onZoom={() => def && 'title' in def && zoomTo(def)}
                  onSaved={async () => {
                    const fresh = await loadLayerDef(vl.key, mid);
                    setDefs((d) => ({ ...d, [vl.key]: fresh }));
                    update(vl.key, { estilo: undefined });
                  }}
                />
              );
            })}
          </ol>
        </aside>
        <div className="viewer-main">
          <div className="toolbar no-print" role="toolbar" aria-label={t('viewer.tools')}>
            {(['identificar', 'distancia', 'area'] as Tool[]).map((k) => (
              <button
                key={k}
                type="button"
                className={`btn btn-small${tool === k ? ' btn-primary' : ''}`}
                aria-pressed={tool === k}
                onClick={() => {
                  setTool(k);
                  setMeasure([]);
                }}
              >
                {t(`viewer.tool.${k}`)}
              </button>
            ))}
            {tool !== 'identificar' && measure.length > 0 && (
              <button type="button" className="btn btn-small" onClick={() => setMeasure([])}>
                {t('viewer.clear')}
              </button>
            )}
            <span className="spacer" />
            <button type="button" className="btn btn-small" onClick={share}>
              {t('viewer.share')}
            </button>
            <button type="button" className="btn btn-small" onClick={exportPng}>
              {t('viewer.png')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => window.print()}>
              {t('viewer.print')}
            </button>
          </div>
          {shareUrl && (
            <p className="share no-print">
              <label>
                {t('viewer.shareLabel')} <input readOnly value={shareUrl} onFocus={(e) => e.target.select()} data-testid="share-url" />
              </label>
              <button type="button" className="btn btn-small" onClick={() => setShareUrl(null)}>
                {t('common.close')}
              </button>
            </p>
          )}
          {tool !== 'identificar' && (
            <p className="measure no-print" role="status" data-testid="measure">
              {measured
                ? `${t(tool === 'area' ? 'viewer.area' : 'viewer.distance')}: ${measured}`
                : t(tool === 'area' ? 'viewer.measureAreaHelp' : 'viewer.measureHelp')}
            </p>
          )}
          <div className="map-wrap">
            {/* biome-ignore lint/a11y/useSemanticElements: the div MapLibre draws into, named as a landmark by its role. */}
            <div
              ref={mapEl}
              className="map viewer-map"
              role="region"
              aria-label={t('viewer.map')}
              data-testid="viewer-map"
              data-ready={ready}
              data-idle={idle}
            />
            {hit && (
              <Identify
                hit={hit}
                index={hitIndex}
                total={hits.length}
                def={defs[hit.key] as LayerDef | undefined}
                onPage={setHitIndex}
                onClose={() => setHits([])}
              />
            )}
          </div>
          <p className="muted small print-only">
            {fmt.dateTime(new Date().toISOString())} · {window.location.origin}
          </p>
        </div>
      </div>
    </Layout>
  );
}

function PlaceSearch({ municipalityId, onPick }: { municipalityId: string; onPick: (bbox: number[]) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<{ id: number; level: string; name: string; cvegeo: string; bbox: number[] }[] | null>(null);
  useEffect(() => {
    if (q.trim().length < 2) {
      setResults(null);
      return;
    }
    const h = setTimeout(
      () =>
        void get<typeof results>(`/api/v1/municipalities/${municipalityId}/places?q=${encodeURIComponent(q.trim())}`)
          .then(setResults)
          .catch(() => setResults([])),
      250,
    );
    return () => clearTimeout(h);
  }, [q, municipalityId]);
  return (
    <div className="place-search no-print">
      <label>
        {t('viewer.place')}
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('viewer.placeHint')} />
      </label>
      {results && (
        <ul className="place-results" data-testid="place-results">
          {results.length === 0 && <li className="muted">{t('viewer.noPlaces')}</li>}
          {results.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className="link"
                onClick={() => {
                  onPick(r.bbox);
                  setResults(null);
                }}
              >
                {r.name}{' '}
                <span className="muted small">
                  {LEVEL_LABEL[r.level] ?? r.level} · {r.cvegeo}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function AddLayer({
  municipalityId,
  catalogue,
  levels,
  present,
  onAdd,
}: {
  municipalityId: string;
  catalogue: LayerSummary[];
  levels: Record<string, number>;
  present: Set<string>;
  onAdd: (key: string) => void;
}) {
  const { t } = useTranslation();
  const indicators = useGet<IndicatorSummary[]>(`/api/v1/municipalities/${municipalityId}/indicators`);
  return (
    <label className="no-print add-layer">
      {t('viewer.add')}
      <select value="" onChange={(e) => e.target.value && onAdd(e.target.value)} name="add-layer">
        <option value="">{t('viewer.addPick')}</option>
        <optgroup label={t('viewer.groups.catalogue')}>
          {catalogue
            .filter((l) => !present.has(`capa:${l.slug}`))
            .map((l) => (
              <option key={l.slug} value={`capa:${l.slug}`}>
                {l.titulo}
              </option>
            ))}
        </optgroup>
        <optgroup label={t('viewer.groups.territory')}>
          {Object.keys(LEVEL_LABEL)
            .filter((k) => levels[k] && !present.has(`unidades:${k}`))
            .map((k) => (
              <option key={k} value={`unidades:${k}`}>
                {LEVEL_LABEL[k]}
              </option>
            ))}
        </optgroup>
        <optgroup label={t('viewer.groups.programs')}>
          {!present.has('acciones') && <option value="acciones">{t('viewer.actions')}</option>}
        </optgroup>
        <optgroup label={t('viewer.groups.participation')}>
          {!present.has('propuestas') && <option value="propuestas">{t('viewer.proposals')}</option>}
          {!present.has('reportes') && <option value="reportes">{t('viewer.reports')}</option>}
        </optgroup>
        <optgroup label={t('viewer.groups.security')}>
          {!present.has('llamadas') && <option value="llamadas">{t('viewer.calls')}</option>}
        </optgroup>
        <optgroup label={t('viewer.groups.indicators')}>
          {(indicators.data ?? [])
            .filter((i) => !present.has(`indicador:${i.clave}`))
            .map((i) => (
              <option key={i.clave} value={`indicador:${i.clave}`}>
                {i.nombre}
              </option>
            ))}
        </optgroup>
      </select>
    </label>
  );
}

function Legend({ estilo, def }: { estilo: Estilo; def: LayerDef }) {
  const { t } = useTranslation();
  if (def.heat)
    return (
      <p className="legend-list small">
        <span className="heat-ramp" aria-hidden="true" /> {t('viewer.heatLegend')}
      </p>
    );
  const rows = legendOf(estilo, def.decimals);
  const shape = def.geometry === 'point' ? 'swatch dot' : def.geometry === 'line' ? 'swatch line' : 'swatch';
  if (rows.length === 1 && !rows[0].label) return <span className={shape} style={{ background: rows[0].color }} aria-hidden="true" />;
  return (
    <ul className="legend-list" aria-label={`Leyenda: ${def.title}`}>
      {estilo.campo && <li className="muted small">{estilo.campo}</li>}
      {rows.map((r, i) => (
        <li key={i}>
          <span className={shape} style={{ background: r.color }} aria-hidden="true" /> {r.label}
        </li>
      ))}
    </ul>
  );
}

function LayerItem(props: {
  vl: ViewLayer;
  def: LayerDef | null;
  error: string | null;
  first: boolean;
  last: boolean;
  canSave: boolean;
  onChange: (c: Partial<ViewLayer>) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
  onZoom: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { vl, def } = props;
  const [open, setOpen] = useState(false);
  if (!def)
    return (
      <li className="layer-item">
        {props.error ? (
          <span className="alert alert-error">
            {vl.key}: {props.error}
          </span>
        ) : (
          <span className="muted">{t('common.loading')}</span>
        )}
      </li>
    );
  const estilo = styleOf(def, vl);
  return (
    <li className={`layer-item${vl.visible ? '' : ' layer-hidden'}`} data-key={vl.key}>
      <div className="row layer-head">
        <label className="check grow">
          <input type="checkbox" checked={vl.visible} onChange={(e) => props.onChange({ visible: e.target.checked })} /> {def.title}
        </label>
        <button
          type="button"
          className="icon no-print"
          aria-label={t('viewer.up', { title: def.title })}
          disabled={props.first}
          onClick={() => props.onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="icon no-print"
          aria-label={t('viewer.down', { title: def.title })}
          disabled={props.last}
          onClick={() => props.onMove(1)}
        >
          ↓
        </button>
        <button
          type="button"
          className="icon no-print"
          aria-expanded={open}
          aria-label={t('viewer.options', { title: def.title })}
          onClick={() => setOpen(!open)}
        >
          ⚙
        </button>
      </div>
      <Legend estilo={estilo} def={def} />
      {vl.filtro && (
        <p className="small muted">
          {t('viewer.filtered')}: {vl.filtro.campo} {vl.filtro.op} {vl.filtro.valor}
        </p>
      )}
      {open && (
        <div className="layer-options no-print">
          <label>
            {t('viewer.opacity')}{' '}
            <input
              type="range"
              min={0}
              max={100}
              step={5}
              value={Math.round(vl.opacity * 100)}
              onChange={(e) => props.onChange({ opacity: Number(e.target.value) / 100 })}
              aria-label={t('viewer.opacityOf', { title: def.title })}
            />{' '}
            {Math.round(vl.opacity * 100)} %
          </label>
          <p className="row wrap">
            <button type="button" className="btn btn-small" onClick={props.onZoom}>
              {t('viewer.zoomTo')}
            </button>
            <button type="button" className="btn btn-small" onClick={props.onRemove}>
              {t('viewer.remove')}
            </button>
            {def.slug && (
              <Link className="btn btn-small" to={`/m/${def.municipalityId}/sig/${def.slug}`}>
                {t('viewer.metadata')}
              </Link>
            )}
          </p>
          <StyleEditor
            def={def}
            estilo={estilo}
            unsaved={!!vl.estilo}
            canSave={props.canSave}
            onApply={(e) => props.onChange({ estilo: e })}
            onSaved={props.onSaved}
          />
          <FilterEditor def={def} filtro={vl.filtro} onApply={(f) => props.onChange({ filtro: f })} />
        </div>
      )}
    </li>
  );
}

function StyleEditor({
  def,
  estilo,
  unsaved,
  canSave,
  onApply,
  onSaved,
}: {
  def: LayerDef;
  estilo: Estilo;
  unsaved: boolean;
  canSave: boolean;
  onApply: (e: Estilo) => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [tipo, setTipo] = useState<Estilo['tipo']>(estilo.tipo);
  const [campo, setCampo] = useState(estilo.campo ?? '');
  const [metodo, setMetodo] = useState<'igual' | 'cuantiles' | 'naturales'>(
    estilo.metodo && estilo.metodo !== 'manual' ? estilo.metodo : 'cuantiles',
  );
  const [clases, setClases] = useState(estilo.clases ?? 5);
  const [rampa, setRampa] = useState('verdes');
  const [color, setColor] = useState(estilo.color ?? '#0b5d4b');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const numeric = def.fields.filter((f) => f.type === 'number' || f.type === 'integer');
  const fields = tipo === 'graduado' ? numeric : def.fields;

  async function build(): Promise<Estilo> {
    if (tipo === 'unico') return { tipo, color };
    if (!campo) throw new Error(t('viewer.style.pickField'));
    if (tipo === 'categorias') {
      const valores = def.slug
        ? (await layerValues(def.slug, campo)).valores.map((v) => v.valor)
        : [...new Set((def.data?.features ?? []).map((f) => f.properties?.[campo] ?? null))].slice(0, 50);
      return {
        tipo,
        campo,
        color: '#9e9e9e',
        categorias: valores.slice(0, CATEGORICA.length).map((v, i) => ({
          valor: v as string | number | boolean | null,
          color: v === null ? '#bdbdbd' : CATEGORICA[i % CATEGORICA.length],
        })),
      };
    }
    const cortes = def.slug
      ? (await layerClasses(def.slug, campo, metodo, clases)).cortes
      : classifyValues(
          (def.data?.features ?? []).map((f) => f.properties?.[campo]).filter((v): v is number => typeof v === 'number'),
          metodo,
          clases,
        );
    return { tipo, campo, metodo, clases: cortes.length + 1, cortes, colores: rampColors(rampa, cortes.length + 1) };
  }

  return (
    <fieldset className="style-editor" data-testid="style-editor">
      <legend>{t('viewer.style.title')}</legend>
      <label>
        {t('viewer.style.type')}
        <select name="tipo" value={tipo} onChange={(e) => setTipo(e.target.value as Estilo['tipo'])}>
          <option value="unico">{t('viewer.style.unico')}</option>
          <option value="categorias">{t('viewer.style.categorias')}</option>
          <option value="graduado">{t('viewer.style.graduado')}</option>
        </select>
      </label>
      {tipo === 'unico' && (
        <label>
          {t('viewer.style.color')} <input type="color" value={color} onChange={(e) => setColor(e.target.value)} />
        </label>
      )}
      {tipo !== 'unico' && (
        <label>
          {t('viewer.style.field')}
          <select name="campo" value={campo} onChange={(e) => setCampo(e.target.value)}>
            <option value="">—</option>
            {fields.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {tipo === 'graduado' && (
        <>
          {numeric.length === 0 && <p className="small muted">{t('viewer.style.noNumeric')}</p>}
          <label>
            {t('viewer.style.method')}
            <select name="metodo" value={metodo} onChange={(e) => setMetodo(e.target.value as typeof metodo)}>
              <option value="igual">{t('viewer.style.igual')}</option>
              <option value="cuantiles">{t('viewer.style.cuantiles')}</option>
              <option value="naturales">{t('viewer.style.naturales')}</option>
            </select>
          </label>
          <label>
            {t('viewer.style.classes')}{' '}
            <input
              name="clases"
              type="number"
              min={2}
              max={9}
              value={clases}
              onChange={(e) => setClases(Math.max(2, Math.min(9, Number(e.target.value) || 5)))}
            />
          </label>
          <label>
            {t('viewer.style.ramp')}
            <select name="rampa" value={rampa} onChange={(e) => setRampa(e.target.value)}>
              {Object.keys(RAMPAS).map((r) => (
                <option key={r} value={r}>
                  {t(`viewer.ramps.${r}`)}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <p className="row wrap">
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              onApply(await build());
              setError(null);
            } catch (e) {
              setError((e as Error).message);
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('viewer.style.apply')}
        </button>
        {canSave && (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                const e = await build();
                await updateLayer(def.municipalityId!, def.layerId!, {
                  estilo: e.tipo === 'graduado' ? { ...e, colores: RAMPAS[rampa] } : e,
                });
                await onSaved();
                setError(null);
              } catch (e) {
                setError(e instanceof ApiError ? e.message : (e as Error).message);
              } finally {
                setBusy(false);
              }
            }}
          >
            {t('viewer.style.save')}
          </button>
        )}
      </p>
      {unsaved && <p className="small muted">{t('viewer.style.unsaved')}</p>}
    </fieldset>
  );
}

const OPS: Filtro['op'][] = ['=', '!=', '>', '>=', '<', '<=', 'contiene'];

function FilterEditor({ def, filtro, onApply }: { def: LayerDef; filtro?: Filtro; onApply: (f: Filtro | undefined) => void }) {
  const { t } = useTranslation();
  const [campo, setCampo] = useState(filtro?.campo ?? def.fields[0]?.name ?? '');
  const [op, setOp] = useState<Filtro['op']>(filtro?.op ?? '=');
  const [valor, setValor] = useState(filtro?.valor ?? '');
  if (!def.fields.length) return null;
  return (
    <fieldset className="filter-editor">
      <legend>{t('viewer.filter')}</legend>
      <div className="row wrap">
        <select aria-label={t('viewer.filterField')} value={campo} onChange={(e) => setCampo(e.target.value)}>
          {def.fields.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))}
        </select>
        <select aria-label={t('viewer.filterOp')} value={op} onChange={(e) => setOp(e.target.value as Filtro['op'])}>
          {OPS.map((o) => (
            <option key={o} value={o}>
              {o === 'contiene' ? t('viewer.contains') : o}
            </option>
          ))}
        </select>
        <input aria-label={t('viewer.filterValue')} value={valor} onChange={(e) => setValor(e.target.value)} size={10} />
      </div>
      <p className="row">
        <button type="button" className="btn btn-small" onClick={() => onApply(valor === '' ? undefined : { campo, op, valor })}>
          {t('viewer.filterApply')}
        </button>
        {filtro && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setValor('');
              onApply(undefined);
            }}
          >
            {t('viewer.filterClear')}
          </button>
        )}
      </p>
    </fieldset>
  );
}

/** Attributes of the clicked features, one at a time; catalogue layers fetch the full record from the OGC API. */
function Identify({
  hit,
  index,
  total,
  def,
  onPage,
  onClose,
}: {
  hit: Hit;
  index: number;
  total: number;
  def?: LayerDef;
  onPage: (i: number) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [props, setProps] = useState<Record<string, unknown>>(hit.props);
  useEffect(() => {
    setProps(hit.props);
    if (def?.slug && hit.id !== undefined) {
      void ogcFeature(def.slug, hit.id)
        .then((f) => setProps(f.properties ?? {}))
        .catch(() => undefined);
    }
  }, [hit, def?.slug]);
  const link = def?.link?.(props);
  const fmtValue = (v: unknown) =>
    typeof v === 'number'
      ? fmt.dec(v, Number.isInteger(v) ? 0 : 2)
      : v === null || v === undefined || v === ''
        ? '—'
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  return (
    <div className="map-popup identify" role="dialog" aria-label={t('viewer.identify')} data-testid="identify">
      <button type="button" className="close" aria-label={t('common.close')} onClick={onClose}>
        ×
      </button>
      <p className="small muted">{hit.title}</p>
      {Number(hit.props.n) > 1 && (
        <p className="small" data-testid="cell-note">
          {t('viewer.cell', { n: fmt.int(Number(hit.props.n)) })}
        </p>
      )}
      <table className="table compact">
        <tbody>
          {Object.entries(props).map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{fmtValue(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {link && (
        <p>
          <Link to={link}>{t('viewer.open')}</Link>
        </p>
      )}
      {total > 1 && (
        <p className="row spread pager">
          <button
            type="button"
            className="btn btn-small"
            disabled={index === 0}
            onClick={() => onPage(index - 1)}
            aria-label={t('common.previous')}
          >
            ‹
          </button>
          <span>{t('viewer.hitOf', { n: index + 1, total })}</span>
          <button
            type="button"
            className="btn btn-small"
            disabled={index === total - 1}
            onClick={() => onPage(index + 1)}
            aria-label={t('common.next')}
          >
            ›
          </button>
        </p>
      )}
    </div>
  );
}
