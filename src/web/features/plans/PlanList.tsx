import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { type ApiError, post } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import type { PlanListItem as PlanSummary } from './types.ts';
import type { Plan } from '../../api/plans/index.ts';

export function EstadoBadge({ estado }: { estado: string }) {
  const { t } = useTranslation();
  return <span className={`badge estado-${estado}`}>{t(`plans.estado.${estado}`)}</span>;
}

/** The municipality's plans, and the state's higher plans they align to. */
export function PlanList() {
  const { t } = useTranslation();
  const { municipalityId } = useParams();
  const { can } = useSession();
  const stateTenant = `${municipalityId?.slice(0, 2)}000`;
  const plans = useGet<PlanSummary[]>(`/api/v1/municipalities/${municipalityId}/plans`);
  const higher = useGet<PlanSummary[]>(municipalityId !== stateTenant ? `/api/v1/municipalities/${stateTenant}/plans` : null);
  const planner = can(['planner'], municipalityId ?? null);
  return (
    <Layout>
      <div className="row spread">
        <h1>{t('plans.title')}</h1>
        <Link className="btn" to={`/m/${municipalityId}/poa`}>
          {t('nav.programs')}
        </Link>
      </div>
      <p className="muted">{t('plans.intro')}</p>
      <ErrorBox error={plans.error} onRetry={plans.reload} />
      {plans.loading && !plans.data && <Loading />}
      {plans.data && plans.data.length === 0 && <p className="card">{t('plans.empty')}</p>}
      {plans.data && plans.data.length > 0 && <PlanCards plans={plans.data} />}
      {higher.data && higher.data.length > 0 && (
        <section aria-labelledby="superiores">
          <h2 id="superiores">{t('plans.higher')}</h2>
          <PlanCards plans={higher.data} />
        </section>
      )}
      {planner && <NewPlan municipalityId={municipalityId!} />}
    </Layout>
  );
}

function PlanCards({ plans }: { plans: PlanSummary[] }) {
  const { t } = useTranslation();
  return (
    <ul className="plan-cards" data-testid="plan-list">
      {plans.map((p) => (
        <li key={p.id} className="card">
          <div className="row spread">
            <span className="muted">{t(`plans.tipo.${p.tipo}`)}</span>
            <EstadoBadge estado={p.estado} />
          </div>
          <h3>
            <Link to={`/m/${p.municipalityId}/planes/${p.id}`}>{p.titulo}</Link>
          </h3>
          <p className="muted">
            {p.periodoInicio && `${p.periodoInicio}–${p.periodoFin ?? ''} · `}
            {t('plans.elements', { count: p.elementos })}
            {p.cabildoAcuerdo &&
              ` · ${t(['ped', 'pnd'].includes(p.tipo) ? 'plans.published' : 'plans.cabildo', { acuerdo: p.cabildoAcuerdo, fecha: fmt.date(`${p.cabildoFecha}T12:00:00`) })}`}
          </p>
        </li>
      ))}
    </ul>
  );
}

function NewPlan({ municipalityId }: { municipalityId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const niveles = String(f.get('niveles') ?? '')
      .split('>')
      .map((s) => s.trim())
      .filter(Boolean);
    setBusy(true);
    try {
      const p = await post<Plan>(`/api/v1/municipalities/${municipalityId}/plans`, {
        tipo: f.get('tipo'),
        titulo: f.get('titulo'),
        periodoInicio: f.get('inicio') ? Number(f.get('inicio')) : null,
        periodoFin: f.get('fin') ? Number(f.get('fin')) : null,
        ...(niveles.length && { niveles }),
      });
      navigate(`/m/${municipalityId}/planes/${p.id}`);
    } catch (err) {
      setError(err as ApiError);
      setBusy(false);
    }
  }
  return (
    <details className="card">
      <summary>{t('plans.new')}</summary>
      <form className="grid-form" onSubmit={submit}>
        <ErrorBox error={error} />
        <label>
          {t('plans.fields.tipo')}
          <select name="tipo" defaultValue="pmd">
            {['pmd', 'vision2040', 'pmot', 'pdu', 'sectorial', 'poligono', 'ped', 'pnd'].map((k) => (
              <option key={k} value={k}>
                {t(`plans.tipo.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          {t('plans.fields.titulo')}
          <input name="titulo" required minLength={3} maxLength={300} />
        </label>
        <label>
          {t('plans.fields.inicio')}
          <input name="inicio" type="number" min={1900} max={2200} />
        </label>
        <label>
          {t('plans.fields.fin')}
          <input name="fin" type="number" min={1900} max={2200} />
        </label>
        <label className="wide">
          {t('plans.fields.niveles')}
          <input name="niveles" placeholder="Eje > Objetivo > Estrategia > Línea de acción" />
        </label>
        <div className="wide">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('plans.create')}
          </button>
        </div>
      </form>
    </details>
  );
}
