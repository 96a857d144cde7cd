import { lazy, StrictMode, Suspense } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { createRoot } from 'react-dom/client';
import { queryClient } from './api/query.ts';
import { BrowserRouter, Link, Route, Routes } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import './i18n/index.ts';
import './styles.css';
import { SessionProvider } from './session.tsx';
import { Home, HomeRedirect } from './features/territory/Home.tsx';
import { Layout } from './components/Layout.tsx';
import { Loading } from './components/Status.tsx';

// Each route's code loads when it is visited, so a citizen's phone downloads only what it shows.
const PublicationPolicy = lazy(() => import('./features/opendata/PublicationPolicy.tsx').then((m) => ({ default: m.PublicationPolicy })));
const Login = lazy(() => import('./features/accounts/Auth.tsx').then((m) => ({ default: m.Login })));
const Register = lazy(() => import('./features/accounts/Auth.tsx').then((m) => ({ default: m.Register })));
const Verify = lazy(() => import('./features/accounts/Auth.tsx').then((m) => ({ default: m.Verify })));
const Forgot = lazy(() => import('./features/accounts/Auth.tsx').then((m) => ({ default: m.Forgot })));
const Reset = lazy(() => import('./features/accounts/Auth.tsx').then((m) => ({ default: m.Reset })));
const AdminUsers = lazy(() => import('./features/accounts/Admin.tsx').then((m) => ({ default: m.AdminUsers })));
const AuditLog = lazy(() => import('./features/accounts/Admin.tsx').then((m) => ({ default: m.AuditLog })));
const Municipalities = lazy(() => import('./features/accounts/Admin.tsx').then((m) => ({ default: m.Municipalities })));
const Catalogue = lazy(() => import('./features/indicators/Catalogue.tsx').then((m) => ({ default: m.Catalogue })));
const IndicatorPage = lazy(() => import('./features/indicators/IndicatorPage.tsx').then((m) => ({ default: m.IndicatorPage })));
const IndicatorEmbed = lazy(() => import('./features/indicators/IndicatorPage.tsx').then((m) => ({ default: m.IndicatorEmbed })));
const ManageIndicators = lazy(() => import('./features/indicators/Manage.tsx').then((m) => ({ default: m.ManageIndicators })));
const IndicatorForm = lazy(() => import('./features/indicators/Manage.tsx').then((m) => ({ default: m.IndicatorForm })));
const PlanList = lazy(() => import('./features/plans/PlanList.tsx').then((m) => ({ default: m.PlanList })));
const PlanPage = lazy(() => import('./features/plans/PlanPage.tsx').then((m) => ({ default: m.PlanPage })));
const ElementPage = lazy(() => import('./features/plans/ElementPage.tsx').then((m) => ({ default: m.ElementPage })));
const OdsPage = lazy(() => import('./features/plans/OdsPage.tsx').then((m) => ({ default: m.OdsPage })));
const EmergencyCalls = lazy(() => import('./features/emergency/EmergencyCalls.tsx').then((m) => ({ default: m.EmergencyCalls })));
const Viewer = lazy(() => import('./features/gis/Viewer.tsx').then((m) => ({ default: m.Viewer })));
const GisCatalogue = lazy(() => import('./features/gis/Catalogue.tsx').then((m) => ({ default: m.GisCatalogue })));
const LayerPage = lazy(() => import('./features/gis/Catalogue.tsx').then((m) => ({ default: m.LayerPage })));
const Poa = lazy(() => import('./features/programs/Poa.tsx').then((m) => ({ default: m.Poa })));
const ActionPage = lazy(() => import('./features/programs/ActionPage.tsx').then((m) => ({ default: m.ActionPage })));
const ActionForm = lazy(() => import('./features/programs/ActionForm.tsx').then((m) => ({ default: m.ActionForm })));
const ReportsQueue = lazy(() => import('./features/programs/ActionPage.tsx').then((m) => ({ default: m.ReportsQueue })));
const part = () => import('./features/participation/index.ts');
const Participation = lazy(() => part().then((m) => ({ default: m.Participation })));
const Notifications = lazy(() => part().then((m) => ({ default: m.Notifications })));
const ProposalList = lazy(() => part().then((m) => ({ default: m.ProposalList })));
const ProposalForm = lazy(() => part().then((m) => ({ default: m.ProposalForm })));
const ProposalPage = lazy(() => part().then((m) => ({ default: m.ProposalPage })));
const BudgetList = lazy(() => part().then((m) => ({ default: m.BudgetList })));
const BudgetPage = lazy(() => part().then((m) => ({ default: m.BudgetPage })));
const ConsultationList = lazy(() => part().then((m) => ({ default: m.ConsultationList })));
const ConsultationPage = lazy(() => part().then((m) => ({ default: m.ConsultationPage })));
const ReportList = lazy(() => part().then((m) => ({ default: m.ReportList })));
const ReportForm = lazy(() => part().then((m) => ({ default: m.ReportForm })));
const ReportPage = lazy(() => part().then((m) => ({ default: m.ReportPage })));
const evaluation = () => import('./features/evaluation/index.ts');
const EvaluationHome = lazy(() => evaluation().then((m) => ({ default: m.EvaluationHome })));
const PlanScorecard = lazy(() => evaluation().then((m) => ({ default: m.PlanScorecard })));
const EvaluationReport = lazy(() => evaluation().then((m) => ({ default: m.ReportPage })));
const CompareMunicipalities = lazy(() => evaluation().then((m) => ({ default: m.CompareMunicipalities })));
const CouncilHome = lazy(() => evaluation().then((m) => ({ default: m.CouncilHome })));
const CouncilSession = lazy(() => evaluation().then((m) => ({ default: m.SessionPage })));
const setup = () => import('./features/setup/Setup.tsx');
const FirstAdmin = lazy(() => setup().then((m) => ({ default: m.FirstAdmin })));
const SetupWizard = lazy(() => setup().then((m) => ({ default: m.SetupWizard })));
const AcceptInvitation = lazy(() => setup().then((m) => ({ default: m.AcceptInvitation })));
const Outbox = lazy(() => import('./features/accounts/Admin.tsx').then((m) => ({ default: m.Outbox })));

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
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/" element={<HomeRedirect />} />
              <Route path="/m/:municipalityId" element={<Home />} />
              <Route path="/m/:municipalityId/indicadores" element={<Catalogue />} />
              <Route path="/m/:municipalityId/indicadores/gestion" element={<ManageIndicators />} />
              <Route path="/m/:municipalityId/indicadores/nuevo" element={<IndicatorForm />} />
              <Route path="/m/:municipalityId/indicadores/:clave/editar" element={<IndicatorForm />} />
              <Route path="/m/:municipalityId/indicadores/:clave" element={<IndicatorPage />} />
              <Route path="/embed/m/:municipalityId/indicadores/:clave" element={<IndicatorEmbed />} />
              <Route path="/m/:municipalityId/planes" element={<PlanList />} />
              <Route path="/m/:municipalityId/planes/:planId" element={<PlanPage />} />
              <Route path="/m/:municipalityId/planes/:planId/elementos/:elementId" element={<ElementPage />} />
              <Route path="/m/:municipalityId/ods/:meta" element={<OdsPage />} />
              <Route path="/m/:municipalityId/mapa" element={<Viewer />} />
              <Route path="/m/:municipalityId/llamadas" element={<EmergencyCalls />} />
              <Route path="/m/:municipalityId/sig" element={<GisCatalogue />} />
              <Route path="/m/:municipalityId/sig/:slug" element={<LayerPage />} />
              <Route path="/m/:municipalityId/poa" element={<Poa />} />
              <Route path="/m/:municipalityId/poa/reportes" element={<ReportsQueue />} />
              <Route path="/m/:municipalityId/acciones/nueva" element={<ActionForm />} />
              <Route path="/m/:municipalityId/acciones/:actionId/editar" element={<ActionForm />} />
              <Route path="/m/:municipalityId/acciones/:actionId" element={<ActionPage />} />
              <Route path="/m/:municipalityId/participacion" element={<Participation />} />
              <Route path="/m/:municipalityId/propuestas" element={<ProposalList />} />
              <Route path="/m/:municipalityId/propuestas/nueva" element={<ProposalForm />} />
              <Route path="/m/:municipalityId/propuestas/:proposalId" element={<ProposalPage />} />
              <Route path="/m/:municipalityId/presupuesto-participativo" element={<BudgetList />} />
              <Route path="/m/:municipalityId/presupuesto-participativo/:processId" element={<BudgetPage />} />
              <Route path="/m/:municipalityId/consultas" element={<ConsultationList />} />
              <Route path="/m/:municipalityId/consultas/:consultationId" element={<ConsultationPage />} />
              <Route path="/m/:municipalityId/reportes" element={<ReportList />} />
              <Route path="/m/:municipalityId/reportes/nuevo" element={<ReportForm />} />
              <Route path="/m/:municipalityId/reportes/:reportId" element={<ReportPage />} />
              <Route path="/avisos" element={<Notifications />} />
              <Route path="/m/:municipalityId/evaluacion" element={<EvaluationHome />} />
              <Route path="/evaluacion/municipios" element={<CompareMunicipalities />} />
              <Route path="/m/:municipalityId/planes/:planId/evaluacion" element={<PlanScorecard />} />
              <Route path="/m/:municipalityId/informes/:reportId" element={<EvaluationReport />} />
              <Route path="/m/:municipalityId/consejo" element={<CouncilHome />} />
              <Route path="/m/:municipalityId/consejo/sesiones/:sessionId" element={<CouncilSession />} />
              <Route path="/datos-abiertos" element={<PublicationPolicy />} />
              <Route path="/entrar" element={<Login />} />
              <Route path="/registro" element={<Register />} />
              <Route path="/verificar" element={<Verify />} />
              <Route path="/recuperar" element={<Forgot />} />
              <Route path="/restablecer" element={<Reset />} />
              <Route path="/admin/usuarios" element={<AdminUsers />} />
              <Route path="/admin/auditoria" element={<AuditLog />} />
              <Route path="/admin/correo" element={<Outbox />} />
              <Route path="/admin/municipios" element={<Municipalities />} />
              <Route path="/admin/configuracion" element={<SetupWizard />} />
              <Route path="/instalar" element={<FirstAdmin />} />
              <Route path="/invitacion" element={<AcceptInvitation />} />
              <Route path="*" element={<NotFound />} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
