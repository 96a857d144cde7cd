import { get } from '../../api/client.ts';
import { getLayer } from '../../api/gis/index.ts';
import { extent } from '../../components/geo.ts';
import type { Ficha, ValueRow } from '../../api/indicators/index.ts';
import { classifyValues, rampColors, type Estilo } from './style.ts';

export type Geometry = 'point' | 'line' | 'polygon' | 'mixed';

/** Everything the viewer needs to draw and describe one layer, whatever module it comes from. */
export interface LayerDef {
  key: string;
  kind: 'capa' | 'unidades' | 'acciones' | 'indicador' | 'llamadas' | 'propuestas' | 'reportes';
  title: string;
  geometry: Geometry;
  fields: { name: string; type: string }[];
  /** The saved style (catalogue layers) or the module's default. */
  estilo: Estilo;
  bbox: [number, number, number, number] | null;
  /** Catalogue layers: tiles; the others: GeoJSON kept in the browser. */
  slug?: string;
  layerId?: number;
  version?: number;
  municipalityId?: string;
  data?: GeoJSON.FeatureCollection;
  /** Where a feature's page is, when it has one. */
  link?: (props: Record<string, unknown>) => string | null;
  decimals?: number;
  /** A heat map whose data follows the map's view (emergency calls, aggregated by the server). */
  heat?: (bbox: number[], zoom: number) => Promise<GeoJSON.FeatureCollection & { max: number }>;
}

const geometryOf = (t: string | null): Geometry => {
  const b = (t ?? '').replace('MULTI', '');
  return b === 'POINT' ? 'point' : b === 'LINESTRING' ? 'line' : b === 'POLYGON' ? 'polygon' : 'mixed';
};

function fieldsOf(fc: GeoJSON.FeatureCollection, skip: string[] = []) {
  const types = new Map<string, string>();
  for (const f of fc.features.slice(0, 200)) {
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      if (skip.includes(k) || v === null || v === undefined) continue;
      const t = typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'text';
      if (!types.has(k) || (types.get(k) !== t && t === 'text')) types.set(k, t);
    }
  }
  return [...types].map(([name, type]) => ({ name, type }));
}

export const LEVEL_LABEL: Record<string, string> = {
  municipio: 'Municipio',
  localidad: 'Localidades',
  ageb: 'AGEB',
  manzana: 'Manzanas',
  colonia: 'Colonias',
  poligono: 'Polígonos de actuación',
};

/** Resolves a view layer key to its definition, loading what it needs from the API. */
export async function loadLayerDef(key: string, municipalityId: string): Promise<LayerDef> {
  const [kind, a, b] = key.split(':');
  if (kind === 'capa') {
    const l = await getLayer(a);
    const estilo = 'tipo' in l.estilo ? (l.estilo as Estilo) : { tipo: 'unico' as const, color: '#0b5d4b' };
    return {
      key,
      kind: 'capa',
      title: l.titulo,
      geometry: geometryOf(l.geometryType),
      fields: l.atributos,
      estilo,
      bbox: (l.bbox as [number, number, number, number]) ?? null,
      slug: l.slug,
      layerId: l.id,
      version: l.version,
      municipalityId: l.municipalityId,
    };
  }
  if (kind === 'unidades') {
    const data = await get<GeoJSON.FeatureCollection>(
      `/api/v1/municipalities/${municipalityId}/units.geojson?level=${a}&tolerance=0.00005`,
    );
    return {
      key,
      kind: 'unidades',
      title: LEVEL_LABEL[a] ?? a,
      geometry: a === 'localidad' ? 'mixed' : 'polygon',
      fields: fieldsOf(data, ['id', 'level']),
      estilo: { tipo: 'unico', color: '#5b6b73', opacidad: 0.08 },
      bbox: extent(data),
      data,
    };
  }
  if (kind === 'acciones') {
    const data = await get<GeoJSON.FeatureCollection>(`/api/v1/municipalities/${municipalityId}/actions.geojson`);
    return {
      key,
      kind: 'acciones',
      title: 'Obras y acciones del POA (avance físico %)',
      geometry: 'mixed',
      fields: fieldsOf(data, ['id', 'departmentId', 'isDemo', 'ubicada', 'publicado']),
      // Progress as a traffic light: red below 25 %, green from 75 %.
      estilo: {
        tipo: 'graduado',
        campo: 'avanceFisico',
        metodo: 'manual',
        cortes: [25, 50, 75],
        colores: ['#d73027', '#fdae61', '#a6d96a', '#1a9850'],
      },
      bbox: extent(data),
      data,
      link: (p) => (p.id ? `/m/${municipalityId}/acciones/${p.id}` : null),
    };
  }
  if (kind === 'indicador') {
    const ficha = await get<Ficha & { cobertura: string[]; decimales?: number }>(
      `/api/v1/municipalities/${municipalityId}/indicators/${encodeURIComponent(a)}`,
    );
    const level = b ?? ficha.cobertura.find((c) => c !== 'municipio' && c !== 'estado') ?? 'municipio';
    const [units, rows] = await Promise.all([
      get<GeoJSON.FeatureCollection>(`/api/v1/municipalities/${municipalityId}/units.geojson?level=${level}&tolerance=0.00005`),
      get<ValueRow[]>(
        `/api/v1/municipalities/${municipalityId}/indicators/${encodeURIComponent(a)}/values?nivel=${level}&desagregacion=total`,
      ),
    ]);
    // The latest period with a value for each unit.
    const latest = new Map<string, ValueRow>();
    for (const r of rows)
      if (r.valor !== null && (!latest.has(r.cvegeo) || latest.get(r.cvegeo)!.periodo < r.periodo)) latest.set(r.cvegeo, r);
    const features = units.features.map((f) => {
      const r = latest.get(String(f.properties?.cvegeo));
      return {
        ...f,
        properties: {
          name: f.properties?.name,
          cvegeo: f.properties?.cvegeo,
          valor: r?.valor ?? null,
          periodo: r?.periodo ?? null,
          semaforo: r?.semaforo ?? null,
        },
      };
    });
    const data = { type: 'FeatureCollection' as const, features };
    const cortes = classifyValues(
      [...latest.values()].map((r) => r.valor!),
      'cuantiles',
      5,
    );
    return {
      key,
      kind: 'indicador',
      title: `${ficha.nombre} (${ficha.unidadMedida}, ${LEVEL_LABEL[level] ?? level})`,
      geometry: 'polygon',
      fields: [
        { name: 'valor', type: 'number' },
        { name: 'name', type: 'text' },
        { name: 'cvegeo', type: 'text' },
        { name: 'periodo', type: 'text' },
        { name: 'semaforo', type: 'text' },
      ],
      estilo: {
        tipo: 'graduado',
        campo: 'valor',
        metodo: 'cuantiles',
        clases: cortes.length + 1,
        cortes,
        colores: rampColors('azules', cortes.length + 1),
      },
      bbox: extent(data),
      data,
      link: () => `/m/${municipalityId}/indicadores/${encodeURIComponent(a)}`,
    };
  }
  if (kind === 'llamadas') {
    return {
      key,
      kind: 'llamadas',
      title: 'Llamadas de emergencia (mapa de calor)',
      geometry: 'point',
      fields: [{ name: 'n', type: 'number' }],
      estilo: { tipo: 'unico', color: '#f03b20' },
      bbox: null,
      data: { type: 'FeatureCollection', features: [] },
      heat: (bbox, zoom) =>
        get(
          `/api/v1/municipalities/${municipalityId}/emergency-calls/heat?bbox=${bbox.map((x) => x.toFixed(5)).join(',')}&zoom=${zoom.toFixed(1)}`,
        ),
      link: () => `/m/${municipalityId}/llamadas`,
    };
  }
  if (kind === 'propuestas') {
    // Hidden proposals never reach this GeoJSON: the server leaves them out.
    const data = await get<GeoJSON.FeatureCollection>(`/api/v1/municipalities/${municipalityId}/proposals.geojson`);
    const cat = (valor: string, color: string, etiqueta: string) => ({ valor, color, etiqueta });
    return {
      key,
      kind: 'propuestas',
      title: 'Propuestas ciudadanas (PROPONLE) por estado',
      geometry: 'point',
      fields: fieldsOf(data, ['id']),
      estilo: {
        tipo: 'categorias',
        campo: 'estado',
        color: '#888',
        categorias: [
          cat('recibida', '#9e9e9e', 'Recibida'),
          cat('en_revision', '#fdae61', 'En revisión'),
          cat('viable', '#a6d96a', 'Viable'),
          cat('no_viable', '#d73027', 'No viable'),
          cat('incluida', '#4575b4', 'Incluida en plan/POA'),
          cat('en_ejecucion', '#313695', 'En ejecución'),
          cat('concluida', '#1a9850', 'Concluida'),
        ],
      },
      bbox: extent(data),
      data,
      link: (p) => (p.id ? `/m/${municipalityId}/propuestas/${p.id}` : null),
    };
  }
  if (kind === 'reportes') {
    const data = await get<GeoJSON.FeatureCollection>(`/api/v1/municipalities/${municipalityId}/citizen-reports.geojson`);
    return {
      key,
      kind: 'reportes',
      title: 'Reportes ciudadanos (abiertos y atendidos)',
      geometry: 'point',
      fields: fieldsOf(data, ['id']),
      estilo: {
        tipo: 'categorias',
        campo: 'estado',
        color: '#888',
        categorias: [
          { valor: 'open', color: '#d73027', etiqueta: 'Abierto' },
          { valor: 'closed', color: '#1a9850', etiqueta: 'Atendido' },
        ],
      },
      bbox: extent(data),
      data,
      link: (p) => (p.id ? `/m/${municipalityId}/reportes/${p.id}` : null),
    };
  }
  throw new Error(`Capa desconocida: ${key}`);
}
