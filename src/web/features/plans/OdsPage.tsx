import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useGet } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';

interface Row {
  ods_meta: string;
  id: number;
  codigo: string;
  titulo: string;
  plan_id: number;
  plan_titulo: string;
  municipality_id: string;
}

/** The other side of the ODS alignment: every public plan element aligned to a goal or a target. */
export function OdsPage() {
  const { t, i18n } = useTranslation();
  const { municipalityId, meta } = useParams();
  const goals = useGet<{ numero: number; nombre: string; nombre_en: string }[]>('/api/v1/ods');
  const rows = useGet<Row[]>(`/api/v1/ods/${meta}/elements`);
  const goal = goals.data?.find((g) => g.numero === Number(meta!.split('.')[0]));
  const mine = (rows.data ?? []).filter((r) => r.municipality_id === municipalityId || r.municipality_id.endsWith('000'));
  const others = (rows.data ?? []).filter((r) => !mine.includes(r));
  const list = (items: Row[]) => (
    <ul>
      {items.map((r) => (
        <li key={`${r.id}-${r.ods_meta}`}>
          <span className="badge ods">ODS {r.ods_meta}</span>{' '}
          <Link to={`/m/${r.municipality_id}/planes/${r.plan_id}/elementos/${r.id}`}>
            {r.codigo} {r.titulo}
          </Link>
          <span className="muted small"> · {r.plan_titulo}</span>
        </li>
      ))}
    </ul>
  );
  return (
    <Layout>
      <nav className="crumbs">
        <Link to={`/m/${municipalityId}/planes`}>{t('plans.title')}</Link>
      </nav>
      <h1>{t('plans.odsPage', { meta, nombre: (i18n.language === 'en' ? goal?.nombre_en : goal?.nombre) ?? '' })}</h1>
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
