// @vitest-environment happy-dom
// The wrapper's own behaviour around MapLibre (which needs WebGL, so the browser tests draw the real
// map): when the map is made, what a click reports, where the marker goes, and what is cleaned up.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (e: { lngLat: { lng: number; lat: number } }) => void;
const maps: FakeMap[] = [];
const markers: FakeMarker[] = [];
class FakeMap {
  handlers = new Map<string, Handler[]>();
  removed = false;
  canvas = { style: { cursor: '' } };
  constructor(public options: { center: [number, number]; zoom: number; style: unknown }) {
    maps.push(this);
  }
  on(event: string, h: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), h]);
  }
  fire(event: string, e: Parameters<Handler>[0]) {
    for (const h of this.handlers.get(event) ?? []) h(e);
  }
  addControl() {}
  getCanvas() {
    return this.canvas;
  }
  remove() {
    this.removed = true;
  }
}
class FakeMarker {
  at: [number, number] | null = null;
  map: FakeMap | null = null;
  constructor() {
    markers.push(this);
  }
  setLngLat(p: [number, number]) {
    this.at = p;
    return this;
  }
  addTo(m: FakeMap) {
    this.map = m;
    return this;
  }
  remove() {
    this.map = null;
  }
}

vi.mock('maplibre-gl', () => ({ Marker: FakeMarker, NavigationControl: class {} }));
vi.mock('../TerritoryMap.tsx', () => ({
  newMap: (o: ConstructorParameters<typeof FakeMap>[0]) => new FakeMap(o),
  baseStyle: (config: { basemap: string } | null) => ({ basemap: config?.basemap ?? 'none' }),
  labelsBelow: () => undefined,
}));
const session = { config: null as { basemap: string } | null, ready: false };
vi.mock('../../session.tsx', () => ({ useSession: () => session }));

const { PickPointMap } = await import('./PickPointMap.tsx');

beforeEach(() => {
  maps.length = 0;
  markers.length = 0;
  Object.assign(session, { config: { basemap: 'propio' }, ready: true });
});
afterEach(cleanup);

describe('PickPointMap', () => {
  it('makes its map only once the public configuration is there, with that basemap', () => {
    Object.assign(session, { config: null, ready: false });
    const { rerender } = render(<PickPointMap municipalityId="32056" value={null} onPick={() => {}} ariaLabel="Ubicación de la obra" />);
    expect(screen.getByRole('application', { name: 'Ubicación de la obra' })).toBeTruthy();
    expect(maps).toHaveLength(0);
    Object.assign(session, { config: { basemap: 'propio' }, ready: true });
    rerender(<PickPointMap municipalityId="32056" value={null} onPick={() => {}} ariaLabel="Ubicación de la obra" />);
    expect(maps).toHaveLength(1);
    expect(maps[0].options).toMatchObject({ style: { basemap: 'propio' }, center: [-102.58, 22.77], zoom: 11 });
  });

  it('reports a click as a point rounded to six decimals, with a crosshair cursor', () => {
    const onPick = vi.fn();
    render(<PickPointMap municipalityId="32056" value={null} onPick={onPick} ariaLabel="Ubicación" />);
    expect(maps[0].canvas.style.cursor).toBe('crosshair');
    act(() => maps[0].fire('click', { lngLat: { lng: -102.583212345, lat: 22.770987654 } }));
    expect(onPick).toHaveBeenCalledWith([-102.583212, 22.770988]);
  });

  it('puts the marker on a point that came before the map, moves it with the value and removes it when cleared', () => {
    const { rerender } = render(<PickPointMap municipalityId="32056" value={[-102.57, 22.76]} onPick={() => {}} ariaLabel="Ubicación" />);
    expect(maps[0].options).toMatchObject({ center: [-102.57, 22.76], zoom: 14 });
    expect(markers.at(-1)).toMatchObject({ at: [-102.57, 22.76], map: maps[0] });
    rerender(<PickPointMap municipalityId="32056" value={[-102.5, 22.7]} onPick={() => {}} ariaLabel="Ubicación" />);
    expect(markers.filter((m) => m.map)).toHaveLength(1);
    expect(markers.find((m) => m.map)?.at).toEqual([-102.5, 22.7]);
    rerender(<PickPointMap municipalityId="32056" value={null} onPick={() => {}} ariaLabel="Ubicación" />);
    expect(markers.filter((m) => m.map)).toHaveLength(0);
  });

  it('only shows the point, wider and without taking clicks, when nothing can be picked', () => {
    render(<PickPointMap municipalityId="32056" value={[-102.57, 22.76]} ariaLabel="Ubicación de la propuesta" />);
    expect(maps[0].options.zoom).toBe(13);
    expect(maps[0].handlers.has('click')).toBe(false);
    expect(maps[0].canvas.style.cursor).toBe('');
  });

  it('removes its map when it leaves the page or the municipality changes', () => {
    const { rerender, unmount } = render(<PickPointMap municipalityId="32056" value={null} onPick={() => {}} ariaLabel="Ubicación" />);
    rerender(<PickPointMap municipalityId="32017" value={null} onPick={() => {}} ariaLabel="Ubicación" />);
    expect(maps.map((m) => m.removed)).toEqual([true, false]);
    unmount();
    expect(maps[1].removed).toBe(true);
  });
});
