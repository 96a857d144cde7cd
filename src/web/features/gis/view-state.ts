import type { Estilo, Filtro } from './style.ts';

/**
 * What the viewer shows: the map position and the layers (top first) with visibility, opacity, an
 * unsaved style and a filter. It lives in the URL (`?vista=`), so a copied address opens the same view.
 *
 * Layer keys: `capa:<slug>` (catalogue), `unidades:<nivel>` (territory), `acciones` (POA actions and
 * works with their progress), `indicador:<clave>:<nivel>` (an indicator's latest values by unit),
 * `llamadas` (emergency-call heat map), `propuestas` and `reportes` (participation, hidden ones left out).
 */
export interface ViewLayer {
  key: string;
  visible: boolean;
  opacity: number;
  estilo?: Estilo;
  filtro?: Filtro;
}

export interface View {
  center: [number, number] | null;
  zoom: number | null;
  layers: ViewLayer[];
  base?: string;
}

const b64 = (s: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const unb64 = (s: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));

export function encodeView(v: View): string {
  const compact = {
    c: v.center?.map((x) => Number(x.toFixed(5))),
    z: v.zoom === null ? undefined : Number(v.zoom.toFixed(2)),
    b: v.base,
    l: v.layers.map((l) => ({
      k: l.key,
      v: l.visible ? undefined : 0,
      o: l.opacity === 1 ? undefined : l.opacity,
      e: l.estilo,
      f: l.filtro,
    })),
  };
  return b64(JSON.stringify(compact));
}

/** Reads `?vista=` (the shared view) or `?capas=a,b` (a link from the catalogue); null when absent or unreadable. */
export function decodeView(params: URLSearchParams): View | null {
  const raw = params.get('vista');
  if (raw) {
    try {
      const c = JSON.parse(unb64(raw)) as {
        c?: [number, number];
        z?: number;
        b?: string;
        l?: { k: string; v?: number; o?: number; e?: Estilo; f?: Filtro }[];
      };
      return {
        center: Array.isArray(c.c) && c.c.length === 2 ? c.c : null,
        zoom: typeof c.z === 'number' ? c.z : null,
        base: c.b,
        layers: (c.l ?? [])
          .filter((l) => typeof l.k === 'string')
          .map((l) => ({ key: l.k, visible: l.v !== 0, opacity: typeof l.o === 'number' ? l.o : 1, estilo: l.e, filtro: l.f })),
      };
    } catch {
      return null;
    }
  }
  const capas = params.get('capas');
  if (capas)
    return {
      center: null,
      zoom: null,
      layers: capas
        .split(',')
        .filter(Boolean)
        .map((k) => ({
          key: k.includes(':') || ['acciones', 'llamadas', 'propuestas', 'reportes'].includes(k) ? k : `capa:${k}`,
          visible: true,
          opacity: 1,
        })),
    };
  return null;
}
