import { useEffect, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
// Importing TerritoryMap also sets MapLibre's worker and its CSS.
import { baseStyle, newMap } from '../TerritoryMap.tsx';
import { useSession } from '../../session.tsx';

interface Props {
  /** Actions as GeoJSON (points, lines and polygons), with id, clave, nombre, avanceFisico. */
  data: GeoJSON.FeatureCollection;
  municipalityId: string;
  ariaLabel: string;
  height?: number;
  onSelect?: (id: number) => void;
}

const bboxOf = (fc: GeoJSON.FeatureCollection): [number, number, number, number] | null => {
  let b: [number, number, number, number] | null = null;
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      b = b ? [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)] : [x, y, x, y];
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  for (const f of fc.features) walk((f.geometry as GeoJSON.Geometry & { coordinates: unknown }).coordinates);
  return b;
};

/** Where the money goes: actions and works on a map, coloured by physical progress, with the municipality's outline. */
export function WorksMap({ data, municipalityId, ariaLabel, height = 360, onSelect }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const { config } = useSession();
  const [loaded, setLoaded] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is rebuilt for a new basemap URL, not for every new config object.
  useEffect(() => {
    if (!container.current) return;
    const b = bboxOf(data);
    const pad = 0.004;
    const m = newMap({
      container: container.current,
      style: baseStyle(config),
      bounds: b ? [b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad] : undefined,
      center: b ? undefined : [-102.58, 22.77],
      zoom: b ? undefined : 11,
      maxZoom: 17,
      attributionControl: { compact: true },
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    m.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    m.on('load', () => {
      m.addSource('municipio', {
        type: 'geojson',
        data: `/api/v1/municipalities/${municipalityId}/units.geojson?level=municipio&tolerance=0.0005`,
      });
      m.addLayer({
        id: 'municipio',
        type: 'line',
        source: 'municipio',
        paint: { 'line-color': '#4a5a52', 'line-width': 1.5, 'line-dasharray': [2, 2] },
      });
      m.addSource('acciones', { type: 'geojson', data });
      // Red → amber → green with physical progress.
      const color = [
        'interpolate',
        ['linear'],
        ['to-number', ['get', 'avanceFisico']],
        0,
        '#b3261e',
        50,
        '#d68910',
        100,
        '#0b7a4b',
      ] as unknown as string;
      m.addLayer({
        id: 'acciones-fill',
        type: 'fill',
        source: 'acciones',
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': color, 'fill-opacity': 0.45 },
      });
      m.addLayer({
        id: 'acciones-line',
        type: 'line',
        source: 'acciones',
        filter: ['!=', ['geometry-type'], 'Point'],
        paint: { 'line-color': color, 'line-width': 4 },
      });
      m.addLayer({
        id: 'acciones-point',
        type: 'circle',
        source: 'acciones',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-color': color, 'circle-radius': 7, 'circle-stroke-color': 'white', 'circle-stroke-width': 2 },
      });
      for (const id of ['acciones-fill', 'acciones-line', 'acciones-point']) {
        m.on('click', id, (e: maplibregl.MapLayerMouseEvent) => {
          const p = e.features?.[0]?.properties as { id: number; nombre: string; avanceFisico: number } | undefined;
          if (!p) return;
          if (onSelect) onSelect(Number(p.id));
          else
            new maplibregl.Popup({ closeButton: true })
              .setLngLat(e.lngLat)
              .setHTML(
                `<strong>${String(p.nombre).replace(/</g, '&lt;')}</strong><br>Avance físico: ${new Intl.NumberFormat('es-MX').format(Number(p.avanceFisico))} %`,
              )
              .addTo(m);
        });
        m.on('mouseenter', id, () => (m.getCanvas().style.cursor = 'pointer'));
        m.on('mouseleave', id, () => (m.getCanvas().style.cursor = ''));
      }
      setLoaded(true);
    });
    return () => m.remove();
  }, [data, municipalityId, config?.basemapUrl, onSelect]);
  return (
    // biome-ignore lint/a11y/useSemanticElements: the div MapLibre draws into, named as a landmark by its role.
    <div
      ref={container}
      className="map"
      style={{ height }}
      role="region"
      aria-label={ariaLabel}
      data-testid="works-map"
      data-loaded={loaded}
    />
  );
}
