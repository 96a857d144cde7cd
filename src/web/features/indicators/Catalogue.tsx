import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useGet, useQueryState } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { SemaforoBadge } from './SemaforoBadge.tsx';
import type { Dashboard } from '../../api/indicators/index.ts';

const num = (v: number | null) => (v === null ? '—' : fmt.dec(v, Math.abs(v) >= 100 ? 1 : 2));

/** The public catalogue with the "¿Cómo vamos?" summary; filters live in the URL (permalinks). */
export function Catalogue() {
  const { t } = useTranslation();
  const { municipalityId } = useParams();
  const { params, set } = useQueryState();
  const tema = params.get('tema') ?? '';
  const ods = params.get('ods') ?? '';
  const q = params.get('q') ?? '';
  const { can } = useSession();
  const dash = useGet<Dashboard>(`/api/v1/municipalities/${municipalityId}/indicators-dashboard`);
  const shown = useMemo(() => {
    const norm = (s: string) =>
      s
        .normalize('NFD')
        .replace(/\p{Diacritic}/gu, '')
        .toLowerCase();
    return (dash.data?.indicadores ?? []).filter(
      (i) =>
        (!tema || i.tema === tema) &&
        (!ods || i.odsMeta?.split('.')[0] === ods) &&
        (!q || norm(`${i.clave} ${i.nombre}`).includes(norm(q))),
    );
  }, [dash.data, tema, ods, q]);
  const changes = useMemo(
    () =>
      (dash.data?.indicadores ?? [])
        .filter((i) => i.cambio !== null && i.cambio !== 0)
        .sort((a, b) => Math.abs(b.cambio!) - Math.abs(a.cambio!))
        .slice(0, 5),
    [dash.data],
  );
  // SDGs (goal numbers) that some indicator is aligned to.
  const goals = useMemo(
    () =>
      [...new Set((dash.data?.indicadores ?? []).map((i) => i.odsMeta?.split('.')[0]).filter(Boolean) as string[])].sort(
        (a, b) => Number(a) - Number(b),
      ),
    [dash.data],
  );
  return (
    <Layout>
      <div className="row spread">
        <h1>{t('ind.title')}</h1>
        {can(['planner', 'enlace'], municipalityId ?? null) && (
          <Link className="btn" to={`/m/${municipalityId}/indicadores/gestion`}>
            {t('manage.title')}
          </Link>
        )}
      </div>
      <p className="muted">{t('ind.intro')}</p>
      <ErrorBox error={dash.error} onRetry={dash.reload} />
      {dash.loading && !dash.data && <Loading />}
      {dash.data && (
        <>
          <section aria-labelledby="como-vamos" className="card">
            <h2 id="como-vamos">{t('ind.howAreWe')}</h2>
            <ul className="themes" data-testid="themes">
              {dash.data.temas.map((th) => (
                <li key={th.tema}>
                  <button
                    type="button"
                    className={th.tema === tema ? 'theme active' : 'theme'}
                    onClick={() => set('tema', th.tema === tema ? '' : th.tema)}
                    aria-pressed={th.tema === tema}
                  >
                    <span className="theme-name">{th.nombre}</span>
                    <span
                      className="counts"
                      role="img"
                      aria-label={`${th.verde} ${t('ind.semaforo.verde')}, ${th.amarillo} ${t('ind.semaforo.amarillo')}, ${th.rojo} ${t('ind.semaforo.rojo')}`}
                    >
                      <span className="count verde">{th.verde}</span>
                      <span className="count amarillo">{th.amarillo}</span>
                      <span className="count rojo">{th.rojo}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
          {changes.length > 0 && (
            <section aria-labelledby="cambios" className="card">
              <h2 id="cambios">{t('ind.biggestChanges')}</h2>
              <ul className="plain-list" data-testid="biggest-changes">
                {changes.map((i) => (
                  <li key={i.clave}>
                    <span className={i.mejora ? 'trend up' : 'trend down'}>
                      {i.cambio! > 0 ? '▲' : '▼'} {fmt.dec(Math.abs(i.cambio!), 1)} %
                    </span>{' '}
                    <Link to={`/m/${municipalityId}/indicadores/${encodeURIComponent(i.clave)}`}>{i.nombre}</Link>{' '}
                    <span className="muted">
                      ({i.mejora ? t('ind.improving') : t('ind.worsening')}, {i.periodo})
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <div className="toolbar">
            <label className="field inline">
              <span>{t('ind.search')}</span>
              <input type="search" value={q} onChange={(e) => set('q', e.target.value)} />
            </label>
            {goals.length > 0 && (
              <label className="field inline">
                <span>{t('ind.sdg')}</span>
                <select value={ods} onChange={(e) => set('ods', e.target.value)}>
                  <option value="">{t('ind.allSdgs')}</option>
                  {goals.map((g) => (
                    <option key={g} value={g}>
                      ODS {g}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {tema && (
              <button type="button" className="btn btn-small" onClick={() => set('tema', '')}>
                {t('ind.allThemes')}
              </button>
            )}
          </div>
          {shown.length === 0 && <p className="muted">{t('ind.empty')}</p>}
          <ul className="indicator-cards">
            {shown.map((i) => (
              <li key={i.clave} className="card indicator-card">
                <div className="eyebrow">
                  {i.clave} · {dash.data!.temas.find((x) => x.tema === i.tema)?.nombre}
                  {i.odsMeta && ` · ODS ${i.odsMeta}`}
                </div>
                <h3>
                  <Link to={`/m/${municipalityId}/indicadores/${encodeURIComponent(i.clave)}`}>{i.nombre}</Link>
                </h3>
                <div className="figure">
                  <strong>{num(i.valor)}</strong> <span className="muted">{i.unidadMedida}</span>
                  {i.periodo && <span className="muted"> · {i.periodo}</span>}
                </div>
                <div className="row">
                  <SemaforoBadge value={i.semaforo} />
                  {i.meta !== null && (
                    <span className="muted">
                      {t('ind.meta')}: {num(i.meta)}
                    </span>
                  )}
                  {i.cambio !== null && (
                    <span className={i.mejora ? 'trend up' : 'trend down'}>
                      {i.cambio > 0 ? '▲' : '▼'} {fmt.dec(Math.abs(i.cambio), 1)} % ({i.mejora ? t('ind.improving') : t('ind.worsening')})
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
          {dash.data.ultimasCargas.length > 0 && (
            <section className="card">
              <h2>{t('ind.latestLoads')}</h2>
              <ul className="plain-list">
                {dash.data.ultimasCargas.map((c) => (
                  <li key={c.fecha + c.archivo}>
                    {fmt.dateTime(c.fecha)} — {c.archivo} ({fmt.int(c.filas)}) {c.por && `· ${c.por}`}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </Layout>
  );
}
