import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, patch, post } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { OptionSelect } from '../../components/OptionSelect.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import type { AgreementListItem, Members, PlanResolution, Resolucion, SessionListItem, SessionView } from '../../api/evaluation/index.ts';
import type { PlanListItem } from '../../api/plans/index.ts';
import type { NewSession as SessionCreated } from '../../api/evaluation/index.ts';

export function ResolucionBadge({ value }: { value: Resolucion | null }) {
  const { t } = useTranslation();
  if (!value) return <span className="muted">{t('eval.council.pending')}</span>;
  return <span className={value === 'desfavorable' ? 'badge badge-red' : 'badge'}>{t(`eval.council.res.${value}`)}</span>;
}

export function CouncilHome() {
  const { t } = useTranslation();
  const { municipalityId: mid = '' } = useParams();
  const { can } = useSession();
  const m = useGet<Members>(`/api/v1/municipalities/${mid}/council/members`);
  const s = useGet<SessionListItem[]>(`/api/v1/municipalities/${mid}/council/sessions`);
  const a = useGet<AgreementListItem[]>(`/api/v1/municipalities/${mid}/council/agreements`);
  const p = m.data?.paridad;
  return (
    <Layout>
      <section className="card">
        <p className="eyebrow">{t('eval.eyebrow')}</p>
        <h1>{t('eval.council.title')}</h1>
        <p className="muted">{t('eval.council.intro')}</p>
        {p && (
          <p data-testid="parity">
            {t('eval.council.parity', {
              mujeres: p.mujeres,
              total: p.enFunciones,
              pct: p.porcentajeMujeres === null ? '—' : fmt.dec(p.porcentajeMujeres, 1),
              meta: p.meta,
            })}{' '}
            <span className={p.cumple ? 'badge' : 'badge badge-red'}>{p.cumple ? t('eval.council.meets') : t('eval.council.below')}</span>
          </p>
        )}
      </section>
      {can(['planner'], mid) && <NewSession mid={mid} />}
      {can(['planner'], mid) && <NewMember mid={mid} onDone={m.reload} />}
      <section className="card">
        <h2>{t('eval.council.sessions')}</h2>
        {s.loading && <Loading />}
        <ul className="plain-list">
          {s.data?.map((x) => (
            <li key={x.id}>
              <Link to={`/m/${mid}/consejo/sesiones/${x.id}`}>
                {t('eval.council.sessionN', { n: x.numero, tipo: t(`eval.council.tipo.${x.tipo}`) })}
              </Link>{' '}
              · {fmt.dateTime(x.fecha)} · <span className="badge">{t(`eval.council.estado.${x.estado}`)}</span> ·{' '}
              {t('eval.council.items', { count: x.asuntos })}
            </li>
          ))}
        </ul>
      </section>
      <section className="card">
        <h2>{t('eval.council.members')}</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('eval.council.name')}</th>
                <th scope="col">{t('eval.council.sector')}</th>
                <th scope="col">{t('eval.council.sex')}</th>
                <th scope="col">{t('eval.council.role')}</th>
                <th scope="col">{t('eval.council.term')}</th>
              </tr>
            </thead>
            <tbody>
              {m.data?.miembros.map((x) => (
                <tr key={x.id} className={x.activo ? '' : 'muted'}>
                  <td>{x.nombre}</td>
                  <td>{x.sectorNombre}</td>
                  <td>{t(`eval.council.sexo.${x.sexo}`)}</td>
                  <td>{t(`eval.council.cargo.${x.cargo}`)}</td>
                  <td className="nowrap">
                    {fmt.date(x.inicio)} – {x.fin ? fmt.date(x.fin) : t('eval.council.current')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card">
        <h2>{t('eval.council.agreements')}</h2>
        <ul className="plain-list">
          {a.data?.map((x) => (
            <li key={x.id}>
              {x.texto} — {x.responsable} · {x.fechaLimite ? fmt.date(x.fechaLimite) : '—'} ·{' '}
              <span className={x.vencido ? 'badge badge-red' : 'badge'}>
                {x.vencido ? t('eval.council.overdue') : t(`eval.council.acuerdo.${x.estado}`)}
              </span>{' '}
              <Link to={`/m/${mid}/consejo/sesiones/${x.sessionId}`} className="small">
                ({t('eval.council.sessionShort', { n: x.sesion })})
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

const SECTORES = ['empresarial', 'academico', 'investigacion', 'ambientalista', 'productores', 'osc', 'sociedad_civil', 'funcionarios'];

/** Planners: register a member (with the e-mail of their Brújula account so they can opine and vote). */
function NewMember({ mid, onDone }: { mid: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [f, setF] = useState({
    nombre: '',
    sector: 'sociedad_civil',
    sexo: 'mujer',
    cargo: 'consejero',
    inicio: new Date().toISOString().slice(0, 10),
    email: '',
  });
  const [error, setError] = useState<Error | null>(null);
  if (!open) {
    return (
      <p>
        <button type="button" className="btn" onClick={() => setOpen(true)}>
          {t('eval.council.addMember')}
        </button>
      </p>
    );
  }
  return (
    <section className="card">
      <h2>{t('eval.council.addMember')}</h2>
      <form
        className="row wrap filters"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          post(`/api/v1/municipalities/${mid}/council/members`, { ...f, email: f.email || null }).then(
            () => (setOpen(false), onDone()),
            setError,
          );
        }}
      >
        <label className="field grow">
          <span>{t('eval.council.name')}</span>
          <input required minLength={3} value={f.nombre} onChange={(e) => setF({ ...f, nombre: e.target.value })} />
        </label>
        <OptionSelect
          label={t('eval.council.sector')}
          value={f.sector}
          onChange={(v) => setF({ ...f, sector: v })}
          options={SECTORES.map((v) => ({ value: v, label: t(`eval.council.sectores.${v}`) }))}
        />
        <OptionSelect
          label={t('eval.council.sex')}
          value={f.sexo}
          onChange={(v) => setF({ ...f, sexo: v })}
          options={['mujer', 'hombre', 'no_binario'].map((v) => ({ value: v, label: t(`eval.council.sexo.${v}`) }))}
        />
        <OptionSelect
          label={t('eval.council.role')}
          value={f.cargo}
          onChange={(v) => setF({ ...f, cargo: v })}
          options={['consejero', 'presidencia', 'secretaria_tecnica'].map((v) => ({ value: v, label: t(`eval.council.cargo.${v}`) }))}
        />
        <label className="field">
          <span>{t('eval.council.since')}</span>
          <input type="date" required value={f.inicio} onChange={(e) => setF({ ...f, inicio: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('auth.email')}</span>
          <input type="email" value={f.email} onChange={(e) => setF({ ...f, email: e.target.value })} />
        </label>
        <button className="btn btn-primary" type="submit">
          {t('eval.council.register')}
        </button>
        <ErrorBox error={error} />
      </form>
    </section>
  );
}

/** Planners: convene a session with its agenda (an item may be a plan under review). */
function NewSession({ mid }: { mid: string }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const plans = useGet<PlanListItem[]>(`/api/v1/municipalities/${mid}/plans`);
  const [open, setOpen] = useState(false);
  const [fecha, setFecha] = useState('');
  const [lugar, setLugar] = useState('');
  const [items, setItems] = useState<{ titulo: string; planId: string }[]>([{ titulo: '', planId: '' }]);
  const [error, setError] = useState<Error | null>(null);
  if (!open) {
    return (
      <p>
        <button type="button" className="btn btn-primary" onClick={() => setOpen(true)}>
          {t('eval.council.convene')}
        </button>
      </p>
    );
  }
  return (
    <section className="card">
      <h2>{t('eval.council.convene')}</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          post<SessionCreated>(`/api/v1/municipalities/${mid}/council/sessions`, {
            fecha: new Date(fecha).toISOString(),
            lugar,
            items: items.map((i) => ({ titulo: i.titulo, tipo: i.planId ? 'plan' : 'otro', planId: i.planId ? Number(i.planId) : null })),
          }).then((s) => nav(`/m/${mid}/consejo/sesiones/${s.id}`), setError);
        }}
      >
        <div className="row wrap filters">
          <label className="field">
            <span>{t('eval.council.date')}</span>
            <input type="datetime-local" required value={fecha} onChange={(e) => setFecha(e.target.value)} />
          </label>
          <label className="field grow">
            <span>{t('eval.council.place')}</span>
            <input value={lugar} onChange={(e) => setLugar(e.target.value)} />
          </label>
        </div>
        {items.map((it, i) => (
          <div key={i} className="row wrap filters">
            <label className="field grow">
              <span>{t('eval.council.item', { n: i + 1 })}</span>
              <input
                required
                minLength={3}
                value={it.titulo}
                onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, titulo: e.target.value } : x)))}
              />
            </label>
            <OptionSelect
              label={t('eval.council.aboutPlan')}
              value={it.planId}
              onChange={(v) => setItems(items.map((x, j) => (j === i ? { ...x, planId: v } : x)))}
              empty={t('part.none')}
              options={(plans.data ?? []).map((p) => ({ value: String(p.id), label: p.titulo }))}
            />
          </div>
        ))}
        <button type="button" className="btn btn-small" onClick={() => setItems([...items, { titulo: '', planId: '' }])}>
          {t('eval.council.addItem')}
        </button>
        <ErrorBox error={error} />
        <button className="btn btn-primary" type="submit">
          {t('eval.council.send')}
        </button>
      </form>
    </section>
  );
}

export function SessionPage() {
  const { t } = useTranslation();
  const { municipalityId: mid = '', sessionId } = useParams();
  const base = `/api/v1/municipalities/${mid}/council/sessions/${sessionId}` as const;
  const s = useGet<SessionView>(base);
  const [error, setError] = useState<Error | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  if (!s.data) return <Layout>{s.error ? <ErrorBox error={s.error} /> : <Loading />}</Layout>;
  const d = s.data;
  const chair = d.yo?.cargo === 'presidencia';
  const act = (p: Promise<unknown>, ok?: string) => p.then(() => (setError(null), setMsg(ok ?? null), s.reload()), setError);
  const presentes = d.asistencia.filter((a) => a.presente).length;
  return (
    <Layout>
      <section className="card">
        <p className="crumbs">
          <Link to={`/m/${mid}/consejo`}>{t('eval.council.title')}</Link>
        </p>
        <h1>{t('eval.council.sessionN', { n: d.numero, tipo: t(`eval.council.tipo.${d.tipo}`) })}</h1>
        <p className="muted">
          {fmt.dateTime(d.fecha)}
          {d.lugar && ` · ${d.lugar}`} ·{' '}
          <span className="badge" data-testid="session-state">
            {t(`eval.council.estado.${d.estado}`)}
          </span>
        </p>
        <p>
          {t('eval.council.quorumLine', {
            presentes,
            total: d.miembros ?? d.asistencia.length,
            quorum: d.quorum ?? Math.floor(d.asistencia.length / 2) + 1,
          })}
        </p>
        <div className="toolbar">
          {d.estado === 'convocada' && (d.gestion || chair) && (
            <button type="button" className="btn btn-primary" onClick={() => act(post(`${base}/open`), t('eval.council.opened'))}>
              {t('eval.council.open')}
            </button>
          )}
          {d.estado === 'abierta' && chair && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => window.confirm(t('eval.council.confirmClose')) && act(post(`${base}/close`), t('eval.council.closed'))}
            >
              {t('eval.council.close')}
            </button>
          )}
          {d.estado === 'cerrada' && <a href={`${base}/acta.pdf`}>{t('eval.council.acta')}</a>}
        </div>
        {msg && (
          <p className="alert alert-ok" role="status">
            {msg}
          </p>
        )}
        <ErrorBox error={error} />
      </section>
      {d.gestion && d.estado !== 'cerrada' && (
        <section className="card">
          <h2>{t('eval.council.attendance')}</h2>
          <ul className="plain-list">
            {d.asistencia.map((a) => (
              <li key={a.memberId}>
                <label className="inline-check">
                  <input
                    type="checkbox"
                    checked={!!a.presente}
                    onChange={(e) =>
                      act(api('PUT', `${base}/attendance`, { asistencia: [{ memberId: a.memberId, presente: e.target.checked }] }))
                    }
                  />{' '}
                  {a.nombre} <span className="small muted">({t(`eval.council.cargo.${a.cargo}`)})</span>
                </label>
              </li>
            ))}
          </ul>
        </section>
      )}
      {d.asuntos.map((it) => (
        <section key={it.id} className="card" data-testid={`item-${it.posicion + 1}`}>
          <h2>
            {it.posicion + 1}. {it.titulo} <ResolucionBadge value={it.resolucion} />
          </h2>
          {it.planId && (
            <p>
              <Link to={`/m/${mid}/planes/${it.planId}`}>{it.plan}</Link>
            </p>
          )}
          {it.resolucion && <p>{t('eval.council.votes', { favor: it.votosFavor, contra: it.votosContra, abst: it.abstenciones })}</p>}
          {it.opiniones.length > 0 && (
            <ul className="thread">
              {it.opiniones.map((o) => (
                <li key={o.memberId}>
                  <strong>{o.nombre}</strong>: {t(`eval.council.opinion.${o.opinion}`)} · {t(`eval.council.voto.${o.voto}`)}
                  {o.texto && <p>{o.texto}</p>}
                </li>
              ))}
            </ul>
          )}
          {d.estado === 'abierta' && d.yo && (
            <OpinionForm
              base={base}
              itemId={it.id}
              mine={it.opiniones.find((o) => o.memberId === d.yo!.memberId)}
              onDone={() => (setMsg(t('eval.council.recorded')), s.reload())}
            />
          )}
        </section>
      ))}
      {(d.acuerdos.length > 0 || d.gestion) && (
        <section className="card">
          <h2>{t('eval.council.agreements')}</h2>
          <ul className="plain-list">
            {d.acuerdos.map((g) => (
              <li key={g.id}>
                {g.texto} — {g.responsable} · {g.fechaLimite ? fmt.date(g.fechaLimite) : '—'}{' '}
                {d.gestion ? (
                  <select
                    aria-label={t('eval.council.agreementState')}
                    value={g.estado}
                    onChange={(e) =>
                      patch(`/api/v1/municipalities/${mid}/council/agreements/${g.id}`, { estado: e.target.value }).then(s.reload, setError)
                    }
                  >
                    {['pendiente', 'en_proceso', 'cumplido', 'cancelado'].map((x) => (
                      <option key={x} value={x}>
                        {t(`eval.council.acuerdo.${x}`)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className="badge">{t(`eval.council.acuerdo.${g.estado}`)}</span>
                )}
              </li>
            ))}
          </ul>
          {d.gestion && <AgreementForm base={base} onDone={s.reload} />}
        </section>
      )}
    </Layout>
  );
}

function OpinionForm({
  base,
  itemId,
  mine,
  onDone,
}: {
  base: `/api/v1/municipalities/${string}/council/sessions/${string}`;
  itemId: number;
  mine?: { opinion: string; texto: string; voto: string };
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [opinion, setOpinion] = useState(mine?.opinion ?? 'favorable');
  const [voto, setVoto] = useState(mine?.voto ?? 'a_favor');
  const [texto, setTexto] = useState(mine?.texto ?? '');
  const [error, setError] = useState<Error | null>(null);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        api('PUT', `${base}/items/${itemId}/opinion`, { opinion, voto, texto }).then(onDone, setError);
      }}
    >
      <div className="row wrap filters">
        <OptionSelect
          label={t('eval.council.myOpinion')}
          value={opinion}
          onChange={setOpinion}
          options={['favorable', 'con_observaciones', 'desfavorable'].map((v) => ({ value: v, label: t(`eval.council.opinion.${v}`) }))}
        />
        <OptionSelect
          label={t('eval.council.myVote')}
          value={voto}
          onChange={setVoto}
          options={['a_favor', 'en_contra', 'abstencion'].map((v) => ({ value: v, label: t(`eval.council.voto.${v}`) }))}
        />
      </div>
      <label className="field">
        <span>{t('eval.council.reasons')}</span>
        <textarea rows={2} value={texto} onChange={(e) => setTexto(e.target.value)} />
      </label>
      <ErrorBox error={error} />
      <button className="btn" type="submit">
        {mine ? t('eval.council.change') : t('eval.council.record')}
      </button>
    </form>
  );
}

function AgreementForm({ base, onDone }: { base: `/api/v1/municipalities/${string}/council/sessions/${string}`; onDone: () => void }) {
  const { t } = useTranslation();
  const [texto, setTexto] = useState('');
  const [responsable, setResponsable] = useState('');
  const [fecha, setFecha] = useState('');
  const [error, setError] = useState<Error | null>(null);
  return (
    <form
      className="row wrap filters"
      onSubmit={(e) => {
        e.preventDefault();
        post(`${base}/agreements`, { texto, responsable, fechaLimite: fecha || null }).then(
          () => (setTexto(''), setResponsable(''), setFecha(''), onDone()),
          setError,
        );
      }}
    >
      <label className="field grow">
        <span>{t('eval.council.agreement')}</span>
        <input required minLength={3} value={texto} onChange={(e) => setTexto(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('eval.council.owner')}</span>
        <input required minLength={2} value={responsable} onChange={(e) => setResponsable(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('eval.council.deadline')}</span>
        <input type="date" value={fecha} onChange={(e) => setFecha(e.target.value)} />
      </label>
      <button className="btn" type="submit">
        {t('eval.council.addAgreement')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

/** On a plan's page: the council's resolutions about it. */
export function PlanResolutions({ municipalityId, planId }: { municipalityId: string; planId: number }) {
  const { t } = useTranslation();
  const r = useGet<PlanResolution[]>(`/api/v1/municipalities/${municipalityId}/plans/${planId}/council-resolutions`);
  if (!r.data?.length) return null;
  return (
    <section className="card" data-testid="council-resolutions">
      <h2>{t('eval.council.resolutionsTitle')}</h2>
      <ul className="plain-list">
        {r.data.map((x) => (
          <li key={x.id}>
            <ResolucionBadge value={x.resolucion} /> {x.titulo} —{' '}
            <Link to={`/m/${municipalityId}/consejo/sesiones/${x.sessionId}`}>{t('eval.council.sessionShort', { n: x.numero })}</Link>,{' '}
            {fmt.date(x.fecha)} · {t('eval.council.votes', { favor: x.votosFavor, contra: x.votosContra, abst: x.abstenciones })}
          </li>
        ))}
      </ul>
    </section>
  );
}
