import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { type ApiError, patch, post, api } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { uploadWithProgress } from '../../api/upload.ts';
import type { Department } from '../../api/accounts/index.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { useSession } from '../../session.tsx';
import type { Ficha, IndicatorSummary as Summary, LoadReport, Variable } from '../../api/indicators/index.ts';
import type { Themes } from '../../api/indicators/index.ts';

const THEMES_URL = '/api/v1/indicators/themes';

/** Planners (and enlaces, for loading data) manage the municipality's indicators here. */
export function ManageIndicators() {
  const { t } = useTranslation();
  const { municipalityId = '' } = useParams();
  const { can, ready } = useSession();
  const planner = can(['planner'], municipalityId);
  const staff = can(['planner', 'enlace'], municipalityId);
  const list = useGet<Summary[]>(`/api/v1/municipalities/${municipalityId}/indicators`);
  if (!ready) return <Loading />;
  if (!staff) {
    return (
      <Layout>
        <div className="alert alert-error" role="alert">
          {t('manage.noAccess')}
        </div>
      </Layout>
    );
  }
  return (
    <Layout>
      <h1>{t('manage.title')}</h1>
      <UploadData municipalityId={municipalityId} />
      {planner && (
        <>
          <section className="card" aria-labelledby="lista">
            <h2 id="lista">{t('manage.indicators')}</h2>
            <ul className="plain-list">
              {list.data?.map((i) => (
                <li key={i.clave}>
                  <Link to={`/m/${municipalityId}/indicadores/${encodeURIComponent(i.clave)}`}>
                    {i.clave} — {i.nombre}
                  </Link>{' '}
                  {i.estado !== 'publicado' && <span className="badge badge-red">{t('ind.draft')}</span>}{' '}
                  <Link to={`/m/${municipalityId}/indicadores/${encodeURIComponent(i.clave)}/editar`} className="small">
                    {t('manage.edit')}
                  </Link>
                </li>
              ))}
            </ul>
            <Link className="btn btn-primary" to={`/m/${municipalityId}/indicadores/nuevo`}>
              {t('manage.newIndicator')}
            </Link>
          </section>
          <Variables municipalityId={municipalityId} />
        </>
      )}
    </Layout>
  );
}

function Variables({ municipalityId }: { municipalityId: string }) {
  const { t } = useTranslation();
  const vars = useGet<Variable[]>(`/api/v1/municipalities/${municipalityId}/variables`);
  const deps = useGet<Department[]>(`/api/v1/municipalities/${municipalityId}/departments`);
  const [error, setError] = useState<string | null>(null);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const dep = String(f.get('departmentId') ?? '');
    post(`/api/v1/municipalities/${municipalityId}/variables`, {
      clave: String(f.get('clave')).trim(),
      nombre: String(f.get('nombre')).trim(),
      unidad: String(f.get('unidad') ?? ''),
      fuente: String(f.get('fuente') ?? ''),
      agregacion: String(f.get('agregacion')),
      departmentId: dep ? Number(dep) : null,
    })
      .then(() => {
        form.reset();
        setError(null);
        vars.reload();
      })
      .catch((err: ApiError) => setError(err.message));
  };
  return (
    <section className="card" aria-labelledby="variables">
      <h2 id="variables">{t('manage.variables')}</h2>
      <p className="muted">{t('manage.variablesHelp')}</p>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('manage.clave')}</th>
              <th scope="col">{t('manage.nombre')}</th>
              <th scope="col">{t('ind.source')}</th>
              <th scope="col">{t('manage.aggregation')}</th>
            </tr>
          </thead>
          <tbody>
            {vars.data?.map((v) => (
              <tr key={v.id}>
                <td>
                  <code>{v.clave}</code>
                </td>
                <td>{v.nombre}</td>
                <td>{v.fuente}</td>
                <td>{v.agregacion === 'suma' ? t('manage.sum') : t('manage.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="form grid-form" onSubmit={onSubmit} aria-label={t('manage.newVariable')}>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <label className="field">
          <span>{t('manage.clave')}</span>
          <input name="clave" required pattern="[A-Za-z][A-Za-z0-9_]{0,39}" placeholder="POB_TOT" />
        </label>
        <label className="field">
          <span>{t('manage.nombre')}</span>
          <input name="nombre" required minLength={2} />
        </label>
        <label className="field">
          <span>{t('manage.unit')}</span>
          <input name="unidad" />
        </label>
        <label className="field">
          <span>{t('ind.source')}</span>
          <input name="fuente" placeholder="INEGI, Censo 2020" />
        </label>
        <label className="field">
          <span>{t('manage.aggregation')}</span>
          <select name="agregacion" defaultValue="suma">
            <option value="suma">{t('manage.sum')}</option>
            <option value="ninguna">{t('manage.none')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('ind.responsible')}</span>
          <select name="departmentId" defaultValue="">
            <option value="">—</option>
            {deps.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary">
          {t('manage.addVariable')}
        </button>
      </form>
    </section>
  );
}

function UploadData({ municipalityId }: { municipalityId: string }) {
  const { t } = useTranslation();
  const fileRef = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<LoadReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = async (dryRun: boolean) => {
    const file = fileRef.current?.files?.[0];
    if (!file) return setError(t('manage.chooseFile'));
    setError(null);
    setReport(null);
    const form = new FormData();
    form.append('dryRun', String(dryRun));
    form.append('file', file);
    setProgress(0);
    try {
      const r = await uploadWithProgress('POST', `/api/v1/municipalities/${municipalityId}/indicators/data`, form, setProgress);
      const body = r.body as unknown as LoadReport & { message?: string; details?: LoadReport };
      if (r.status < 300) setReport(body);
      else {
        setError(body.message ?? String(r.status));
        if (body.details?.errores) setReport(body.details);
      }
    } catch {
      setError(t('common.error'));
    } finally {
      setProgress(null);
    }
  };
  return (
    <section className="card" aria-labelledby="cargar">
      <h2 id="cargar">{t('manage.upload')}</h2>
      <p className="muted">{t('manage.uploadHelp')}</p>
      <div className="row wrap">
        <label className="field">
          <span>{t('manage.file')}</span>
          <input
            ref={fileRef}
            type="file"
            name="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          />
        </label>
        <button type="button" className="btn" onClick={() => void send(true)}>
          {t('manage.validate')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void send(false)}>
          {t('manage.load')}
        </button>
      </div>
      {progress !== null && <progress max={100} value={progress} aria-label={t('manage.progress')} />}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      {report && (
        <div className={report.errores.length ? 'alert alert-error' : 'alert alert-ok'} role="status" data-testid="load-report">
          {report.committed && !report.dryRun
            ? t('manage.loaded', { inserted: report.insertadas, updated: report.actualizadas })
            : t('manage.checked', { rows: report.filas, valid: report.validas, errors: report.errores.length })}
        </div>
      )}
      {report && report.errores.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('manage.row')}</th>
                <th scope="col">{t('manage.column')}</th>
                <th scope="col">{t('manage.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {report.errores.slice(0, 200).map((e) => (
                <tr key={`${e.fila}-${e.columna}`}>
                  <td>{e.fila}</td>
                  <td>{e.columna}</td>
                  <td>{e.problema}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Create or edit a ficha técnica. */
export function IndicatorForm() {
  const { t } = useTranslation();
  const { municipalityId = '', clave } = useParams();
  const navigate = useNavigate();
  const themes = useGet<Themes>(THEMES_URL);
  const deps = useGet<Department[]>(`/api/v1/municipalities/${municipalityId}/departments`);
  const existing = useGet<Ficha>(clave ? `/api/v1/municipalities/${municipalityId}/indicators/${encodeURIComponent(clave)}` : null);
  const [error, setError] = useState<string | null>(null);
  if (clave && !existing.data) return existing.error ? <ErrorBox error={existing.error} /> : <Loading />;
  const f0 = existing.data;
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '').trim();
    const numOrNull = (k: string) => (s(k) === '' ? null : Number(s(k).replace(/,/g, '')));
    const body = {
      nombre: s('nombre'),
      tema: s('tema'),
      formula: s('formula'),
      metodoCalculo: s('metodoCalculo'),
      definicion: s('definicion'),
      unidadMedida: s('unidadMedida'),
      sentido: s('sentido'),
      frecuencia: s('frecuencia'),
      tipo: s('tipo'),
      dimension: s('dimension'),
      odsMeta: s('odsMeta') || null,
      departmentId: s('departmentId') ? Number(s('departmentId')) : null,
      cobertura: f.getAll('cobertura').map(String),
      lineaBaseValor: numOrNull('lineaBaseValor'),
      lineaBaseAnio: numOrNull('lineaBaseAnio'),
      semaforoVerde: Number(s('semaforoVerde')),
      semaforoAmarillo: Number(s('semaforoAmarillo')),
      estado: s('estado'),
    };
    // Metas as "2024=20" lines.
    const metas = s('metas')
      .split(/\n|;/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const m = /^(\d{4})(?:-T([1-4]))?\s*[=:]\s*(-?[\d,.]+)$/.exec(l);
        if (!m) throw new Error(t('manage.badMeta', { line: l }));
        return { anio: Number(m[1]), trimestre: m[2] ? Number(m[2]) : null, valor: Number(m[3].replace(/,/g, '')) };
      });
    try {
      const key = clave ?? s('clave');
      if (clave) await patch(`/api/v1/municipalities/${municipalityId}/indicators/${encodeURIComponent(clave)}`, body);
      else await post(`/api/v1/municipalities/${municipalityId}/indicators`, { clave: key, ...body });
      await api('PUT', `/api/v1/municipalities/${municipalityId}/indicators/${encodeURIComponent(key)}/metas`, metas);
      navigate(`/m/${municipalityId}/indicadores/${encodeURIComponent(key)}`);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const metasText = f0?.metas.map((m) => `${m.anio}${m.trimestre ? `-T${m.trimestre}` : ''}=${m.valor}`).join('\n') ?? '';
  return (
    <Layout>
      <form className="card form" onSubmit={(e) => void onSubmit(e).catch((err) => setError(err.message))} aria-labelledby="t-form">
        <h1 id="t-form">{clave ? `${t('manage.edit')} ${clave}` : t('manage.newIndicator')}</h1>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <div className="grid-form">
          {!clave && (
            <label className="field">
              <span>{t('manage.clave')}</span>
              <input name="clave" required maxLength={40} placeholder="SEG-02" />
            </label>
          )}
          <label className="field wide">
            <span>{t('manage.nombre')}</span>
            <input name="nombre" required minLength={3} defaultValue={f0?.nombre} />
          </label>
          <label className="field">
            <span>{t('manage.theme')}</span>
            <select name="tema" required defaultValue={f0?.tema}>
              {themes.data?.map((th) => (
                <option key={th.code} value={th.code}>
                  {th.name}
                </option>
              ))}
            </select>
          </label>
          <div className="field wide">
            <label htmlFor="formula">{t('ind.formula')}</label>
            <input
              id="formula"
              name="formula"
              required
              defaultValue={f0?.formula}
              placeholder="DELITOS / POB_TOT * 1000"
              aria-describedby="formula-help"
            />
            <small id="formula-help">{t('manage.formulaHelp')}</small>
          </div>
          <label className="field wide">
            <span>{t('ind.method')}</span>
            <input name="metodoCalculo" defaultValue={f0?.metodoCalculo} />
          </label>
          <label className="field wide">
            <span>{t('ind.definition')}</span>
            <textarea name="definicion" rows={3} defaultValue={f0?.definicion} />
          </label>
          <label className="field">
            <span>{t('ind.unit')}</span>
            <input name="unidadMedida" defaultValue={f0?.unidadMedida} />
          </label>
          <label className="field">
            <span>{t('ind.direction')}</span>
            <select name="sentido" defaultValue={f0?.sentido ?? 'ascendente'}>
              <option value="ascendente">{t('ind.sentido.ascendente')}</option>
              <option value="descendente">{t('ind.sentido.descendente')}</option>
            </select>
          </label>
          <label className="field">
            <span>{t('ind.frequency')}</span>
            <select name="frecuencia" defaultValue={f0?.frecuencia ?? 'anual'}>
              {['anual', 'semestral', 'trimestral', 'mensual'].map((x) => (
                <option key={x} value={x}>
                  {t(`ind.kind.${x}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('ind.type')}</span>
            <select name="tipo" defaultValue={f0?.tipo ?? 'estrategico'}>
              <option value="estrategico">{t('ind.kind.estrategico')}</option>
              <option value="gestion">{t('ind.kind.gestion')}</option>
            </select>
          </label>
          <label className="field">
            <span>{t('ind.dimension')}</span>
            <select name="dimension" defaultValue={f0?.dimension ?? 'eficacia'}>
              {['eficacia', 'eficiencia', 'calidad', 'economia'].map((x) => (
                <option key={x} value={x}>
                  {t(`ind.kind.${x}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('ind.ods')}</span>
            <input name="odsMeta" defaultValue={f0?.odsMeta ?? ''} placeholder="11.1" />
          </label>
          <label className="field">
            <span>{t('ind.responsible')}</span>
            <select
              name="departmentId"
              defaultValue={String(f0?.departmentName ? (deps.data?.find((d) => d.name === f0.departmentName)?.id ?? '') : '')}
            >
              <option value="">—</option>
              {deps.data?.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="field">
            <legend>{t('ind.coverage')}</legend>
            {['municipio', 'localidad', 'ageb', 'colonia'].map((c) => (
              <label key={c} className="inline-check">
                <input type="checkbox" name="cobertura" value={c} defaultChecked={(f0?.cobertura ?? ['municipio']).includes(c)} />{' '}
                {t(`levels.${c}`)}
              </label>
            ))}
          </fieldset>
          <label className="field">
            <span>{t('ind.baseline')}</span>
            <input name="lineaBaseValor" inputMode="decimal" defaultValue={f0?.lineaBaseValor ?? ''} />
          </label>
          <label className="field">
            <span>{t('manage.baselineYear')}</span>
            <input name="lineaBaseAnio" inputMode="numeric" defaultValue={f0?.lineaBaseAnio ?? ''} />
          </label>
          <label className="field">
            <span>{t('manage.green')}</span>
            <input name="semaforoVerde" type="number" min={0} step="0.1" defaultValue={f0?.semaforoVerde ?? 5} />
          </label>
          <label className="field">
            <span>{t('manage.yellow')}</span>
            <input name="semaforoAmarillo" type="number" min={0} step="0.1" defaultValue={f0?.semaforoAmarillo ?? 15} />
          </label>
          <label className="field">
            <span>{t('ind.meta')}</span>
            <textarea name="metas" rows={3} defaultValue={metasText} placeholder={'2024=20\n2025=18'} />
          </label>
          <label className="field">
            <span>{t('manage.state')}</span>
            <select name="estado" defaultValue={f0?.estado ?? 'borrador'}>
              <option value="borrador">{t('ind.draft')}</option>
              <option value="publicado">{t('manage.published')}</option>
            </select>
          </label>
        </div>
        <div className="row">
          <button type="submit" className="btn btn-primary">
            {t('admin.save')}
          </button>
          <Link className="btn" to={`/m/${municipalityId}/indicadores/gestion`}>
            {t('admin.cancel')}
          </Link>
        </div>
      </form>
    </Layout>
  );
}
