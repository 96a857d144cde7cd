import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, post } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import type { PlanListItem as PlanSummary } from '../plans/types.ts';
import type { ActionDetail, Contract, FundingSource, ProgramList } from '../../api/programs/index.ts';
import { PickPointMap } from '../../components/PickPointMap/PickPointMap.tsx';
import type { Department } from '../../api/accounts/index.ts';
import type { ActionCreated, ActionUpdated } from '../../api/programs/index.ts';
import type { PlanView } from '../../api/plans/index.ts';

interface BudgetRow {
  fuente: string;
  aprobado: string;
  modificado: string;
  ejercido: string;
}
type Line = Pick<ActionDetail['lineas'][number], 'id' | 'codigo' | 'titulo' | 'planTitulo'>;

const toNum = (s: string) => (s.trim() === '' ? null : Number(s.replace(/,/g, '')));

/** Create or edit a POA action or public work: program, budget by source, alignment, location. */
export function ActionForm() {
  const { t } = useTranslation();
  const { municipalityId, actionId } = useParams();
  const navigate = useNavigate();
  const base = `/api/v1/municipalities/${municipalityId}` as const;
  const existing = useGet<ActionDetail>(actionId ? `${base}/actions/${actionId}` : null);
  const programs = useGet<ProgramList>(`${base}/programs`);
  const sources = useGet<FundingSource[]>(`${base}/funding-sources`);
  const [budget, setBudget] = useState<BudgetRow[]>([{ fuente: 'PROPIOS', aprobado: '', modificado: '', ejercido: '' }]);
  const [lines, setLines] = useState<Line[]>([]);
  const [geometry, setGeometry] = useState('');
  const [lonLat, setLonLat] = useState<[string, string]>(['', '']);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const a = existing.data;
    if (!a) return;
    setBudget(
      a.presupuesto.map((b) => ({
        fuente: b.clave,
        aprobado: String(b.aprobado),
        modificado: b.modificado === null ? '' : String(b.modificado),
        ejercido: String(b.ejercido),
      })),
    );
    setLines(a.lineas);
    if (a.ubicacion?.type === 'Point') setLonLat((a.ubicacion.coordinates as number[]).map(String) as [string, string]);
    else setGeometry(a.ubicacion ? JSON.stringify(a.ubicacion) : '');
  }, [existing.data]);
  // Selects take their initial value when they mount: wait for their options.
  if ((actionId && !existing.data) || !programs.data || !sources.data)
    return <Layout>{existing.error || programs.error ? <ErrorBox error={existing.error ?? programs.error} /> : <Loading />}</Layout>;
  const a = existing.data;

  async function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const f = new FormData(ev.currentTarget);
    let ubicacion: GeoJSON.Geometry | null = null;
    const [lon, lat] = lonLat.map((x) => x.trim());
    try {
      if (geometry.trim()) ubicacion = JSON.parse(geometry);
      else if (lon && lat) ubicacion = { type: 'Point', coordinates: [Number(lon), Number(lat)] };
    } catch {
      return setError(new Error(t('poa.form.badGeometry')));
    }
    const body = {
      programId: Number(f.get('programId')),
      clave: f.get('clave'),
      nombre: f.get('nombre'),
      descripcion: f.get('descripcion'),
      tipo: f.get('tipo'),
      beneficiarios: toNum(String(f.get('beneficiarios') ?? '')),
      beneficiariosDescripcion: f.get('beneficiariosDescripcion'),
      fechaInicio: f.get('fechaInicio') || null,
      fechaFin: f.get('fechaFin') || null,
      publicado: f.get('publicado') === 'on',
      ubicacion,
      presupuesto: budget
        .filter((b) => b.aprobado.trim() !== '')
        .map((b) => ({ fuente: b.fuente, aprobado: toNum(b.aprobado), modificado: toNum(b.modificado), ejercido: toNum(b.ejercido) ?? 0 })),
      alineacion: lines.map((l) => l.id),
    };
    setBusy(true);
    try {
      const r = actionId
        ? await api<ActionUpdated>('PATCH', `${base}/actions/${actionId}`, body)
        : await post<ActionCreated>(`${base}/actions`, body);
      navigate(`/m/${municipalityId}/acciones/${r.id}`);
    } catch (e) {
      setError(e as ApiError);
      setBusy(false);
    }
  }

  const picked: [number, number] | null =
    lonLat[0] && lonLat[1] && Number.isFinite(Number(lonLat[0])) && Number.isFinite(Number(lonLat[1]))
      ? [Number(lonLat[0]), Number(lonLat[1])]
      : null;
  return (
    <Layout>
      <nav className="crumbs">
        <Link to={`/m/${municipalityId}/poa`}>{t('poa.title')}</Link>
      </nav>
      <h1>{actionId ? t('poa.form.editTitle', { clave: a!.clave }) : t('poa.form.newTitle')}</h1>
      <form className="grid-form card" onSubmit={submit} aria-label={t('poa.form.newTitle')}>
        <ErrorBox error={error} />
        <label className="wide">
          {t('poa.program')}
          <select name="programId" required defaultValue={a?.programId ?? ''}>
            <option value="" disabled>
              {t('poa.form.pickProgram')}
            </option>
            {(programs.data?.programas ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.anio} · {p.clave} — {p.nombre} ({p.department})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('poa.form.clave')}
          <input name="clave" required maxLength={40} defaultValue={a?.clave} />
        </label>
        <label className="wide">
          {t('poa.form.nombre')}
          <input name="nombre" required minLength={3} maxLength={300} defaultValue={a?.nombre} />
        </label>
        <label className="wide">
          {t('plans.fields.descripcion')}
          <textarea name="descripcion" rows={3} maxLength={8000} defaultValue={a?.descripcion} />
        </label>
        <label>
          {t('poa.type')}
          <select name="tipo" defaultValue={a?.tipo ?? 'accion'}>
            <option value="accion">{t('poa.action')}</option>
            <option value="obra">{t('poa.obraPublica')}</option>
          </select>
        </label>
        <label>
          {t('poa.form.start')}
          <input name="fechaInicio" type="date" defaultValue={a?.fechaInicio ?? ''} />
        </label>
        <label>
          {t('poa.form.end')}
          <input name="fechaFin" type="date" defaultValue={a?.fechaFin ?? ''} />
        </label>
        <label>
          {t('poa.beneficiaries')}
          <input name="beneficiarios" type="number" min={0} defaultValue={a?.beneficiarios ?? ''} />
        </label>
        <label>
          {t('poa.form.beneficiariesWho')}
          <input name="beneficiariosDescripcion" maxLength={500} defaultValue={a?.beneficiariosDescripcion} />
        </label>

        <fieldset className="wide">
          <legend>{t('poa.money')}</legend>
          <table className="table">
            <thead>
              <tr>
                <th>{t('poa.source')}</th>
                <th>{t('poa.aprobado')}</th>
                <th>{t('poa.modificado')}</th>
                <th>{t('poa.ejercido')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {budget.map((b, i) => {
                const set = (k: keyof BudgetRow, v: string) => setBudget(budget.map((x, j) => (j === i ? { ...x, [k]: v } : x)));
                return (
                  <tr key={i}>
                    <td>
                      <select aria-label={t('poa.source')} value={b.fuente} onChange={(e) => set('fuente', e.target.value)}>
                        {(sources.data ?? [])
                          .filter((s) => s.activo)
                          .map((s) => (
                            <option key={s.id} value={s.clave}>
                              {s.nombre}
                            </option>
                          ))}
                      </select>
                    </td>
                    <td>
                      <input
                        aria-label={t('poa.aprobado')}
                        inputMode="decimal"
                        value={b.aprobado}
                        onChange={(e) => set('aprobado', e.target.value)}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={t('poa.modificado')}
                        inputMode="decimal"
                        value={b.modificado}
                        onChange={(e) => set('modificado', e.target.value)}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={t('poa.ejercido')}
                        inputMode="decimal"
                        value={b.ejercido}
                        onChange={(e) => set('ejercido', e.target.value)}
                      />
                    </td>
                    <td>
                      <button type="button" className="btn btn-small" onClick={() => setBudget(budget.filter((_, j) => j !== i))}>
                        {t('plans.editor.remove')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setBudget([...budget, { fuente: 'PROPIOS', aprobado: '', modificado: '', ejercido: '' }])}
          >
            {t('poa.form.addSource')}
          </button>
        </fieldset>

        <fieldset className="wide">
          <legend>{t('poa.thread')}</legend>
          <ul>
            {lines.map((l) => (
              <li key={l.id}>
                {l.planTitulo} · {l.codigo} {l.titulo}{' '}
                <button type="button" className="btn btn-small" onClick={() => setLines(lines.filter((x) => x.id !== l.id))}>
                  {t('plans.editor.remove')}
                </button>
              </li>
            ))}
          </ul>
          <LinePicker municipalityId={municipalityId!} onPick={(l) => !lines.some((x) => x.id === l.id) && setLines([...lines, l])} />
        </fieldset>

        <fieldset className="wide">
          <legend>{t('poa.place')}</legend>
          <p className="muted small">{t('poa.form.placeHelp')}</p>
          <div className="row wrap filters">
            <label>
              {t('poa.form.lon')}
              <input
                name="lon"
                inputMode="decimal"
                value={lonLat[0]}
                onChange={(e) => setLonLat([e.target.value, lonLat[1]])}
                placeholder="-102.5832"
              />
            </label>
            <label>
              {t('poa.form.lat')}
              <input
                name="lat"
                inputMode="decimal"
                value={lonLat[1]}
                onChange={(e) => setLonLat([lonLat[0], e.target.value])}
                placeholder="22.7709"
              />
            </label>
          </div>
          {!geometry.trim() && (
            <PickPointMap
              municipalityId={municipalityId!}
              value={picked}
              onPick={([x, y]) => setLonLat([String(x), String(y)])}
              ariaLabel={t('poa.form.pickOnMap')}
            />
          )}
          <label>
            {t('poa.form.geojson')}
            <textarea
              rows={3}
              value={geometry}
              onChange={(e) => setGeometry(e.target.value)}
              placeholder='{"type":"LineString","coordinates":[[-102.58,22.77],[-102.57,22.78]]}'
            />
          </label>
        </fieldset>

        <label className="check wide">
          <input type="checkbox" name="publicado" defaultChecked={a?.publicado ?? false} /> {t('poa.form.publish')}
        </label>
        <div className="wide">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('plans.save')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** Pick a plan element of the municipality's plans (or the state's PED) to align to. */
function LinePicker({ municipalityId, onPick }: { municipalityId: string; onPick: (l: Line) => void }) {
  const { t } = useTranslation();
  const plans = useGet<PlanSummary[]>(`/api/v1/municipalities/${municipalityId}/plans`);
  const [plan, setPlan] = useState<PlanSummary | null>(null);
  const tree = useGet<PlanView>(plan ? `/api/v1/municipalities/${municipalityId}/plans/${plan.id}` : null);
  return (
    <div className="row wrap filters">
      <label>
        {t('plans.editor.plan')}
        <select value={plan?.id ?? ''} onChange={(e) => setPlan(plans.data?.find((p) => p.id === Number(e.target.value)) ?? null)}>
          <option value="">—</option>
          {(plans.data ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.titulo}
            </option>
          ))}
        </select>
      </label>
      {tree.data && plan && (
        <label className="grow">
          {t('poa.form.line')}
          <select
            value=""
            onChange={(e) => {
              const el = tree.data!.elements.find((x) => x.id === Number(e.target.value));
              if (el) onPick({ id: el.id, codigo: el.codigo, titulo: el.titulo, planTitulo: plan.titulo });
            }}
          >
            <option value="">{t('plans.editor.pick')}</option>
            {tree.data.elements.map((x) => (
              <option key={x.id} value={x.id}>
                {'\u00a0'.repeat(x.nivel * 3)}
                {x.codigo} {x.titulo.slice(0, 90)}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

/** Contract data of a public work and its amendments (planners). */
export function ContractForm({
  municipalityId,
  actionId,
  contrato,
  onSaved,
}: {
  municipalityId: string;
  actionId: number;
  contrato: Contract | null;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const c: Partial<Contract> = contrato ?? {};
  const base = `/api/v1/municipalities/${municipalityId}/actions/${actionId}/contract` as const;
  return (
    <details className="card">
      <summary>{contrato ? t('poa.form.editContract') : t('poa.form.addContract')}</summary>
      <form
        className="grid-form"
        onSubmit={async (ev: FormEvent<HTMLFormElement>) => {
          ev.preventDefault();
          const f = new FormData(ev.currentTarget);
          const v = (k: string) => (String(f.get(k) ?? '').trim() === '' ? null : String(f.get(k)).trim());
          try {
            await api('PUT', base, {
              procedimiento: f.get('procedimiento'),
              numeroContrato: v('numero') ?? '',
              contratistaNombre: v('contratista') ?? '',
              contratistaRfc: v('rfc'),
              montoContratado: v('monto') === null ? null : Number(v('monto')!.replace(/,/g, '')),
              fechaConvocatoria: v('convocatoria'),
              fechaAdjudicacion: v('adjudicacion'),
              fechaFirma: v('firma'),
              fechaInicio: v('inicio'),
              fechaFin: v('fin'),
            });
            setError(null);
            onSaved();
          } catch (e) {
            setError(e as ApiError);
          }
        }}
      >
        <ErrorBox error={error} />
        <label>
          {t('poa.procedure')}
          <select name="procedimiento" defaultValue={String(c.procedimiento ?? 'licitacion_publica')}>
            <option value="licitacion_publica">Licitación pública</option>
            <option value="invitacion_tres">Invitación a cuando menos tres personas</option>
            <option value="adjudicacion_directa">Adjudicación directa</option>
          </select>
        </label>
        <label>
          {t('poa.contractNumber')}
          <input name="numero" defaultValue={String(c.numeroContrato ?? '')} />
        </label>
        <label className="wide">
          {t('poa.contractor')}
          <input name="contratista" defaultValue={String(c.contratistaNombre ?? '')} />
        </label>
        <label>
          RFC
          <input name="rfc" maxLength={13} defaultValue={String(c.contratistaRfc ?? '')} />
        </label>
        <label>
          {t('poa.amount')}
          <input name="monto" inputMode="decimal" defaultValue={c.montoContratado == null ? '' : String(c.montoContratado)} />
        </label>
        <label>
          {t('poa.form.call')}
          <input name="convocatoria" type="date" defaultValue={String(c.fechaConvocatoria ?? '')} />
        </label>
        <label>
          {t('poa.form.award')}
          <input name="adjudicacion" type="date" defaultValue={String(c.fechaAdjudicacion ?? '')} />
        </label>
        <label>
          {t('poa.signed')}
          <input name="firma" type="date" defaultValue={String(c.fechaFirma ?? '')} />
        </label>
        <label>
          {t('poa.form.start')}
          <input name="inicio" type="date" defaultValue={String(c.fechaInicio ?? '')} />
        </label>
        <label>
          {t('poa.form.end')}
          <input name="fin" type="date" defaultValue={String(c.fechaFin ?? '')} />
        </label>
        <div className="wide">
          <button type="submit" className="btn btn-primary">
            {t('plans.save')}
          </button>
        </div>
      </form>
      {contrato && (
        <form
          className="row wrap filters"
          onSubmit={async (ev: FormEvent<HTMLFormElement>) => {
            ev.preventDefault();
            const f = new FormData(ev.currentTarget);
            try {
              await post(`${base}/amendments`, {
                fecha: f.get('fecha'),
                descripcion: f.get('descripcion'),
                montoNuevo: f.get('monto') ? Number(f.get('monto')) : null,
                fechaFinNueva: f.get('finNueva') || null,
              });
              setError(null);
              onSaved();
            } catch (e) {
              setError(e as ApiError);
            }
          }}
        >
          <label>
            {t('poa.form.amendmentDate')}
            <input name="fecha" type="date" required />
          </label>
          <label className="grow">
            {t('plans.fields.descripcion')}
            <input name="descripcion" required minLength={3} />
          </label>
          <label>
            {t('poa.form.newAmount')}
            <input name="monto" inputMode="decimal" />
          </label>
          <label>
            {t('poa.newEnd')}
            <input name="finNueva" type="date" />
          </label>
          <button type="submit" className="btn btn-small">
            {t('poa.form.addAmendment')}
          </button>
        </form>
      )}
    </details>
  );
}

/** A new program of the POA (planners). */
export function NewProgram({ municipalityId, onSaved }: { municipalityId: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const deps = useGet<Department[]>(`/api/v1/municipalities/${municipalityId}/departments`);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <details className="card">
      <summary>{t('poa.form.newProgram')}</summary>
      <form
        className="grid-form"
        onSubmit={async (ev: FormEvent<HTMLFormElement>) => {
          ev.preventDefault();
          const form = ev.currentTarget;
          const f = new FormData(form);
          try {
            await post(`/api/v1/municipalities/${municipalityId}/programs`, {
              anio: Number(f.get('anio')),
              departmentId: Number(f.get('dep')),
              clave: f.get('clave'),
              nombre: f.get('nombre'),
              descripcion: f.get('descripcion'),
            });
            form.reset();
            setError(null);
            onSaved();
          } catch (e) {
            setError(e as ApiError);
          }
        }}
      >
        <ErrorBox error={error} />
        <label>
          {t('poa.year')}
          <input name="anio" type="number" min={2000} max={2200} required defaultValue={new Date().getFullYear() + 1} />
        </label>
        <label>
          {t('poa.department')}
          <select name="dep" required>
            {(deps.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('poa.form.clave')}
          <input name="clave" required maxLength={40} />
        </label>
        <label className="wide">
          {t('poa.form.nombre')}
          <input name="nombre" required minLength={3} maxLength={300} />
        </label>
        <label className="wide">
          {t('plans.fields.descripcion')}
          <input name="descripcion" maxLength={4000} />
        </label>
        <div className="wide">
          <button type="submit" className="btn btn-primary">
            {t('poa.form.createProgram')}
          </button>
        </div>
      </form>
    </details>
  );
}

/** The funding sources catalogue: the shared one plus the municipality's own (planners add them). */
export function FundingSources({ municipalityId }: { municipalityId: string }) {
  const { t } = useTranslation();
  const list = useGet<FundingSource[]>(`/api/v1/municipalities/${municipalityId}/funding-sources`);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <details className="card">
      <summary>{t('poa.form.sources')}</summary>
      <ul>
        {(list.data ?? []).map((s) => (
          <li key={s.id}>
            <strong>{s.clave}</strong> — {s.nombre}{' '}
            <span className="muted small">
              ({t(`poa.form.orden.${s.ordenGobierno}`)}
              {s.municipalityId ? `, ${t('poa.form.own')}` : ''}
              {s.activo ? '' : `, ${t('poa.form.inactive')}`})
            </span>
          </li>
        ))}
      </ul>
      <form
        className="row wrap filters"
        onSubmit={async (ev: FormEvent<HTMLFormElement>) => {
          ev.preventDefault();
          const form = ev.currentTarget;
          const f = new FormData(form);
          try {
            await post(`/api/v1/municipalities/${municipalityId}/funding-sources`, {
              clave: String(f.get('clave')).toUpperCase(),
              nombre: f.get('nombre'),
              ordenGobierno: f.get('orden'),
            });
            form.reset();
            setError(null);
            list.reload();
          } catch (e) {
            setError(e as ApiError);
          }
        }}
      >
        <label>
          {t('poa.form.clave')}
          <input name="clave" required pattern="[A-Za-z0-9][A-Za-z0-9_\-]{0,39}" placeholder="BANOBRAS" />
        </label>
        <label className="grow">
          {t('poa.form.nombre')}
          <input name="nombre" required minLength={3} />
        </label>
        <label>
          {t('poa.form.ordenLabel')}
          <select name="orden">
            {['federal', 'estatal', 'municipal', 'otro'].map((o) => (
              <option key={o} value={o}>
                {t(`poa.form.orden.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-small">
          {t('poa.form.addSourceCatalog')}
        </button>
        <ErrorBox error={error} />
      </form>
    </details>
  );
}
