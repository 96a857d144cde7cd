import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import * as Plot from '@observablehq/plot';
import { api, type ApiError, post } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { MetasTable } from '../plans/ElementPage.tsx';
import { Progress } from '../../components/Progress/Progress.tsx';
import type { ActionOrigins } from '../../api/participation/index.ts';
import type { ActionDetail, Report as QueuedReport } from '../../api/programs/index.ts';
import { ContractForm } from './ActionForm.tsx';
import { WorksMap } from '../../components/WorksMap/WorksMap.tsx';
import { WorkRatings } from '../evaluation/Ratings.tsx';

type Report = ActionDetail['reportes'][number];

const day = (d: string | null) => (d ? fmt.date(`${d}T12:00:00`) : '—');

/** The golden thread of one action or public work, from the peso to the indicator. */
export function ActionPage() {
  const { t } = useTranslation();
  const { municipalityId, actionId } = useParams();
  const url = `/api/v1/municipalities/${municipalityId}/actions/${actionId}` as const;
  const a = useGet<ActionDetail>(url);
  const { can } = useSession();
  const geo = useMemo<GeoJSON.FeatureCollection | null>(
    () =>
      a.data?.ubicacion
        ? {
            type: 'FeatureCollection',
            features: [
              {
                type: 'Feature',
                geometry: a.data.ubicacion as GeoJSON.Geometry,
                properties: { id: a.data.id, nombre: a.data.nombre, avanceFisico: a.data.avanceFisico },
              },
            ],
          }
        : null,
    [a.data],
  );
  if (a.error)
    return (
      <Layout>
        <ErrorBox error={a.error} onRetry={a.reload} />
      </Layout>
    );
  if (!a.data)
    return (
      <Layout>
        <Loading />
      </Layout>
    );
  const d = a.data;
  const reporter = can(['planner', 'enlace'], municipalityId ?? null);
  const planner = can(['planner'], municipalityId ?? null);
  const published = d.reportes.filter((r) => r.estado === 'publicado');
  const metas = [...new Map(d.lineas.flatMap((l) => l.metas).map((m) => [m.id, m])).values()];
  return (
    <Layout>
      <nav className="crumbs" aria-label={t('plans.crumbs')}>
        <Link to={`/m/${municipalityId}/poa?anio=${d.anio}`}>
          {t('poa.title')} {d.anio}
        </Link>{' '}
        › {d.programaClave}
      </nav>
      <p className="muted">
        {d.tipo === 'obra' ? t('poa.obraPublica') : t('poa.action')} · {d.clave} · {d.department}
      </p>
      <div className="row spread">
        <h1 data-testid="action-title">{d.nombre}</h1>
        {planner && (
          <Link className="btn" to={`/m/${municipalityId}/acciones/${d.id}/editar`}>
            {t('plans.edit')}
          </Link>
        )}
      </div>
      {!d.publicado && <p className="alert alert-info">{t('poa.notPublic')}</p>}
      {d.descripcion && <p>{d.descripcion}</p>}
      <div className="stats">
        <div>
          <span className="muted">{t('poa.physical')}</span>
          <Progress value={d.avanceFisico} />
        </div>
        <div>
          <span className="muted">{t('poa.financial')}</span>
          <Progress value={d.totales.avanceFinanciero} />
        </div>
        <div>
          <span className="muted">{t('poa.period')}</span>
          <strong>
            {day(d.fechaInicio)} – {day(d.fechaFin)}
          </strong>
        </div>
        {d.beneficiarios !== null && (
          <div>
            <span className="muted">{t('poa.beneficiaries')}</span>
            <strong>{fmt.int(d.beneficiarios)}</strong>
          </div>
        )}
      </div>

      <section className="card" aria-labelledby="hilo">
        <h2 id="hilo">{t('poa.thread')}</h2>
        {d.lineas.length === 0 && <p className="muted">{t('poa.noLines')}</p>}
        <ul className="thread" data-testid="plan-lines">
          {d.lineas.map((l) => (
            <li key={l.id}>
              <div className="muted small">
                {l.planTitulo} › {l.ruta.map((r) => r.codigo).join(' › ')}
              </div>
              <Link to={`/m/${l.municipalityId}/planes/${l.planId}/elementos/${l.id}`}>
                {l.nivelNombre} {l.codigo}: {l.titulo}
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <CitizenOrigins municipalityId={municipalityId!} actionId={d.id} />
      {d.tipo === 'obra' && <WorkRatings municipalityId={municipalityId!} actionId={d.id} />}

      {metas.length > 0 && (
        <section className="card" aria-labelledby="metas">
          <h2 id="metas">{t('poa.metas')}</h2>
          <MetasTable metas={metas} testId="action-metas" />
        </section>
      )}

      <section className="card" aria-labelledby="dinero">
        <h2 id="dinero">{t('poa.money')}</h2>
        <div className="table-wrap">
          <table className="table" data-testid="budget">
            <thead>
              <tr>
                <th>{t('poa.source')}</th>
                <th className="num">{t('poa.aprobado')}</th>
                <th className="num">{t('poa.modificado')}</th>
                <th className="num">{t('poa.ejercido')}</th>
              </tr>
            </thead>
            <tbody>
              {d.presupuesto.map((b) => (
                <tr key={b.clave}>
                  <td>{b.nombre}</td>
                  <td className="num">{fmt.money(b.aprobado)}</td>
                  <td className="num">{b.modificado === null ? '—' : fmt.money(b.modificado)}</td>
                  <td className="num">{fmt.money(b.ejercido)}</td>
                </tr>
              ))}
              <tr className="total">
                <th>{t('poa.total')}</th>
                <th className="num">{fmt.money(d.totales.aprobado)}</th>
                <th className="num">{fmt.money(d.totales.modificado)}</th>
                <th className="num">{fmt.money(d.totales.ejercido)}</th>
              </tr>
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="avance">
        <h2 id="avance">{t('poa.progressOverTime')}</h2>
        {published.length > 0 ? <ProgressChart reports={published} /> : <p className="muted">{t('poa.noReports')}</p>}
        <ol className="reports" data-testid="reports">
          {d.reportes.map((r) => (
            <li key={r.id}>
              <div className="row spread">
                <strong>
                  {r.periodo}: {fmt.dec(r.avanceFisico, 1)} %
                </strong>
                <span className={`badge reporte-${r.estado}`}>{t(`poa.estado.${r.estado}`)}</span>
              </div>
              <p>
                {r.narrativa}{' '}
                <span className="muted">
                  {t('poa.ejercidoAcum')}: {fmt.money(r.ejercido)}
                </span>
              </p>
              {r.notaRevision && (
                <p className="muted">
                  {t('poa.reviewNote')}: {r.notaRevision}
                </p>
              )}
              <div className="evidence">
                {r.evidencias.map((e) =>
                  e.mime.startsWith('image/') ? (
                    <a key={e.id} href={`/api/v1/municipalities/${municipalityId}/evidence/${e.id}`}>
                      <img
                        src={`/api/v1/municipalities/${municipalityId}/evidence/${e.id}`}
                        alt={t('poa.photo', { periodo: r.periodo, nombre: e.nombre })}
                        loading="lazy"
                        width={180}
                      />
                    </a>
                  ) : (
                    <a key={e.id} href={`/api/v1/municipalities/${municipalityId}/evidence/${e.id}`}>
                      📄 {e.nombre}
                    </a>
                  ),
                )}
              </div>
              {planner && r.estado === 'enviado' && <Review municipalityId={municipalityId!} reportId={r.id} onDone={a.reload} />}
              {reporter && r.estado !== 'publicado' && (
                <EvidenceUpload municipalityId={municipalityId!} reportId={r.id} onDone={a.reload} />
              )}
            </li>
          ))}
        </ol>
        {reporter && <ReportForm url={`${url}/reports`} onDone={a.reload} />}
      </section>

      {geo && (
        <section className="card" aria-labelledby="lugar">
          <h2 id="lugar">{t('poa.place')}</h2>
          <WorksMap data={geo} municipalityId={municipalityId!} ariaLabel={t('poa.mapOf', { name: d.nombre })} height={300} />
        </section>
      )}

      {d.contrato && (
        <section className="card" aria-labelledby="contrato">
          <h2 id="contrato">{t('poa.contract')}</h2>
          <dl className="facts">
            <dt>{t('poa.procedure')}</dt>
            <dd>{d.contrato.procedimientoNombre}</dd>
            <dt>{t('poa.contractNumber')}</dt>
            <dd>{d.contrato.numeroContrato || '—'}</dd>
            <dt>{t('poa.contractor')}</dt>
            <dd>
              {d.contrato.contratistaNombre || '—'}
              {d.contrato.contratistaRfc && ` (RFC ${d.contrato.contratistaRfc})`}
            </dd>
            <dt>{t('poa.amount')}</dt>
            <dd>{fmt.money(d.contrato.montoContratado)}</dd>
            <dt>{t('poa.signed')}</dt>
            <dd>{day(d.contrato.fechaFirma)}</dd>
            <dt>{t('poa.term')}</dt>
            <dd>
              {day(d.contrato.fechaInicio)} – {day(d.contrato.fechaFin)}
            </dd>
          </dl>
          {d.contrato.modificaciones.length > 0 && (
            <>
              <h3>{t('poa.amendments')}</h3>
              <ul>
                {d.contrato.modificaciones.map((m) => (
                  <li key={m.id}>
                    {day(m.fecha)}: {m.descripcion}
                    {m.montoNuevo !== null && ` · ${fmt.money(m.montoNuevo)}`}
                    {m.fechaFinNueva && ` · ${t('poa.newEnd')} ${day(m.fechaFinNueva)}`}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p>
            <a href={`/api/v1/municipalities/${municipalityId}/works/${d.id}/ocds`}>{t('poa.ocdsOne')}</a>
          </p>
        </section>
      )}
      {planner && <ContractForm municipalityId={municipalityId!} actionId={d.id} contrato={d.contrato} onSaved={a.reload} />}
    </Layout>
  );
}

function ProgressChart({ reports }: { reports: Report[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = Plot.plot({
      width: el.clientWidth || 600,
      height: 220,
      marginLeft: 48,
      style: { fontSize: '13px', background: 'transparent' },
      x: { label: null, type: 'point' },
      y: { label: 'Avance físico (%)', domain: [0, 100], grid: true },
      marks: [
        Plot.lineY(reports, { x: 'periodo', y: 'avanceFisico', stroke: '#0b5d4b', strokeWidth: 2 }),
        Plot.dot(reports, { x: 'periodo', y: 'avanceFisico', fill: '#0b5d4b', r: 4, tip: true }),
      ],
    });
    el.replaceChildren(chart);
    return () => el.replaceChildren();
  }, [reports]);
  return <div ref={ref} className="chart" role="img" aria-label="Avance físico por periodo" />;
}

function ReportForm({ url, onDone }: { url: `/api/v1/municipalities/${string}/actions/${string}/reports`; onDone: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <details className="card">
      <summary>{t('poa.newReport')}</summary>
      <form
        className="grid-form"
        onSubmit={async (ev: FormEvent<HTMLFormElement>) => {
          ev.preventDefault();
          const f = new FormData(ev.currentTarget);
          try {
            await post(url, {
              periodo: f.get('periodo'),
              avanceFisico: Number(f.get('avance')),
              ejercido: Number(f.get('ejercido') || 0),
              narrativa: f.get('narrativa'),
            });
            setError(null);
            onDone();
          } catch (e) {
            setError(e as ApiError);
          }
        }}
      >
        <ErrorBox error={error} />
        <label>
          {t('poa.periodField')}
          <input name="periodo" required pattern="[0-9]{4}-(T[1-4]|(0[1-9]|1[0-2]))" placeholder="2026-T4" />
        </label>
        <label>
          {t('poa.physicalField')}
          <input name="avance" type="number" min={0} max={100} step="0.1" required />
        </label>
        <label>
          {t('poa.spentField')}
          <input name="ejercido" type="number" min={0} step="0.01" />
        </label>
        <label className="wide">
          {t('poa.narrative')}
          <textarea name="narrativa" rows={3} maxLength={8000} />
        </label>
        <div className="wide">
          <button type="submit" className="btn btn-primary">
            {t('poa.sendReport')}
          </button>
        </div>
      </form>
    </details>
  );
}

function EvidenceUpload({ municipalityId, reportId, onDone }: { municipalityId: string; reportId: number; onDone: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="row wrap"
      onSubmit={async (ev: FormEvent<HTMLFormElement>) => {
        ev.preventDefault();
        setBusy(true);
        try {
          await api('POST', `/api/v1/municipalities/${municipalityId}/reports/${reportId}/evidence`, new FormData(ev.currentTarget));
          setError(null);
          onDone();
        } catch (e) {
          setError(e as ApiError);
        } finally {
          setBusy(false);
        }
      }}
    >
      <label>
        {t('poa.evidence')}
        <input type="file" name="file" accept="image/jpeg,image/png,image/webp,application/pdf" required />
      </label>
      <button type="submit" className="btn btn-small" disabled={busy}>
        {t('poa.attach')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

function Review({ municipalityId, reportId, onDone }: { municipalityId: string; reportId: number; onDone: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const go = async (decision: 'publicar' | 'devolver') => {
    const nota = decision === 'devolver' ? window.prompt(t('poa.returnPrompt')) : '';
    if (nota === null) return;
    try {
      await post(`/api/v1/municipalities/${municipalityId}/reports/${reportId}/review`, { decision, nota });
      onDone();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <div className="row wrap">
      <button type="button" className="btn btn-primary btn-small" onClick={() => void go('publicar')}>
        {t('poa.publish')}
      </button>
      <button type="button" className="btn btn-small" onClick={() => void go('devolver')}>
        {t('poa.return')}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}

/** The review queue: planners see every department's reports; enlaces see their own. */
export function ReportsQueue() {
  const { t } = useTranslation();
  const { municipalityId } = useParams();
  const [estado, setEstado] = useState<'enviado' | 'devuelto' | 'publicado'>('enviado');
  const list = useGet<QueuedReport[]>(`/api/v1/municipalities/${municipalityId}/reports?estado=${estado}`);
  return (
    <Layout>
      <nav className="crumbs">
        <Link to={`/m/${municipalityId}/poa`}>{t('poa.title')}</Link>
      </nav>
      <h1>{t('poa.reports')}</h1>
      <label>
        {t('poa.state')}
        <select value={estado} onChange={(e) => setEstado(e.target.value as typeof estado)}>
          {(['enviado', 'devuelto', 'publicado'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`poa.estado.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={list.error} />
      {list.data && list.data.length === 0 && <p className="card">{t('poa.queueEmpty')}</p>}
      {list.data && list.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="queue">
            <thead>
              <tr>
                <th>{t('poa.action')}</th>
                <th>{t('poa.period')}</th>
                <th>{t('poa.physical')}</th>
                <th>{t('poa.reportedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/m/${municipalityId}/acciones/${r.actionId}`}>{r.accion}</Link>
                    <div className="muted small">{r.accionClave}</div>
                  </td>
                  <td>{r.periodo}</td>
                  <td>{fmt.dec(r.avanceFisico, 1)} %</td>
                  <td>{r.reportadoPor ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** The proposals and participatory-budget projects this action came from, when any. */
function CitizenOrigins({ municipalityId, actionId }: { municipalityId: string; actionId: number }) {
  const { t } = useTranslation();
  const o = useGet<ActionOrigins>(`/api/v1/municipalities/${municipalityId}/actions/${actionId}/origins`);
  if (!o.data || (o.data.propuestas.length === 0 && o.data.proyectos.length === 0)) return null;
  return (
    <section className="card" aria-labelledby="origen" data-testid="citizen-origins">
      <h2 id="origen">{t('poa.origins')}</h2>
      <ul className="plain-list">
        {o.data.proyectos.map((x) => (
          <li key={`x${x.id}`}>
            <Link to={`/m/${municipalityId}/presupuesto-participativo/${x.processId}`}>{x.proceso}</Link>: {x.titulo} —{' '}
            {t('poa.originVotes', { count: x.votos })}
          </li>
        ))}
        {o.data.propuestas.map((p) => (
          <li key={`p${p.id}`}>
            {t('poa.originProposal')} <Link to={`/m/${municipalityId}/propuestas/${p.id}`}>{p.titulo}</Link> —{' '}
            {t('poa.originSupports', { count: p.apoyos })}
          </li>
        ))}
      </ul>
    </section>
  );
}
