import { useEffect, useState, type ReactNode } from 'react';
import { Link, NavLink, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useGet } from '../api/hooks.ts';
import type { Municipality } from '../api/territory/index.ts';
import { setLanguage } from '../i18n/index.ts';
import { isAdminSomewhere, isStateAdmin, useSession } from '../session.tsx';
import { darken } from '../features/setup/colors.ts';
import type { Notifications as NotificationList } from '../api/participation/index.ts';

/** The institution's colours replace the default palette everywhere (header, buttons, links). */
export function useInstitutionColors() {
  const { config } = useSession();
  const primary = config?.institution.primaryColor;
  const accent = config?.institution.accentColor;
  useEffect(() => {
    const root = document.documentElement.style;
    if (primary) {
      root.setProperty('--green', primary);
      root.setProperty('--green-dark', darken(primary, 0.3));
    }
    if (accent) root.setProperty('--gold', accent);
  }, [primary, accent]);
}

export function currentMunicipality(paramId: string | undefined, fallback: string | null | undefined) {
  return paramId ?? localStorage.getItem('brujula.municipality') ?? fallback ?? null;
}

export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { me, config, logout } = useSession();
  const params = useParams();
  const navigate = useNavigate();
  const municipalities = useGet<Municipality[]>('/api/v1/municipalities?active=true');
  const mid = currentMunicipality(params.municipalityId, config?.defaultMunicipalityId);
  const [open, setOpen] = useState(false);
  useInstitutionColors();
  const institution = config?.institution;
  useEffect(() => {
    if (params.municipalityId) localStorage.setItem('brujula.municipality', params.municipalityId);
  }, [params.municipalityId]);
  useEffect(() => {
    document.documentElement.lang = i18n.language;
  }, [i18n.language]);

  return (
    <>
      <a className="skip" href="#contenido">
        {t('app.skip')}
      </a>
      {config?.demo && (
        <div className="demo-banner" role="note" data-testid="demo-banner">
          {t('demo.banner')}
        </div>
      )}
      <header className="topbar">
        <Link to={mid ? `/m/${mid}` : '/'} className="brand" aria-label={institution?.institutionName ?? t('app.name')}>
          {institution?.logoUrl ? (
            <img src={institution.logoUrl} alt="" height={32} className="brand-logo" />
          ) : (
            <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
              <circle cx="16" cy="16" r="14" fill="#0b5d4b" />
              <path d="M16 5l4 11-4 11-4-11z" fill="#f2c14e" />
            </svg>
          )}
          <span>{institution?.institutionName ?? t('app.name')}</span>
        </Link>
        {municipalities.data && municipalities.data.length > 1 && (
          <label className="switcher">
            <span className="sr-only">{t('nav.municipality')}</span>
            <select
              value={mid ?? ''}
              // Stay on the same section (e.g. indicators) when switching municipality.
              onChange={(e) => {
                const section = ['indicadores', 'planes', 'poa', 'sig'].find((s) => window.location.pathname.startsWith(`/m/${mid}/${s}`));
                navigate(section ? `/m/${e.target.value}/${section}` : `/m/${e.target.value}`);
              }}
              aria-label={t('nav.municipality')}
            >
              {municipalities.data.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} ({m.id})
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          className="menu-toggle btn btn-small"
          aria-expanded={open}
          aria-controls="nav-principal"
          onClick={() => setOpen(!open)}
        >
          {t('nav.menu')}
        </button>
        {/* biome-ignore lint/a11y/useKeyWithClickEvents: closes the phone menu once a link inside is followed; the links take the keyboard. */}
        <nav id="nav-principal" className={open ? 'nav open' : 'nav'} aria-label={t('nav.main')} onClick={() => setOpen(false)}>
          <NavLink to={mid ? `/m/${mid}` : '/'} end>
            {t('nav.home')}
          </NavLink>
          {mid && <NavLink to={`/m/${mid}/indicadores`}>{t('nav.indicators')}</NavLink>}
          {mid && <NavLink to={`/m/${mid}/planes`}>{t('nav.plans')}</NavLink>}
          {mid && <NavLink to={`/m/${mid}/poa`}>{t('nav.programs')}</NavLink>}
          {mid && <NavLink to={`/m/${mid}/sig`}>{t('nav.map')}</NavLink>}
          {mid && <NavLink to={`/m/${mid}/participacion`}>{t('nav.participation')}</NavLink>}
          {mid && <NavLink to={`/m/${mid}/evaluacion`}>{t('nav.evaluation')}</NavLink>}
          <a href="/api/docs">{t('nav.api')}</a>
          {isAdminSomewhere(me) && (
            <>
              <NavLink to="/admin/usuarios">{t('nav.users')}</NavLink>
              {isStateAdmin(me) && <NavLink to="/admin/configuracion">{t('setup.wizardTitle')}</NavLink>}
              <NavLink to="/admin/municipios">{t('nav.municipalities')}</NavLink>
              <NavLink to="/admin/auditoria">{t('nav.audit')}</NavLink>
              {isStateAdmin(me) && <NavLink to="/admin/correo">{t('nav.outbox')}</NavLink>}
            </>
          )}
          <span className="spacer" />
          <label className="lang">
            <span className="sr-only">{t('nav.language')}</span>
            <select aria-label={t('nav.language')} value={i18n.language} onChange={(e) => setLanguage(e.target.value as 'es-MX' | 'en')}>
              <option value="es-MX">Español</option>
              <option value="en">English</option>
            </select>
          </label>
          {me ? (
            <>
              <NotificationsLink />
              <span className="who" title={me.email} data-testid="current-user">
                {me.name}
              </span>
              <button type="button" className="btn btn-small" onClick={() => logout().then(() => navigate('/'))}>
                {t('nav.logout')}
              </button>
            </>
          ) : (
            <>
              <NavLink to="/entrar">{t('nav.login')}</NavLink>
              <NavLink to="/registro" className="btn btn-small btn-primary">
                {t('nav.register')}
              </NavLink>
            </>
          )}
        </nav>
      </header>
      <main id="contenido" tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">
        <span>
          {t('app.name')} {config?.version} — {t('app.tagline')}
        </span>
        <span>
          <Link to="/datos-abiertos">{t('open.title')}</Link> · <a href="/api/v1/openapi.json">OpenAPI</a> ·{' '}
          <a href="/health">{t('common.serviceStatus')}</a>
        </span>
      </footer>
    </>
  );
}

/** Link to the person's notices, with the unread count. */
function NotificationsLink() {
  const { t } = useTranslation();
  const n = useGet<Pick<NotificationList, 'sinLeer'>>('/api/v1/me/notifications?limit=1');
  const count = n.data?.sinLeer ?? 0;
  return (
    <NavLink to="/avisos" aria-label={t('nav.notificationsCount', { count })} data-testid="notifications-link">
      {t('nav.notifications')}
      {count > 0 && <span className="badge badge-red">{count}</span>}
    </NavLink>
  );
}
