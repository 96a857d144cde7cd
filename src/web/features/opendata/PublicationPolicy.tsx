import { useTranslation } from 'react-i18next';
import { currentMunicipality, Layout } from '../../components/Layout.tsx';
import { useSession } from '../../session.tsx';

/**
 * The publication policy that every OCDS package links to (`publicationPolicy`): what is published,
 * when, in which formats and under which licence, and what never is.
 */
export function PublicationPolicy() {
  const { t } = useTranslation();
  const { config } = useSession();
  const mid = currentMunicipality(undefined, config?.defaultMunicipalityId);
  const api = mid ? `/api/v1/municipalities/${mid}` : null;
  const sections = ['what', 'when', 'formats', 'license', 'private', 'ids', 'contact'] as const;
  return (
    <Layout>
      <h1>{t('open.title')}</h1>
      <p className="lead">{t('open.intro')}</p>
      {sections.map((s) => (
        <section key={s} className="card" aria-labelledby={`pol-${s}`}>
          <h2 id={`pol-${s}`}>{t(`open.${s}.title`)}</h2>
          <p>{t(`open.${s}.text`)}</p>
        </section>
      ))}
      {api && (
        <section className="card" aria-labelledby="pol-links">
          <h2 id="pol-links">{t('open.links')}</h2>
          <ul>
            <li>
              <a href={`${api}/ocds/releases.json`}>{t('open.releases')}</a>
            </li>
            <li>
              <a href={`${api}/ocds/records.json`}>{t('open.records')}</a>
            </li>
            <li>
              <a href="/ogc?f=html">{t('open.ogc')}</a>
            </li>
            <li>
              <a href="/open311/v2/discovery.json">{t('open.open311')}</a>
            </li>
            <li>
              <a href="/api/docs">{t('open.api')}</a>
            </li>
          </ul>
        </section>
      )}
    </Layout>
  );
}
