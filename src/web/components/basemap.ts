import * as maplibregl from 'maplibre-gl';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import type { BasemapInfo, PublicConfig } from '../api/system/index.ts';
import { GLYPHS_URL, LABEL_FONT, LABEL_FONT_BOLD, registerGlyphs } from './glyphs.ts';

// PMTiles archives are read with HTTP range requests through the pmtiles:// protocol.
let registered = false;
function registerPmtiles() {
  if (registered) return;
  maplibregl.addProtocol('pmtiles', new Protocol().tile);
  registered = true;
}

/** Which basemaps an installation offers: none, the configured service, or its own PMTiles files. */
export function basemapChoices(config: PublicConfig | null) {
  const out: { id: string; label: string }[] = [];
  if (config?.basemapUrl) out.push({ id: 'externo', label: 'externo' });
  for (const b of config?.basemaps ?? []) out.push({ id: b.url, label: b.name || b.url.replace('/basemap/', '') });
  out.push({ id: 'ninguno', label: 'ninguno' });
  return out;
}

const PLAIN: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'fondo', type: 'background', paint: { 'background-color': '#eef1ec' } }],
};

/**
 * The map's base: the configured service (a MapLibre style URL or an XYZ raster template), a PMTiles
 * file the installation serves itself, or a plain background with no network at all.
 */
export function baseStyle(config: PublicConfig | null, choice?: string): StyleSpecification | string {
  const id = choice ?? basemapChoices(config)[0].id;
  const url = config?.basemapUrl;
  if (id === 'externo' && url) {
    if (!url.includes('{z}')) return url;
    return {
      ...PLAIN,
      sources: { base: { type: 'raster', tiles: [url], tileSize: 256 } },
      layers: [...PLAIN.layers, { id: 'base', type: 'raster', source: 'base' }],
    };
  }
  const pm = config?.basemaps?.find((b) => b.url === id);
  return pm ? pmtilesStyle(pm) : PLAIN;
}

// Zoom expressions must be the top-level interpolate, so the casing has its own.
const LINE_WIDTH = ['interpolate', ['exponential', 1.6], ['zoom'], 10, 0.6, 14, 3, 17, 12];
const CASING_WIDTH = ['interpolate', ['exponential', 1.6], ['zoom'], 10, 1.6, 14, 4.5, 17, 14];
const IS_POLYGON = ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false];

/**
 * A style for any PMTiles archive: raster archives as they are; vector archives drawn layer by layer
 * with colours chosen from the layer's name (Brújula's own basemap, Protomaps or OpenMapTiles extracts).
 */
function pmtilesStyle(b: BasemapInfo): StyleSpecification {
  registerPmtiles();
  const url = `pmtiles://${window.location.origin}${b.url}`;
  const attribution = b.attribution || undefined;
  if (b.tileType !== 'mvt') {
    return {
      version: 8,
      sources: { base: { type: 'raster', url, tileSize: 256, attribution } },
      layers: [...PLAIN.layers, { id: 'base', type: 'raster', source: 'base' }],
    };
  }
  const layers: LayerSpecification[] = [{ id: 'fondo', type: 'background', paint: { 'background-color': '#f4f2ed' } }];
  for (const id of b.vectorLayers) {
    const common = { source: 'base', 'source-layer': id };
    if (/agua|water|ocean/i.test(id))
      layers.push({ id: `b-${id}`, type: 'fill', ...common, filter: IS_POLYGON, paint: { 'fill-color': '#aad3df' } } as LayerSpecification);
    else if (/verde|park|landcover|landuse|natural/i.test(id))
      layers.push({ id: `b-${id}`, type: 'fill', ...common, filter: IS_POLYGON, paint: { 'fill-color': '#d3e8c4' } } as LayerSpecification);
    else if (/localidad|urban|earth|land$/i.test(id))
      layers.push({ id: `b-${id}`, type: 'fill', ...common, filter: IS_POLYGON, paint: { 'fill-color': '#ebe6dd' } } as LayerSpecification);
    else if (/manzana|building|edific/i.test(id))
      layers.push({
        id: `b-${id}`,
        type: 'fill',
        ...common,
        filter: IS_POLYGON,
        paint: { 'fill-color': '#e0d9cf', 'fill-outline-color': '#cfc6b8' },
      } as LayerSpecification);
    else if (/vialidad|road|transport|street/i.test(id)) {
      layers.push({
        id: `b-${id}-borde`,
        type: 'line',
        ...common,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#c9c1b4', 'line-width': CASING_WIDTH },
      } as LayerSpecification);
      layers.push({
        id: `b-${id}`,
        type: 'line',
        ...common,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#ffffff', 'line-width': LINE_WIDTH },
      } as LayerSpecification);
    } else if (/municipio|boundar|admin|limite/i.test(id))
      layers.push({
        id: `b-${id}`,
        type: 'line',
        ...common,
        paint: { 'line-color': '#8d8d8d', 'line-width': 1.2, 'line-dasharray': [3, 2] },
      } as LayerSpecification);
    else if (id === 'etiquetas')
      continue; // drawn last, above everything
    else
      layers.push({ id: `b-${id}`, type: 'line', ...common, paint: { 'line-color': '#d2cabd', 'line-width': 0.6 } } as LayerSpecification);
  }
  if (!b.vectorLayers.includes('etiquetas')) return { version: 8, sources: { base: { type: 'vector', url, attribution } }, layers };
  registerGlyphs();
  const road = b.vectorLayers.find((id) => /vialidad|road|street/i.test(id));
  if (road) layers.push(roadNames(road));
  layers.push(...placeLabels());
  return { version: 8, glyphs: GLYPHS_URL, sources: { base: { type: 'vector', url, attribution } }, layers };
}

const HALO = { 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.4 };

/** Street names along the roads layer, from zoom 15. */
function roadNames(id: string): LayerSpecification {
  return {
    id: `b-${id}-nombres`,
    type: 'symbol',
    source: 'base',
    'source-layer': id,
    minzoom: 15,
    layout: { 'symbol-placement': 'line', 'text-field': ['get', 'nombre'], 'text-font': LABEL_FONT, 'text-size': 11 },
    paint: { 'text-color': '#5d5a55', ...HALO },
  } as LayerSpecification;
}

/**
 * Place names from Brújula's basemap (`etiquetas`: rango 1 municipios, 2 urban or larger
 * localities, 3 colonias, 4 other localities), each appearing at the zoom where it helps.
 */
function placeLabels(): LayerSpecification[] {
  const layer = (
    id: string,
    rango: number,
    minzoom: number,
    maxzoom: number,
    size: unknown,
    color: string,
    bold = false,
  ): LayerSpecification =>
    ({
      id,
      type: 'symbol',
      source: 'base',
      'source-layer': 'etiquetas',
      minzoom,
      maxzoom,
      filter: ['==', ['get', 'rango'], rango],
      layout: {
        'text-field': ['get', 'nombre'],
        'text-font': bold ? LABEL_FONT_BOLD : LABEL_FONT,
        'text-size': size,
        'text-max-width': 9,
        'symbol-sort-key': rango,
      },
      paint: { 'text-color': color, ...HALO },
    }) as LayerSpecification;
  return [
    layer('b-etiquetas-localidades', 4, 11.5, 24, 11, '#5f5a52'),
    layer('b-etiquetas-colonias', 3, 13, 24, ['interpolate', ['linear'], ['zoom'], 13, 11, 16, 13], '#6b5f73'),
    layer('b-etiquetas-ciudades', 2, 9, 24, ['interpolate', ['linear'], ['zoom'], 9, 12, 13, 16], '#33302b', true),
    layer('b-etiquetas-municipios', 1, 7, 12, 14, '#6f6a62', true),
  ];
}
