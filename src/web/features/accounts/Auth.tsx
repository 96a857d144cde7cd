import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import type { Municipality } from '../../api/territory/index.ts';
import { Layout } from '../../components/Layout.tsx';
import { useSession } from '../../session.tsx';
import type { Message } from '../../api/common.ts';

function useSubmit() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

const Err = ({ msg }: { msg: string | null }) =>
  msg ? (
    <div className="alert alert-error" role="alert">
      {msg}
    </div>
  ) : null;

export function Login() {
  const { t } = useTranslation();
  const { refresh, config } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { error, busy, run } = useSubmit();
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void run(async () => {
      await post('/api/v1/auth/login', { email: f.get('email'), password: f.get('password') });
      await refresh();
      // Only same-site paths, so a crafted link cannot send people elsewhere after logging in.
      const next = params.get('siguiente');
      navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/');
    });
  };
  return (
    <Layout>
      <form className="card form narrow" onSubmit={onSubmit} aria-labelledby="t-login">
        <h1 id="t-login">{t('auth.loginTitle')}</h1>
        <Err msg={error} />
        <label className="field">
          <span>{t('auth.email')}</span>
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label className="field">
          <span>{t('auth.password')}</span>
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('auth.login')}
        </button>
        <p>
          <Link to="/recuperar">{t('auth.forgot')}</Link>
        </p>
        <p>
          {t('auth.noAccount')} <Link to="/registro">{t('nav.register')}</Link>
        </p>
        {config?.demo && (
          <p className="muted small">
            Demostración: admin@demo.brujula.mx, planeacion@demo.brujula.mx, enlace.obras@demo.brujula.mx, consejo@demo.brujula.mx o
            ciudadana@demo.brujula.mx, contraseña Brujula-Demo-2026.
          </p>
        )}
      </form>
    </Layout>
  );
}

export function Register() {
  const { t } = useTranslation();
  const { config } = useSession();
  const municipalities = useGet<Municipality[]>('/api/v1/municipalities?active=true');
  const { error, busy, run } = useSubmit();
  const [done, setDone] = useState(false);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void run(async () => {
      await post('/api/v1/auth/register', {
        name: f.get('name'),
        email: f.get('email'),
        password: f.get('password'),
        municipalityId: f.get('municipalityId'),
      });
      setDone(true);
    });
  };
  return (
    <Layout>
      <form className="card form narrow" onSubmit={onSubmit} aria-labelledby="t-reg">
        <h1 id="t-reg">{t('auth.registerTitle')}</h1>
        {done ? (
          <div className="alert alert-ok" role="status">
            {t('auth.registered')}
          </div>
        ) : (
          <>
            <p>{t('auth.registerIntro')}</p>
            <Err msg={error} />
            <label className="field">
              <span>{t('auth.name')}</span>
              <input name="name" autoComplete="name" required minLength={2} maxLength={200} />
            </label>
            <label className="field">
              <span>{t('auth.email')}</span>
              <input name="email" type="email" autoComplete="email" required />
            </label>
            <label className="field">
              <span>{t('auth.password')}</span>
              <input name="password" type="password" autoComplete="new-password" required minLength={10} aria-describedby="pw-hint" />
              <small id="pw-hint">{t('auth.passwordHint')}</small>
            </label>
            <label className="field">
              <span>{t('auth.municipality')}</span>
              <select
                name="municipalityId"
                required
                key={municipalities.data?.length ?? 0}
                defaultValue={localStorage.getItem('brujula.municipality') ?? config?.defaultMunicipalityId ?? ''}
              >
                {municipalities.data?.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('auth.register')}
            </button>
            <p>
              {t('auth.haveAccount')} <Link to="/entrar">{t('nav.login')}</Link>
            </p>
          </>
        )}
      </form>
    </Layout>
  );
}

export function Verify() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token');
  const [state, setState] = useState<{ ok: boolean; msg: string } | null>(null);
  const sent = useRef(false);
  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    post<Message>('/api/v1/auth/verify', { token })
      .then((r) => setState({ ok: true, msg: r.message }))
      .catch((e) => setState({ ok: false, msg: e.message }));
  }, [token]);
  return (
    <Layout>
      <section className="card narrow">
        <h1>{t('auth.verifyTitle')}</h1>
        {!token && <div className="alert alert-error">{t('auth.missingToken')}</div>}
        {token && !state && <p role="status">{t('auth.verifying')}</p>}
        {state && (
          <div className={state.ok ? 'alert alert-ok' : 'alert alert-error'} role="status" data-testid="verify-result">
            {state.msg}
          </div>
        )}
        {state?.ok && (
          <Link className="btn btn-primary" to="/entrar">
            {t('nav.login')}
          </Link>
        )}
      </section>
    </Layout>
  );
}

export function Forgot() {
  const { t } = useTranslation();
  const { error, busy, run } = useSubmit();
  const [msg, setMsg] = useState<string | null>(null);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void run(async () => setMsg((await post<Message>('/api/v1/auth/password/forgot', { email: f.get('email') })).message));
  };
  return (
    <Layout>
      <form className="card form narrow" onSubmit={onSubmit}>
        <h1>{t('auth.forgotTitle')}</h1>
        <Err msg={error} />
        {msg ? (
          <div className="alert alert-ok" role="status">
            {msg}
          </div>
        ) : (
          <>
            <label className="field">
              <span>{t('auth.email')}</span>
              <input name="email" type="email" required />
            </label>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('auth.forgotSend')}
            </button>
          </>
        )}
      </form>
    </Layout>
  );
}

export function Reset() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const { error, busy, run } = useSubmit();
  const [msg, setMsg] = useState<string | null>(null);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    void run(async () =>
      setMsg((await post<Message>('/api/v1/auth/password/reset', { token: params.get('token'), password: f.get('password') })).message),
    );
  };
  return (
    <Layout>
      <form className="card form narrow" onSubmit={onSubmit}>
        <h1>{t('auth.forgotTitle')}</h1>
        <Err msg={error} />
        {msg ? (
          <div className="alert alert-ok" role="status">
            {msg} <Link to="/entrar">{t('nav.login')}</Link>
          </div>
        ) : (
          <>
            <label className="field">
              <span>{t('auth.newPassword')}</span>
              <input name="password" type="password" autoComplete="new-password" required minLength={10} />
              <small>{t('auth.passwordHint')}</small>
            </label>
            <button type="submit" className="btn btn-primary" disabled={busy || !params.get('token')}>
              {t('auth.resetSave')}
            </button>
          </>
        )}
      </form>
    </Layout>
  );
}
