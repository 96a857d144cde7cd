import { useEffect, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useSession } from '../session.tsx';
// MapLibre 6 runs its worker from a separate module; Vite bundles it and gives its URL.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { basemapChoices, baseStyle } from './basemap.ts';
import i18n from '../i18n/index.ts';

export { basemapChoices, baseStyle };

maplibregl.setWorkerUrl(workerUrl);

/**
 * Every map of the app: a MapLibre map that says it is loading (over the box, until its first
 * complete render) instead of showing an empty frame, and that draws overlays below place names.
 */
export function newMap(options: maplibregl.MapOptions): maplibregl.Map {
  const m = new maplibregl.Map(options);
  const el = m.getContainer();
  el.dataset.loading = i18n.t('common.loadingMap');
  const done = () => {
    delete el.dataset.loading;
  };
  m.once('idle', done);
  m.once('error', done);
  return m;
}

/** The first place-name layer of the basemap, to add overlays beneath it (undefined when there is none). */
export function labelsBelow(m: maplibregl.Map): string | undefined {
  return m.getStyle().layers.find((l) => l.type === 'symbol' && l.id.startsWith('b-'))?.id;
}

export interface MapLayer {
  id: string;
  label: string;
  /** A GeoJSON URL, or the data itself (e.g. units joined with indicator values). */
  url: string | GeoJSON.FeatureCollection;
  color: string;
  visible: boolean;
  /** Data-driven fill (a MapLibre expression), e.g. a choropleth step over a property. */
  fill?: unknown;
  fillOpacity?: number;
}

export interface TerritoryMapOptions {
  /** [minLon, minLat, maxLon, maxLat] to fit on load. */
  bbox: [number, number, number, number] | null;
  layers: MapLayer[];
  ariaLabel: string;
  onError?: (e: Error) => void;
}

/** MapLibre map of GeoJSON territory layers with a legend; cleans up on unmount. */
export function TerritoryMap({ bbox, layers, ariaLabel, onError }: TerritoryMapOptions) {
  const { config } = useSession();
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<maplibregl.Map | null>(null);
  const dataOf = useRef(new Map<string, MapLayer['url']>());
  const [loaded, setLoaded] = useState(false);
  const [popup, setPopup] = useState<{ name: string; level: string; cvegeo: string; population: number | null; label?: string } | null>(
    null,
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once per basemap; layers and bounds are updated by the effects below.
  useEffect(() => {
    if (!container.current) return;
    const m = newMap({
      container: container.current,
      style: baseStyle(config),
      bounds: bbox ?? undefined,
      fitBoundsOptions: { padding: 24 },
      center: bbox ? undefined : [-102.58, 22.77],
      zoom: bbox ? undefined : 9,
      attributionControl: { compact: true },
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    m.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    m.on('load', () => setLoaded(true));
    m.on('error', (e) => onError?.((e as unknown as { error: Error }).error));
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
      dataOf.current.clear();
      setLoaded(false);
    };
  }, [config]);

  useEffect(() => {
    const m = map.current;
    if (!m || !loaded) return;
    for (const l of layers) {
      const existing = m.getSource(l.id) as maplibregl.GeoJSONSource | undefined;
      if (existing) {
        // Only when the data changed: a visibility toggle must not refetch the layer.
        if (dataOf.current.get(l.id) !== l.url) existing.setData(l.url as string);
        if (l.fill) m.setPaintProperty(`${l.id}-fill`, 'fill-color', l.fill as string);
      } else {
        m.addSource(l.id, { type: 'geojson', data: l.url as string });
        const below = labelsBelow(m);
        m.addLayer(
          {
            id: `${l.id}-fill`,
            type: 'fill',
            source: l.id,
            paint: { 'fill-color': (l.fill ?? l.color) as string, 'fill-opacity': l.fillOpacity ?? 0.18 },
          },
          below,
        );
        m.addLayer(
          {
            id: `${l.id}-line`,
            type: 'line',
            source: l.id,
            paint: { 'line-color': l.color, 'line-width': l.id === 'municipio' ? 2.5 : 1 },
          },
          below,
        );
        m.on('click', `${l.id}-fill`, (e: maplibregl.MapLayerMouseEvent) => {
          const p = e.features?.[0]?.properties as
            | { name: string; level: string; cvegeo: string; population: number | null; label?: string }
            | undefined;
          if (p) setPopup(p);
        });
        m.on('mouseenter', `${l.id}-fill`, () => (m.getCanvas().style.cursor = 'pointer'));
        m.on('mouseleave', `${l.id}-fill`, () => (m.getCanvas().style.cursor = ''));
      }
      dataOf.current.set(l.id, l.url);
      for (const suffix of ['fill', 'line']) m.setLayoutProperty(`${l.id}-${suffix}`, 'visibility', l.visible ? 'visible' : 'none');
    }
  }, [layers, loaded]);

  useEffect(() => {
    if (map.current && bbox) map.current.fitBounds(bbox, { padding: 24, duration: 0 });
  }, [bbox]);

  return (
    <div className="map-wrap">
      {/* biome-ignore lint/a11y/useSemanticElements: the div MapLibre draws into, named as a landmark by its role. */}
      <div ref={container} className="map" role="region" aria-label={ariaLabel} data-testid="territory-map" data-loaded={loaded} />
      {popup && (
        <div className="map-popup" role="dialog" aria-label={popup.name}>
          <button type="button" className="close" aria-label="Cerrar" onClick={() => setPopup(null)}>
            ×
          </button>
          <strong>{popup.name}</strong>
          <div className="muted">
            {popup.level} · {popup.cvegeo}
          </div>
          {popup.label ? (
            <div>{popup.label}</div>
          ) : (
            popup.population != null && <div>{new Intl.NumberFormat('es-MX').format(popup.population)} hab.</div>
          )}
        </div>
      )}
    </div>
  );
}
