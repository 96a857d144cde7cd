import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { type ApiError, patch, post } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { WorksMap } from '../../components/WorksMap/WorksMap.tsx';
import { ElementEditor } from './ElementEditor.tsx';
import { EstadoBadge } from './PlanList.tsx';
import { Progress } from '../../components/Progress/Progress.tsx';
import type { ElementDetail } from '../../api/plans/index.ts';
import type { ElementRollup } from '../../api/programs/index.ts';
import type { AlignLink, Comment, PlanEstado, TreeMeta as Meta } from './types.ts';

/** One plan line: where it sits, what it aims at (metas, indicators), what serves it, and the money and progress aligned to it. */
export function ElementPage() {
  const { t } = useTranslation();
  const { municipalityId, planId, elementId } = useParams();
  const base = `/api/v1/municipalities/${municipalityId}/plans/${planId}` as const;
  const v = useGet<ElementDetail>(`${base}/elements/${elementId}`);
  const ru = useGet<ElementRollup>(`${base}/elements/${elementId}/rollup`);
  const geo = useGet<GeoJSON.FeatureCollection>(`/api/v1/municipalities/${municipalityId}/actions.geojson?elementId=${elementId}`);
  const { can } = useSession();
  if (v.error)
    return (
      <Layout>
        <ErrorBox error={v.error} onRetry={v.reload} />
      </Layout>
    );
  if (!v.data)
    return (
      <Layout>
        <Loading />
      </Layout>
    );
  const { plan, element: e } = v.data;
  const editable = ['borrador', 'consulta'].includes(plan.estado) && can(['planner'], plan.municipalityId);
  const link = (a: AlignLink) => `/m/${a.municipalityId}/planes/${a.planId}/elementos/${a.id}`;
  return (
    <Layout>
      <nav className="crumbs" aria-label={t('plans.crumbs')}>
        <Link to={`/m/${municipalityId}/planes`}>{t('plans.title')}</Link> ›{' '}
        <Link to={`/m/${municipalityId}/planes/${plan.id}`}>{plan.titulo}</Link>
        {v.data.ancestors.map((a) => (
          <span key={a.id}>
            {' › '}
            <Link to={`/m/${municipalityId}/planes/${plan.id}/elementos/${a.id}`}>{a.codigo}</Link>
          </span>
        ))}
      </nav>
      <div className="row spread">
        <div>
          <p className="muted">
            {v.data.nivelNombre} {e.codigo}
          </p>
          <h1 data-testid="element-title">{e.titulo}</h1>
        </div>
        <EstadoBadge estado={plan.estado} />
      </div>
      {e.descripcion && <p>{e.descripcion}</p>}
      {v.data.responsables.length > 0 && (
        <p>
          <strong>{t('plans.responsables')}:</strong> {v.data.responsables.map((d) => d.name).join(', ')}
        </p>
      )}
      {v.data.ods.length > 0 && (
        <p>
          <strong>{t('plans.ods')}:</strong>{' '}
          {v.data.ods.map((o) => (
            <Link key={o} className="badge ods" to={`/m/${municipalityId}/ods/${o}`}>
              ODS {o}
            </Link>
          ))}
        </p>
      )}

      {(v.data.metas.length > 0 || v.data.metasHeredadas.length === 0) && (
        <section className="card" aria-labelledby="metas">
          <h2 id="metas">{t('plans.metas')}</h2>
          {v.data.metas.length === 0 ? <p className="muted">{t('plans.noMetas')}</p> : <MetasTable metas={v.data.metas} testId="metas" />}
        </section>
      )}

      {v.data.metasHeredadas.length > 0 && (
        <section className="card" aria-labelledby="metas-superiores">
          <h2 id="metas-superiores">{t('plans.inheritedMetas')}</h2>
          <MetasTable metas={v.data.metasHeredadas} testId="inherited-metas" />
        </section>
      )}

      {editable && (
        <ElementEditor
          municipalityId={plan.municipalityId}
          planId={plan.id}
          elementId={e.id}
          metas={v.data.metas}
          ods={v.data.ods}
          alineadoA={v.data.alineadoA}
          responsables={e.responsables}
          onSaved={v.reload}
        />
      )}

      <div className="grid-2">
        <section className="card" aria-labelledby="sirve">
          <h2 id="sirve">{t('plans.servesTo')}</h2>
          {v.data.alineadoA.length === 0 ? (
            <p className="muted">—</p>
          ) : (
            <ul>
              {v.data.alineadoA.map((a) => (
                <li key={a.id}>
                  <Link to={link(a)}>
                    {a.planTitulo} · {a.codigo} {a.titulo}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="servido">
          <h2 id="servido">{t('plans.servedBy')}</h2>
          {v.data.alineadosDesde.length === 0 ? (
            <p className="muted">—</p>
          ) : (
            <ul>
              {v.data.alineadosDesde.map((a) => (
                <li key={a.id}>
                  <Link to={link(a)}>
                    {a.planTitulo} · {a.codigo} {a.titulo}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      {v.data.children.length > 0 && (
        <section className="card" aria-labelledby="hijos">
          <h2 id="hijos">{plan.niveles[e.nivel + 1] ?? t('plans.children')}</h2>
          <ul>
            {v.data.children.map((c) => (
              <li key={c.id}>
                <Link to={`/m/${municipalityId}/planes/${plan.id}/elementos/${c.id}`}>
                  {c.codigo} {c.titulo}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="card" aria-labelledby="acciones">
        <h2 id="acciones">{t('plans.alignedActions')}</h2>
        <ErrorBox error={ru.error} />
        {ru.data && (
          <>
            <div className="stats">
              <div>
                <span className="muted">{t('plans.progress')}</span>
                <Progress value={ru.data.rollup.avance} />
              </div>
              <div>
                <span className="muted">{t('poa.aprobado')}</span>
                <strong>{fmt.money(ru.data.rollup.aprobado)}</strong>
              </div>
              <div>
                <span className="muted">{t('poa.modificado')}</span>
                <strong>{fmt.money(ru.data.rollup.modificado)}</strong>
              </div>
              <div>
                <span className="muted">{t('poa.ejercido')}</span>
                <strong>{fmt.money(ru.data.rollup.ejercido)}</strong>
              </div>
            </div>
            <p className="muted small" data-testid="rollup-rule">
              {t('plans.rollupRule')}: {ru.data.regla}
            </p>
            {ru.data.acciones.length === 0 ? (
              <p className="muted">{t('plans.noActions')}</p>
            ) : (
              <div className="table-wrap">
                <table className="table" data-testid="aligned-actions">
                  <thead>
                    <tr>
                      <th>{t('poa.action')}</th>
                      <th>{t('poa.year')}</th>
                      <th>{t('poa.department')}</th>
                      <th className="num">{t('poa.modificado')}</th>
                      <th>{t('poa.physical')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ru.data.acciones.map((a) => (
                      <tr key={a.id}>
                        <td>
                          <Link to={`/m/${municipalityId}/acciones/${a.id}`}>{a.nombre}</Link>{' '}
                          {a.tipo === 'obra' && <span className="badge">{t('poa.obra')}</span>}
                        </td>
                        <td>{a.anio}</td>
                        <td>{a.department}</td>
                        <td className="num">{fmt.money(a.modificado)}</td>
                        <td>
                          <Progress value={a.avanceFisico} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {geo.data && geo.data.features.length > 0 && (
              <WorksMap data={geo.data} municipalityId={municipalityId!} ariaLabel={t('poa.mapOf', { name: e.titulo })} height={300} />
            )}
          </>
        )}
      </section>

      <Comments base={base} elementId={e.id} estado={plan.estado} municipalityId={plan.municipalityId} />
    </Layout>
  );
}

export function MetasTable({ metas, testId }: { metas: (Omit<Meta, 'posicion'> & { elementCodigo?: string })[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            {metas.some((m) => m.elementCodigo) && <th>{t('plans.fromElement')}</th>}
            <th>{t('plans.meta')}</th>
            <th>{t('plans.indicator')}</th>
            <th className="num">{t('plans.baseline')}</th>
            <th>{t('plans.targets')}</th>
          </tr>
        </thead>
        <tbody>
          {metas.map((m) => (
            <tr key={m.id}>
              {m.elementCodigo && <td>{m.elementCodigo}</td>}
              <td>{m.descripcion}</td>
              <td>
                {m.indicatorClave ? (
                  <Link to={`/m/${m.indicatorMunicipalityId}/indicadores/${m.indicatorClave}`}>
                    {m.indicatorClave} — {m.indicatorNombre}
                  </Link>
                ) : (
                  '—'
                )}
              </td>
              <td className="num">{m.lineaBase === null ? '—' : fmt.dec(m.lineaBase, 2)}</td>
              <td>{m.valores.map((x) => `${x.anio}: ${fmt.dec(x.valor, 2)}`).join(' · ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Comments({
  base,
  elementId,
  estado,
  municipalityId,
}: {
  base: `/api/v1/municipalities/${string}/plans/${string}`;
  elementId: number;
  estado: PlanEstado;
  municipalityId: string;
}) {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const list = useGet<Comment[]>(`${base}/comments?elementId=${elementId}`);
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState(false);
  const moderator = can(['planner'], municipalityId);
  if (estado !== 'consulta' && !list.data?.length) return null;
  async function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const form = ev.currentTarget;
    try {
      await post(`${base}/elements/${elementId}/comments`, { texto: new FormData(form).get('texto') });
      form.reset();
      setError(null);
      setSent(true);
      list.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  }
  const moderate = async (id: number, body: object) => {
    try {
      await patch(`${base}/comments/${id}`, body);
      list.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <section className="card" aria-labelledby="comentarios">
      <h2 id="comentarios">{t('plans.comments')}</h2>
      {estado === 'consulta' && <p className="muted">{t('plans.commentsHelp')}</p>}
      <ul className="comments" data-testid="comments">
        {(list.data ?? []).map((c) => (
          <li key={c.id} className={c.oculto ? 'hidden-comment' : ''}>
            <div className="muted small">
              {c.autor} · {fmt.dateTime(c.createdAt)}
            </div>
            {c.oculto ? (
              <p className="muted">
                {t('plans.hidden', { motivo: c.motivoOculto })}
                {c.texto && moderator && <span> — «{c.texto}»</span>}
              </p>
            ) : (
              <p>{c.texto}</p>
            )}
            {c.respuesta && (
              <p className="answer">
                <strong>{t('plans.answer')}:</strong> {c.respuesta}
              </p>
            )}
            {moderator && (
              <div className="row wrap">
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => {
                    const r = window.prompt(t('plans.answerPrompt'), c.respuesta ?? '');
                    if (r !== null) void moderate(c.id, { respuesta: r });
                  }}
                >
                  {t('plans.answerBtn')}
                </button>
                {c.oculto ? (
                  <button type="button" className="btn btn-small" onClick={() => void moderate(c.id, { oculto: false })}>
                    {t('plans.unhide')}
                  </button>
                ) : (
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => {
                      const r = window.prompt(t('plans.hidePrompt'));
                      if (r) void moderate(c.id, { oculto: true, motivoOculto: r });
                    }}
                  >
                    {t('plans.hide')}
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
      {list.data?.length === 0 && <p className="muted">{t('plans.noComments')}</p>}
      <ErrorBox error={error} />
      {estado === 'consulta' &&
        (me ? (
          <form onSubmit={submit} className="comment-form">
            <label htmlFor="texto">{t('plans.yourComment')}</label>
            <textarea id="texto" name="texto" required minLength={3} maxLength={4000} rows={4} />
            <button type="submit" className="btn btn-primary">
              {t('plans.send')}
            </button>
            {sent && (
              <span role="status" className="muted">
                {' '}
                {t('plans.sent')}
              </span>
            )}
          </form>
        ) : (
          <p>
            <Link to="/entrar">{t('plans.loginToComment')}</Link>
          </p>
        ))}
    </section>
  );
}
