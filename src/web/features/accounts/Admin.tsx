import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, del, patch, post, qs } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import type { AdminUser, AdminUserPage, Department, OutboxPage as OutboxData, Role } from '../../api/accounts/index.ts';
import type { AuditEntry, AuditPage as AuditData } from '../../api/audit/index.ts';
import type { Municipality } from '../../api/territory/index.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading, Pager } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { isAdminSomewhere, isStateAdmin, useSession } from '../../session.tsx';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';

const ROLES: Role[] = ['admin', 'planner', 'enlace', 'council', 'citizen'];

function AdminOnly({ children, state = false }: { children: React.ReactNode; state?: boolean }) {
  const { t } = useTranslation();
  const { me, ready } = useSession();
  if (!ready) return <Loading />;
  if (!(state ? isStateAdmin(me) : isAdminSomewhere(me))) {
    return (
      <Layout>
        <div className="alert alert-error" role="alert">
          {t('admin.noAccess')}
        </div>
      </Layout>
    );
  }
  return <>{children}</>;
}

export function AdminUsers() {
  return (
    <AdminOnly>
      <UsersPage />
    </AdminOnly>
  );
}

function UsersPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const users = useGet<AdminUserPage>(`/api/v1/admin/users${qs({ q, page, limit: 25 })}`);
  const [granting, setGranting] = useState<AdminUser | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const act = (fn: () => Promise<unknown>) =>
    fn()
      .then(() => {
        setError(null);
        users.reload();
      })
      .catch((e) => setError(e));
  return (
    <Layout>
      <h1>{t('admin.usersTitle')}</h1>
      <div className="toolbar">
        <label className="field inline">
          <span>{t('admin.search')}</span>
          <input
            type="search"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
          />
        </label>
      </div>
      <ErrorBox error={error ?? users.error} />
      {users.loading && !users.data && <Loading />}
      {users.data && users.data.items.length === 0 && <p className="muted">{t('admin.empty')}</p>}
      {users.data && users.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.email')}</th>
                <th scope="col">{t('admin.status')}</th>
                <th scope="col">{t('admin.roles')}</th>
                <th scope="col">
                  <span className="sr-only">Acciones</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id} data-testid={`user-${u.email}`}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>
                    {u.status === 'active' ? t('admin.active') : <span className="badge badge-red">{t('admin.blocked')}</span>}
                    <br />
                    <small className="muted">{u.emailVerifiedAt ? t('admin.verified') : t('admin.notVerified')}</small>
                  </td>
                  <td>
                    <ul className="grants">
                      {u.grants.map((g) => (
                        <li key={g.id}>
                          <span className="badge">{t(`roles.${g.role}`)}</span> {g.municipalityName ?? t('admin.stateWide')}
                          {g.departmentName && ` · ${g.departmentName}`}
                          <button
                            type="button"
                            className="link"
                            onClick={() =>
                              window.confirm(t('admin.revokeConfirm', { role: t(`roles.${g.role}`), name: u.name })) &&
                              act(() => del(`/api/v1/admin/users/${u.id}/grants/${g.id}`))
                            }
                          >
                            {t('admin.revoke')}
                          </button>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <div className="actions">
                      <button type="button" className="btn btn-small" onClick={() => setGranting(u)}>
                        {t('admin.grant')}
                      </button>
                      {isStateAdmin(me) && u.id !== me?.id && (
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() =>
                            act(() => patch(`/api/v1/admin/users/${u.id}`, { status: u.status === 'active' ? 'blocked' : 'active' }))
                          }
                        >
                          {u.status === 'active' ? t('admin.block') : t('admin.unblock')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} total={users.data.total} limit={users.data.limit} onPage={setPage} />
        </div>
      )}
      {granting && (
        <GrantDialog
          user={granting}
          onClose={() => setGranting(null)}
          onDone={() => {
            setGranting(null);
            users.reload();
          }}
        />
      )}
    </Layout>
  );
}

function GrantDialog({ user, onClose, onDone }: { user: AdminUser; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const municipalities = useGet<Municipality[]>('/api/v1/municipalities?active=true');
  const adminOf = new Set(me?.grants.filter((g) => g.role === 'admin').map((g) => g.municipalityId));
  const choices = (municipalities.data ?? []).filter((m) => adminOf.has(null) || adminOf.has(m.id));
  const [mun, setMun] = useState<string>(choices[0]?.id ?? '');
  const [role, setRole] = useState<Role>('planner');
  const effectiveMun = mun || choices[0]?.id || '';
  const departments = useGet<Department[]>(role === 'enlace' && effectiveMun ? `/api/v1/municipalities/${effectiveMun}/departments` : null);
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const scope = String(f.get('scope'));
    post(`/api/v1/admin/users/${user.id}/grants`, {
      municipalityId: scope === '*' ? null : scope,
      role,
      departmentId: role === 'enlace' ? Number(f.get('departmentId')) : null,
    })
      .then(onDone)
      .catch((err) => setError(err.message));
  };
  return (
    <div className="dialog-backdrop">
      <form className="card form dialog" role="dialog" aria-modal="true" aria-labelledby="grant-title" onSubmit={onSubmit}>
        <h2 id="grant-title">{t('admin.grantTitle', { name: user.name })}</h2>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <label className="field">
          <span>{t('admin.role')}</span>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('admin.scope')}</span>
          <select name="scope" value={mun} onChange={(e) => setMun(e.target.value)}>
            {choices.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.id})
              </option>
            ))}
            {adminOf.has(null) && role !== 'enlace' && <option value="*">{t('admin.stateWide')}</option>}
          </select>
        </label>
        {role === 'enlace' && <DepartmentSelect label={t('admin.department')} departments={departments.data} />}
        <div className="row">
          <button type="submit" className="btn btn-primary">
            {t('admin.save')}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {t('admin.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}

export function AuditLog() {
  return (
    <AdminOnly>
      <AuditPage />
    </AdminOnly>
  );
}

function diff(e: AuditEntry): string {
  const before = e.before ?? {};
  const after = e.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  return keys
    .slice(0, 8)
    .map((k) => `${k}: ${before[k] === undefined ? '' : `${JSON.stringify(before[k])} → `}${JSON.stringify(after[k] ?? null)}`)
    .join('; ');
}

function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState({ entity: '', action: '', from: '', to: '' });
  const [page, setPage] = useState(1);
  const log = useGet<AuditData>(`/api/v1/audit${qs({ ...filters, page, limit: 50 })}`);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setFilters({
      entity: String(f.get('entity') ?? ''),
      action: String(f.get('action') ?? ''),
      from: String(f.get('from') ?? ''),
      to: String(f.get('to') ?? ''),
    });
    setPage(1);
  };
  return (
    <Layout>
      <h1>{t('admin.auditTitle')}</h1>
      <p className="muted">{t('admin.auditIntro')}</p>
      <form className="toolbar" onSubmit={onSubmit}>
        <label className="field inline">
          <span>{t('admin.entity')}</span>
          <select name="entity" defaultValue="">
            <option value="">—</option>
            {[
              'role_grants',
              'users',
              'departments',
              'municipalities',
              'territorial_units',
              'territory_import',
              'session',
              'outbox',
              'user_tokens',
            ].map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>{t('admin.action')}</span>
          <select name="action" defaultValue="">
            <option value="">{t('admin.allActions')}</option>
            {(['insert', 'update', 'delete', 'event'] as const).map((a) => (
              <option key={a} value={a}>
                {t(`admin.actions.${a}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>{t('admin.from')}</span>
          <input type="date" name="from" />
        </label>
        <label className="field inline">
          <span>{t('admin.to')}</span>
          <input type="date" name="to" />
        </label>
        <button type="submit" className="btn">
          {t('admin.filter')}
        </button>
      </form>
      <ErrorBox error={log.error} />
      {log.loading && !log.data && <Loading />}
      {log.data && (
        <div className="table-wrap">
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.when')}</th>
                <th scope="col">{t('admin.who')}</th>
                <th scope="col">{t('admin.action')}</th>
                <th scope="col">{t('admin.entity')}</th>
                <th scope="col">{t('admin.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.items.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{fmt.dateTime(e.at)}</td>
                  <td>{e.actorName ?? <span className="muted">{e.via ? `${t('admin.system')} (${e.via})` : t('admin.system')}</span>}</td>
                  <td>{t(`admin.actions.${e.action}`)}</td>
                  <td>
                    {e.entity} <span className="muted">#{e.entityId}</span>
                    {e.municipalityId && <span className="muted"> · {e.municipalityId}</span>}
                  </td>
                  <td className="diff">{diff(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={page} total={log.data.total} limit={log.data.limit} onPage={setPage} />
        </div>
      )}
    </Layout>
  );
}

export function Outbox() {
  return (
    <AdminOnly state>
      <OutboxPage />
    </AdminOnly>
  );
}

function OutboxPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const mails = useGet<OutboxData>(`/api/v1/admin/outbox${qs({ page, limit: 20 })}`);
  return (
    <Layout>
      <h1>{t('admin.outboxTitle')}</h1>
      <p className="muted">{t('admin.outboxIntro')}</p>
      <ErrorBox error={mails.error} />
      {mails.data?.items.map((m) => (
        <article key={m.id} className="card mail" data-testid="mail">
          <header>
            <strong>{m.subject}</strong> — {m.to} <span className="muted">{fmt.dateTime(m.createdAt)}</span>
          </header>
          <pre>{m.body}</pre>
        </article>
      ))}
      {mails.data && <Pager page={page} total={mails.data.total} limit={mails.data.limit} onPage={setPage} />}
    </Layout>
  );
}

export function Municipalities() {
  return (
    <AdminOnly>
      <MunicipalitiesPage />
    </AdminOnly>
  );
}

function MunicipalitiesPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const stateAdmin = isStateAdmin(me);
  const list = useGet<Municipality[]>('/api/v1/municipalities');
  const [error, setError] = useState<ApiError | null>(null);
  const adminOf = new Set(me?.grants.filter((g) => g.role === 'admin').map((g) => g.municipalityId));
  const mine = (list.data ?? []).filter((m) => stateAdmin || adminOf.has(m.id));
  const [selected, setSelected] = useState<string | null>(null);
  const current = selected ?? mine.find((m) => m.active)?.id ?? null;
  const toggle = (m: Municipality) =>
    patch(`/api/v1/municipalities/${m.id}`, { active: !m.active })
      .then(() => {
        setError(null);
        list.reload();
      })
      .catch(setError);
  return (
    <Layout>
      <h1>{t('admin.municipalitiesTitle')}</h1>
      <p className="muted">{t('admin.municipalitiesIntro')}</p>
      <ErrorBox error={error ?? list.error} />
      {list.loading && !list.data && <Loading />}
      <div className="two-col">
        <div className="table-wrap">
          <table className="table" data-testid="municipalities-table">
            <thead>
              <tr>
                <th scope="col">INEGI</th>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('home.population')}</th>
                <th scope="col">{t('admin.status')}</th>
              </tr>
            </thead>
            <tbody>
              {mine.map((m) => (
                <tr key={m.id} className={m.id === current ? 'selected' : undefined}>
                  <td>{m.id}</td>
                  <td>
                    <button type="button" className="link-plain" onClick={() => setSelected(m.id)} aria-pressed={m.id === current}>
                      {m.name}
                    </button>
                  </td>
                  <td>{fmt.int(m.population)}</td>
                  <td>
                    {stateAdmin ? (
                      <label className="switch">
                        <input type="checkbox" checked={m.active} onChange={() => toggle(m)} />{' '}
                        {m.active ? t('admin.activeMunicipality') : t('admin.inactiveMunicipality')}
                      </label>
                    ) : m.active ? (
                      t('admin.activeMunicipality')
                    ) : (
                      t('admin.inactiveMunicipality')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {current && <Departments municipalityId={current} />}
      </div>
    </Layout>
  );
}

function Departments({ municipalityId }: { municipalityId: string }) {
  const { t } = useTranslation();
  const deps = useGet<Department[]>(`/api/v1/municipalities/${municipalityId}/departments`);
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    post(`/api/v1/municipalities/${municipalityId}/departments`, {
      name: String(f.get('name')).trim(),
      acronym: String(f.get('acronym') ?? '').trim() || undefined,
    })
      .then(() => {
        form.reset();
        setError(null);
        deps.reload();
      })
      .catch((err) => setError(err.message));
  };
  return (
    <section className="card" aria-labelledby="deps-title">
      <h2 id="deps-title">
        {t('admin.departments')} · {municipalityId}
      </h2>
      <ul className="plain-list">
        {deps.data?.length === 0 && <li className="muted">{t('admin.noDepartments')}</li>}
        {deps.data?.map((d) => (
          <li key={d.id}>
            {d.name} {d.acronym && <span className="badge">{d.acronym}</span>}
          </li>
        ))}
      </ul>
      <form className="form" onSubmit={onSubmit}>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <label className="field">
          <span>{t('admin.newDepartment')}</span>
          <input name="name" required minLength={2} maxLength={200} />
        </label>
        <label className="field">
          <span>{t('admin.acronym')}</span>
          <input name="acronym" maxLength={30} />
        </label>
        <button type="submit" className="btn btn-primary">
          {t('admin.add')}
        </button>
      </form>
    </section>
  );
}
