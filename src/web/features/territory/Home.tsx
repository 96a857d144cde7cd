import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, Navigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useGet } from '../../api/hooks.ts';
import { qs } from '../../api/client.ts';
import type { MunicipalityDetail, UnitPage } from '../../api/territory/index.ts';
import { Layout, currentMunicipality } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import type { MapLayer } from '../../components/TerritoryMap.tsx';

// MapLibre is most of the bundle: it loads after the page's text and numbers are on screen.
const TerritoryMap = lazy(() => import('../../components/TerritoryMap.tsx').then((m) => ({ default: m.TerritoryMap })));
import { fmt } from '../../i18n/index.ts';
import { isStateAdmin, useSession } from '../../session.tsx';

const LAYER_COLORS: Record<string, string> = {
  estado: '#0b5d4b',
  municipio: '#0b5d4b',
  localidad: '#c0392b',
  ageb: '#2e86c1',
  colonia: '#8e44ad',
  manzana: '#7f8c8d',
  poligono: '#d68910',
};
const MODULES = ['indicators', 'plans', 'programs', 'map', 'participation', 'evaluation'] as const;
const MODULE_PATHS: Record<(typeof MODULES)[number], string> = {
  indicators: 'indicadores',
  plans: 'planes',
  programs: 'poa',
  map: 'mapa',
  participation: 'participacion',
  evaluation: 'evaluacion',
};

export function HomeRedirect() {
  const { config, ready } = useSession();
  if (!ready) return <Loading />;
  const mid = currentMunicipality(undefined, config?.defaultMunicipalityId);
  if (mid) return <Navigate to={`/m/${mid}`} replace />;
  return <Home />;
}

export function Home() {
  const { t } = useTranslation();
  const { me, config } = useSession();
  const { municipalityId } = useParams();
  const m = useGet<MunicipalityDetail>(municipalityId ? `/api/v1/municipalities/${municipalityId}` : null);
  const [visible, setVisible] = useState<Record<string, boolean>>({
    estado: true,
    municipio: true,
    localidad: true,
    ageb: false,
    colonia: true,
  });
  const [q, setQ] = useState('');
  const search = useGet<UnitPage>(
    municipalityId && q.trim().length >= 2 ? `/api/v1/municipalities/${municipalityId}/units${qs({ q: q.trim(), limit: 8 })}` : null,
  );

  const levels = useMemo(() => Object.keys(m.data?.levels ?? {}).filter((l) => l !== 'manzana'), [m.data]);
  const layers: MapLayer[] = useMemo(
    () =>
      ['estado', 'municipio', 'localidad', 'ageb', 'colonia', 'poligono']
        .filter((l) => levels.includes(l))
        .map((l) => ({
          id: l,
          label: t(`levels.${l}`),
          url: `/api/v1/municipalities/${municipalityId}/units.geojson?level=${l}&tolerance=0.0001`,
          color: LAYER_COLORS[l],
          visible: visible[l] ?? false,
        })),
    [levels, municipalityId, visible, t],
  );

  if (!municipalityId) {
    return (
      <Layout>
        <section className="card">
          <h1>{config?.institution.institutionName ?? t('app.name')}</h1>
          {config?.setupPending ? (
            <p>{t('setup.pendingSetup')}</p>
          ) : isStateAdmin(me) ? (
            <>
              <p>{t('setup.noMunicipalityAdmin')}</p>
              <Link className="btn btn-primary" to="/admin/configuracion">
                {t('setup.openWizard')}
              </Link>
            </>
          ) : (
            <p>{t('home.noMunicipality')}</p>
          )}
        </section>
      </Layout>
    );
  }
  return (
    <Layout>
      {m.loading && !m.data && <Loading />}
      <ErrorBox error={m.error} onRetry={m.reload} />
      {m.data && (
        <>
          <section className="hero">
            <div>
              <p className="eyebrow">
                {t('app.tagline')} · INEGI {m.data.id}
              </p>
              <h1>{m.data.name}</h1>
            </div>
            <dl className="stats">
              <div>
                <dt>{t('home.population')}</dt>
                <dd data-testid="stat-population">{fmt.int(m.data.population)}</dd>
              </div>
              <div>
                <dt>{t('home.area')}</dt>
                <dd title={t('home.areaNote')}>
                  {m.data.areaKm2 == null ? '—' : `${fmt.dec(m.data.areaKm2, 1)} km²`}
                  {m.data.areaKm2Planar != null && (
                    <small className="muted block">{t('home.areaPlanar', { km2: fmt.dec(m.data.areaKm2Planar, 1) })}</small>
                  )}
                </dd>
              </div>
              {levels
                .filter((l) => l !== 'municipio' && l !== 'estado')
                .map((l) => (
                  <div key={l}>
                    <dt>{t(`levels.${l}`)}</dt>
                    <dd>{fmt.int(m.data!.levels[l])}</dd>
                  </div>
                ))}
            </dl>
          </section>
          <section className="territory" aria-labelledby="territorio">
            <div className="panel">
              <h2 id="territorio">{t('home.territory')}</h2>
              <fieldset className="layers">
                <legend>{t('home.layers')}</legend>
                {layers.map((l) => (
                  <label key={l.id} className="layer-toggle">
                    <input type="checkbox" checked={l.visible} onChange={(e) => setVisible({ ...visible, [l.id]: e.target.checked })} />
                    <span className="swatch" style={{ background: l.color }} aria-hidden="true" />
                    {l.label} <span className="muted">({fmt.int(m.data!.levels[l.id])})</span>
                  </label>
                ))}
              </fieldset>
              <label className="field">
                <span>{t('home.search')}</span>
                <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="p. ej. Centro" />
              </label>
              {q.trim().length >= 2 && (
                <ul className="results" aria-live="polite">
                  {search.data?.items.length === 0 && <li className="muted">{t('home.noResults')}</li>}
                  {search.data?.items.map((u) => (
                    <li key={u.id}>
                      <strong>{u.name}</strong>{' '}
                      <span className="muted">
                        {t(`levels.${u.level}`)} · {u.cvegeo}
                      </span>
                      {u.population != null && (
                        <span>
                          {' '}
                          · {fmt.int(u.population)} {t('common.habitants')}
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              <p className="downloads">
                {t('common.download')}:{' '}
                {layers.map((l, i) => (
                  <span key={l.id}>
                    {i > 0 && ' · '}
                    <a
                      href={`/api/v1/municipalities/${municipalityId}/units.geojson?level=${l.id}`}
                      download={`${municipalityId}_${l.id}.geojson`}
                    >
                      {l.label} (GeoJSON)
                    </a>
                  </span>
                ))}
              </p>
            </div>
            <Suspense fallback={<div className="map" aria-busy="true" />}>
              <TerritoryMap bbox={m.data.bbox} layers={layers} ariaLabel={t('home.mapLabel', { name: m.data.name })} />
            </Suspense>
          </section>
          <section aria-labelledby="modulos">
            <h2 id="modulos">{t('home.modules')}</h2>
            <ul className="modules">
              {MODULES.map((k) => (
                <li key={k} className="card module">
                  <h3>
                    <Link to={`/m/${municipalityId}/${MODULE_PATHS[k]}`}>{t(`nav.${k}`)}</Link>
                  </h3>
                  <p>{t(`home.modulesText.${k}`)}</p>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </Layout>
  );
}
