import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError, get, patch, post, qs } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { uploadWithProgress } from '../../api/upload.ts';
import type { AdminUserPage, Department, Institution, Role, SetupProgress } from '../../api/accounts/index.ts';
import type { Municipality } from '../../api/territory/index.ts';
import type { ImportReport } from '../../api/territory/index.ts';
import { DepartmentSelect } from '../../components/DepartmentSelect.tsx';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { isStateAdmin, useSession } from '../../session.tsx';
import { contrastWithWhite } from './colors.ts';
import type { DepartmentsResult, Invitation, Invited } from '../../api/accounts/index.ts';
import type { States } from '../../api/territory/index.ts';

function Alert({ kind, children }: { kind: 'error' | 'ok' | 'info'; children: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

const message = (e: unknown) => (e instanceof ApiError || e instanceof Error ? e.message : String(e));

/** A password typed twice, with the server's rule shown. */
function PasswordFields() {
  const { t } = useTranslation();
  return (
    <>
      <label className="field">
        <span>{t('setup.password')}</span>
        <input name="password" type="password" autoComplete="new-password" minLength={10} required />
      </label>
      <label className="field">
        <span>{t('setup.confirm')}</span>
        <input name="confirm" type="password" autoComplete="new-password" minLength={10} required />
      </label>
    </>
  );
}

/** `/instalar?token=…`: the one-time page that creates the first admin. */
export function FirstAdmin() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [state, setState] = useState<'checking' | 'ok' | 'gone' | 'bad'>('checking');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (token.length < 10) return setState('bad');
    get(`/api/v1/setup${qs({ token })}`)
      .then(() => setState('ok'))
      .catch((e) => setState(e instanceof ApiError && e.status === 404 ? 'gone' : 'bad'));
  }, [token]);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    if (f.get('password') !== f.get('confirm')) return setError(t('setup.mismatch'));
    setBusy(true);
    post('/api/v1/setup', { token, name: f.get('name'), email: f.get('email'), password: f.get('password') })
      .then(async () => {
        await refresh();
        navigate('/admin/configuracion');
      })
      .catch((err) => setError(message(err)))
      .finally(() => setBusy(false));
  };
  return (
    <Layout>
      <section className="card form narrow" aria-labelledby="t-first">
        <h1 id="t-first">{t('setup.firstTitle')}</h1>
        {state === 'checking' && <p role="status">{t('setup.checking')}</p>}
        {state === 'gone' && (
          <>
            <Alert kind="info">{t('setup.alreadyDone')}</Alert>
            <Link to="/entrar">{t('setup.goLogin')}</Link>
          </>
        )}
        {state === 'bad' && <Alert kind="error">{token ? t('setup.badLink') : t('setup.noToken')}</Alert>}
        {state === 'ok' && (
          <form onSubmit={onSubmit} className="form">
            <p>{t('setup.firstIntro')}</p>
            {error && <Alert kind="error">{error}</Alert>}
            <label className="field">
              <span>{t('setup.name')}</span>
              <input name="name" autoComplete="name" minLength={2} maxLength={200} required />
            </label>
            <label className="field">
              <span>{t('setup.email')}</span>
              <input name="email" type="email" autoComplete="username" required />
            </label>
            <PasswordFields />
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('setup.create')}
            </button>
          </form>
        )}
      </section>
    </Layout>
  );
}

/** `/invitacion?token=…`: an invited person chooses a password and enters. */
export function AcceptInvitation() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const info = useGet<Invitation>(token.length >= 10 ? `/api/v1/auth/invitation${qs({ token })}` : null);
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    if (f.get('password') !== f.get('confirm')) return setError(t('setup.mismatch'));
    post('/api/v1/auth/invitation/accept', { token, name: f.get('name'), password: f.get('password') })
      .then(async () => {
        await refresh();
        const home = info.data?.grants.find((g) => g.municipalityId)?.municipalityId;
        navigate(home ? `/m/${home}` : '/');
      })
      .catch((err) => setError(message(err)));
  };
  return (
    <Layout>
      <section className="card form narrow" aria-labelledby="t-inv">
        <h1 id="t-inv">{t('setup.inv.title')}</h1>
        {info.loading && <Loading />}
        {(info.error || token.length < 10) && <Alert kind="error">{t('setup.inv.bad')}</Alert>}
        {info.data && (
          <form className="form" onSubmit={onSubmit}>
            <p>
              {info.data.email} — {t('setup.inv.intro')}
            </p>
            <ul>
              {info.data.grants.map((g) => (
                <li key={g.id}>
                  {t(`roles.${g.role}`)}
                  {g.departmentName && ` · ${g.departmentName}`} · {g.municipalityName ?? t('admin.stateWide')}
                </li>
              ))}
            </ul>
            {error && <Alert kind="error">{error}</Alert>}
            <label className="field">
              <span>{t('setup.name')}</span>
              <input name="name" defaultValue={info.data.name} autoComplete="name" maxLength={200} />
            </label>
            <PasswordFields />
            <button type="submit" className="btn btn-primary">
              {t('setup.inv.accept')}
            </button>
          </form>
        )}
      </section>
    </Layout>
  );
}

type Progress = SetupProgress;

/** The own basemap being rebuilt after a territory change: a progress note that polls until it is done. */
function BasemapNote({ progress, reload }: { progress: Progress | undefined; reload: () => void }) {
  const { t } = useTranslation();
  const building = progress?.basemap.estado === 'construyendo';
  useEffect(() => {
    if (!building) return;
    const id = setInterval(reload, 2000);
    return () => clearInterval(id);
  }, [building, reload]);
  const b = progress?.basemap;
  if (!b || (!b.estado && !b.listo)) return null;
  const text =
    b.estado === 'construyendo'
      ? t('setup.basemap.building', { zoom: b.zoom ?? '…', tiles: fmt.int(b.teselas) })
      : b.estado === 'error'
        ? t('setup.basemap.failed', { error: b.error })
        : b.estado === 'listo'
          ? t('setup.basemap.rebuilt', { tiles: fmt.int(b.teselas) })
          : t('setup.basemap.ready');
  return (
    <p className={b.estado === 'error' ? 'alert alert-error' : 'muted'} role="status" data-testid="basemap-note">
      {text}
    </p>
  );
}

const STEPS = ['institucion', 'territorio', 'municipios', 'dependencias', 'personal'] as const;
type Step = (typeof STEPS)[number];

/** `/admin/configuracion`: the first admin's wizard. Each step's state is read from the data, so it resumes anywhere. */
export function SetupWizard() {
  const { t } = useTranslation();
  const { me, ready } = useSession();
  const [params, setParams] = useSearchParams();
  const progress = useGet<Progress>(isStateAdmin(me) ? '/api/v1/admin/setup' : null);
  const [opened, setOpened] = useState<Step | null>(null);
  if (!ready || (isStateAdmin(me) && !progress.data && !progress.error)) return <Loading />;
  if (!isStateAdmin(me)) {
    return (
      <Layout>
        <Alert kind="error">{t('setup.stateOnly')}</Alert>
      </Layout>
    );
  }
  const p = progress.data;
  const done: Record<Step, boolean> = {
    institucion: !!p?.institution,
    territorio: (p?.municipalities ?? 0) > 0,
    municipios: (p?.active ?? 0) > 0,
    dependencias: (p?.departments ?? 0) > 0,
    personal: (p?.staff ?? 0) > 0,
  };
  // Without ?paso the wizard opens on the first pending step, chosen once: saving a step keeps its
  // confirmation on screen instead of jumping ahead; "Siguiente" moves on.
  const firstPending = (STEPS.find((s) => !done[s]) ?? 'institucion') as Step;
  if (p && !opened) setOpened(firstPending);
  const step = (STEPS.find((s) => s === params.get('paso')) ?? opened ?? firstPending) as Step;
  const go = (s: Step) => setParams({ paso: s });
  const next = STEPS[STEPS.indexOf(step) + 1];
  const changed = () => progress.reload();
  return (
    <Layout>
      <h1>{t('setup.wizardTitle')}</h1>
      <p className="muted">{t('setup.wizardIntro')}</p>
      <ErrorBox error={progress.error} onRetry={progress.reload} />
      <div className="wizard">
        <nav aria-label={t('setup.wizardTitle')}>
          <ol className="steps">
            {STEPS.map((s, i) => (
              <li key={s}>
                <button
                  type="button"
                  className={s === step ? 'step current' : 'step'}
                  aria-current={s === step ? 'step' : undefined}
                  onClick={() => go(s)}
                >
                  <span className={done[s] ? 'dot done' : 'dot'} aria-hidden="true">
                    {done[s] ? '✓' : i + 1}
                  </span>
                  {t(`setup.steps.${s}`)}
                  <span className="sr-only"> — {done[s] ? t('setup.done') : t('setup.pending')}</span>
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <section className="card" aria-labelledby="step-title">
          <h2 id="step-title">{t(`setup.steps.${step}`)}</h2>
          {step === 'institucion' && <InstitutionStep onChange={changed} />}
          {step === 'territorio' && <TerritoryStep progress={p} onChange={changed} />}
          {step === 'municipios' && <MunicipalitiesStep onChange={changed} />}
          {(step === 'territorio' || step === 'municipios') && <BasemapNote progress={p} reload={progress.reload} />}
          {step === 'dependencias' && <DepartmentsStep onChange={changed} />}
          {step === 'personal' && <StaffStep onChange={changed} />}
          <div className="row wizard-nav">
            {next ? (
              <button type="button" className="btn" onClick={() => go(next)}>
                {done[step] ? t('setup.next') : t('setup.later')} →
              </button>
            ) : (
              <FinishLink />
            )}
          </div>
        </section>
      </div>
    </Layout>
  );
}

function FinishLink() {
  const { t } = useTranslation();
  const active = useGet<Municipality[]>('/api/v1/municipalities?active=true');
  const first = active.data?.[0];
  return first ? (
    <Link className="btn btn-primary" to={`/m/${first.id}`}>
      {t('setup.finish')}: {first.name}
    </Link>
  ) : null;
}

function InstitutionStep({ onChange }: { onChange: () => void }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const inst = useGet<Institution>('/api/v1/installation');
  const states = useGet<States>('/api/v1/states');
  const [primary, setPrimary] = useState<string | null>(null);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  if (!inst.data) return <Loading />;
  const color = primary ?? inst.data.primaryColor;
  const ratio = contrastWithWhite(color);
  const after = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      setStatus({ kind: 'ok', text: ok });
      inst.reload();
      onChange();
      await refresh();
    } catch (e) {
      setStatus({ kind: 'error', text: message(e) });
    }
  };
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void after(
      () =>
        patch('/api/v1/installation', {
          institutionName: String(f.get('name')).trim(),
          cveEnt: String(f.get('state')) || null,
          primaryColor: f.get('primary'),
          accentColor: f.get('accent'),
        }),
      t('setup.inst.saved'),
    );
  };
  const onLogo = (file: File | undefined) => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    void after(async () => {
      const r = await uploadWithProgress('PUT', '/api/v1/installation/logo', form, () => {});
      if (r.status >= 400) throw new Error(r.body.message ?? String(r.status));
    }, t('setup.inst.saved'));
  };
  return (
    <form className="form" onSubmit={onSubmit}>
      <p className="muted">{t('setup.inst.intro')}</p>
      {status && <Alert kind={status.kind}>{status.text}</Alert>}
      <label className="field">
        <span>{t('setup.inst.name')}</span>
        <input
          name="name"
          defaultValue={inst.data.institutionName ?? ''}
          placeholder={t('setup.inst.namePlaceholder')}
          minLength={2}
          maxLength={200}
          required
        />
      </label>
      <label className="field">
        <span>{t('setup.inst.state')}</span>
        <select name="state" defaultValue={inst.data.cveEnt ?? ''}>
          <option value="">{t('setup.inst.noState')}</option>
          {states.data?.map((s) => (
            <option key={s.cveEnt} value={s.cveEnt}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <label className="field inline">
          <span>{t('setup.inst.primary')}</span>
          <input name="primary" type="color" value={color} onChange={(e) => setPrimary(e.target.value)} />
        </label>
        <label className="field inline">
          <span>{t('setup.inst.accent')}</span>
          <input name="accent" type="color" defaultValue={inst.data.accentColor} />
        </label>
      </div>
      {ratio < 4.5 && <Alert kind="error">{t('setup.inst.lowContrast', { ratio: ratio.toFixed(1) })}</Alert>}
      <div className="brand-preview" style={{ background: color }} role="img" aria-label={t('setup.inst.preview')}>
        {inst.data.logoUrl && <img src={inst.data.logoUrl} alt="" height={28} />}
        <strong>{inst.data.institutionName ?? 'Brújula'}</strong>
      </div>
      <label className="field">
        <span>{t('setup.inst.logo')}</span>
        <input type="file" accept="image/png,image/jpeg,image/webp" onChange={(e) => onLogo(e.target.files?.[0])} />
      </label>
      {inst.data.logoUrl && (
        <button
          type="button"
          className="link"
          onClick={() => void after(() => api('DELETE', '/api/v1/installation/logo'), t('setup.inst.saved'))}
        >
          {t('setup.inst.removeLogo')}
        </button>
      )}
      <button type="submit" className="btn btn-primary">
        {t('setup.inst.save')}
      </button>
    </form>
  );
}

// INEGI's field names, lower-cased; the first one a file has is chosen.
const GUESS = {
  key: ['cvegeo', 'clave', 'cve_geo', 'cvegeo_1'],
  name: ['nomgeo', 'nom_agem', 'nom_mun', 'nom_loc', 'nom_col', 'nombre', 'name'],
  population: ['pob', 'pobtot', 'pob_total', 'poblacion', 'población'],
};
const pick = (fields: string[], names: string[]) => names.map((n) => fields.find((f) => f.toLowerCase() === n)).find(Boolean) ?? '';

function TerritoryStep({ progress, onChange }: { progress: Progress | undefined; onChange: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [level, setLevel] = useState<string>((progress?.municipalities ?? 0) > 0 ? 'localidad' : 'municipio');
  const [map, setMap] = useState({ key: '', name: '', population: '', layer: '', municipalityId: '' });
  const [report, setReport] = useState<ImportReport | null>(null);
  const [choices, setChoices] = useState<Record<string, 'skip' | 'key'>>({});
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [phase, setPhase] = useState<{ label: string; pct: number | null } | null>(null);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const municipalities = useGet<Municipality[]>('/api/v1/municipalities');

  const send = async (dryRun: boolean, mapping = map): Promise<{ status: number; body: Record<string, unknown> }> => {
    const form = new FormData();
    form.append('level', level);
    form.append('keyField', mapping.key || 'cvegeo');
    form.append('nameField', mapping.name || 'nomgeo');
    if (mapping.population) form.append('populationField', mapping.population);
    if (mapping.layer) form.append('layer', mapping.layer);
    if (mapping.municipalityId) form.append('municipalityId', mapping.municipalityId);
    form.append('dryRun', String(dryRun));
    if (skipInvalid) form.append('onInvalid', 'skip');
    if (Object.keys(choices).length) form.append('missingName', JSON.stringify(choices));
    form.append('file', file!);
    setPhase({ label: dryRun ? t('setup.terr.checking') : t('setup.terr.saving'), pct: 0 });
    try {
      return await uploadWithProgress('POST', '/api/v1/territory/imports', form, (pct) =>
        setPhase({ label: pct < 100 ? t('setup.terr.uploadPct', { pct }) : t('setup.terr.validating'), pct: pct < 100 ? pct : null }),
      );
    } finally {
      setPhase(null);
    }
  };
  const reportOf = (r: { body: Record<string, unknown> }) =>
    (r.body.details && typeof r.body.details === 'object' && 'features' in (r.body.details as object)
      ? r.body.details
      : r.body) as ImportReport;

  const check = async () => {
    if (!file) return;
    setStatus(null);
    setReport(null);
    let r = await send(true);
    // The first answer names the file's fields: choose INEGI's, then check again.
    const fields = (r.body.details as { fields?: string[] } | undefined)?.fields ?? (r.body.fields as string[] | undefined) ?? [];
    if (fields.length && (!map.key || !map.name)) {
      const guessed = {
        ...map,
        key: map.key || pick(fields, GUESS.key),
        name: map.name || pick(fields, GUESS.name),
        population: map.population || pick(fields, GUESS.population),
      };
      setMap(guessed);
      if (guessed.key && guessed.name) r = await send(true, guessed);
    }
    const rep = reportOf(r);
    if (rep && 'features' in rep) setReport(rep);
    else setStatus({ kind: 'error', text: String(r.body.message ?? r.status) });
  };
  const commit = async () => {
    const r = await send(false);
    const rep = reportOf(r);
    if (r.status === 201) {
      setStatus({ kind: 'ok', text: t('setup.terr.imported', { inserted: rep.inserted, updated: rep.updated }) });
      setReport(null);
      setFile(null);
      setChoices({});
      municipalities.reload();
      onChange();
    } else {
      if (rep && 'features' in rep) setReport(rep);
      setStatus({ kind: 'error', text: String(r.body.message ?? r.status) });
    }
  };
  const fields = report?.fields ?? [];
  const unresolved = report ? report.unnamed.filter((u) => !choices[u.key ?? '']).length : 0;
  const blockingRejects = report ? report.rejected.filter((p) => !report.unnamed.some((u) => u.n === p.n)).length : 0;
  const importable = report && unresolved === 0 && (blockingRejects === 0 || skipInvalid);
  const count = report ? report.valid + report.unnamed.filter((u) => choices[u.key ?? ''] === 'key' && u.choice === 'reject').length : 0;
  const field = (k: 'key' | 'name' | 'population', optional = false) => (
    <label className="field inline">
      <span>{t(`setup.terr.${k}`)}</span>
      <select value={map[k]} onChange={(e) => setMap({ ...map, [k]: e.target.value })}>
        {optional && <option value="">{t('setup.terr.none')}</option>}
        {fields.map((f) => (
          <option key={f}>{f}</option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="form">
      <p className="muted">{t('setup.terr.intro')}</p>
      <p data-testid="territory-counts">
        {progress && progress.municipalities > 0
          ? t('setup.terr.current', { municipalities: fmt.int(progress.municipalities), localities: fmt.int(progress.localities) })
          : t('setup.terr.empty')}
      </p>
      {status && <Alert kind={status.kind}>{status.text}</Alert>}
      <div className="row">
        <label className="field inline">
          <span>{t('setup.terr.level')}</span>
          <select value={level} onChange={(e) => (setLevel(e.target.value), setReport(null))}>
            {['municipio', 'localidad', 'ageb', 'manzana', 'colonia', 'poligono'].map((l) => (
              <option key={l} value={l}>
                {t(`levels.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>{t('setup.terr.file')}</span>
          <input
            type="file"
            accept=".zip,.gpkg,.geojson,.json,.kml,.kmz"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setReport(null);
              setChoices({});
              setMap({ key: '', name: '', population: '', layer: '', municipalityId: map.municipalityId });
            }}
          />
        </label>
      </div>
      {(level === 'colonia' || level === 'poligono') && (
        <label className="field inline">
          <span>{t('setup.terr.municipality')}</span>
          <select value={map.municipalityId} onChange={(e) => setMap({ ...map, municipalityId: e.target.value })}>
            <option value="" />
            {municipalities.data?.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.id})
              </option>
            ))}
          </select>
        </label>
      )}
      {report && fields.length > 0 && (
        <div className="row">
          {field('key')}
          {field('name')}
          {field('population', true)}
          {report.layers.length > 1 && (
            <label className="field inline">
              <span>{t('setup.terr.layer')}</span>
              <select value={map.layer || report.layer || ''} onChange={(e) => setMap({ ...map, layer: e.target.value })}>
                {report.layers.map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </select>
            </label>
          )}
        </div>
      )}
      <div className="row">
        <button type="button" className="btn" disabled={!file || !!phase} onClick={() => void check()}>
          {t('setup.terr.check')}
        </button>
        {report && (
          <button type="button" className="btn btn-primary" disabled={!importable || !!phase} onClick={() => void commit()}>
            {t('setup.terr.commit', { count: fmt.int(count) })}
          </button>
        )}
      </div>
      {phase && (
        <div role="status" aria-live="polite">
          <span>{phase.label}</span>
          {phase.pct === null ? <progress /> : <progress max={100} value={phase.pct} />}
        </div>
      )}
      {report && (
        <div className="report" data-testid="import-report">
          <p>
            {t('setup.terr.report', {
              format: report.format,
              srid: report.sourceSrid,
              features: fmt.int(report.features),
              valid: fmt.int(report.valid),
              repaired: report.repaired.length,
              rejected: report.rejected.length,
            })}
          </p>
          {report.population !== null && <p>{t('setup.terr.populationTotal', { n: fmt.int(report.population) })}</p>}
          {report.unnamed.length > 0 && (
            <fieldset>
              <legend>{t('setup.terr.unnamed', { count: report.unnamed.length })}</legend>
              <div className="row">
                <span>{t('setup.terr.unnamedAll')}</span>
                {(['skip', 'key'] as const).map((c) => (
                  <button
                    key={c}
                    type="button"
                    className="btn btn-small"
                    onClick={() => setChoices(Object.fromEntries(report.unnamed.map((u) => [u.key ?? '', c])))}
                  >
                    {t(`setup.terr.choice.${c}`)}
                  </button>
                ))}
              </div>
              <ul className="plain-list">
                {report.unnamed.slice(0, 200).map((u) => (
                  <li key={u.n}>
                    <label>
                      #{u.n} {u.key}{' '}
                      <select
                        value={choices[u.key ?? ''] ?? ''}
                        onChange={(e) => setChoices({ ...choices, [u.key ?? '']: e.target.value as 'skip' | 'key' })}
                      >
                        <option value="">{t('setup.terr.choice.reject')}</option>
                        <option value="skip">{t('setup.terr.choice.skip')}</option>
                        <option value="key">{t('setup.terr.choice.key')}</option>
                      </select>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
          {blockingRejects > 0 && (
            <>
              <h3>{t('setup.terr.rejected')}</h3>
              <ul className="plain-list">
                {report.rejected
                  .filter((p) => !report.unnamed.some((u) => u.n === p.n))
                  .slice(0, 50)
                  .map((p) => (
                    <li key={p.n}>
                      #{p.n} {p.key}: {p.reason}
                    </li>
                  ))}
              </ul>
              <label>
                <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />{' '}
                {t('setup.terr.skipInvalid')}
              </label>
            </>
          )}
        </div>
      )}
      <p className="muted small">{t('setup.terr.areaNote')}</p>
    </div>
  );
}

function MunicipalitiesStep({ onChange }: { onChange: () => void }) {
  const { t } = useTranslation();
  const list = useGet<Municipality[]>('/api/v1/municipalities');
  const [q, setQ] = useState('');
  const [wanted, setWanted] = useState<Record<string, boolean>>({});
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const shown = useMemo(() => {
    const n = q.trim().toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
    return (list.data ?? []).filter(
      (m) => !n || m.id.includes(n) || m.name.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').includes(n),
    );
  }, [list.data, q]);
  if (list.loading && !list.data) return <Loading />;
  if (!list.data?.length) return <p className="empty">{t('setup.mun.empty')}</p>;
  const isOn = (m: Municipality) => wanted[m.id] ?? m.active;
  const changes = list.data.filter((m) => wanted[m.id] !== undefined && wanted[m.id] !== m.active);
  const save = async () => {
    try {
      for (const m of changes) await patch(`/api/v1/municipalities/${m.id}`, { active: wanted[m.id] });
      setWanted({});
      setStatus({ kind: 'ok', text: t('setup.mun.saved') });
      list.reload();
      onChange();
    } catch (e) {
      setStatus({ kind: 'error', text: message(e) });
    }
  };
  return (
    <div className="form">
      <p className="muted">{t('setup.mun.intro')}</p>
      {status && <Alert kind={status.kind}>{status.text}</Alert>}
      <div className="row">
        <label className="field inline">
          <span>{t('setup.mun.search')}</span>
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <span className="muted">{t('setup.mun.count', { active: list.data.filter(isOn).length, total: list.data.length })}</span>
      </div>
      <div className="table-wrap scroll-box">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('setup.mun.active')}</th>
              <th scope="col">INEGI</th>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('home.population')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((m) => (
              <tr key={m.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${t('setup.mun.active')}: ${m.name}`}
                    checked={isOn(m)}
                    onChange={(e) => setWanted({ ...wanted, [m.id]: e.target.checked })}
                  />
                </td>
                <td>{m.id}</td>
                <td>{m.name}</td>
                <td>{fmt.int(m.population)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="btn btn-primary" disabled={changes.length === 0} onClick={() => void save()}>
        {t('setup.mun.save')}
      </button>
    </div>
  );
}

function ActiveMunicipalitySelect({ value, onChange, label }: { value: string; onChange: (id: string) => void; label: string }) {
  const active = useGet<Municipality[]>('/api/v1/municipalities?active=true');
  useEffect(() => {
    if (!value && active.data?.[0]) onChange(active.data[0].id);
  }, [active.data, value, onChange]);
  return (
    <label className="field inline">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {active.data?.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} ({m.id})
          </option>
        ))}
      </select>
    </label>
  );
}

function DepartmentsStep({ onChange }: { onChange: () => void }) {
  const { t } = useTranslation();
  const active = useGet<Municipality[]>('/api/v1/municipalities?active=true');
  const [mid, setMid] = useState('');
  const deps = useGet<Department[]>(mid ? `/api/v1/municipalities/${mid}/departments` : null);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string; lines?: string[] } | null>(null);
  if (active.loading && !active.data) return <Loading />;
  if (!active.data?.length) return <p className="empty">{t('setup.deps.empty')}</p>;
  const done = (r: { created: Department[]; existing: string[] }) => {
    setStatus({ kind: 'ok', text: t('setup.deps.result', { created: r.created.length, existing: r.existing.length }) });
    deps.reload();
    onChange();
  };
  const failed = (e: unknown) =>
    setStatus({
      kind: 'error',
      text: message(e),
      lines: ((e as ApiError).details as { errores?: { fila: number; problema: string }[] } | undefined)?.errores?.map(
        (x) => `${x.fila}: ${x.problema}`,
      ),
    });
  const onList = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const lines = String(new FormData(form).get('list') ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const departments = lines.map((l) => {
      const i = l.lastIndexOf(',');
      return i > 0 ? { name: l.slice(0, i).trim(), acronym: l.slice(i + 1).trim() || null } : { name: l, acronym: null };
    });
    post<DepartmentsResult>(`/api/v1/municipalities/${mid}/departments/batch`, { departments })
      .then((r) => (form.reset(), done(r)))
      .catch(failed);
  };
  const onFile = (file: File | undefined) => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    uploadWithProgress('POST', `/api/v1/municipalities/${mid}/departments/import`, form, () => {})
      .then((r) =>
        r.status === 201
          ? done(r.body as unknown as { created: Department[]; existing: string[] })
          : failed(new ApiError(r.status, '', String(r.body.message), r.body.details)),
      )
      .catch(failed);
  };
  return (
    <div className="form">
      <p className="muted">{t('setup.deps.intro')}</p>
      <ActiveMunicipalitySelect value={mid} onChange={setMid} label={t('setup.deps.municipality')} />
      {status && (
        <Alert kind={status.kind}>
          {status.text}
          {status.lines && (
            <ul>
              {status.lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      <ul className="plain-list" data-testid="departments">
        {deps.data?.length === 0 && <li className="muted">{t('setup.deps.none')}</li>}
        {deps.data?.map((d) => (
          <li key={d.id}>
            {d.name} {d.acronym && <span className="badge">{d.acronym}</span>}
          </li>
        ))}
      </ul>
      <form className="form" onSubmit={onList}>
        <label className="field">
          <span>{t('setup.deps.list')}</span>
          <textarea name="list" rows={5} placeholder={t('setup.deps.listPlaceholder')} required />
        </label>
        <button type="submit" className="btn btn-primary">
          {t('setup.deps.add')}
        </button>
      </form>
      <label className="field">
        <span>{t('setup.deps.xlsx')}</span>
        <input type="file" accept=".xlsx,.csv" onChange={(e) => onFile(e.target.files?.[0])} />
      </label>
    </div>
  );
}

const ROLES: Role[] = ['planner', 'enlace', 'council', 'admin'];

function StaffStep({ onChange }: { onChange: () => void }) {
  const { t } = useTranslation();
  const [mid, setMid] = useState('');
  const [role, setRole] = useState<Role>('planner');
  const deps = useGet<Department[]>(role === 'enlace' && mid ? `/api/v1/municipalities/${mid}/departments` : null);
  const users = useGet<AdminUserPage>('/api/v1/admin/users?limit=100');
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const staff = (users.data?.items ?? []).filter((u) =>
    u.grants.some((g) => g.role !== 'citizen' && !(g.role === 'admin' && g.municipalityId === null)),
  );
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const scope = String(f.get('scope') ?? mid);
    post<Invited>('/api/v1/admin/invitations', {
      email: String(f.get('email')).trim(),
      name: String(f.get('name') ?? '').trim() || undefined,
      role,
      municipalityId: scope === '*' ? null : scope,
      departmentId: role === 'enlace' ? Number(f.get('departmentId')) : null,
    })
      .then((r) => {
        form.reset();
        setStatus({ kind: 'ok', text: r.message });
        users.reload();
        onChange();
      })
      .catch((err) => setStatus({ kind: 'error', text: message(err) }));
  };
  return (
    <div className="form">
      <p className="muted">{t('setup.staff.intro')}</p>
      {status && <Alert kind={status.kind}>{status.text}</Alert>}
      <form className="form" onSubmit={onSubmit}>
        <div className="row">
          <label className="field inline">
            <span>{t('setup.staff.email')}</span>
            <input name="email" type="email" required />
          </label>
          <label className="field inline">
            <span>{t('setup.staff.name')}</span>
            <input name="name" maxLength={200} />
          </label>
        </div>
        <div className="row">
          <label className="field inline">
            <span>{t('setup.staff.role')}</span>
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <ActiveMunicipalitySelect value={mid} onChange={setMid} label={t('setup.staff.municipality')} />
          {role === 'enlace' &&
            (deps.data?.length === 0 ? (
              <span className="muted">{t('setup.staff.noDepartments')}</span>
            ) : (
              <DepartmentSelect className="field inline" label={t('setup.staff.department')} departments={deps.data} />
            ))}
        </div>
        <input type="hidden" name="scope" value={mid} />
        <button type="submit" className="btn btn-primary" disabled={!mid}>
          {t('setup.staff.invite')}
        </button>
      </form>
      <h3>{t('setup.staff.list')}</h3>
      {staff.length === 0 ? (
        <p className="empty">{t('setup.staff.empty')}</p>
      ) : (
        <ul className="plain-list" data-testid="staff">
          {staff.map((u) => (
            <li key={u.id}>
              {u.name} · {u.email} —{' '}
              {u.grants
                .filter((g) => g.role !== 'citizen')
                .map((g) => `${t(`roles.${g.role}`)} ${g.municipalityName ?? ''}`)
                .join(', ')}
              {!u.emailVerifiedAt && <span className="badge">{t('setup.staff.pending')}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
