import type * as S from '../../../server/modules/gis/schemas.ts';
import { api, get, patch, post } from '../client.ts';
import { useGet } from '../hooks.ts';
import type { Out } from '../wire.ts';

/** The SIG operations of /api/v1 (layers, their data and styles), one function or hook each. */
export type Estilo = Out<typeof S.Estilo>;
export type LayerSummary = Out<typeof S.LayerSummary>;
export type Layer = Out<typeof S.Layer>;
export type UploadReport = Out<typeof S.UploadReport>;
export type LayerInput = { titulo: string } & Partial<
  Pick<Layer, 'descripcion' | 'tema' | 'fuente' | 'licencia' | 'fecha' | 'contacto' | 'publico' | 'descargable'>
>;
export type LayerPatch = Partial<LayerInput> & {
  atributos?: { name: string; type?: string; description?: string }[];
  estilo?: Estilo;
};

const q = (o: Record<string, string | undefined>) => {
  const p = new URLSearchParams(Object.entries(o).filter((e): e is [string, string] => !!e[1]));
  return p.size ? (`?${p}` as const) : '';
};

export const useLayers = (municipalityId: string, f: { q?: string; tema?: string } = {}) =>
  useGet<LayerSummary[]>(`/api/v1/layers${q({ municipalityId, q: f.q, tema: f.tema })}`);
export const useLayer = (slug: string) => useGet<Layer>(`/api/v1/layers/${slug}`);
export const getLayer = (slug: string) => get<Layer>(`/api/v1/layers/${slug}`);
export const layerDownloadUrl = (slug: string) => `/api/v1/layers/${slug}/download.geojson`;
export const layerDataPath = (municipalityId: string, id: number) => `/api/v1/municipalities/${municipalityId}/layers/${id}/data`;
export const createLayer = (municipalityId: string, body: LayerInput) =>
  post<Layer>(`/api/v1/municipalities/${municipalityId}/layers`, body);
export const updateLayer = (municipalityId: string, id: number, body: LayerPatch) =>
  patch<Layer>(`/api/v1/municipalities/${municipalityId}/layers/${id}`, body);
export const layerValues = (slug: string, campo: string) => get<Out<typeof S.Values>>(`/api/v1/layers/${slug}/values${q({ campo })}`);
export const layerClasses = (slug: string, campo: string, metodo: string, clases: number) =>
  get<Out<typeof S.Classes>>(`/api/v1/layers/${slug}/classify${q({ campo, metodo, clases: String(clases) })}`);

/** One feature of a layer with all its attributes, from the OGC API (outside /api/v1). */
export const ogcFeature = (slug: string, id: string | number) => api<GeoJSON.Feature>('GET', `/ogc/collections/${slug}/items/${id}`);
