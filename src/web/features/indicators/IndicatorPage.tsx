import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import type { MunicipalityDetail } from '../../api/territory/index.ts';
import { Layout, useInstitutionColors } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { SemaforoBadge } from './SemaforoBadge.tsx';
import { SeriesChart } from './SeriesChart.tsx';
import type { Ficha, ValueRow } from '../../api/indicators/index.ts';

const ChoroplethMap = lazy(() => import('./ChoroplethMap.tsx').then((m) => ({ default: m.ChoroplethMap })));

export const ownLevel = (municipalityId: string) => (municipalityId.endsWith('000') ? 'estado' : 'municipio');

export function IndicatorPage() {
  const { t } = useTranslation();
  const { municipalityId = '', clave = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const { can } = useSession();
  const base = `/api/v1/municipalities/${municipalityId}/indicators/${encodeURIComponent(clave)}` as const;
  const ficha = useGet<Ficha>(base);
  const mun = useGet<MunicipalityDetail>(`/api/v1/municipalities/${municipalityId}`);
  const level = ownLevel(municipalityId);
  const all = useGet<ValueRow[]>(`${base}/values${qs({ nivel: level })}`);
  // Disaggregations present in the data (sexo:mujer, grupo_edad:…); 'total' first.
  const desags = useMemo(
    () =>
      [...new Set((all.data ?? []).map((r) => r.desagregacion))].sort((a, b) =>
        a === 'total' ? -1 : b === 'total' ? 1 : a.localeCompare(b),
      ),
    [all.data],
  );
  const [shownDesags, setShownDesags] = useState<string[]>(['total']);
  const totals = useMemo(() => all.data?.filter((r) => r.desagregacion === 'total'), [all.data]);
  const series = { ...all, data: totals };
  const extraSeries = useMemo(
    () => (all.data ?? []).filter((r) => r.desagregacion !== 'total' && shownDesags.includes(r.desagregacion)),
    [all.data, shownDesags],
  );
  const noRows = useMemo(() => [] as ValueRow[], []);
  const mapLevel = ficha.data?.cobertura.find((c) => c !== level && c !== 'estado') ?? null;
  const periods = useMemo(() => (series.data ?? []).filter((r) => r.valor !== null).map((r) => r.periodo), [series.data]);
  const periodo = params.get('periodo') ?? periods.at(-1) ?? '';
  const latest = series.data?.find((r) => r.periodo === periodo) ?? null;
  const [showEmbed, setShowEmbed] = useState(false);
  const rank = ficha.data?.comparativos
    .filter((c) => c.posicion && c.de)
    .sort((a, b) => a.periodo.localeCompare(b.periodo))
    .at(-1);
  const nf = (v: number | null) => (v === null ? '—' : fmt.dec(v, ficha.data?.decimales ?? 2));
  const embedUrl = `${window.location.origin}/embed/m/${municipalityId}/indicadores/${encodeURIComponent(clave)}`;

  return (
    <Layout>
      <ErrorBox error={ficha.error} />
      {ficha.loading && !ficha.data && <Loading />}
      {ficha.data && (
        <article className="indicator">
          <p className="eyebrow">
            <Link to={`/m/${municipalityId}/indicadores`}>{t('ind.title')}</Link> · {ficha.data.temaNombre} · {ficha.data.clave}
            {ficha.data.estado !== 'publicado' && <span className="badge badge-red"> {t('ind.draft')}</span>}
            {can(['planner'], municipalityId) && (
              <>
                {' · '}
                <Link to={`/m/${municipalityId}/indicadores/${encodeURIComponent(clave)}/editar`}>{t('manage.edit')}</Link>
              </>
            )}
          </p>
          <h1>{ficha.data.nombre}</h1>
          <section className="headline">
            <div className="figure big">
              <strong data-testid="latest-value">{nf(latest?.valor ?? null)}</strong>{' '}
              <span className="muted">{ficha.data.unidadMedida}</span>
              <div className="muted">
                {mun.data?.name} · {periodo}
              </div>
            </div>
            <div>
              <SemaforoBadge value={latest?.semaforo ?? null} />
              {latest?.meta != null && (
                <div className="muted">
                  {t('ind.meta')} {periodo.slice(0, 4)}: {nf(latest.meta)}{' '}
                  {latest.avance != null && `· ${t('ind.progress')} ${fmt.dec(latest.avance, 0)} %`}
                </div>
              )}
              {rank && (
                <div data-testid="rank">{t('ind.rank', { pos: rank.posicion, of: rank.de, serie: rank.serie, periodo: rank.periodo })}</div>
              )}
            </div>
            <label className="field inline">
              <span>{t('ind.period')}</span>
              <select
                value={periodo}
                onChange={(e) => {
                  const next = new URLSearchParams(params);
                  next.set('periodo', e.target.value);
                  setParams(next, { replace: true });
                }}
              >
                {periods.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </label>
          </section>

          <section className="card" aria-labelledby="serie">
            <h2 id="serie">{t('ind.series')}</h2>
            {desags.length > 1 && (
              <fieldset className="layers inline-set">
                <legend>{t('ind.disaggregation')}</legend>
                {desags.map((d) => (
                  <label key={d} className="inline-check">
                    <input
                      type="checkbox"
                      checked={shownDesags.includes(d)}
                      onChange={(e) => setShownDesags(e.target.checked ? [...shownDesags, d] : shownDesags.filter((x) => x !== d))}
                    />{' '}
                    {d === 'total' ? t('ind.total') : d.replace(':', ': ')}
                  </label>
                ))}
              </fieldset>
            )}
            {series.data && (
              <SeriesChart
                rows={shownDesags.includes('total') ? series.data : noRows}
                extra={extraSeries}
                ficha={ficha.data}
                label={mun.data?.name ?? municipalityId}
              />
            )}
          </section>

          {mapLevel && (
            <section className="card" aria-labelledby="mapa">
              <h2 id="mapa">{t('ind.map', { level: t(`levels.${mapLevel}`) })}</h2>
              <Suspense fallback={<div className="map" aria-busy="true" />}>
                <ChoroplethMap
                  municipalityId={municipalityId}
                  valuesUrl={`${base}/values${qs({ nivel: mapLevel, periodo, desagregacion: 'total' })}`}
                  level={mapLevel}
                  bbox={mun.data?.bbox ?? null}
                  decimals={ficha.data.decimales}
                  unit={ficha.data.unidadMedida}
                />
              </Suspense>
            </section>
          )}

          <section className="card" aria-labelledby="tabla">
            <h2 id="tabla">{t('ind.table')}</h2>
            <div className="table-wrap">
              <table className="table" data-testid="values-table">
                <thead>
                  <tr>
                    <th scope="col">{t('ind.period')}</th>
                    <th scope="col">{t('ind.value')}</th>
                    <th scope="col">{t('ind.meta')}</th>
                    <th scope="col">{t('ind.status')}</th>
                    <th scope="col">{t('ind.progress')}</th>
                    <th scope="col">{t('ind.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {series.data?.map((r) => (
                    <tr key={r.periodo + r.desagregacion}>
                      <td>{r.periodo}</td>
                      <td className="num">{nf(r.valor)}</td>
                      <td className="num">{nf(r.meta)}</td>
                      <td>{r.meta != null && <SemaforoBadge value={r.semaforo} />}</td>
                      <td className="num">{r.avance == null ? '' : `${fmt.dec(r.avance, 0)} %`}</td>
                      <td className="muted">{r.motivo}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="downloads">
              {t('ind.downloads')}:{' '}
              <a href={`${base}/values.csv${qs({ nivel: level })}`} data-testid="download-csv">
                CSV
              </a>{' '}
              · <a href={`${base}/values.xlsx${qs({ nivel: level })}`}>XLSX</a> · <a href={`${base}/values${qs({ nivel: level })}`}>JSON</a>
              {mapLevel && (
                <>
                  {' '}
                  · <a href={`${base}/values.csv${qs({ nivel: mapLevel })}`}>CSV ({t(`levels.${mapLevel}`)})</a>
                </>
              )}{' '}
              · <a href={`${base}/plantilla.xlsx`}>{t('ind.template')}</a>
            </p>
            <p className="downloads">
              <a href={window.location.href}>{t('ind.permalink')}</a> ·{' '}
              <button type="button" className="link-plain" onClick={() => setShowEmbed(!showEmbed)} aria-expanded={showEmbed}>
                {t('ind.embed')}
              </button>
            </p>
            {showEmbed && (
              <label className="field">
                <span>{t('ind.embedHelp')}</span>
                <textarea
                  readOnly
                  rows={2}
                  value={`<iframe src="${embedUrl}" width="600" height="420" style="border:0" title="${ficha.data.nombre}"></iframe>`}
                />
              </label>
            )}
          </section>

          <section className="card" aria-labelledby="ficha">
            <h2 id="ficha">{t('ind.ficha')}</h2>
            <dl className="ficha">
              <dt>{t('ind.definition')}</dt>
              <dd>{ficha.data.definicion || '—'}</dd>
              <dt>{t('ind.method')}</dt>
              <dd>{ficha.data.metodoCalculo || '—'}</dd>
              <dt>{t('ind.formula')}</dt>
              <dd>
                <code>{ficha.data.formula}</code>
              </dd>
              <dt>{t('ind.unit')}</dt>
              <dd>{ficha.data.unidadMedida || '—'}</dd>
              <dt>{t('ind.direction')}</dt>
              <dd>{t(`ind.sentido.${ficha.data.sentido}`)}</dd>
              <dt>{t('ind.type')}</dt>
              <dd>
                {[ficha.data.tipo, ficha.data.dimension, ficha.data.frecuencia]
                  .map((k) => t(`ind.kind.${k}`, { defaultValue: k }))
                  .join(' · ')}
              </dd>
              <dt>{t('ind.baseline')}</dt>
              <dd>{ficha.data.lineaBaseValor == null ? '—' : `${nf(ficha.data.lineaBaseValor)} (${ficha.data.lineaBaseAnio})`}</dd>
              <dt>{t('ind.meta')}</dt>
              <dd>{ficha.data.metas.map((m) => `${m.anio}${m.trimestre ? `-T${m.trimestre}` : ''}: ${nf(m.valor)}`).join(' · ') || '—'}</dd>
              <dt>{t('ind.thresholds')}</dt>
              <dd>{t('ind.thresholdsText', { verde: ficha.data.semaforoVerde, amarillo: ficha.data.semaforoAmarillo })}</dd>
              <dt>{t('ind.responsible')}</dt>
              <dd>{ficha.data.departmentName ?? '—'}</dd>
              <dt>{t('ind.coverage')}</dt>
              <dd>{ficha.data.cobertura.map((c) => t(`levels.${c}`)).join(', ')}</dd>
              {ficha.data.nivelMir && (
                <>
                  <dt>{t('ind.mir')}</dt>
                  <dd>{t(`ind.kind.${ficha.data.nivelMir}`, { defaultValue: ficha.data.nivelMir })}</dd>
                </>
              )}
              {ficha.data.odsMeta && (
                <>
                  <dt>{t('ind.ods')}</dt>
                  <dd>{ficha.data.odsMeta}</dd>
                </>
              )}
              <dt>{t('ind.variables')}</dt>
              <dd>
                <ul className="plain-list">
                  {ficha.data.variables.map((v) => (
                    <li key={v.clave}>
                      <code>{v.clave}</code> — {v.nombre}
                      {v.fuente && <span className="muted"> · {v.fuente}</span>}
                    </li>
                  ))}
                </ul>
              </dd>
              {ficha.data.comparativos.length > 0 && (
                <>
                  <dt>{t('ind.compare')}</dt>
                  <dd>{[...new Set(ficha.data.comparativos.map((c) => c.fuente))].join(' · ')}</dd>
                </>
              )}
              {ficha.data.notas && (
                <>
                  <dt>{t('ind.notes')}</dt>
                  <dd>{ficha.data.notas}</dd>
                </>
              )}
              <dt>{t('ind.updated')}</dt>
              <dd>{fmt.date(ficha.data.updatedAt)}</dd>
            </dl>
          </section>
        </article>
      )}
    </Layout>
  );
}

/** The embeddable widget: latest value, semáforo and the chart, nothing else. */
export function IndicatorEmbed() {
  const { municipalityId = '', clave = '' } = useParams();
  const base = `/api/v1/municipalities/${municipalityId}/indicators/${encodeURIComponent(clave)}` as const;
  const ficha = useGet<Ficha>(base);
  const mun = useGet<MunicipalityDetail>(`/api/v1/municipalities/${municipalityId}`);
  const series = useGet<ValueRow[]>(`${base}/values${qs({ nivel: ownLevel(municipalityId), desagregacion: 'total' })}`);
  const latest = series.data?.filter((r) => r.valor !== null).at(-1);
  const { config } = useSession();
  useInstitutionColors();
  const institution = config?.institution;
  if (!ficha.data || !series.data) return <Loading />;
  return (
    <div className="embed">
      <a href={`/m/${municipalityId}/indicadores/${encodeURIComponent(clave)}`} target="_blank" rel="noreferrer" className="embed-title">
        {ficha.data.nombre}
      </a>
      <div className="figure">
        <strong>{latest?.valor == null ? '—' : fmt.dec(latest.valor, ficha.data.decimales)}</strong> {ficha.data.unidadMedida} ·{' '}
        {latest?.periodo} <SemaforoBadge value={latest?.semaforo ?? null} />
      </div>
      <SeriesChart rows={series.data} ficha={ficha.data} label={mun.data?.name ?? municipalityId} height={260} />
      <div className="muted small embed-foot">
        {institution?.logoUrl && <img src={institution.logoUrl} alt="" height={18} />}
        {institution?.institutionName ?? 'Brújula'} · {mun.data?.name}
      </div>
    </div>
  );
}
