import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, Route, Routes } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import './i18n/index.ts';
import './styles.css';
import { SessionProvider } from './session.tsx';
import { Home, HomeRedirect } from './routes/Home.tsx';
import { Forgot, Login, Register, Reset, Verify } from './routes/Auth.tsx';
import { AdminUsers, AuditLog, Outbox } from './routes/Admin.tsx';
import { Layout } from './components/Layout.tsx';

function NotFound() {
  const { t } = useTranslation();
  return (
    <Layout>
      <section className="card narrow">
        <h1>{t('common.notFound')}</h1>
        <Link to="/">{t('common.back')}</Link>
      </section>
    </Layout>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route path="/" element={<HomeRedirect />} />
          <Route path="/m/:municipalityId" element={<Home />} />
          <Route path="/entrar" element={<Login />} />
          <Route path="/registro" element={<Register />} />
          <Route path="/verificar" element={<Verify />} />
          <Route path="/recuperar" element={<Forgot />} />
          <Route path="/restablecer" element={<Reset />} />
          <Route path="/admin/usuarios" element={<AdminUsers />} />
          <Route path="/admin/auditoria" element={<AuditLog />} />
          <Route path="/admin/correo" element={<Outbox />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  </StrictMode>,
);
