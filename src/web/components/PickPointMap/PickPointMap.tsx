import { useEffect, useRef } from 'react';
import * as maplibregl from 'maplibre-gl';
// Importing TerritoryMap also sets MapLibre's worker and its CSS.
import { baseStyle, labelsBelow, newMap } from '../TerritoryMap.tsx';
import { useSession } from '../../session.tsx';

/**
 * Click on the map to place an action or a proposal; the marker follows the chosen point. Without
 * `onPick` it only shows the point in its surroundings: a wider view, colonias outlined, and the
 * basemap's place names.
 */
export function PickPointMap({
  municipalityId,
  value,
  onPick,
  ariaLabel,
}: {
  municipalityId: string;
  value: [number, number] | null;
  onPick?: (p: [number, number]) => void;
  ariaLabel: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<maplibregl.Map | null>(null);
  const marker = useRef<maplibregl.Marker | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const { config, ready } = useSession();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once; the marker follows value in the effect below.
  useEffect(() => {
    // Wait for the public configuration (its basemap): a map made before it would be replaced under
    // the person's first click, which would then be lost.
    if (!el.current || !ready) return;
    const readOnly = !pick.current;
    const m = newMap({
      container: el.current,
      style: baseStyle(config),
      center: value ?? [-102.58, 22.77],
      zoom: value ? (readOnly ? 13 : 14) : 11,
      attributionControl: { compact: true },
    });
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    m.on('load', () => {
      m.addSource('colonias', {
        type: 'geojson',
        data: `/api/v1/municipalities/${municipalityId}/units.geojson?level=colonia&tolerance=0.0002`,
      });
      const below = labelsBelow(m);
      m.addLayer({ id: 'colonias', type: 'line', source: 'colonias', paint: { 'line-color': '#7b8a83', 'line-width': 1 } }, below);
    });
    if (!readOnly) {
      m.on('click', (e) => pick.current?.([Math.round(e.lngLat.lng * 1e6) / 1e6, Math.round(e.lngLat.lat * 1e6) / 1e6]));
      m.getCanvas().style.cursor = 'crosshair';
    }
    map.current = m;
    // The point may have come before the map did.
    if (value) marker.current = new maplibregl.Marker({ color: '#0b5d4b' }).setLngLat(value).addTo(m);
    return () => {
      m.remove();
      map.current = null;
      marker.current = null;
    };
  }, [municipalityId, config, ready]);
  useEffect(() => {
    if (!map.current) return;
    if (!value) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    marker.current ??= new maplibregl.Marker({ color: '#0b5d4b' });
    marker.current.setLngLat(value).addTo(map.current);
  }, [value]);
  return <div ref={el} className="map" style={{ height: 280 }} role="application" aria-label={ariaLabel} data-testid="pick-map" />;
}
