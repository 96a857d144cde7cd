import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client.ts';
import { useGet, useQueryState } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading, Pager } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { Progress } from '../../components/Progress/Progress.tsx';
import type { ActionPage, ProgramDetail, ProgramList } from '../../api/programs/index.ts';
import { FundingSources, NewProgram } from './ActionForm.tsx';
import { WorksMap } from '../../components/WorksMap/WorksMap.tsx';

/** The POA of a year: programs with totals, and the actions and public works with filters (in the URL). */
export function Poa() {
  const { t } = useTranslation();
  const { municipalityId } = useParams();
  const { params, set } = useQueryState(['p']);
  const { can } = useSession();
  const programs = useGet<ProgramList>(`/api/v1/municipalities/${municipalityId}/programs`);
  const anio = Number(params.get('anio')) || programs.data?.anios[0];
  const tipo = params.get('tipo') ?? '';
  const programId = params.get('programa') ?? '';
  const q = params.get('q') ?? '';
  const page = Number(params.get('p') ?? 1);
  const filter = { anio, tipo, programId, q };
  const actions = useGet<ActionPage>(anio ? `/api/v1/municipalities/${municipalityId}/actions${qs({ ...filter, page, limit: 25 })}` : null);
  const geo = useGet<GeoJSON.FeatureCollection>(anio ? `/api/v1/municipalities/${municipalityId}/actions.geojson${qs(filter)}` : null);
  const rows = (programs.data?.programas ?? []).filter((p) => p.anio === anio);
  const total = (k: 'aprobado' | 'modificado' | 'ejercido') => rows.reduce((s, p) => s + p[k], 0);
  return (
    <Layout>
      <div className="row spread">
        <h1>{t('poa.title')}</h1>
        <div className="row">
          {can(['planner'], municipalityId ?? null) && (
            <Link className="btn btn-primary" to={`/m/${municipalityId}/acciones/nueva`}>
              {t('poa.form.newTitle')}
            </Link>
          )}
          {can(['planner', 'enlace'], municipalityId ?? null) && (
            <Link className="btn" to={`/m/${municipalityId}/poa/reportes`}>
              {t('poa.reports')}
            </Link>
          )}
          <a className="btn" href={`/api/v1/municipalities/${municipalityId}/ocds/releases.json`}>
            {t('poa.ocds')}
          </a>
        </div>
      </div>
      <p className="muted">{t('poa.intro')}</p>
      <ErrorBox error={programs.error} onRetry={programs.reload} />
      {programs.loading && !programs.data && <Loading />}
      {programs.data && programs.data.anios.length === 0 && <p className="card">{t('poa.empty')}</p>}
      {can(['planner'], municipalityId ?? null) && (
        <>
          <NewProgram municipalityId={municipalityId!} onSaved={programs.reload} />
          <FundingSources municipalityId={municipalityId!} />
        </>
      )}
      {programs.data && anio && (
        <>
          <div className="row wrap filters">
            <label>
              {t('poa.year')}
              <select value={anio} onChange={(e) => set('anio', e.target.value)}>
                {programs.data.anios.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <section className="card" aria-labelledby="programas">
            <h2 id="programas">{t('poa.programs', { anio })}</h2>
            <div className="stats">
              <div>
                <span className="muted">{t('poa.aprobado')}</span>
                <strong>{fmt.money(total('aprobado'))}</strong>
              </div>
              <div>
                <span className="muted">{t('poa.modificado')}</span>
                <strong>{fmt.money(total('modificado'))}</strong>
              </div>
              <div>
                <span className="muted">{t('poa.ejercido')}</span>
                <strong>{fmt.money(total('ejercido'))}</strong>
              </div>
            </div>
            <div className="table-wrap">
              <table className="table" data-testid="programs">
                <thead>
                  <tr>
                    <th>{t('poa.program')}</th>
                    <th>{t('poa.department')}</th>
                    <th className="num">{t('poa.actions')}</th>
                    <th className="num">{t('poa.modificado')}</th>
                    <th className="num">{t('poa.ejercido')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <button
                          type="button"
                          className="link-plain"
                          onClick={() => set('programa', String(p.id) === programId ? '' : String(p.id))}
                          aria-pressed={String(p.id) === programId}
                        >
                          {p.clave} — {p.nombre}
                        </button>
                      </td>
                      <td>{p.department}</td>
                      <td className="num">
                        {fmt.int(p.acciones)}
                        {p.obras > 0 && ` (${t('poa.worksCount', { count: p.obras })})`}
                      </td>
                      <td className="num">{fmt.money(p.modificado)}</td>
                      <td className="num">{fmt.money(p.ejercido)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {programId && <Mir municipalityId={municipalityId!} programId={programId} />}
          </section>

          <section aria-labelledby="lista" className="card">
            <h2 id="lista">{t('poa.actionsTitle')}</h2>
            <div className="row wrap filters">
              <label>
                {t('poa.type')}
                <select value={tipo} onChange={(e) => set('tipo', e.target.value)}>
                  <option value="">{t('poa.all')}</option>
                  <option value="obra">{t('poa.obras')}</option>
                  <option value="accion">{t('poa.otherActions')}</option>
                </select>
              </label>
              <label>
                {t('poa.search')}
                <input
                  type="search"
                  defaultValue={q}
                  onKeyDown={(e) => e.key === 'Enter' && set('q', (e.target as HTMLInputElement).value)}
                  onBlur={(e) => set('q', e.target.value)}
                />
              </label>
            </div>
            <ErrorBox error={actions.error} />
            {actions.data && actions.data.items.length === 0 && <p className="muted">{t('poa.noResults')}</p>}
            {actions.data && actions.data.items.length > 0 && (
              <>
                <div className="table-wrap">
                  <table className="table" data-testid="actions">
                    <thead>
                      <tr>
                        <th>{t('poa.action')}</th>
                        <th>{t('poa.program')}</th>
                        <th className="num">{t('poa.modificado')}</th>
                        <th className="num">{t('poa.ejercido')}</th>
                        <th>{t('poa.physical')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {actions.data.items.map((a) => (
                        <tr key={a.id}>
                          <td>
                            <Link to={`/m/${municipalityId}/acciones/${a.id}`}>{a.nombre}</Link>{' '}
                            {a.tipo === 'obra' && <span className="badge">{t('poa.obra')}</span>}{' '}
                            {!a.publicado && <span className="badge badge-red">{t('poa.unpublished')}</span>}
                            <div className="muted small">
                              {a.clave} · {a.department}
                            </div>
                          </td>
                          <td>{a.programaClave}</td>
                          <td className="num">{fmt.money(a.modificado)}</td>
                          <td className="num">{fmt.money(a.ejercido)}</td>
                          <td>
                            <Progress value={a.avanceFisico} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pager page={actions.data.page} total={actions.data.total} limit={actions.data.limit} onPage={(p) => set('p', String(p))} />
              </>
            )}
            {geo.data && geo.data.features.length > 0 && (
              <WorksMap data={geo.data} municipalityId={municipalityId!} ariaLabel={t('poa.mapTitle')} />
            )}
            <p className="row wrap">
              <a className="btn btn-small" href={`/api/v1/municipalities/${municipalityId}/actions.csv${qs(filter)}`}>
                {t('poa.csv')}
              </a>
              <a className="btn btn-small" href={`/api/v1/municipalities/${municipalityId}/actions.xlsx${qs(filter)}`}>
                {t('poa.xlsx')}
              </a>
              <a
                className="btn btn-small"
                href={`/api/v1/municipalities/${municipalityId}/actions.geojson${qs(filter)}`}
                download="acciones.geojson"
              >
                {t('poa.geojson')}
              </a>
            </p>
          </section>
        </>
      )}
    </Layout>
  );
}

function Mir({ municipalityId, programId }: { municipalityId: string; programId: string }) {
  const { t } = useTranslation();
  const p = useGet<ProgramDetail>(`/api/v1/municipalities/${municipalityId}/programs/${programId}`);
  if (!p.data) return <Loading />;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="mir">
        <caption>{t('poa.mir', { name: p.data.nombre })}</caption>
        <thead>
          <tr>
            <th>{t('poa.mirLevel')}</th>
            <th>{t('poa.resumen')}</th>
            <th>{t('poa.indicators')}</th>
            <th>{t('poa.medios')}</th>
            <th>{t('poa.supuestos')}</th>
          </tr>
        </thead>
        <tbody>
          {p.data.mir.map((r) => (
            <tr key={r.id}>
              <td>{t(`poa.nivel.${r.nivel}`)}</td>
              <td>{r.resumenNarrativo}</td>
              <td>
                {r.indicatorClave ? (
                  <Link to={`/m/${municipalityId}/indicadores/${r.indicatorClave}`}>{r.indicatorNombre}</Link>
                ) : (
                  r.indicadorTexto || '—'
                )}
              </td>
              <td>{r.mediosVerificacion}</td>
              <td>{r.supuestos}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
