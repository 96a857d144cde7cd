import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, post, patch } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { OptionSelect } from '../../components/OptionSelect.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { Progress } from '../../components/Progress/Progress.tsx';
import { postWithProof } from './pow.ts';
import type { Evaluators, MyBallots, PhaseSet, Process, Processes } from '../../api/participation/index.ts';
import type { UnitPage } from '../../api/territory/index.ts';

const FASES: readonly Process['fase'][] = [
  'borrador',
  'propuestas',
  'revision',
  'costos',
  'votacion',
  'resultados',
  'ejecucion',
  'cerrado',
];

export function BudgetList() {
  const { t } = useTranslation();
  const { municipalityId: mid = '' } = useParams();
  const list = useGet<Processes>(`/api/v1/municipalities/${mid}/budgets`);
  const { can } = useSession();
  return (
    <Layout>
      <section className="card">
        <p className="eyebrow">{t('part.eyebrow')}</p>
        <h1>{t('part.budgets.title')}</h1>
        <p className="muted">{t('part.budgets.intro')}</p>
      </section>
      {can(['planner'], mid) && <NewProcess mid={mid} onDone={list.reload} />}
      {list.loading && <Loading />}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data?.length === 0 && <section className="card">{t('part.budgets.empty')}</section>}
      {list.data?.map((p) => (
        <section key={p.id} className="card">
          <h2>
            <Link to={`/m/${mid}/presupuesto-participativo/${p.id}`}>{p.titulo}</Link>
          </h2>
          <p className="muted">
            <span className={`badge fase-${p.fase}`}>{t(`part.fases.${p.fase}`)}</span> · {fmt.money(p.montoTotal)} ·{' '}
            {t('part.budgets.projects', { count: p.proyectos })}
            {p.isDemo && ` · ${t('part.demo')}`}
          </p>
          <p>{p.descripcion}</p>
        </section>
      ))}
    </Layout>
  );
}

/** Planners: a new yearly process with its territories and amounts (starts as a draft). */
function NewProcess({ mid, onDone }: { mid: string; onDone: () => void }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const units = useGet<UnitPage>(`/api/v1/municipalities/${mid}/units?level=colonia&limit=500`);
  const [open, setOpen] = useState(false);
  const [anio, setAnio] = useState(String(new Date().getFullYear() + 1));
  const [titulo, setTitulo] = useState('');
  const [descripcion, setDescripcion] = useState('');
  const [estilo, setEstilo] = useState<'mochila' | 'aprobacion'>('mochila');
  const [maxVotos, setMaxVotos] = useState('3');
  const [rows, setRows] = useState<{ nombre: string; unitId: string; monto: string }[]>([
    { nombre: t('part.budgets.wholeMunicipality'), unitId: '', monto: '' },
  ]);
  const [fechas, setFechas] = useState<Record<string, { inicio?: string; fin?: string }>>({});
  const setFecha = (fase: string, k: 'inicio' | 'fin', v: string) =>
    setFechas({ ...fechas, [fase]: { ...fechas[fase], [k]: v || undefined } });
  const [error, setError] = useState<Error | null>(null);
  if (!open) {
    return (
      <p>
        <button type="button" className="btn btn-primary" onClick={() => setOpen(true)}>
          {t('part.budgets.newProcess')}
        </button>
      </p>
    );
  }
  const setRow = (i: number, k: 'nombre' | 'unitId' | 'monto', v: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  return (
    <section className="card">
      <h2>{t('part.budgets.newProcess')}</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          post<PhaseSet>(`/api/v1/municipalities/${mid}/budgets`, {
            anio: Number(anio),
            titulo,
            descripcion,
            estilo,
            maxVotos: estilo === 'aprobacion' ? Number(maxVotos) : null,
            fechas: Object.fromEntries(Object.entries(fechas).filter(([, f]) => f.inicio || f.fin)),
            territorios: rows.map((r) => ({ nombre: r.nombre, unitId: r.unitId ? Number(r.unitId) : null, monto: Number(r.monto) })),
          }).then((p) => (onDone(), nav(`/m/${mid}/presupuesto-participativo/${p.id}`)), setError);
        }}
      >
        <div className="row wrap filters">
          <label className="field">
            <span>{t('part.budgets.year')}</span>
            <input type="number" required min={2000} max={2200} value={anio} onChange={(e) => setAnio(e.target.value)} />
          </label>
          <label className="field grow">
            <span>{t('part.proposals.titleField')}</span>
            <input required minLength={3} value={titulo} onChange={(e) => setTitulo(e.target.value)} />
          </label>
          <OptionSelect
            label={t('part.budgets.style')}
            value={estilo}
            onChange={(v) => setEstilo(v as 'mochila' | 'aprobacion')}
            options={[
              { value: 'mochila', label: t('part.budgets.styleKnapsack') },
              { value: 'aprobacion', label: t('part.budgets.styleApproval') },
            ]}
          />
          {estilo === 'aprobacion' && (
            <label className="field">
              <span>{t('part.budgets.maxVotes')}</span>
              <input type="number" min={1} max={100} value={maxVotos} onChange={(e) => setMaxVotos(e.target.value)} />
            </label>
          )}
        </div>
        <label className="field">
          <span>{t('part.proposals.body')}</span>
          <textarea rows={3} value={descripcion} onChange={(e) => setDescripcion(e.target.value)} />
        </label>
        <fieldset className="field">
          <legend>{t('part.budgets.phases')}</legend>
          {FASES.filter((f) => !['borrador', 'cerrado'].includes(f)).map((f) => (
            <div key={f} className="row wrap filters">
              <span className="grow">{t(`part.fases.${f}`)}</span>
              <label className="field">
                <span>{t('part.budgets.from')}</span>
                <input type="date" value={fechas[f]?.inicio ?? ''} onChange={(e) => setFecha(f, 'inicio', e.target.value)} />
              </label>
              <label className="field">
                <span>{t('part.budgets.to')}</span>
                <input type="date" value={fechas[f]?.fin ?? ''} onChange={(e) => setFecha(f, 'fin', e.target.value)} />
              </label>
            </div>
          ))}
        </fieldset>
        <fieldset className="field">
          <legend>{t('part.budgets.territories')}</legend>
          {rows.map((r, i) => (
            <div key={i} className="row wrap filters">
              <label className="field grow">
                <span>{t('part.budgets.territoryName')}</span>
                <input required value={r.nombre} onChange={(e) => setRow(i, 'nombre', e.target.value)} />
              </label>
              <OptionSelect
                label={t('part.budgets.territoryUnit')}
                value={r.unitId}
                onChange={(v) => setRow(i, 'unitId', v)}
                empty={t('part.budgets.wholeMunicipality')}
                options={(units.data?.items ?? []).map((u) => ({ value: String(u.id), label: u.name }))}
              />
              <label className="field">
                <span>{t('part.budgets.amount')}</span>
                <input type="number" required min={1} step="0.01" value={r.monto} onChange={(e) => setRow(i, 'monto', e.target.value)} />
              </label>
              {rows.length > 1 && (
                <button type="button" className="btn btn-small" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                  {t('part.remove')}
                </button>
              )}
            </div>
          ))}
          <button type="button" className="btn btn-small" onClick={() => setRows([...rows, { nombre: '', unitId: '', monto: '' }])}>
            {t('part.budgets.addTerritory')}
          </button>
        </fieldset>
        <ErrorBox error={error} />
        <button className="btn btn-primary" type="submit">
          {t('part.budgets.create')}
        </button>
      </form>
    </section>
  );
}

/** Residents (and planners) propose a project for a territory while the proposals phase is open. */
function NewProject({
  base,
  territories,
  onDone,
}: {
  base: `/api/v1/municipalities/${string}/budgets/${string}`;
  territories: Territory[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [territoryId, setTerritoryId] = useState(String(territories[0]?.id ?? ''));
  const [titulo, setTitulo] = useState('');
  const [descripcion, setDescripcion] = useState('');
  const [busy, setBusy] = useState(false);
  const [ok, setOk] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  return (
    <section className="card">
      <h2>{t('part.budgets.proposeProject')}</h2>
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          setOk(false);
          try {
            await postWithProof(`${base}/projects`, { territoryId: Number(territoryId), titulo, descripcion });
            setTitulo('');
            setDescripcion('');
            setOk(true);
            onDone();
          } catch (err) {
            setError(err as Error);
          } finally {
            setBusy(false);
          }
        }}
      >
        <OptionSelect
          label={t('part.budgets.territory')}
          value={territoryId}
          onChange={setTerritoryId}
          options={territories.map((x) => ({ value: String(x.id), label: x.nombre }))}
        />
        <label className="field">
          <span>{t('part.proposals.titleField')}</span>
          <input required minLength={8} maxLength={200} value={titulo} onChange={(e) => setTitulo(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('part.proposals.body')}</span>
          <textarea required minLength={20} rows={3} value={descripcion} onChange={(e) => setDescripcion(e.target.value)} />
        </label>
        <ErrorBox error={error} />
        {ok && (
          <p className="alert alert-ok" role="status">
            {t('part.budgets.projectSent')}
          </p>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? t('part.proving') : t('part.budgets.sendProject')}
        </button>
      </form>
    </section>
  );
}

type ProcessView = Process;
type Territory = Process['territorios'][number];
type Project = Process['proyectos'][number];

export function BudgetPage() {
  const { t } = useTranslation();
  const { municipalityId: mid = '', processId } = useParams();
  const base = `/api/v1/municipalities/${mid}/budgets/${processId}` as const;
  const p = useGet<ProcessView>(base);
  const { me } = useSession();
  const mine = useGet<MyBallots>(me && p.data?.fase === 'votacion' ? `${base}/ballots/mine` : null);
  const [error, setError] = useState<Error | null>(null);
  if (p.loading && !p.data)
    return (
      <Layout>
        <Loading />
      </Layout>
    );
  if (!p.data)
    return (
      <Layout>
        <ErrorBox error={p.error} onRetry={p.reload} />
      </Layout>
    );
  const d = p.data;
  const next = FASES[FASES.indexOf(d.fase) + 1];
  return (
    <Layout>
      <section className="card">
        <p className="crumbs">
          <Link to={`/m/${mid}/presupuesto-participativo`}>{t('part.budgets.title')}</Link>
        </p>
        <h1>{d.titulo}</h1>
        <p>{d.descripcion}</p>
        <ol className="lifecycle" aria-label={t('part.budgets.phases')}>
          {FASES.filter((f) => f !== 'borrador').map((f) => (
            <li
              key={f}
              className={f === d.fase ? 'current' : FASES.indexOf(f) < FASES.indexOf(d.fase) ? 'done' : ''}
              aria-current={f === d.fase ? 'step' : undefined}
            >
              <strong>{t(`part.fases.${f}`)}</strong>
              {d.fechas[f] && (
                <span className="small muted">
                  {' '}
                  {fmt.date(d.fechas[f].inicio)} – {fmt.date(d.fechas[f].fin)}
                </span>
              )}
            </li>
          ))}
        </ol>
        <p className="small muted">{d.estilo === 'mochila' ? t('part.budgets.knapsack') : t('part.budgets.approval', { n: d.maxVotos })}</p>
        {d.editable && next && (
          <button
            type="button"
            className="btn"
            onClick={async () => {
              setError(null);
              if (!window.confirm(t('part.budgets.confirmPhase', { fase: t(`part.fases.${next}`) }))) return;
              await post(`${base}/phase`, { fase: next }).then(p.reload, setError);
            }}
          >
            {t('part.budgets.advance', { fase: t(`part.fases.${next}`) })}
          </button>
        )}
        <ErrorBox error={error} />
      </section>
      {me && (d.fase === 'propuestas' || (d.editable && ['borrador', 'revision'].includes(d.fase))) && (
        <NewProject base={base} territories={d.territorios} onDone={p.reload} />
      )}
      {d.territorios.map((tr) => (
        <TerritoryBlock
          key={tr.id}
          mid={mid}
          base={base}
          process={d}
          territory={tr}
          ballot={mine.data?.find((b) => b.territoryId === tr.id)?.proyectos ?? null}
          canVote={!!me && d.fase === 'votacion'}
          onChange={() => (p.reload(), mine.reload())}
        />
      ))}
      {['resultados', 'ejecucion', 'cerrado'].includes(d.fase) && (
        <section className="card">
          <h2>{t('part.budgets.openData')}</h2>
          <p className="small">{d.reglaEmpate}</p>
          <p className="downloads">
            <a href={`${base}/results?formato=csv`}>{t('part.budgets.resultsCsv')}</a> ·{' '}
            <a href={`${base}/ballots?formato=csv`}>{t('part.budgets.ballotsCsv')}</a>
          </p>
          <p className="small muted">{t('part.budgets.secrecy')}</p>
        </section>
      )}
    </Layout>
  );
}

function TerritoryBlock({
  mid,
  base,
  process,
  territory,
  ballot,
  canVote,
  onChange,
}: {
  mid: string;
  base: `/api/v1/municipalities/${string}/budgets/${string}`;
  process: ProcessView;
  territory: Territory;
  ballot: number[] | null;
  canVote: boolean;
  onChange: () => void;
}) {
  const { t } = useTranslation();
  const projects = process.proyectos.filter((x) => x.territoryId === territory.id);
  const results = process.resultados.filter((r) => r.territoryId === territory.id);
  const [chosen, setChosen] = useState<number[]>(ballot ?? []);
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setChosen(ballot ?? []), [ballot]);
  const total = useMemo(
    () => projects.filter((x) => chosen.includes(x.id)).reduce((s, x) => s + Number(x.costo ?? 0), 0),
    [chosen, projects],
  );
  const monto = Number(territory.monto);
  const over = process.estilo === 'mochila' ? total > monto : chosen.length > (process.maxVotos ?? 0);
  const ordered = results.length
    ? [...projects].sort(
        (a, b) =>
          (results.find((r) => r.projectId === a.id)?.posicion ?? 999) - (results.find((r) => r.projectId === b.id)?.posicion ?? 999),
      )
    : projects;
  return (
    <section className="card" aria-labelledby={`terr-${territory.id}`}>
      <h2 id={`terr-${territory.id}`}>
        {territory.nombre} <span className="muted">· {fmt.money(monto)}</span>
      </h2>
      <p className="small muted">{t('part.budgets.voters', { count: territory.votantes })}</p>
      {canVote && (
        <div className="ballot-bar" role="status" aria-live="polite">
          {process.estilo === 'mochila' ? (
            <>
              <span className="track">
                <span className={over ? 'bar over' : 'bar'} style={{ width: `${Math.min(100, (total / monto) * 100)}%` }} />
              </span>
              <span>
                {t('part.budgets.used', { total: fmt.money(total), monto: fmt.money(monto) })}{' '}
                {over && <strong className="badge badge-red">{t('part.budgets.over')}</strong>}
              </span>
            </>
          ) : (
            <span>{t('part.budgets.chosen', { n: chosen.length, max: process.maxVotos })}</span>
          )}
        </div>
      )}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              {canVote && <th scope="col">{t('part.budgets.vote')}</th>}
              <th scope="col">{t('part.budgets.project')}</th>
              <th scope="col" className="num">
                {t('part.budgets.cost')}
              </th>
              {results.length > 0 && (
                <th scope="col" className="num">
                  {t('part.budgets.votes')}
                </th>
              )}
              {results.length > 0 && <th scope="col">{t('part.budgets.result')}</th>}
              {process.proyectos.some((x) => x.actionId) && <th scope="col">{t('part.physical')}</th>}
            </tr>
          </thead>
          <tbody>
            {ordered.map((x) => {
              const r = results.find((y) => y.projectId === x.id);
              const votable = x.viable === true && x.costo !== null;
              return (
                <tr key={x.id}>
                  {canVote && (
                    <td>
                      {votable && (
                        <input
                          type="checkbox"
                          aria-label={t('part.budgets.choose', { titulo: x.titulo })}
                          checked={chosen.includes(x.id)}
                          onChange={(e) => (
                            setSaved(false), setChosen(e.target.checked ? [...chosen, x.id] : chosen.filter((c) => c !== x.id))
                          )}
                        />
                      )}
                    </td>
                  )}
                  <td>
                    <strong>{x.titulo}</strong>
                    <br />
                    <span className="small muted">{x.descripcion}</span>
                    {x.viable === false && <p className="small">{t('part.budgets.notViable', { dictamen: x.dictamen })}</p>}
                    {x.revisable && ['propuestas', 'revision'].includes(process.fase) && (
                      <ReviewForm mid={mid} base={base} project={x} planner={process.editable} onDone={onChange} />
                    )}
                  </td>
                  <td className="num nowrap">{fmt.money(x.costo === null ? null : Number(x.costo))}</td>
                  {results.length > 0 && <td className="num">{r ? fmt.int(r.votos) : '—'}</td>}
                  {results.length > 0 && (
                    <td>
                      {r?.seleccionado ? (
                        <span className="badge">{t('part.budgets.winner')}</span>
                      ) : (
                        <span className="small muted">{r?.motivo}</span>
                      )}
                    </td>
                  )}
                  {process.proyectos.some((y) => y.actionId) && (
                    <td>
                      {x.actionId ? (
                        <Link to={`/m/${mid}/acciones/${x.actionId}`}>
                          <Progress value={x.avanceFisico} />
                        </Link>
                      ) : process.editable && x.seleccionado ? (
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => post(`${base}/projects/${x.id}/action`, {}).then(onChange, setError)}
                        >
                          {t('part.budgets.toPoa')}
                        </button>
                      ) : null}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {canVote && (
        <div className="toolbar">
          <button
            type="button"
            className="btn btn-primary"
            disabled={chosen.length === 0 || over}
            onClick={async () => {
              setError(null);
              await api('PUT', `${base}/ballots/${territory.id}`, { proyectos: chosen }).then(() => (setSaved(true), onChange()), setError);
            }}
          >
            {ballot ? t('part.budgets.changeBallot') : t('part.budgets.castBallot')}
          </button>
          {ballot && (
            <button type="button" className="btn" onClick={() => api('DELETE', `${base}/ballots/${territory.id}`).then(onChange, setError)}>
              {t('part.budgets.withdraw')}
            </button>
          )}
          {saved && (
            <span className="alert alert-ok" role="status">
              {t('part.budgets.ballotSaved')}
            </span>
          )}
        </div>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

function ReviewForm({
  mid,
  base,
  project,
  planner,
  onDone,
}: {
  mid: string;
  base: `/api/v1/municipalities/${string}/budgets/${string}`;
  project: Project;
  planner: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const staff = useGet<Evaluators>(planner ? `/api/v1/municipalities/${mid}/budget-evaluators` : null);
  const [evaluadores, setEvaluadores] = useState<string[]>((project.evaluadores ?? []).map(String));
  const [costo, setCosto] = useState(project.costo === null ? '' : String(project.costo));
  const [viable, setViable] = useState(project.viable === null ? '' : String(project.viable));
  const [dictamen, setDictamen] = useState(project.dictamen);
  const [error, setError] = useState<Error | null>(null);
  return (
    <form
      className="row wrap filters small"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        patch(`${base}/projects/${project.id}`, {
          costo: costo ? Number(costo) : null,
          viable: viable === '' ? null : viable === 'true',
          dictamen,
          ...(planner && { evaluadores: evaluadores.map(Number) }),
        }).then(onDone, setError);
      }}
    >
      <label className="field">
        <span>{t('part.budgets.cost')}</span>
        <input type="number" min={1} step="0.01" value={costo} onChange={(e) => setCosto(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('part.budgets.feasibility')}</span>
        <select value={viable} onChange={(e) => setViable(e.target.value)}>
          <option value="">{t('part.budgets.pending')}</option>
          <option value="true">{t('part.budgets.viable')}</option>
          <option value="false">{t('part.budgets.notViableShort')}</option>
        </select>
      </label>
      <label className="field grow">
        <span>{t('part.budgets.dictamen')}</span>
        <input value={dictamen} onChange={(e) => setDictamen(e.target.value)} />
      </label>
      {planner && (
        <label className="field">
          <span>{t('part.budgets.evaluators')}</span>
          <select multiple size={3} value={evaluadores} onChange={(e) => setEvaluadores([...e.target.selectedOptions].map((o) => o.value))}>
            {staff.data?.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
                {u.acronym ? ` (${u.acronym})` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      <button className="btn btn-small" type="submit">
        {t('part.saved_action')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}
