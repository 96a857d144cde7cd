import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, get, qs, type ApiError } from '../../api/client.ts';
import { useGet, useQueryState } from '../../api/hooks.ts';
import { uploadWithProgress } from '../../api/upload.ts';
import { Layout } from '../../components/Layout.tsx';
import { OptionSelect } from '../../components/OptionSelect.tsx';
import { ErrorBox, Loading, Pager } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { PickPointMap } from '../../components/PickPointMap/PickPointMap.tsx';
import { postWithProof } from './pow.ts';
import type { Nearby, Report, ReportCreated, ReportPage as ReportPageData, ReportServices } from '../../api/participation/index.ts';

const Estado = ({ estado }: { estado: 'open' | 'closed' }) => {
  const { t } = useTranslation();
  return <span className={estado === 'open' ? 'badge badge-red' : 'badge'}>{t(`part.reports.${estado}`)}</span>;
};

export function ReportList() {
  const { t } = useTranslation();
  const { municipalityId: mid = '' } = useParams();
  const { params, set } = useQueryState(['page']);
  const { me } = useSession();
  const page = Number(params.get('page') ?? 1);
  const services = useGet<ReportServices>(`/api/v1/municipalities/${mid}/report-services`);
  const list = useGet<ReportPageData>(
    `/api/v1/municipalities/${mid}/citizen-reports${qs({ status: params.get('estado'), service: params.get('categoria'), mine: params.get('mios'), page, limit: 25 })}`,
  );
  return (
    <Layout>
      <section className="card">
        <p className="eyebrow">{t('part.eyebrow')}</p>
        <h1>{t('part.reports.title')}</h1>
        <p className="muted">{t('part.reports.intro')}</p>
        <div className="toolbar">
          <Link className="btn btn-primary" to={me ? `/m/${mid}/reportes/nuevo` : '/entrar'}>
            {t('part.reports.new')}
          </Link>
          <span className="downloads">
            {t('common.download')}: <a href={`/api/v1/municipalities/${mid}/citizen-reports.geojson`}>GeoJSON</a> ·{' '}
            <a href={`/open311/v2/requests.json?jurisdiction_id=${mid}`}>Open311 JSON</a> ·{' '}
            <a href={`/open311/v2/requests.xml?jurisdiction_id=${mid}`}>Open311 XML</a>
          </span>
        </div>
        <div className="row wrap filters">
          <OptionSelect
            label={t('part.reports.category')}
            value={params.get('categoria') ?? ''}
            onChange={(v) => set('categoria', v)}
            empty={t('part.all')}
            options={(services.data ?? []).map((x) => ({ value: x.code, label: x.nombre }))}
          />
          <OptionSelect
            label={t('part.status')}
            value={params.get('estado') ?? ''}
            onChange={(v) => set('estado', v)}
            empty={t('part.all')}
            options={[
              { value: 'open', label: t('part.reports.open') },
              { value: 'closed', label: t('part.reports.closed') },
            ]}
          />
          {me && (
            <label className="inline-check">
              <input
                type="checkbox"
                checked={params.get('mios') === 'true'}
                onChange={(e) => set('mios', e.target.checked ? 'true' : '')}
              />{' '}
              {t('part.reports.mine')}
            </label>
          )}
        </div>
      </section>
      {list.loading && !list.data && <Loading />}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data && (
        <section className="card">
          <p className="muted">{t('common.results', { count: list.data.total })}</p>
          {list.data.items.length === 0 && <p>{t('part.reports.empty')}</p>}
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('part.reports.folio')}</th>
                  <th scope="col">{t('part.reports.category')}</th>
                  <th scope="col">{t('part.reports.where')}</th>
                  <th scope="col">{t('part.status')}</th>
                  <th scope="col">{t('part.reports.agency')}</th>
                  <th scope="col">{t('part.reports.date')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/m/${mid}/reportes/${r.id}`}>#{r.id}</Link>
                    </td>
                    <td>
                      {r.serviceName}
                      <br />
                      <span className="small muted">{r.descripcion}</span>
                    </td>
                    <td>{r.colonia ?? r.direccion}</td>
                    <td>
                      <Estado estado={r.estado} />
                    </td>
                    <td>{r.dependencia ?? '—'}</td>
                    <td className="nowrap">{fmt.date(r.requestedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} total={list.data.total} limit={list.data.limit} onPage={(p) => set('page', String(p))} />
        </section>
      )}
    </Layout>
  );
}

export function ReportForm() {
  const { t } = useTranslation();
  const { municipalityId: mid = '' } = useParams();
  const nav = useNavigate();
  const services = useGet<ReportServices>(`/api/v1/municipalities/${mid}/report-services`);
  const [service, setService] = useState('');
  const [descripcion, setDescripcion] = useState('');
  const [direccion, setDireccion] = useState('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [photo, setPhoto] = useState<File | null>(null);
  const [nearby, setNearby] = useState<Nearby>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  useEffect(() => {
    if (!point) return setNearby([]);
    get<Nearby>(`/api/v1/municipalities/${mid}/citizen-reports/nearby${qs({ lon: point[0], lat: point[1], service })}`).then(
      setNearby,
      () => setNearby([]),
    );
  }, [point, service, mid]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!point) return setError(new Error(t('part.reports.needPoint')));
    setBusy(true);
    setError(null);
    try {
      const r = await postWithProof<ReportCreated>(`/api/v1/municipalities/${mid}/citizen-reports`, {
        service,
        descripcion,
        direccion,
        lon: point[0],
        lat: point[1],
      });
      if (photo) {
        const form = new FormData();
        form.append('file', photo);
        await uploadWithProgress('POST', `/api/v1/municipalities/${mid}/citizen-reports/${r.id}/photos`, form, () => undefined);
      }
      nav(`/m/${mid}/reportes/${r.id}`);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const groups = [...new Set(services.data?.map((s) => s.grupo))];
  return (
    <Layout>
      <section className="card">
        <p className="crumbs">
          <Link to={`/m/${mid}/reportes`}>{t('part.reports.title')}</Link>
        </p>
        <h1>{t('part.reports.new')}</h1>
        <form className="form" onSubmit={submit}>
          <label className="field">
            <span>{t('part.reports.category')}</span>
            <select required value={service} onChange={(e) => setService(e.target.value)}>
              <option value="">{t('part.choose')}</option>
              {groups.map((g) => (
                <optgroup key={g} label={g}>
                  {services.data
                    ?.filter((s) => s.grupo === g)
                    .map((s) => (
                      <option key={s.code} value={s.code}>
                        {s.nombre}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </label>
          <div className="field">
            <span>{t('part.reports.point')}</span>
            <PickPointMap municipalityId={mid} value={point} onPick={setPoint} ariaLabel={t('part.reports.point')} />
          </div>
          {nearby.length > 0 && (
            <div className="alert alert-info" role="status">
              <p>{t('part.reports.nearby')}</p>
              <ul>
                {nearby.map((r) => (
                  <li key={r.id}>
                    <Link to={`/m/${mid}/reportes/${r.id}`}>
                      #{r.id} {r.serviceName}
                    </Link>{' '}
                    — {r.descripcion} <span className="muted">({t('part.reports.meters', { n: r.distanciaM })})</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <label className="field">
            <span>{t('part.reports.description')}</span>
            <textarea required rows={3} maxLength={4000} value={descripcion} onChange={(e) => setDescripcion(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('part.reports.address')}</span>
            <input maxLength={300} value={direccion} onChange={(e) => setDireccion(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('part.reports.photo')}</span>
            <input type="file" accept="image/jpeg,image/png,image/webp" onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} />
          </label>
          <ErrorBox error={error} />
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {busy ? t('part.proving') : t('part.reports.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function ReportPage() {
  const { t } = useTranslation();
  const { municipalityId: mid = '', reportId } = useParams();
  const base = `/api/v1/municipalities/${mid}/citizen-reports/${reportId}` as const;
  const r = useGet<Report>(base);
  const { me } = useSession();
  const [nota, setNota] = useState('');
  const [error, setError] = useState<Error | null>(null);
  if (r.loading && !r.data)
    return (
      <Layout>
        <Loading />
      </Layout>
    );
  if (!r.data)
    return (
      <Layout>
        <ErrorBox error={r.error} onRetry={r.reload} />
      </Layout>
    );
  const d = r.data;
  if (!('historial' in d))
    return (
      <Layout>
        <section className="card">{t('part.reports.hidden', { motivo: d.motivoOculto })}</section>
      </Layout>
    );
  const update = (estado?: 'open' | 'closed') => api('PATCH', base, { estado, nota }).then(() => (setNota(''), r.reload()), setError);
  return (
    <Layout>
      <section className="card">
        <p className="crumbs">
          <Link to={`/m/${mid}/reportes`}>{t('part.reports.title')}</Link>
        </p>
        <h1>
          #{d.id} {d.serviceName} <Estado estado={d.estado} />
        </h1>
        <p>{d.descripcion}</p>
        <p className="muted">
          {d.colonia ?? d.direccion} · {fmt.dateTime(d.requestedAt)} · {t('part.reports.agency')}: {d.dependencia ?? '—'}
          {d.isDemo && ` · ${t('part.demo')}`}
        </p>
        {d.statusNotes && <p className="alert alert-info">{d.statusNotes}</p>}
        <div className="evidence">
          {d.fotos.map((f) => (
            <a key={f} href={`/api/v1/municipalities/${mid}/citizen-reports/photos/${f}`} target="_blank" rel="noreferrer">
              <img
                src={`/api/v1/municipalities/${mid}/citizen-reports/photos/${f}?miniatura=true`}
                alt={t('part.reports.photo')}
                width={160}
                height={160}
              />
            </a>
          ))}
        </div>
        <PickPointMap municipalityId={mid} value={[d.lon, d.lat]} ariaLabel={t('part.reports.point')} />
        {me && !d.mio && (
          <button
            type="button"
            className="btn"
            onClick={() => api('PUT', `${base}/follow`, { seguir: !d.seguido }).then(r.reload, setError)}
          >
            {d.seguido ? t('part.unfollow') : t('part.follow')}
          </button>
        )}
      </section>
      <section className="card">
        <h2>{t('part.reports.history')}</h2>
        <ol className="plain-list">
          {d.historial.map((h, i) => (
            <li key={i}>
              <Estado estado={h.estado} /> {fmt.dateTime(h.at)} {h.nota && `— ${h.nota}`}
            </li>
          ))}
        </ol>
      </section>
      {d.atendible && (
        <section className="card">
          <h2>{t('part.reports.attend')}</h2>
          <label className="field">
            <span>{t('part.reports.note')}</span>
            <textarea rows={2} value={nota} onChange={(e) => setNota(e.target.value)} />
          </label>
          <div className="toolbar">
            <button type="button" className="btn" onClick={() => update()}>
              {t('part.reports.addNote')}
            </button>
            {d.estado === 'open' ? (
              <button type="button" className="btn btn-primary" onClick={() => update('closed')}>
                {t('part.reports.close')}
              </button>
            ) : (
              <button type="button" className="btn" onClick={() => update('open')}>
                {t('part.reports.reopen')}
              </button>
            )}
          </div>
          <ErrorBox error={error} />
        </section>
      )}
    </Layout>
  );
}
