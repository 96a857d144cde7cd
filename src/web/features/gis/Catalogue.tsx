import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import * as maplibregl from 'maplibre-gl';
import type { ApiError } from '../../api/client.ts';
import {
  createLayer,
  type Estilo,
  type Layer,
  layerDataPath,
  layerDownloadUrl,
  type UploadReport,
  updateLayer,
  useLayer,
  useLayers,
} from '../../api/gis/index.ts';
import { useQueryState } from '../../api/hooks.ts';
import { uploadWithProgress } from '../../api/upload.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
// Importing TerritoryMap also sets MapLibre's worker and its CSS.
import { baseStyle, newMap } from '../../components/TerritoryMap.tsx';
import { useSession } from '../../session.tsx';
import { LAYER_THEMES as TEMAS } from '../../../shared/catalogs.ts';
import { colorExpression, legendOf } from './style.ts';

/** The searchable layer catalogue of a municipality, with downloads and the OGC API address. */
export function GisCatalogue() {
  const { t } = useTranslation();
  const { municipalityId } = useParams();
  const { params, set } = useQueryState();
  const q = params.get('q') ?? '';
  const tema = params.get('tema') ?? '';
  const { can } = useSession();
  const list = useLayers(municipalityId!, { q, tema });
  return (
    <Layout>
      <h1>{t('gis.title')}</h1>
      <p className="muted">{t('gis.intro')}</p>
      <p className="row wrap">
        <Link className="btn btn-primary" to={`/m/${municipalityId}/mapa`}>
          {t('viewer.title')}
        </Link>
        <Link className="btn" to={`/m/${municipalityId}/llamadas`}>
          {t('calls.link')}
        </Link>
      </p>
      <p className="small">
        {t('gis.ogc')} <code>{`${window.location.origin}/ogc`}</code> · <a href="/ogc?f=html">{t('gis.ogcBrowse')}</a>
      </p>
      <div className="row wrap filters">
        <label>
          {t('gis.search')}
          <input
            type="search"
            defaultValue={q}
            onKeyDown={(e) => e.key === 'Enter' && set('q', (e.target as HTMLInputElement).value)}
            onBlur={(e) => set('q', e.target.value)}
          />
        </label>
        <label>
          {t('gis.theme')}
          <select value={tema} onChange={(e) => set('tema', e.target.value)}>
            <option value="">{t('poa.all')}</option>
            {TEMAS.map((k) => (
              <option key={k} value={k}>
                {t(`gis.temas.${k}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.length === 0 && <p className="card">{t('gis.empty')}</p>}
      <ul className="plan-cards" data-testid="layers">
        {(list.data ?? []).map((l) => (
          <li key={l.id} className="card">
            <div className="row spread">
              <span className="muted">{t(`gis.temas.${l.tema}`)}</span>
              {!l.publico && <span className="badge badge-red">{t('gis.private')}</span>}
            </div>
            <h3>
              <Link to={`/m/${municipalityId}/sig/${l.slug}`}>{l.titulo}</Link>
            </h3>
            <p className="muted small">
              {fmt.int(l.featureCount)} {t('gis.features')} · {l.geometryType ?? '—'} · {l.fuente || '—'}
              {l.fecha && ` · ${fmt.date(`${l.fecha}T12:00:00`)}`}
            </p>
            {l.descargable && l.featureCount > 0 && (
              <a className="btn btn-small" href={layerDownloadUrl(l.slug)}>
                GeoJSON
              </a>
            )}
          </li>
        ))}
      </ul>
      {can(['planner'], municipalityId ?? null) && <NewLayer municipalityId={municipalityId!} onSaved={list.reload} />}
    </Layout>
  );
}

function NewLayer({ municipalityId, onSaved }: { municipalityId: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<Layer | null>(null);
  return (
    <details className="card">
      <summary>{t('gis.new')}</summary>
      <form
        className="grid-form"
        onSubmit={async (ev: FormEvent<HTMLFormElement>) => {
          ev.preventDefault();
          const f = new FormData(ev.currentTarget);
          try {
            const l = await createLayer(municipalityId, {
              titulo: String(f.get('titulo')),
              descripcion: String(f.get('descripcion') ?? ''),
              tema: String(f.get('tema')),
              fuente: String(f.get('fuente') ?? ''),
              licencia: String(f.get('licencia') ?? ''),
              fecha: f.get('fecha') ? String(f.get('fecha')) : null,
              publico: f.get('publico') === 'on',
              descargable: f.get('descargable') === 'on',
            });
            setCreated(l);
            setError(null);
            onSaved();
          } catch (e) {
            setError(e as ApiError);
          }
        }}
      >
        <ErrorBox error={error} />
        <label className="wide">
          {t('plans.fields.titulo')}
          <input name="titulo" required minLength={3} maxLength={300} />
        </label>
        <label className="wide">
          {t('plans.fields.descripcion')}
          <textarea name="descripcion" rows={2} maxLength={8000} />
        </label>
        <label>
          {t('gis.theme')}
          <select name="tema">
            {TEMAS.map((k) => (
              <option key={k} value={k}>
                {t(`gis.temas.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('gis.source')}
          <input name="fuente" maxLength={500} />
        </label>
        <label>
          {t('gis.date')}
          <input name="fecha" type="date" />
        </label>
        <label>
          {t('gis.licence')}
          <input name="licencia" defaultValue="CC-BY-4.0" maxLength={200} />
        </label>
        <label className="check">
          <input type="checkbox" name="publico" /> {t('gis.public')}
        </label>
        <label className="check">
          <input type="checkbox" name="descargable" defaultChecked /> {t('gis.downloadable')}
        </label>
        <div className="wide">
          <button type="submit" className="btn btn-primary">
            {t('gis.create')}
          </button>
        </div>
      </form>
      {created && <UploadData municipalityId={municipalityId} layer={created} onDone={onSaved} />}
    </details>
  );
}

/** Upload with a progress bar (XHR reports upload progress; fetch does not) and the per-feature report. */
export function UploadData({
  municipalityId,
  layer,
  onDone,
}: {
  municipalityId: string;
  layer: { id: number; titulo: string };
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<UploadReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const fd = new FormData(ev.currentTarget);
    for (const k of ['layer', 'lat', 'lon', 'wkt']) if (!fd.get(k)) fd.delete(k);
    fd.set('dryRun', fd.get('dryRun') === 'on' ? 'true' : 'false');
    setError(null);
    setReport(null);
    setProgress(0);
    try {
      const r = await uploadWithProgress('PUT', layerDataPath(municipalityId, layer.id), fd, setProgress);
      if (r.status >= 400) {
        setError(r.body.message ?? String(r.status));
        if (r.body.details) setReport(r.body.details as UploadReport);
      } else {
        setReport(r.body as unknown as UploadReport);
        onDone();
      }
    } catch {
      setError(t('gis.networkError'));
    } finally {
      setProgress(null);
    }
  }
  return (
    <form className="card" onSubmit={submit} data-testid="upload-form">
      <h3>{t('gis.uploadTo', { titulo: layer.titulo })}</h3>
      <p className="muted small">{t('gis.formats')}</p>
      <div className="row wrap filters">
        <label>
          {t('gis.file')}
          <input type="file" name="file" required accept=".geojson,.json,.zip,.gpkg,.kml,.kmz,.csv,.fgb" />
        </label>
        <label>
          {t('gis.gpkgLayer')}
          <input name="layer" size={14} />
        </label>
        <label>
          {t('gis.csvColumns')}
          <span className="row">
            <input name="lat" placeholder="latitud" size={8} />
            <input name="lon" placeholder="longitud" size={8} />
            <input name="wkt" placeholder="wkt" size={6} />
          </span>
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
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <div data-testid="upload-report">
          <p>
            {report.committed
              ? t('gis.loaded', { valid: fmt.int(report.valid), format: report.format })
              : report.dryRun
                ? t('gis.dryRunResult', { valid: fmt.int(report.valid), total: fmt.int(report.features) })
                : ''}
          </p>
          {report.warnings.map((w, i) => (
            <p key={i} className="muted small">
              {w}
            </p>
          ))}
          {report.rejected.length > 0 && (
            <>
              <h4>{t('gis.rejected')}</h4>
              <ul className="errors">
                {report.rejected.slice(0, 50).map((r) => (
                  <li key={r.n}>
                    #{r.n}: {r.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          {report.repaired.length > 0 && (
            <>
              <h4>{t('gis.repaired')}</h4>
              <ul>
                {report.repaired.slice(0, 50).map((r) => (
                  <li key={r.n}>
                    #{r.n}: {r.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </form>
  );
}

/** One layer: metadata, attributes, the map from its vector tiles, downloads and (for planners) re-upload. */
export function LayerPage() {
  const { t } = useTranslation();
  const { municipalityId, slug } = useParams();
  const l = useLayer(slug!);
  const { can } = useSession();
  if (l.error)
    return (
      <Layout>
        <ErrorBox error={l.error} />
      </Layout>
    );
  if (!l.data)
    return (
      <Layout>
        <Loading />
      </Layout>
    );
  const d = l.data;
  return (
    <Layout>
      <nav className="crumbs">
        <Link to={`/m/${municipalityId}/sig`}>{t('gis.title')}</Link>
      </nav>
      <h1>{d.titulo}</h1>
      {d.descripcion && <p>{d.descripcion}</p>}
      <dl className="facts">
        <dt>{t('gis.theme')}</dt>
        <dd>{t(`gis.temas.${d.tema}`)}</dd>
        <dt>{t('gis.source')}</dt>
        <dd>{d.fuente || '—'}</dd>
        <dt>{t('gis.date')}</dt>
        <dd>{d.fecha ? fmt.date(`${d.fecha}T12:00:00`) : '—'}</dd>
        <dt>{t('gis.licence')}</dt>
        <dd>{d.licencia}</dd>
        <dt>{t('gis.featuresLabel')}</dt>
        <dd>
          {fmt.int(d.featureCount)} ({d.geometryType ?? '—'})
        </dd>
        <dt>OGC API</dt>
        <dd>
          <a href={`/ogc/collections/${d.slug}?f=html`}>{`/ogc/collections/${d.slug}`}</a>
        </dd>
        <dt>TileJSON</dt>
        <dd>
          <a href={`/tiles/${d.slug}.json`}>{`/tiles/${d.slug}.json`}</a>
        </dd>
      </dl>
      {d.featureCount > 0 && (
        <p>
          <Link className="btn" to={`/m/${d.municipalityId}/mapa?capas=${d.slug}`}>
            {t('viewer.openInViewer')}
          </Link>
        </p>
      )}
      {d.featureCount > 0 && <LayerMap layer={d} />}
      {d.atributos && d.atributos.length > 0 && can(['planner'], d.municipalityId) && <AttributeEditor layer={d} onSaved={l.reload} />}
      {d.atributos && d.atributos.length > 0 && !can(['planner'], d.municipalityId) && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('gis.attributes')}</caption>
            <thead>
              <tr>
                <th>{t('gis.attrName')}</th>
                <th>{t('gis.attrType')}</th>
                <th>{t('plans.fields.descripcion')}</th>
              </tr>
            </thead>
            <tbody>
              {d.atributos.map((a) => (
                <tr key={a.name}>
                  <td>{a.name}</td>
                  <td>{a.type}</td>
                  <td>{a.description || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {d.descargable && d.featureCount > 0 && (
        <p>
          <a className="btn" href={layerDownloadUrl(d.slug)}>
            {t('gis.download')}
          </a>
        </p>
      )}
      {can(['planner'], d.municipalityId) && <UploadData municipalityId={d.municipalityId} layer={d} onDone={l.reload} />}
    </Layout>
  );
}

/** Planners describe attributes and correct inferred types (every value is converted, or nothing). */
function AttributeEditor({ layer, onSaved }: { layer: Layer; onSaved: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const [ok, setOk] = useState(false);
  return (
    <form
      onSubmit={async (ev: FormEvent<HTMLFormElement>) => {
        ev.preventDefault();
        const f = new FormData(ev.currentTarget);
        try {
          await updateLayer(layer.municipalityId, layer.id, {
            atributos: layer.atributos.map((a) => ({
              name: a.name,
              type: String(f.get(`type:${a.name}`)),
              description: String(f.get(`desc:${a.name}`) ?? ''),
            })),
          });
          setError(null);
          setOk(true);
          onSaved();
        } catch (e) {
          setError(e as ApiError);
          setOk(false);
        }
      }}
    >
      <div className="table-wrap">
        <table className="table" data-testid="attribute-editor">
          <caption>{t('gis.attributes')}</caption>
          <thead>
            <tr>
              <th>{t('gis.attrName')}</th>
              <th>{t('gis.attrType')}</th>
              <th>{t('plans.fields.descripcion')}</th>
            </tr>
          </thead>
          <tbody>
            {(layer.atributos ?? []).map((a) => (
              <tr key={a.name}>
                <td>{a.name}</td>
                <td>
                  <select name={`type:${a.name}`} defaultValue={a.type} aria-label={t('gis.typeOf', { name: a.name })}>
                    {['text', 'integer', 'number', 'boolean', 'date'].map((k) => (
                      <option key={k} value={k}>
                        {t(`gis.types.${k}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    name={`desc:${a.name}`}
                    defaultValue={a.description}
                    maxLength={1000}
                    aria-label={t('gis.descOf', { name: a.name })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ErrorBox error={error} />
      {ok && (
        <p className="alert alert-ok" role="status">
          {t('plans.editor.saved')}
        </p>
      )}
      <button type="submit" className="btn btn-primary">
        {t('plans.save')}
      </button>
    </form>
  );
}

function LayerMap({ layer }: { layer: Layer }) {
  const el = useRef<HTMLDivElement>(null);
  const { config } = useSession();
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    if (!el.current) return;
    const m = newMap({
      container: el.current,
      style: baseStyle(config),
      bounds: (layer.bbox as [number, number, number, number]) ?? undefined,
      fitBoundsOptions: { padding: 24 },
      attributionControl: { compact: true },
    });
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    const color = (layer.estilo && 'tipo' in layer.estilo ? colorExpression(layer.estilo as Estilo) : '#0b5d4b') as string;
    m.on('load', () => {
      m.addSource('capa', { type: 'vector', url: `${window.location.origin}/tiles/${layer.slug}.json` });
      const type = (layer.geometryType ?? '').replace('MULTI', '');
      if (type === 'POINT')
        m.addLayer({
          id: 'puntos',
          type: 'circle',
          source: 'capa',
          'source-layer': layer.slug,
          paint: { 'circle-color': color, 'circle-radius': 4, 'circle-stroke-color': 'white', 'circle-stroke-width': 1 },
        });
      else if (type === 'LINESTRING')
        m.addLayer({
          id: 'lineas',
          type: 'line',
          source: 'capa',
          'source-layer': layer.slug,
          paint: { 'line-color': color, 'line-width': 2 },
        });
      else {
        m.addLayer({
          id: 'relleno',
          type: 'fill',
          source: 'capa',
          'source-layer': layer.slug,
          paint: { 'fill-color': color, 'fill-opacity': 0.5 },
        });
        m.addLayer({
          id: 'borde',
          type: 'line',
          source: 'capa',
          'source-layer': layer.slug,
          paint: { 'line-color': '#0b5d4b', 'line-width': 1 },
        });
      }
      m.once('idle', () => setLoaded(true));
    });
    return () => m.remove();
  }, [layer, config]);
  const legend = layer.estilo && 'tipo' in layer.estilo ? legendOf(layer.estilo as Estilo) : [];
  return (
    <>
      {/* biome-ignore lint/a11y/useSemanticElements: the div MapLibre draws into, named as a landmark by its role. */}
      <div
        ref={el}
        className="map"
        style={{ height: 420 }}
        role="region"
        aria-label={layer.titulo}
        data-testid="layer-map"
        data-loaded={loaded}
      />
      {legend.length > 1 && (
        <div className="legend" data-testid="layer-legend">
          {(layer.estilo as Estilo).campo && <span className="muted">{(layer.estilo as Estilo).campo}:</span>}
          {legend.map((r, i) => (
            <span key={i} className="legend-item">
              <span className="swatch" style={{ background: r.color }} aria-hidden="true" /> {r.label}
            </span>
          ))}
        </div>
      )}
    </>
  );
}
