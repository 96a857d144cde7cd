import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useGet } from '../../api/hooks.ts';
import type { OdsElement, OdsGoal } from '../../api/plans/index.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';

/** The other side of the ODS alignment: every public plan element aligned to a goal or a target. */
export function OdsPage() {
  const { t, i18n } = useTranslation();
  const { municipalityId, meta } = useParams();
  const goals = useGet<OdsGoal[]>('/api/v1/ods');
  const rows = useGet<OdsElement[]>(`/api/v1/ods/${meta}/elements`);
  const goal = goals.data?.find((g) => g.numero === Number(meta!.split('.')[0]));
  const mine = (rows.data ?? []).filter((r) => r.municipalityId === municipalityId || r.municipalityId.endsWith('000'));
  const others = (rows.data ?? []).filter((r) => !mine.includes(r));
  const list = (items: OdsElement[]) => (
    <ul>
      {items.map((r) => (
        <li key={`${r.id}-${r.odsMeta}`}>
          <span className="badge ods">ODS {r.odsMeta}</span>{' '}
          <Link to={`/m/${r.municipalityId}/planes/${r.planId}/elementos/${r.id}`}>
            {r.codigo} {r.titulo}
          </Link>
          <span className="muted small"> · {r.planTitulo}</span>
        </li>
      ))}
    </ul>
  );
  return (
    <Layout>
      <nav className="crumbs">
        <Link to={`/m/${municipalityId}/planes`}>{t('plans.title')}</Link>
      </nav>
      <h1>{t('plans.odsPage', { meta, nombre: (i18n.language === 'en' ? goal?.nombreEn : goal?.nombre) ?? '' })}</h1>
      <ErrorBox error={rows.error} />
      {rows.loading && !rows.data && <Loading />}
      {rows.data && rows.data.length === 0 && <p className="card">{t('plans.odsEmpty')}</p>}
      {mine.length > 0 && (
        <section className="card" data-testid="ods-elements">
          {list(mine)}
        </section>
      )}
      {others.length > 0 && (
        <section className="card">
          <h2>{t('plans.odsOthers')}</h2>
          {list(others)}
        </section>
      )}
    </Layout>
  );
}
