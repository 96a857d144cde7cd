import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { patch, post, qs } from '../../api/client.ts';
import { useGet, useQueryState } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { OptionSelect } from '../../components/OptionSelect.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import type { ActionPage } from '../../api/programs/index.ts';
import type {
  Committee,
  Comparison,
  MunicipalitiesSideBySide,
  Overview,
  ReportDocument,
  ReportItem,
  Scorecard,
  ScoredElement,
} from '../../api/evaluation/index.ts';

type Luz = NonNullable<ScoredElement['semaforo']>;

export function Luz({ value }: { value: Luz | null }) {
  const { t } = useTranslation();
  if (!value) return <span className="muted">{t('eval.noData')}</span>;
  return <span className={`semaforo semaforo-${value}`}>{t(`eval.luz.${value}`)}</span>;
}

const pct = (n: number | null) => (n === null ? '—' : `${fmt.dec(n, 1)} %`);
/** Periods offered: the quarters and years of the last two years up to now. */
function periods() {
  const now = new Date();
  const y = now.getFullYear();
  const q = Math.floor(now.getMonth() / 3) + 1;
  const out: string[] = [];
  for (let yy = y; yy >= y - 2; yy--) {
    out.push(String(yy));
    for (let qq = 4; qq >= 1; qq--) if (yy < y || qq <= q) out.push(`${yy}-T${qq}`);
  }
  return out;
}

type Group = Omit<Overview['porTema'][number], 'code'>;

function GroupTable({ rows, testId }: { rows: (Group & { key: string | number })[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t('eval.group')}</th>
            <th scope="col" className="num">
              {t('eval.metas')}
            </th>
            <th scope="col" className="num">
              {t('eval.physical')}
            </th>
            <th scope="col" className="num">
              {t('eval.financial')}
            </th>
            <th scope="col" className="num">
              {t('eval.score')}
            </th>
            <th scope="col">{t('eval.light')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>{r.nombre}</td>
              <td className="num">{pct(r.metas)}</td>
              <td className="num">{pct(r.fisico)}</td>
              <td className="num">{pct(r.financiero)}</td>
              <td className="num">{r.calificacion === null ? '—' : fmt.dec(r.calificacion, 1)}</td>
              <td>
                <Luz value={r.semaforo} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "¿Cómo vamos?" for the government: plans in force, metas by semáforo, departments, themes, council resolutions and citizens' ratings, with downloads. */
export function EvaluationHome() {
  const { t } = useTranslation();
  const { municipalityId: mid = '' } = useParams();
  const { params, set } = useQueryState();
  // Without ?periodo the server picks the latest year with data and says which.
  const asked = params.get('periodo') ?? undefined;
  const o = useGet<Overview>(`/api/v1/municipalities/${mid}/evaluation/overview${qs({ periodo: asked })}`);
  const periodo = asked ?? o.data?.periodo ?? '';
  const reports = useGet<ReportItem[]>(`/api/v1/municipalities/${mid}/evaluation-reports`);
  const d = o.data;
  return (
    <Layout>
      <section className="card">
        <p className="eyebrow">{t('eval.eyebrow')}</p>
        <h1>{t('eval.howAreWe')}</h1>
        <p className="muted">{t('eval.intro')}</p>
        <div className="row wrap filters">
          <OptionSelect
            label={t('eval.period')}
            value={periodo}
            onChange={(v) => set('periodo', v)}
            options={periods().map((p) => ({ value: p, label: p }))}
          />
          <Link to={`/m/${mid}/consejo`}>{t('eval.council.title')}</Link>
          <Link to={`/evaluacion/municipios?periodo=${periodo}`}>{t('eval.compareMunicipalities')}</Link>
        </div>
      </section>
      {o.loading && !d && <Loading />}
      <ErrorBox error={o.error} />
      {d && (
        <>
          <section className="card">
            <h2>{t('eval.plansInForce')}</h2>
            <div className="table-wrap">
              <table className="table" data-testid="overview-plans">
                <thead>
                  <tr>
                    <th scope="col">{t('eval.plan')}</th>
                    <th scope="col" className="num">
                      {t('eval.score')}
                    </th>
                    <th scope="col">{t('eval.light')}</th>
                    <th scope="col">{t('eval.metasByLight')}</th>
                    <th scope="col">{t('common.download')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.planes.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={`/m/${mid}/planes/${p.id}/evaluacion?periodo=${periodo}`}>{p.titulo}</Link>
                      </td>
                      <td className="num">{p.total.calificacion === null ? '—' : fmt.dec(p.total.calificacion, 1)}</td>
                      <td>
                        <Luz value={p.total.semaforo} />
                      </td>
                      <td className="small">{t('eval.counts', p.metasPorSemaforo)}</td>
                      <td>
                        <a href={`/api/v1/municipalities/${mid}/plans/${p.id}/scorecard.csv?periodo=${periodo}`}>CSV</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="small muted">{d.regla}</p>
          </section>
          {d.porDependencia.length > 0 && (
            <section className="card">
              <h2>{t('eval.byDepartment')}</h2>
              <GroupTable
                testId="by-department"
                rows={d.porDependencia.map((r) => ({ ...r, key: r.id, nombre: r.siglas ? `${r.nombre} (${r.siglas})` : r.nombre }))}
              />
            </section>
          )}
          {d.porTema.length > 0 && (
            <section className="card">
              <h2>{t('eval.byTheme')}</h2>
              <GroupTable testId="by-theme" rows={d.porTema.map((r) => ({ ...r, key: r.code }))} />
            </section>
          )}
          <section className="card">
            <h2>{t('eval.council.resolutionsTitle')}</h2>
            <ul className="plain-list">
              {d.resoluciones.map((r) => (
                <li key={r.id}>
                  <span className="badge">{r.resolucion ? t(`eval.council.res.${r.resolucion}`) : '—'}</span> {r.titulo} —{' '}
                  <Link to={`/m/${mid}/consejo/sesiones/${r.sessionId}`}>{t('eval.council.sessionShort', { n: r.numero })}</Link>,{' '}
                  {fmt.date(r.fecha)}
                </li>
              ))}
            </ul>
          </section>
          <section className="card">
            <h2>{t('eval.ratings.overview')}</h2>
            <p>
              {d.calificaciones.promedio === null
                ? t('eval.ratings.none')
                : t('eval.ratings.average', {
                    promedio: fmt.dec(d.calificaciones.promedio, 2),
                    n: d.calificaciones.calificaciones,
                    obras: d.calificaciones.obras,
                  })}
            </p>
            <div className="grid-2">
              <div>
                <h3>{t('eval.ratings.best')}</h3>
                <ul className="plain-list">
                  {d.calificaciones.mejores.map((w) => (
                    <li key={w.id}>
                      <Link to={`/m/${mid}/acciones/${w.id}`}>{w.nombre}</Link> — {fmt.dec(w.promedio, 1)} ({w.n})
                    </li>
                  ))}
                </ul>
              </div>
              <div>
                <h3>{t('eval.ratings.worst')}</h3>
                <ul className="plain-list">
                  {d.calificaciones.peores.map((w) => (
                    <li key={w.id}>
                      <Link to={`/m/${mid}/acciones/${w.id}`}>{w.nombre}</Link> — {fmt.dec(w.promedio, 1)} ({w.n})
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </section>
        </>
      )}
      <section className="card">
        <h2>{t('eval.reports')}</h2>
        {reports.loading && <Loading />}
        {reports.data?.length === 0 && <p className="muted">{t('eval.noReports')}</p>}
        <ul className="plain-list">
          {reports.data?.map((r) => (
            <li key={r.id}>
              <Link to={`/m/${mid}/informes/${r.id}`}>{r.titulo}</Link> <Luz value={r.semaforo} />{' '}
              <span className="small muted">{fmt.date(r.publicadoAt)}</span>
            </li>
          ))}
        </ul>
      </section>
      <Committees mid={mid} />
    </Layout>
  );
}

export function PlanScorecard() {
  const { t } = useTranslation();
  const { municipalityId: mid = '', planId } = useParams();
  const { params, set } = useQueryState();
  const { can } = useSession();
  const options = periods();
  const asked = params.get('periodo') ?? undefined;
  const de = params.get('de') ?? '';
  const card = useGet<Scorecard>(`/api/v1/municipalities/${mid}/plans/${planId}/scorecard${qs({ periodo: asked })}`);
  const periodo = asked ?? card.data?.periodo ?? '';
  const cmp = useGet<Comparison>(
    de && periodo ? `/api/v1/municipalities/${mid}/plans/${planId}/scorecard/compare${qs({ de, a: periodo })}` : null,
  );
  const reports = useGet<ReportItem[]>(`/api/v1/municipalities/${mid}/evaluation-reports?planId=${planId}`);
  const [error, setError] = useState<Error | null>(null);
  const d = card.data;
  return (
    <Layout>
      <section className="card">
        <p className="crumbs">
          <Link to={`/m/${mid}/evaluacion`}>{t('eval.title')}</Link> ›{' '}
          <Link to={`/m/${mid}/planes/${planId}`}>{d?.plan.titulo ?? '…'}</Link>
        </p>
        <h1>{t('eval.scorecardOf', { plan: d?.plan.titulo ?? '' })}</h1>
        <div className="row wrap filters">
          <OptionSelect
            label={t('eval.period')}
            value={periodo}
            onChange={(v) => set('periodo', v)}
            options={options.map((p) => ({ value: p, label: p }))}
          />
          <OptionSelect
            label={t('eval.compareWith')}
            value={de}
            onChange={(v) => set('de', v)}
            empty={t('eval.noCompare')}
            options={options.filter((p) => p !== periodo).map((p) => ({ value: p, label: p }))}
          />
          {can(['planner'], mid) && (
            <button
              type="button"
              className="btn"
              onClick={() =>
                post(`/api/v1/municipalities/${mid}/plans/${planId}/evaluation-reports`, { periodo }).then(reports.reload, setError)
              }
            >
              {t('eval.publish', { periodo })}
            </button>
          )}
        </div>
        <ErrorBox error={error ?? card.error} />
      </section>
      {card.loading && !d && <Loading />}
      {d && (
        <>
          <section className="card" data-testid="scorecard-summary">
            <div className="stats">
              <div>
                <span className="muted">{t('eval.score')}</span>
                <strong>{d.total.calificacion === null ? '—' : fmt.dec(d.total.calificacion, 1)}</strong> <Luz value={d.total.semaforo} />
              </div>
              <div>
                <span className="muted">{t('eval.metas')}</span>
                <strong>{pct(d.total.metas)}</strong>
              </div>
              <div>
                <span className="muted">{t('eval.physical')}</span>
                <strong>{pct(d.total.fisico)}</strong>
              </div>
              <div>
                <span className="muted">{t('eval.financial')}</span>
                <strong>{pct(d.total.financiero)}</strong>
              </div>
            </div>
            <p>{t('eval.counts', d.metasPorSemaforo)}</p>
            <p className="small muted">{d.regla}</p>
          </section>
          {cmp.data && (
            <section className="card">
              <h2>{t('eval.worsened', { de, a: periodo })}</h2>
              {cmp.data.empeoraron.length === 0 ? (
                <p className="muted">{t('eval.nothingWorse')}</p>
              ) : (
                <ul className="plain-list">
                  {cmp.data.empeoraron.map((e) => (
                    <li key={e.id}>
                      {e.codigo} {e.titulo}: {fmt.dec(e.antes, 1)} → {fmt.dec(e.despues, 1)}{' '}
                      <strong className="badge badge-red">{fmt.dec(e.cambio, 1)}</strong>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
          <section className="card">
            <div className="table-wrap">
              <table className="table" data-testid="scorecard">
                <thead>
                  <tr>
                    <th scope="col">{t('eval.element')}</th>
                    <th scope="col" className="num">
                      {t('eval.metas')}
                    </th>
                    <th scope="col" className="num">
                      {t('eval.physical')}
                    </th>
                    <th scope="col" className="num">
                      {t('eval.financial')}
                    </th>
                    <th scope="col" className="num">
                      {t('eval.score')}
                    </th>
                    <th scope="col">{t('eval.light')}</th>
                    <th scope="col" className="num">
                      {t('eval.rating')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.elementos.map((e) => (
                    <tr key={e.id}>
                      <td style={{ paddingLeft: `${0.5 + e.nivel * 1.2}rem` }}>
                        <Link to={`/m/${mid}/planes/${planId}/elementos/${e.id}`}>
                          {e.codigo} {e.titulo}
                        </Link>
                      </td>
                      <td className="num">{pct(e.metas)}</td>
                      <td className="num">{pct(e.fisico)}</td>
                      <td className="num">{pct(e.financiero)}</td>
                      <td className="num">{e.calificacion === null ? '—' : fmt.dec(e.calificacion, 1)}</td>
                      <td>
                        <Luz value={e.semaforo} />
                      </td>
                      <td className="num">{e.ciudadana ? `${fmt.dec(e.ciudadana.promedio, 1)} (${e.ciudadana.calificaciones})` : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
      <section className="card">
        <h2>{t('eval.reports')}</h2>
        <ul className="plain-list">
          {reports.data?.map((r) => (
            <li key={r.id}>
              <Link to={`/m/${mid}/informes/${r.id}`}>{r.titulo}</Link> ·{' '}
              <a href={`/api/v1/municipalities/${mid}/evaluation-reports/${r.id}/informe.pdf`}>PDF</a>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

/** A published progress report as an accessible web page, exactly as frozen. */
export function ReportPage() {
  const { t } = useTranslation();
  const { municipalityId: mid = '', reportId } = useParams();
  const r = useGet<ReportDocument>(`/api/v1/municipalities/${mid}/evaluation-reports/${reportId}`);
  if (!r.data) return <Layout>{r.error ? <ErrorBox error={r.error} /> : <Loading />}</Layout>;
  const s = r.data.snapshot;
  const c = s.metasPorSemaforo;
  const total = c.verde + c.amarillo + c.rojo + c.sinDatos || 1;
  return (
    <Layout>
      <article className="card report">
        <p className="crumbs">
          <Link to={`/m/${mid}/planes/${r.data.planId}/evaluacion`}>{t('eval.title')}</Link>
        </p>
        <p className="eyebrow">{t('eval.reportOf', { municipio: s.municipio })}</p>
        <h1>{s.titulo}</h1>
        <p className="muted">
          {t('eval.published', { fecha: fmt.date(r.data.publicadoAt) })} ·{' '}
          <a href={`/api/v1/municipalities/${mid}/evaluation-reports/${reportId}/informe.pdf`}>{t('eval.pdf')}</a>
        </p>
        <h2>{t('eval.summary')}</h2>
        <p>
          {t('eval.score')}: <strong>{s.total.calificacion === null ? '—' : fmt.dec(s.total.calificacion, 1)}</strong>{' '}
          <Luz value={s.total.semaforo} /> · {t('eval.metas')} {pct(s.total.metas)} · {t('eval.physical')} {pct(s.total.fisico)} ·{' '}
          {t('eval.financial')} {pct(s.total.financiero)}
        </p>
        <p data-testid="report-counts">{t('eval.counts', c)}</p>
        <div className="stackbar" role="img" aria-label={t('eval.counts', c)}>
          {(['verde', 'amarillo', 'rojo'] as const).map((k) => (
            <span key={k} className={`semaforo-${k}`} style={{ width: `${(c[k] / total) * 100}%` }} />
          ))}
          <span className="sin-datos" style={{ width: `${(c.sinDatos / total) * 100}%` }} />
        </div>
        <p className="small muted">{s.regla}</p>
        {s.ejes.map((e) => (
          <section key={e.id} aria-labelledby={`eje-${e.id}`}>
            <h2 id={`eje-${e.id}`}>
              {e.codigo} {e.titulo} <Luz value={e.semaforo} />
            </h2>
            <ul className="hbars">
              {e.elementos
                .filter((x) => x.nivel === e.nivel + 1)
                .map((x) => (
                  <li key={x.id}>
                    <span>
                      {x.codigo} {x.titulo}
                    </span>
                    <span className={`bar semaforo-${x.semaforo ?? 'none'}`} style={{ width: `${x.calificacion ?? 0}%` }} />
                    <span className="count">{x.calificacion === null ? '—' : fmt.dec(x.calificacion, 1)}</span>
                  </li>
                ))}
            </ul>
            {e.listaMetas.length > 0 && (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('eval.meta')}</th>
                    <th scope="col" className="num">
                      {t('eval.value')}
                    </th>
                    <th scope="col" className="num">
                      {t('eval.target')}
                    </th>
                    <th scope="col" className="num">
                      {t('eval.progress')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {e.listaMetas.map((m) => (
                    <tr key={m.id}>
                      <td>
                        {m.descripcion} {m.indicador && <span className="muted">({m.indicador})</span>}
                      </td>
                      <td className="num">{m.valor === null ? '—' : fmt.dec(m.valor, 2)}</td>
                      <td className="num">{m.meta === null ? '—' : fmt.dec(m.meta, 2)}</td>
                      <td className="num">{pct(m.avance)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ))}
        {s.obras.length > 0 && (
          <section>
            <h2>{t('eval.works')}</h2>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('eval.work')}</th>
                  <th scope="col" className="num">
                    {t('eval.physical')}
                  </th>
                  <th scope="col" className="num">
                    {t('eval.spent')}
                  </th>
                  <th scope="col" className="num">
                    {t('eval.rating')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {s.obras.map((o) => (
                  <tr key={o.id}>
                    <td>
                      <Link to={`/m/${mid}/acciones/${o.id}`}>
                        {o.clave} {o.nombre}
                      </Link>
                    </td>
                    <td className="num">{pct(o.avanceFisico)}</td>
                    <td className="num">{fmt.money(o.ejercido)}</td>
                    <td className="num">{o.calificacion === null ? '—' : `${fmt.dec(o.calificacion, 1)} (${o.calificaciones})`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </article>
    </Layout>
  );
}

/** State installations: the municipalities side by side for one period. */
export function CompareMunicipalities() {
  const { t } = useTranslation();
  const { params, set } = useQueryState();
  const asked = params.get('periodo') ?? undefined;
  const r = useGet<MunicipalitiesSideBySide>(`/api/v1/evaluation/municipalities${qs({ periodo: asked })}`);
  const periodo = asked ?? r.data?.periodo ?? '';
  return (
    <Layout>
      <section className="card">
        <p className="eyebrow">{t('eval.eyebrow')}</p>
        <h1>{t('eval.compareMunicipalities')}</h1>
        <OptionSelect
          label={t('eval.period')}
          value={periodo}
          onChange={(v) => set('periodo', v)}
          options={periods().map((p) => ({ value: p, label: p }))}
        />
      </section>
      {r.loading && <Loading />}
      {r.data && (
        <section className="card">
          <table className="table" data-testid="municipalities">
            <thead>
              <tr>
                <th scope="col">{t('nav.municipality')}</th>
                <th scope="col" className="num">
                  {t('eval.plansCount')}
                </th>
                <th scope="col" className="num">
                  {t('eval.score')}
                </th>
                <th scope="col">{t('eval.metasByLight')}</th>
              </tr>
            </thead>
            <tbody>
              {r.data.municipios.map((m) => (
                <tr key={m.id}>
                  <td>
                    <Link to={`/m/${m.id}/evaluacion?periodo=${periodo}`}>{m.nombre}</Link>
                  </td>
                  <td className="num">{m.planes}</td>
                  <td className="num">{m.calificacion === null ? '—' : fmt.dec(m.calificacion, 1)}</td>
                  <td className="small">{t('eval.counts', m.metasPorSemaforo)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Layout>
  );
}

/** Contraloría social: committees, the works they watch, their findings and the municipality's follow-up. */
function Committees({ mid }: { mid: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const staff = can(['planner', 'enlace'], mid);
  const list = useGet<Committee[]>(`/api/v1/municipalities/${mid}/social-committees`);
  const [error, setError] = useState<Error | null>(null);
  return (
    <section className="card">
      <h2>{t('eval.committees.title')}</h2>
      <p className="muted">{t('eval.committees.intro')}</p>
      {list.data?.length === 0 && <p className="muted">{t('eval.committees.empty')}</p>}
      {list.data?.map((c) => (
        <details key={c.id}>
          <summary>
            {c.nombre} {c.validado && <span className="badge">{t('eval.committees.validated')}</span>} ·{' '}
            {t('eval.committees.women', { pct: c.porcentajeMujeres === null ? '—' : fmt.dec(c.porcentajeMujeres, 0) })}{' '}
            {c.pendientes > 0 && <span className="badge badge-red">{t('eval.committees.pending', { count: c.pendientes })}</span>}
          </summary>
          <ul className="plain-list">
            {c.obras.map((o) => (
              <li key={o.id}>
                <Link to={`/m/${mid}/acciones/${o.id}`}>
                  {o.clave} {o.nombre}
                </Link>{' '}
                ({fmt.dec(o.avanceFisico, 0)} %)
              </li>
            ))}
          </ul>
          <ul className="thread">
            {c.informes.map((r) => (
              <li key={r.id}>
                <strong>{t(`eval.committees.tipo.${r.tipo}`)}</strong> · {fmt.date(r.fecha)} ·{' '}
                <span className="badge">{t(`eval.committees.estado.${r.estado}`)}</span>
                <p>{r.texto}</p>
                {r.respuesta && (
                  <p className="small">
                    {t('eval.committees.answer')}: {r.respuesta}
                  </p>
                )}
                {staff && r.estado !== 'atendido' && <AnswerFinding mid={mid} reportId={r.id} onDone={list.reload} />}
              </li>
            ))}
          </ul>
          {staff && <NewFinding mid={mid} committee={c} onDone={list.reload} />}
        </details>
      ))}
      <ErrorBox error={error} />
      {can(['planner'], mid) && <NewCommittee mid={mid} onDone={list.reload} onError={setError} />}
    </section>
  );
}

function AnswerFinding({ mid, reportId, onDone }: { mid: string; reportId: number; onDone: () => void }) {
  const { t } = useTranslation();
  const [respuesta, setRespuesta] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const send = (estado: string) =>
    patch(`/api/v1/municipalities/${mid}/social-committees/reports/${reportId}`, { estado, respuesta }).then(onDone, setError);
  return (
    <div className="row wrap filters">
      <label className="field grow">
        <span>{t('eval.committees.answer')}</span>
        <input value={respuesta} onChange={(e) => setRespuesta(e.target.value)} />
      </label>
      <button type="button" className="btn btn-small" onClick={() => send('en_atencion')}>
        {t('eval.committees.inProgress')}
      </button>
      <button type="button" className="btn btn-small btn-primary" onClick={() => send('atendido')}>
        {t('eval.committees.resolve')}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}

function NewFinding({ mid, committee, onDone }: { mid: string; committee: Committee; onDone: () => void }) {
  const { t } = useTranslation();
  const [f, setF] = useState({ fecha: new Date().toISOString().slice(0, 10), tipo: 'hallazgo', texto: '', actionId: '' });
  const [error, setError] = useState<Error | null>(null);
  return (
    <form
      className="row wrap filters"
      onSubmit={(e) => {
        e.preventDefault();
        post(`/api/v1/municipalities/${mid}/social-committees/${committee.id}/reports`, {
          ...f,
          actionId: f.actionId ? Number(f.actionId) : null,
        }).then(() => (setF({ ...f, texto: '' }), onDone()), setError);
      }}
    >
      <OptionSelect
        label={t('eval.committees.kind')}
        value={f.tipo}
        onChange={(v) => setF({ ...f, tipo: v })}
        options={['informe', 'hallazgo', 'queja'].map((v) => ({ value: v, label: t(`eval.committees.tipo.${v}`) }))}
      />
      <OptionSelect
        label={t('eval.work')}
        value={f.actionId}
        onChange={(v) => setF({ ...f, actionId: v })}
        empty={t('part.none')}
        options={committee.obras.map((o) => ({ value: String(o.id), label: o.clave }))}
      />
      <label className="field">
        <span>{t('eval.council.date')}</span>
        <input type="date" required value={f.fecha} onChange={(e) => setF({ ...f, fecha: e.target.value })} />
      </label>
      <label className="field grow">
        <span>{t('eval.committees.text')}</span>
        <input required minLength={3} value={f.texto} onChange={(e) => setF({ ...f, texto: e.target.value })} />
      </label>
      <button className="btn btn-small" type="submit">
        {t('eval.committees.addFinding')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

function NewCommittee({ mid, onDone, onError }: { mid: string; onDone: () => void; onError: (e: Error) => void }) {
  const { t } = useTranslation();
  const works = useGet<ActionPage>(`/api/v1/municipalities/${mid}/actions?tipo=obra&limit=500`);
  const [open, setOpen] = useState(false);
  const [nombre, setNombre] = useState('');
  const [constituido, setConstituido] = useState(new Date().toISOString().slice(0, 10));
  const [integrantes, setIntegrantes] = useState('');
  const [obras, setObras] = useState<string[]>([]);
  if (!open) {
    return (
      <p>
        <button type="button" className="btn" onClick={() => setOpen(true)}>
          {t('eval.committees.new')}
        </button>
      </p>
    );
  }
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        // One member per line: "Nombre, mujer" (or hombre / no_binario).
        const people = integrantes
          .split('\n')
          .map((l) => l.split(',').map((x) => x.trim()))
          .filter(([n]) => n)
          .map(([n, sexo]) => ({ nombre: n, sexo: ['mujer', 'hombre', 'no_binario'].includes(sexo) ? sexo : 'mujer' }));
        post(`/api/v1/municipalities/${mid}/social-committees`, {
          nombre,
          constituido,
          integrantes: people,
          obras: obras.map(Number),
        }).then(() => (setOpen(false), onDone()), onError);
      }}
    >
      <h3>{t('eval.committees.new')}</h3>
      <div className="row wrap filters">
        <label className="field grow">
          <span>{t('eval.council.name')}</span>
          <input required minLength={3} value={nombre} onChange={(e) => setNombre(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('eval.committees.constituted')}</span>
          <input type="date" required value={constituido} onChange={(e) => setConstituido(e.target.value)} />
        </label>
      </div>
      <label className="field">
        <span>{t('eval.committees.members')}</span>
        <textarea required rows={4} value={integrantes} onChange={(e) => setIntegrantes(e.target.value)} placeholder="Ana Pérez, mujer" />
      </label>
      <label className="field">
        <span>{t('eval.committees.watches')}</span>
        <select multiple size={5} value={obras} onChange={(e) => setObras([...e.target.selectedOptions].map((o) => o.value))}>
          {works.data?.items.map((w) => (
            <option key={w.id} value={w.id}>
              {w.clave} — {w.nombre}
            </option>
          ))}
        </select>
      </label>
      <button className="btn btn-primary" type="submit">
        {t('eval.committees.create')}
      </button>
    </form>
  );
}
