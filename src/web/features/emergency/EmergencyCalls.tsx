import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource } from 'maplibre-gl';
import type { ApiError } from '../../api/client.ts';
import {
  byUnitCsvUrl,
  callsPath,
  deleteCallImport,
  type CallImportReport,
  callHeat,
  callsToIndicator,
  useCallImports,
  useCallSummary,
  useCallsByUnit,
} from '../../api/emergency/index.ts';
import { useGet, useQueryState } from '../../api/hooks.ts';
import type { MunicipalityDetail } from '../../api/territory/index.ts';
import { uploadWithProgress } from '../../api/upload.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { baseStyle, newMap } from '../../components/TerritoryMap.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import type { Variable } from '../../api/indicators/index.ts';

const FILTERS = ['desde', 'hasta', 'tipo', 'prioridad', 'mes', 'dia', 'horaDesde', 'horaHasta'] as const;

/** Georeferenced 9-1-1 calls: a heat map and counts with filters by date, type, month, weekday and hour. */
export function EmergencyCalls() {
  const { t } = useTranslation();
  const { municipalityId } = useParams();
  const mid = municipalityId!;
  const { params, setParams, set } = useQueryState();
  const { can } = useSession();
  const filterQs = useMemo(() => {
    const q = new URLSearchParams();
    for (const k of FILTERS) for (const v of params.getAll(k)) if (v) q.append(k, v);
    return q.toString();
  }, [params]);
  const summary = useCallSummary(mid, filterQs);
  const [nivel, setNivel] = useState<'colonia' | 'ageb'>('colonia');
  const units = useCallsByUnit(mid, nivel, filterQs);
  const tipos = params.getAll('tipo');
  const toggleTipo = (tipo: string) => {
    const next = new URLSearchParams(params);
    next.delete('tipo');
    for (const x of tipos.includes(tipo) ? tipos.filter((y) => y !== tipo) : [...tipos, tipo]) next.append('tipo', x);
    setParams(next, { replace: true });
  };
  const months = t('calls.months', { returnObjects: true }) as string[];
  const days = t('calls.days', { returnObjects: true }) as string[];
  const s = summary.data;
  return (
    <Layout>
      <nav className="crumbs">
        <Link to={`/m/${mid}/mapa`}>{t('viewer.title')}</Link> · <Link to={`/m/${mid}/sig`}>{t('gis.title')}</Link>
      </nav>
      <h1>{t('calls.title')}</h1>
      <p className="muted">{t('calls.intro')}</p>
      <div className="row wrap filters" data-testid="call-filters">
        <label>
          {t('calls.from')}
          <input type="date" value={params.get('desde') ?? ''} onChange={(e) => set('desde', e.target.value)} />
        </label>
        <label>
          {t('calls.to')}
          <input type="date" value={params.get('hasta') ?? ''} onChange={(e) => set('hasta', e.target.value)} />
        </label>
        <label>
          {t('calls.month')}
          <select name="mes" value={params.get('mes') ?? ''} onChange={(e) => set('mes', e.target.value)}>
            <option value="">{t('poa.all')}</option>
            {months.map((m, i) => (
              <option key={i} value={i + 1}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('calls.weekday')}
          <select name="dia" value={params.get('dia') ?? ''} onChange={(e) => set('dia', e.target.value)}>
            <option value="">{t('poa.all')}</option>
            {days.map((d, i) => (
              <option key={i} value={i}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('calls.hourFrom')}
          <select name="horaDesde" value={params.get('horaDesde') ?? ''} onChange={(e) => set('horaDesde', e.target.value)}>
            <option value="">—</option>
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={h}>{`${h}:00`}</option>
            ))}
          </select>
        </label>
        <label>
          {t('calls.hourTo')}
          <select name="horaHasta" value={params.get('horaHasta') ?? ''} onChange={(e) => set('horaHasta', e.target.value)}>
            <option value="">—</option>
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={h}>{`${h}:59`}</option>
            ))}
          </select>
        </label>
        <label>
          {t('calls.priority')}
          <select name="prioridad" value={params.get('prioridad') ?? ''} onChange={(e) => set('prioridad', e.target.value)}>
            <option value="">{t('poa.all')}</option>
            {['alta', 'media', 'baja'].map((p) => (
              <option key={p} value={p}>
                {t(`calls.priorities.${p}`)}
              </option>
            ))}
          </select>
        </label>
        {filterQs && (
          <button type="button" className="btn btn-small" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            {t('calls.clear')}
          </button>
        )}
      </div>
      <ErrorBox error={summary.error} onRetry={summary.reload} />
      {!s && summary.loading && <Loading />}
      {s && (
        <>
          <p className="lead" data-testid="call-total" aria-live="polite">
            {t('calls.total', { count: s.total, n: fmt.int(s.total) })}
            {s.desde && s.hasta && ` · ${fmt.date(s.desde)} – ${fmt.date(s.hasta)}`}
          </p>
          {s.total === 0 && <p className="card">{t('calls.empty')}</p>}
          <div className="calls-grid">
            <HeatMap municipalityId={mid} filterQs={filterQs} />
            <div>
              <h2>{t('calls.byType')}</h2>
              <ul className="type-list" data-testid="call-types">
                {s.porTipo.map((x) => (
                  <li key={x.tipo}>
                    <label className="check">
                      <input type="checkbox" checked={tipos.includes(x.tipo)} onChange={() => toggleTipo(x.tipo)} /> {x.tipo}
                    </label>
                    <span className="muted">{fmt.int(x.n)}</span>
                  </li>
                ))}
                {tipos
                  .filter((x) => !s.porTipo.some((y) => y.tipo === x))
                  .map((x) => (
                    <li key={x}>
                      <label className="check">
                        <input type="checkbox" checked onChange={() => toggleTipo(x)} /> {x}
                      </label>
                      <span className="muted">0</span>
                    </li>
                  ))}
              </ul>
            </div>
          </div>
          <div className="calls-charts">
            <Bars title={t('calls.byHour')} labels={Array.from({ length: 24 }, (_, h) => String(h))} values={s.porHora} />
            <Bars title={t('calls.byWeekday')} labels={days.map((d) => d.slice(0, 3))} values={s.porDia} />
            <Bars title={t('calls.byMonth')} labels={months.map((m) => m.slice(0, 3))} values={s.porMes} />
          </div>
        </>
      )}
      <section>
        <div className="row spread">
          <h2>{t('calls.byUnit')}</h2>
          <div className="row">
            <select aria-label={t('calls.level')} value={nivel} onChange={(e) => setNivel(e.target.value as 'colonia' | 'ageb')}>
              <option value="colonia">{t('calls.colonias')}</option>
              <option value="ageb">AGEB</option>
            </select>
            <a className="btn btn-small" href={byUnitCsvUrl(mid, nivel, filterQs)}>
              CSV
            </a>
          </div>
        </div>
        <ErrorBox error={units.error} />
        {units.data && (
          <div className="table-wrap">
            <table className="table" data-testid="calls-by-unit">
              <thead>
                <tr>
                  <th>{nivel === 'ageb' ? 'AGEB' : t('calls.colonia')}</th>
                  <th className="num">{t('calls.calls')}</th>
                  <th className="num">{t('calls.population')}</th>
                  <th className="num">{t('calls.rate')}</th>
                </tr>
              </thead>
              <tbody>
                {units.data.unidades.slice(0, 20).map((u) => (
                  <tr key={u.unitId}>
                    <td>
                      {u.nombre} <span className="muted small">{u.cvegeo}</span>
                    </td>
                    <td className="num">{fmt.int(u.n)}</td>
                    <td className="num">{fmt.int(u.poblacion)}</td>
                    <td className="num">{u.tasaMil === null ? '—' : fmt.dec(u.tasaMil, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {units.data.sinUnidad > 0 && <p className="muted small">{t('calls.outside', { n: fmt.int(units.data.sinUnidad) })}</p>}
          </div>
        )}
      </section>
      {can(['planner'], mid) && (
        <CallsAdmin
          municipalityId={mid}
          onChange={() => {
            summary.reload();
            units.reload();
          }}
        />
      )}
    </Layout>
  );
}

/** A small accessible bar chart: bars for the eye, the numbers in a table for screen readers. */
function Bars({ title, labels, values }: { title: string; labels: string[]; values: number[] }) {
  const max = Math.max(1, ...values);
  return (
    <figure className="bars">
      <figcaption>{title}</figcaption>
      <div className="bars-plot" aria-hidden="true">
        {values.map((v, i) => (
          <div key={i} className="bar" title={`${labels[i]}: ${fmt.int(v)}`}>
            <span style={{ height: `${(v / max) * 100}%` }} />
            <small>{labels[i]}</small>
          </div>
        ))}
      </div>
      <table className="sr-only">
        <tbody>
          {values.map((v, i) => (
            <tr key={i}>
              <th>{labels[i]}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function HeatMap({ municipalityId, filterQs }: { municipalityId: string; filterQs: string }) {
  const { t } = useTranslation();
  const { config } = useSession();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<maplibregl.Map | null>(null);
  const [ready, setReady] = useState(false);
  const muni = useGet<MunicipalityDetail>(`/api/v1/municipalities/${municipalityId}`);
  const framed = useRef(false);
  const qsRef = useRef(filterQs);
  qsRef.current = filterQs;
  const refresh = async () => {
    const m = map.current;
    if (!m) return;
    const b = m.getBounds();
    const data = await callHeat(municipalityId, [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], m.getZoom(), qsRef.current);
    (m.getSource('llamadas') as GeoJSONSource | undefined)?.setData(data);
    // The first time, frame where the calls are (the city), not the whole municipality.
    if (!framed.current && data.features.length) {
      framed.current = true;
      const xs = data.features.map((f) => (f.geometry as GeoJSON.Point).coordinates[0]);
      const ys = data.features.map((f) => (f.geometry as GeoJSON.Point).coordinates[1]);
      m.fitBounds([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], { padding: 30, duration: 0 });
    }
    // Logarithmic weight: a few very busy cells would otherwise leave the rest of the city blank.
    if (m.getLayer('calor'))
      m.setPaintProperty('calor', 'heatmap-weight', ['/', ['ln', ['+', 1, ['get', 'n']]], Math.log(1 + Math.max(1, data.max))]);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once the basemap and the municipality are known; refresh reads the filters through qsRef.
  useEffect(() => {
    if (!el.current || !config || !muni.data || map.current) return;
    const m = newMap({
      container: el.current,
      style: baseStyle(config),
      bounds: muni.data.bbox ?? undefined,
      fitBoundsOptions: { padding: 20 },
      attributionControl: { compact: true },
    });
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    m.on('load', () => {
      m.addSource('llamadas', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      m.addLayer({
        id: 'calor',
        type: 'heatmap',
        source: 'llamadas',
        maxzoom: 17,
        paint: {
          'heatmap-weight': ['/', ['get', 'n'], 1],
          'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 10, 1, 16, 2],
          // Wide enough for neighbouring cells (≥ 100 m apart for the public) to blend at every zoom.
          'heatmap-radius': ['interpolate', ['exponential', 1.5], ['zoom'], 10, 14, 13, 34, 16, 90],
          'heatmap-opacity': 0.7,
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
      });
      setReady(true);
      void refresh();
    });
    m.on('moveend', () => void refresh());
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, [config, muni.data]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterQs is the trigger; refresh reads it through qsRef.
  useEffect(() => {
    if (ready) void refresh();
  }, [filterQs, ready]);
  return (
    // biome-ignore lint/a11y/useSemanticElements: the div MapLibre draws into, named as a landmark by its role.
    <div ref={el} className="map" role="region" aria-label={t('calls.map')} data-testid="calls-map" data-ready={ready} />
  );
}

function CallsAdmin({ municipalityId, onChange }: { municipalityId: string; onChange: () => void }) {
  const { t } = useTranslation();
  const base = callsPath(municipalityId);
  const imports = useCallImports(municipalityId);
  const variables = useGet<Variable[]>(`/api/v1/municipalities/${municipalityId}/variables`);
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string; errores?: { fila: number; problema: string }[] } | null>(null);
  const [feed, setFeed] = useState<{ ok: boolean; text: string } | null>(null);
  async function upload(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const fd = new FormData(ev.currentTarget);
    fd.set('dryRun', fd.get('dryRun') === 'on' ? 'true' : 'false');
    setResult(null);
    setProgress(0);
    try {
      const r = await uploadWithProgress('POST', `${base}/imports`, fd, setProgress);
      const body = r.body as Partial<CallImportReport> & { message?: string; details?: { errores?: CallImportReport['errores'] } };
      if (r.status >= 400) setResult({ ok: false, text: body.message ?? String(r.status), errores: body.details?.errores });
      else {
        setResult({
          ok: true,
          text: body.committed
            ? t('calls.loaded', { n: fmt.int(body.validas ?? 0) })
            : t('calls.validated', { n: fmt.int(body.validas ?? 0) }),
        });
        imports.reload();
        onChange();
      }
    } catch {
      setResult({ ok: false, text: t('gis.networkError') });
    } finally {
      setProgress(null);
    }
  }
  return (
    <section className="card">
      <h2>{t('calls.admin')}</h2>
      <form onSubmit={upload} data-testid="calls-upload">
        <p className="muted small">{t('calls.format')}</p>
        <div className="row wrap filters">
          <label>
            {t('gis.file')}
            <input type="file" name="file" required accept=".csv,.xlsx" />
          </label>
          <label className="check">
            <input type="checkbox" name="dryRun" /> {t('gis.dryRun')}
          </label>
          <button type="submit" className="btn btn-primary" disabled={progress !== null}>
            {t('gis.upload')}
          </button>
        </div>
        {progress !== null && (
          <p role="status">
            <progress max={100} value={progress} aria-label={t('gis.uploading')} /> {progress < 100 ? `${progress} %` : t('gis.processing')}
          </p>
        )}
        {result && (
          <p className={`alert ${result.ok ? 'alert-ok' : 'alert-error'}`} role={result.ok ? 'status' : 'alert'}>
            {result.text}
          </p>
        )}
        {result?.errores && (
          <ul className="errors">
            {result.errores.slice(0, 50).map((e) => (
              <li key={`${e.fila}-${e.problema}`}>
                {t('calls.row', { n: e.fila })}: {e.problema}
              </li>
            ))}
          </ul>
        )}
      </form>
      <h3>{t('calls.imports')}</h3>
      <ErrorBox error={imports.error} />
      {imports.data && imports.data.length === 0 && <p className="muted">{t('calls.noImports')}</p>}
      {imports.data && imports.data.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>{t('gis.file')}</th>
                <th className="num">{t('calls.calls')}</th>
                <th>{t('calls.period')}</th>
                <th>{t('calls.loadedBy')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {imports.data.map((i) => (
                <tr key={i.id}>
                  <td>
                    {i.archivo}
                    {i.isDemo && <span className="badge">{t('calls.demo')}</span>}
                  </td>
                  <td className="num">{fmt.int(i.filas)}</td>
                  <td>{i.desde && i.hasta ? `${fmt.date(i.desde)} – ${fmt.date(i.hasta)}` : '—'}</td>
                  <td>
                    {i.cargadoPor ?? '—'} · {fmt.dateTime(i.createdAt)}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={async () => {
                        if (!window.confirm(t('calls.confirmDelete', { n: fmt.int(i.filas) }))) return;
                        await deleteCallImport(municipalityId, i.id);
                        imports.reload();
                        onChange();
                      }}
                    >
                      {t('calls.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('calls.feedTitle')}</h3>
      <p className="muted small">{t('calls.feedHelp')}</p>
      <form
        className="row wrap filters"
        onSubmit={async (ev) => {
          ev.preventDefault();
          const f = new FormData(ev.currentTarget);
          try {
            const r = await callsToIndicator(municipalityId, {
              variable: String(f.get('variable')),
              nivel: f.get('nivel') as 'municipio' | 'colonia' | 'ageb',
              periodo: String(f.get('periodo')),
            });
            setFeed({ ok: true, text: t('calls.fed', { ins: r.insertadas, upd: r.actualizadas }) });
          } catch (e) {
            setFeed({ ok: false, text: (e as ApiError).message });
          }
        }}
      >
        <label>
          {t('calls.variable')}
          <select name="variable" required>
            {(variables.data ?? []).map((v) => (
              <option key={v.clave} value={v.clave}>
                {v.clave} — {v.nombre}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('calls.level')}
          <select name="nivel">
            <option value="ageb">AGEB</option>
            <option value="colonia">{t('calls.colonias')}</option>
            <option value="municipio">{t('calls.municipality')}</option>
          </select>
        </label>
        <label>
          {t('calls.period')}
          <input
            name="periodo"
            required
            pattern="[0-9]{4}(-S[12]|-T[1-4]|-(0[1-9]|1[0-2]))?"
            placeholder="2025, 2025-T3 o 2025-07"
            size={12}
          />
        </label>
        <button type="submit" className="btn">
          {t('calls.feed')}
        </button>
      </form>
      {feed && (
        <p className={`alert ${feed.ok ? 'alert-ok' : 'alert-error'}`} role={feed.ok ? 'status' : 'alert'}>
          {feed.text}
        </p>
      )}
    </section>
  );
}
