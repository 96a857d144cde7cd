import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, post } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { OptionSelect } from '../../components/OptionSelect.tsx';
import { ErrorBox } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import type {
  Moderation as ModerationQueue,
  Notifications as NotificationList,
  Open311ClientCreated,
  Open311Clients as Open311ClientsData,
  ReportServices as ReportServicesData,
  ResidencyStatus,
  SmsConfirmed,
  SmsStarted,
  VerifiedInPerson,
} from '../../api/participation/index.ts';
import type { Department } from '../../api/accounts/index.ts';
import type { UnitPage } from '../../api/territory/index.ts';

/** The participation hub: what a person can do, and their own residency verification. */
export function Participation() {
  const { t } = useTranslation();
  const { municipalityId: mid = '' } = useParams();
  const { me, can } = useSession();
  const links = [
    ['propuestas', 'part.proposals.title', 'part.proposals.intro'],
    ['presupuesto-participativo', 'part.budgets.title', 'part.budgets.intro'],
    ['consultas', 'part.consultations.title', 'part.consultations.intro'],
    ['reportes', 'part.reports.title', 'part.reports.intro'],
  ] as const;
  return (
    <Layout>
      <section className="card">
        <p className="eyebrow">{t('part.eyebrow')}</p>
        <h1>{t('part.hub.title')}</h1>
        <p>{t('part.hub.intro')}</p>
      </section>
      <div className="modules">
        {links.map(([to, title, text]) => (
          <Link key={to} className="module card" to={`/m/${mid}/${to}`}>
            <h2>{t(title)}</h2>
            <p className="muted">{t(text)}</p>
          </Link>
        ))}
      </div>
      {me && <Residency mid={mid} />}
      {can(['planner', 'enlace'], mid) && <StaffVerification mid={mid} />}
      {can(['planner'], mid) && (
        <section className="card">
          <h2>{t('part.hub.moderation')}</h2>
          <Moderation mid={mid} />
        </section>
      )}
      {can(['planner'], mid) && <ReportServices mid={mid} />}
      {can(['admin'], mid) && <Open311Clients mid={mid} />}
    </Layout>
  );
}

function Residency({ mid }: { mid: string }) {
  const { t } = useTranslation();
  const r = useGet<ResidencyStatus>(`/api/v1/municipalities/${mid}/residency`);
  const units = useGet<UnitPage>(`/api/v1/municipalities/${mid}/units?level=colonia&limit=500`);
  const [telefono, setTelefono] = useState('');
  const [codigo, setCodigo] = useState('');
  const [unitId, setUnitId] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  if (!r.data) return null;
  return (
    <section className="card" aria-labelledby="residency">
      <h2 id="residency">{t('part.hub.residency')}</h2>
      {r.data.verificado ? (
        <p className="alert alert-ok">
          {t('part.hub.verified', {
            metodo: r.data.metodo === 'sms' ? t('part.hub.bySms', { final: r.data.telefonoFinal }) : t('part.hub.inPerson'),
            unidad: r.data.unidad?.name ?? '—',
          })}
        </p>
      ) : (
        <>
          <p>{t('part.hub.why')}</p>
          {r.data.metodos.includes('sms') && (
            <form
              className="row wrap filters"
              onSubmit={(e) => {
                e.preventDefault();
                setError(null);
                if (!sent)
                  post<SmsStarted>(`/api/v1/municipalities/${mid}/residency/sms`, { telefono }).then(
                    (x) => setSent(x.telefonoFinal),
                    setError,
                  );
                else
                  post<SmsConfirmed>(`/api/v1/municipalities/${mid}/residency/sms/confirm`, {
                    codigo,
                    unitId: unitId ? Number(unitId) : null,
                  }).then((x) => (setMsg(x.mensaje), x.verificado && r.reload()), setError);
              }}
            >
              {!sent ? (
                <label className="field">
                  <span>{t('part.hub.phone')}</span>
                  <input
                    inputMode="tel"
                    required
                    value={telefono}
                    onChange={(e) => setTelefono(e.target.value)}
                    placeholder="492 123 4567"
                  />
                </label>
              ) : (
                <>
                  <label className="field">
                    <span>{t('part.hub.code', { final: sent })}</span>
                    <input inputMode="numeric" pattern="[0-9]{6}" required value={codigo} onChange={(e) => setCodigo(e.target.value)} />
                  </label>
                  <label className="field">
                    <span>{t('part.hub.colonia')}</span>
                    <select value={unitId} onChange={(e) => setUnitId(e.target.value)}>
                      <option value="">{t('part.none')}</option>
                      {(units.data?.items ?? []).map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.name}
                        </option>
                      ))}
                    </select>
                  </label>
                </>
              )}
              <button className="btn btn-primary" type="submit">
                {sent ? t('part.hub.confirm') : t('part.hub.sendCode')}
              </button>
            </form>
          )}
          {r.data.metodos.includes('presencial') && <p className="small muted">{t('part.hub.inPersonHint')}</p>}
          {msg && <p role="status">{msg}</p>}
          <ErrorBox error={error} />
          <p className="small muted">{t('part.hub.limits')}</p>
        </>
      )}
    </section>
  );
}

function StaffVerification({ mid }: { mid: string }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [curp, setCurp] = useState('');
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  return (
    <section className="card">
      <h2>{t('part.hub.staffTitle')}</h2>
      <form
        className="row wrap filters"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          setOk(null);
          post<VerifiedInPerson>(`/api/v1/municipalities/${mid}/residency/in-person`, { email, curp }).then(
            (x) => (setOk(t('part.hub.staffOk', { nombre: x.nombre })), setEmail(''), setCurp('')),
            setError,
          );
        }}
      >
        <label className="field">
          <span>{t('auth.email')}</span>
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>CURP</span>
          <input required maxLength={18} value={curp} onChange={(e) => setCurp(e.target.value.toUpperCase())} />
        </label>
        <button className="btn" type="submit">
          {t('part.hub.staffVerify')}
        </button>
      </form>
      {ok && <p className="alert alert-ok">{ok}</p>}
      <ErrorBox error={error} />
    </section>
  );
}

function Moderation({ mid }: { mid: string }) {
  const { t } = useTranslation();
  const q = useGet<ModerationQueue>(`/api/v1/municipalities/${mid}/moderation`);
  if (!q.data) return null;
  if (!q.data.length) return <p className="muted">{t('part.hub.noFlags')}</p>;
  return (
    <ul className="plain-list">
      {q.data.map((f) => (
        <li key={`${f.proposalId}-${f.commentId}`}>
          <Link to={`/m/${mid}/propuestas/${f.proposalId}`}>{f.titulo}</Link> {f.comentario && <q>{f.comentario}</q>} —{' '}
          {t('part.hub.flags', { count: f.denuncias })}: {f.motivos.join('; ')}{' '}
          <button
            type="button"
            className="link"
            onClick={() =>
              post(`/api/v1/municipalities/${mid}/proposals/${f.proposalId}/flags/dismiss`, { commentId: f.commentId }).then(q.reload)
            }
          >
            {t('part.hub.dismiss')}
          </button>
        </li>
      ))}
    </ul>
  );
}

type ServiceRow = ReportServicesData[number];

/** Planners: report categories (Open311 services) and the department each one is routed to. */
function ReportServices({ mid }: { mid: string }) {
  const { t } = useTranslation();
  const url = `/api/v1/municipalities/${mid}/report-services` as const;
  const list = useGet<ServiceRow[]>(`${url}?todas=true`);
  const deps = useGet<Department[]>(`/api/v1/municipalities/${mid}/departments`);
  const [draft, setDraft] = useState({ code: '', nombre: '', grupo: '', departmentId: '' });
  const [error, setError] = useState<Error | null>(null);
  const save = (r: ServiceRow, patch: Partial<ServiceRow>) => {
    const n = { ...r, ...patch };
    return api('PUT', url, {
      code: n.code,
      nombre: n.nombre,
      grupo: n.grupo,
      descripcion: n.descripcion,
      keywords: n.keywords,
      departmentId: n.departmentId,
      activo: n.activo,
    }).then(list.reload, setError);
  };
  const depOptions = (deps.data ?? []).map((d) => ({ value: String(d.id), label: d.name }));
  return (
    <section className="card">
      <h2>{t('part.hub.services')}</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('part.hub.serviceCode')}</th>
              <th scope="col">{t('part.reports.category')}</th>
              <th scope="col">{t('part.reports.agency')}</th>
              <th scope="col">{t('part.hub.active')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((r) => (
              <tr key={r.code}>
                <td>
                  <code>{r.code}</code>
                </td>
                <td>
                  {r.nombre} <span className="small muted">({r.grupo})</span>
                </td>
                <td>
                  <select
                    aria-label={t('part.reports.agency')}
                    value={r.departmentId ?? ''}
                    onChange={(e) => save(r, { departmentId: e.target.value ? Number(e.target.value) : null })}
                  >
                    <option value="">{t('part.none')}</option>
                    {depOptions.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('part.hub.active')}
                    checked={r.activo}
                    onChange={(e) => save(r, { activo: e.target.checked })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="row wrap filters"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          api('PUT', url, {
            code: draft.code,
            nombre: draft.nombre,
            grupo: draft.grupo || undefined,
            departmentId: draft.departmentId ? Number(draft.departmentId) : null,
          }).then(() => (setDraft({ code: '', nombre: '', grupo: '', departmentId: '' }), list.reload()), setError);
        }}
      >
        <label className="field">
          <span>{t('part.hub.serviceCode')}</span>
          <input
            required
            pattern="[a-z0-9][a-z0-9_\-]{1,39}"
            value={draft.code}
            onChange={(e) => setDraft({ ...draft, code: e.target.value })}
          />
        </label>
        <label className="field grow">
          <span>{t('part.reports.category')}</span>
          <input required minLength={3} value={draft.nombre} onChange={(e) => setDraft({ ...draft, nombre: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('part.hub.group')}</span>
          <input value={draft.grupo} onChange={(e) => setDraft({ ...draft, grupo: e.target.value })} />
        </label>
        <OptionSelect
          label={t('part.reports.agency')}
          value={draft.departmentId}
          onChange={(v) => setDraft({ ...draft, departmentId: v })}
          empty={t('part.none')}
          options={depOptions}
        />
        <button className="btn" type="submit">
          {t('part.hub.addService')}
        </button>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}

/** Admins: the api keys of the apps that post citizen reports through Open311. */
function Open311Clients({ mid }: { mid: string }) {
  const { t } = useTranslation();
  const list = useGet<Open311ClientsData>(`/api/v1/municipalities/${mid}/open311/clients`);
  const [nombre, setNombre] = useState('');
  const [key, setKey] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  return (
    <section className="card">
      <h2>{t('part.hub.open311')}</h2>
      <p className="small muted">{t('part.hub.open311Hint', { url: `/open311/v2/services.json?jurisdiction_id=${mid}` })}</p>
      <ul className="plain-list">
        {list.data?.map((c) => (
          <li key={c.id}>
            <strong>{c.nombre}</strong> · {fmt.date(c.createdAt)}{' '}
            {c.revokedAt ? (
              <span className="badge badge-red">{t('part.hub.revoked')}</span>
            ) : (
              <button
                type="button"
                className="link"
                onClick={() => api('DELETE', `/api/v1/municipalities/${mid}/open311/clients/${c.id}`).then(list.reload, setError)}
              >
                {t('part.hub.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        className="row wrap filters"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          post<Open311ClientCreated>(`/api/v1/municipalities/${mid}/open311/clients`, { nombre }).then(
            (c) => (setKey(c.apiKey), setNombre(''), list.reload()),
            setError,
          );
        }}
      >
        <label className="field grow">
          <span>{t('part.hub.appName')}</span>
          <input required minLength={3} value={nombre} onChange={(e) => setNombre(e.target.value)} />
        </label>
        <button className="btn" type="submit">
          {t('part.hub.issueKey')}
        </button>
      </form>
      {key && (
        <p className="alert alert-ok">
          {t('part.hub.keyOnce')} <code data-testid="api-key">{key}</code>
        </p>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

export function Notifications() {
  const { t } = useTranslation();
  const n = useGet<NotificationList>('/api/v1/me/notifications');
  return (
    <Layout>
      <section className="card">
        <h1>{t('part.notifications.title')}</h1>
        {n.data && n.data.sinLeer > 0 && (
          <button type="button" className="btn btn-small" onClick={() => post('/api/v1/me/notifications/read', {}).then(n.reload)}>
            {t('part.notifications.markRead')}
          </button>
        )}
        <ErrorBox error={n.error} />
        {n.data?.items.length === 0 && <p className="muted">{t('part.notifications.empty')}</p>}
        <ul className="plain-list">
          {n.data?.items.map((x) => (
            <li key={x.id} className={x.readAt ? '' : 'unread'}>
              <Link to={x.enlace}>{x.titulo}</Link>
              <p className="small">{x.cuerpo}</p>
              <p className="small muted">{fmt.dateTime(x.createdAt)}</p>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
