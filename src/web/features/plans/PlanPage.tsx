import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, del, patch, post } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { PlanResolutions } from '../evaluation/Council.tsx';
import { EstadoBadge } from './PlanList.tsx';
import type { Comparison } from '../../api/plans/index.ts';
import { Progress } from '../../components/Progress/Progress.tsx';
import type { PlanRollup, Rollup } from '../../api/programs/index.ts';
import { ESTADOS, type PlanEstado, type PlanView, type TreeElement } from './types.ts';

/** A plan: its lifecycle, versions, downloads and tree with progress rolled up from the POA. */
export function PlanPage() {
  const { t } = useTranslation();
  const { municipalityId, planId } = useParams();
  const base = `/api/v1/municipalities/${municipalityId}/plans/${planId}` as const;
  const view = useGet<PlanView>(base);
  const rollup = useGet<PlanRollup>(`${base}/rollup`);
  const { can } = useSession();
  const [error, setError] = useState<ApiError | null>(null);
  const planner = can(['planner'], municipalityId ?? null);
  const reload = () => {
    view.reload();
    rollup.reload();
  };
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };

  if (view.error)
    return (
      <Layout>
        <ErrorBox error={view.error} onRetry={view.reload} />
      </Layout>
    );
  if (!view.data)
    return (
      <Layout>
        <Loading />
      </Layout>
    );
  const { plan, elements, versiones, historial, transicionesPermitidas, editable } = view.data;
  const canEdit = editable && planner;
  return (
    <Layout>
      <nav className="crumbs" aria-label={t('plans.crumbs')}>
        <Link to={`/m/${municipalityId}/planes`}>{t('plans.title')}</Link>
      </nav>
      <div className="row spread">
        <div>
          <p className="muted">
            {t(`plans.tipo.${plan.tipo}`)}
            {plan.periodoInicio && ` · ${plan.periodoInicio}–${plan.periodoFin ?? ''}`}
          </p>
          <h1>{plan.titulo}</h1>
        </div>
        <EstadoBadge estado={plan.estado} />
      </div>
      {plan.descripcion && <p>{plan.descripcion}</p>}
      <ErrorBox error={error} />
      <Lifecycle
        estado={plan.estado}
        allowed={transicionesPermitidas}
        cabildo={plan.cabildoAcuerdo ? { acuerdo: plan.cabildoAcuerdo, fecha: plan.cabildoFecha! } : null}
        onGo={(body) => run(() => post(`${base}/transitions`, body))}
      />
      {plan.estado === 'consulta' && (
        <p className="alert alert-info" data-testid="consulta-banner">
          {t('plans.consultaBanner')}
        </p>
      )}
      <PlanResolutions municipalityId={municipalityId!} planId={plan.id} />
      <div className="row wrap">
        <Link className="btn btn-small" to={`/m/${municipalityId}/planes/${plan.id}/evaluacion`}>
          {t('eval.scorecard')}
        </Link>
        <a className="btn btn-small" href={`${base}/export.pdf`}>
          {t('plans.pdf')}
        </a>
        <a className="btn btn-small" href={`${base}/export.xlsx`}>
          {t('plans.xlsx')}
        </a>
        <a className="btn btn-small" href={`${base}/comments/summary?formato=xlsx`}>
          {t('plans.consultaXlsx')}
        </a>
      </div>

      <section aria-labelledby="arbol" className="card">
        <h2 id="arbol">{t('plans.tree', { niveles: plan.niveles.join(' › ') })}</h2>
        {rollup.data && Object.keys(rollup.data.elementos).length > 0 && (
          <p className="muted small">
            {t('plans.rollupRule')}: {rollup.data.regla}
          </p>
        )}
        {elements.length === 0 && <p className="muted">{t('plans.emptyTree')}</p>}
        {canEdit && elements.length === 0 && <OutlineUpload url={`${base}/outline`} onDone={reload} />}
        <ol className="plan-tree" data-testid="plan-tree">
          {elements.map((e, i) => (
            <TreeRow
              key={e.id}
              e={e}
              plan={view.data!}
              rollup={rollup.data?.elementos[String(e.id)]}
              canEdit={canEdit}
              first={!elements.slice(0, i).some((x) => x.parentId === e.parentId)}
              last={!elements.slice(i + 1).some((x) => x.parentId === e.parentId)}
              run={run}
              base={base}
            />
          ))}
        </ol>
        {canEdit && <AddElement base={base} parentId={null} label={t('plans.addTop', { nivel: plan.niveles[0] })} onDone={reload} />}
      </section>

      <Versions base={base} versiones={versiones} />
      {historial.length > 0 && (
        <section className="card" aria-labelledby="historial">
          <h2 id="historial">{t('plans.history')}</h2>
          <ul>
            {historial.map((h, i) => (
              <li key={i}>
                {fmt.dateTime(h.at)} — {t(`plans.estado.${h.de}`)} → <strong>{t(`plans.estado.${h.a}`)}</strong>
                {h.usuario && ` · ${h.usuario}`} {h.nota && <span className="muted">({h.nota})</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}

function Lifecycle({
  estado,
  allowed,
  cabildo,
  onGo,
}: {
  estado: PlanEstado;
  allowed: PlanEstado[];
  cabildo: { acuerdo: string; fecha: string } | null;
  onGo: (b: object) => void;
}) {
  const { t } = useTranslation();
  const [approving, setApproving] = useState(false);
  const idx = ESTADOS.indexOf(estado);
  return (
    <section className="card" aria-labelledby="ciclo">
      <h2 id="ciclo" className="sr-only">
        {t('plans.lifecycle')}
      </h2>
      <ol className="lifecycle" data-testid="lifecycle">
        {ESTADOS.map((s, i) => (
          <li key={s} className={i < idx ? 'done' : i === idx ? 'current' : ''} aria-current={i === idx ? 'step' : undefined}>
            {t(`plans.estado.${s}`)}
          </li>
        ))}
      </ol>
      {cabildo && <p className="muted">{t('plans.cabildo', { acuerdo: cabildo.acuerdo, fecha: fmt.date(`${cabildo.fecha}T12:00:00`) })}</p>}
      {allowed.length > 0 && (
        <div className="row wrap">
          {allowed.map((a) =>
            a === 'aprobado' ? (
              <button key={a} type="button" className="btn btn-primary" onClick={() => setApproving(true)}>
                {t('plans.go.aprobado')}
              </button>
            ) : (
              <button key={a} type="button" className={a === 'borrador' ? 'btn' : 'btn btn-primary'} onClick={() => onGo({ a })}>
                {t(`plans.go.${a}`)}
              </button>
            ),
          )}
        </div>
      )}
      {approving && (
        <form
          className="row wrap filters"
          onSubmit={(e: FormEvent<HTMLFormElement>) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            onGo({ a: 'aprobado', cabildoFecha: f.get('fecha'), cabildoAcuerdo: f.get('acuerdo') });
            setApproving(false);
          }}
        >
          <label>
            {t('plans.cabildoFecha')}
            <input type="date" name="fecha" required />
          </label>
          <label>
            {t('plans.cabildoAcuerdo')}
            <input name="acuerdo" required maxLength={100} placeholder="AC-012/2026" />
          </label>
          <button type="submit" className="btn btn-primary">
            {t('plans.go.aprobado')}
          </button>
        </form>
      )}
    </section>
  );
}

function TreeRow({
  e,
  plan,
  rollup,
  canEdit,
  first,
  last,
  run,
  base,
}: {
  e: TreeElement;
  plan: PlanView;
  rollup?: Rollup;
  canEdit: boolean;
  first: boolean;
  last: boolean;
  run: (fn: () => Promise<unknown>) => Promise<void>;
  base: `/api/v1/municipalities/${string}/plans/${string}`;
}) {
  const { t } = useTranslation();
  const { municipalityId, planId } = useParams();
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const nivel = plan.plan.niveles[e.nivel];
  const siblings = plan.elements.filter((x) => x.parentId === e.parentId);
  const pos = siblings.findIndex((x) => x.id === e.id);
  return (
    <li className={`lvl lvl-${Math.min(e.nivel, 4)}`} style={{ marginLeft: `${e.nivel * 1.25}rem` }} data-codigo={e.codigo}>
      <div className="tree-row">
        <span className="muted small">{nivel}</span>
        <Link to={`/m/${municipalityId}/planes/${planId}/elementos/${e.id}`} className="tree-title">
          <strong>{e.codigo}</strong> {e.titulo}
        </Link>
        <span className="tree-meta">
          {e.metas.length > 0 && (
            <span className="badge" title={t('plans.metas')}>
              {t('plans.metasCount', { count: e.metas.length })}
            </span>
          )}
          {e.ods.map((o) => (
            <Link key={o} className="badge ods" title={t('plans.odsTitle', { meta: o })} to={`/m/${municipalityId}/ods/${o}`}>
              ODS {o}
            </Link>
          ))}
          {rollup && <Progress value={rollup.avance} label={t('plans.progressOf', { codigo: e.codigo })} />}
        </span>
        {canEdit && (
          <span className="tree-actions">
            <button
              type="button"
              className="btn btn-small"
              aria-label={t('plans.up', { codigo: e.codigo })}
              disabled={first}
              onClick={() => run(() => post(`${base}/elements/${e.id}/move`, { parentId: e.parentId, posicion: pos - 1 }))}
            >
              ↑
            </button>
            <button
              type="button"
              className="btn btn-small"
              aria-label={t('plans.down', { codigo: e.codigo })}
              disabled={last}
              onClick={() => run(() => post(`${base}/elements/${e.id}/move`, { parentId: e.parentId, posicion: pos + 1 }))}
            >
              ↓
            </button>
            <button type="button" className="btn btn-small" onClick={() => setEditing(!editing)}>
              {t('plans.edit')}
            </button>
            {e.nivel < plan.plan.niveles.length - 1 && (
              <button type="button" className="btn btn-small" onClick={() => setAdding(!adding)}>
                {t('plans.addChild', { nivel: plan.plan.niveles[e.nivel + 1] })}
              </button>
            )}
            <button
              type="button"
              className="btn btn-small btn-danger"
              onClick={() => window.confirm(t('plans.confirmDelete', { codigo: e.codigo })) && run(() => del(`${base}/elements/${e.id}`))}
            >
              {t('plans.delete')}
            </button>
          </span>
        )}
      </div>
      {editing && (
        <form
          className="row wrap filters"
          onSubmit={(ev: FormEvent<HTMLFormElement>) => {
            ev.preventDefault();
            const f = new FormData(ev.currentTarget);
            const parent = f.get('parent') ? Number(f.get('parent')) : null;
            void run(async () => {
              await patch(`${base}/elements/${e.id}`, {
                codigo: f.get('codigo'),
                titulo: f.get('titulo'),
                descripcion: f.get('descripcion'),
              });
              // A new parent moves the element with its subtree to the end of that parent's children.
              if (parent !== e.parentId) await post(`${base}/elements/${e.id}/move`, { parentId: parent, posicion: 100000 });
            }).then(() => setEditing(false));
          }}
        >
          <label>
            {t('plans.fields.codigo')}
            <input name="codigo" defaultValue={e.codigo} required maxLength={40} size={8} />
          </label>
          <label className="grow">
            {t('plans.fields.texto')}
            <input name="titulo" defaultValue={e.titulo} required maxLength={2000} />
          </label>
          <label className="grow">
            {t('plans.fields.descripcion')}
            <input name="descripcion" defaultValue={e.descripcion} maxLength={8000} />
          </label>
          {e.nivel > 0 && (
            <label>
              {t('plans.fields.parent')}
              <select name="parent" defaultValue={e.parentId ?? ''}>
                {plan.elements
                  .filter((x) => x.nivel === e.nivel - 1)
                  .map((x) => (
                    <option key={x.id} value={x.id}>
                      {x.codigo} {x.titulo.slice(0, 60)}
                    </option>
                  ))}
              </select>
            </label>
          )}
          <button type="submit" className="btn btn-primary btn-small">
            {t('plans.save')}
          </button>
        </form>
      )}
      {adding && (
        <AddElement
          base={base}
          parentId={e.id}
          label={t('plans.addChild', { nivel: plan.plan.niveles[e.nivel + 1] })}
          onDone={() => {
            setAdding(false);
            run(async () => undefined);
          }}
        />
      )}
    </li>
  );
}

function AddElement({
  base,
  parentId,
  label,
  onDone,
}: {
  base: `/api/v1/municipalities/${string}/plans/${string}`;
  parentId: number | null;
  label: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <form
      className="row wrap filters add-element"
      onSubmit={async (ev: FormEvent<HTMLFormElement>) => {
        ev.preventDefault();
        const form = ev.currentTarget;
        const f = new FormData(form);
        try {
          await post(`${base}/elements`, { parentId, codigo: f.get('codigo'), titulo: f.get('titulo') });
          form.reset();
          setError(null);
          onDone();
        } catch (e) {
          setError(e as ApiError);
        }
      }}
    >
      <ErrorBox error={error} />
      <label>
        {t('plans.fields.codigo')}
        <input name="codigo" required maxLength={40} size={8} />
      </label>
      <label className="grow">
        {t('plans.fields.texto')}
        <input name="titulo" required maxLength={2000} />
      </label>
      <button type="submit" className="btn btn-small">
        {label}
      </button>
    </form>
  );
}

function OutlineUpload({ url, onDone }: { url: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [report, setReport] = useState<{ errores: { fila: number; problema: string }[] } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <form
      className="card"
      onSubmit={async (ev: FormEvent<HTMLFormElement>) => {
        ev.preventDefault();
        const fd = new FormData(ev.currentTarget);
        try {
          await api('POST', url, fd);
          onDone();
        } catch (e) {
          const err = e as ApiError;
          setError(err);
          setReport((err.details as { errores: { fila: number; problema: string }[] }) ?? null);
        }
      }}
    >
      <h3>{t('plans.importTitle')}</h3>
      <p className="muted">{t('plans.importHelp')}</p>
      <input type="file" name="file" accept=".xlsx,.csv" required aria-label={t('plans.importTitle')} />
      <button type="submit" className="btn btn-primary">
        {t('plans.import')}
      </button>
      <ErrorBox error={error} />
      {report?.errores && (
        <ul className="errors">
          {report.errores.map((r, i) => (
            <li key={i}>
              {t('plans.row', { fila: r.fila })}: {r.problema}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

function Versions({ base, versiones }: { base: `/api/v1/municipalities/${string}/plans/${string}`; versiones: PlanView['versiones'] }) {
  const { t } = useTranslation();
  const options = useMemo(() => [...versiones.map((v) => String(v.numero)), 'actual'], [versiones]);
  const [de, setDe] = useState(options.length > 1 ? options[options.length - 2] : 'actual');
  const [a, setA] = useState('actual');
  const cmp = useGet<Comparison>(versiones.length ? `${base}/versions/compare?de=${de}&a=${a}` : null);
  if (!versiones.length) return null;
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return (
    <section className="card" aria-labelledby="versiones">
      <h2 id="versiones">{t('plans.versions')}</h2>
      <ul>
        {versiones.map((v) => (
          <li key={v.numero}>
            {t('plans.version', { n: v.numero })} — {t(`plans.estado.${v.estado}`)}, {fmt.dateTime(v.createdAt)}
          </li>
        ))}
      </ul>
      <div className="row wrap filters">
        <label>
          {t('plans.compareFrom')}
          <select value={de} onChange={(e) => setDe(e.target.value)}>
            {options.map((o) => (
              <option key={o} value={o}>
                {o === 'actual' ? t('plans.current') : t('plans.version', { n: o })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('plans.compareTo')}
          <select value={a} onChange={(e) => setA(e.target.value)}>
            {options.map((o) => (
              <option key={o} value={o}>
                {o === 'actual' ? t('plans.current') : t('plans.version', { n: o })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {cmp.data && (
        <>
          <p data-testid="compare-summary">{t('plans.compareSummary', cmp.data.resumen)}</p>
          {cmp.data.cambios.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('plans.fields.codigo')}</th>
                    <th>{t('plans.change')}</th>
                    <th>{t('plans.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {cmp.data.cambios.map((c) => (
                    <tr key={`${c.cambio}-${c.id}`}>
                      <td>{c.codigo}</td>
                      <td>
                        <span className={`badge cambio-${c.cambio}`}>{t(`plans.cambio.${c.cambio}`)}</span>
                      </td>
                      <td>
                        {c.titulo}
                        {c.campos.map((f) => (
                          <div key={f.campo} className="diff">
                            {f.campo}: <del>{show(f.antes)}</del> → <ins>{show(f.despues)}</ins>
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
