import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, del, patch, post } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { ErrorBox } from '../../components/Status.tsx';
import type { AlignLink, PlanListItem as PlanSummary, TreeMeta as Meta } from './types.ts';
import type { Department } from '../../api/accounts/index.ts';
import type { IndicatorSummary } from '../../api/indicators/index.ts';
import type { PlanView } from '../../api/plans/index.ts';

interface Props {
  municipalityId: string;
  planId: number;
  elementId: number;
  metas: Meta[];
  ods: string[];
  alineadoA: AlignLink[];
  responsables: number[];
  onSaved: () => void;
}

/** "2025=91; 2026=92.5" ⇄ [{anio, valor}], as planners type yearly targets. */
export function parseValores(text: string): { anio: number; valor: number }[] | string {
  const out: { anio: number; valor: number }[] = [];
  for (const part of text
    .split(/[;\n]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d{4})\s*[=:]\s*(-?[\d,]*\.?\d+)$/.exec(part);
    if (!m) return part;
    out.push({ anio: Number(m[1]), valor: Number(m[2].replace(/,/g, '')) });
  }
  return out;
}

/** The planner's tools on an element of an editable plan: metas, alignment, ODS and responsible units. */
export function ElementEditor({ municipalityId, planId, elementId, metas, ods, alineadoA, responsables, onSaved }: Props) {
  const { t } = useTranslation();
  const base = `/api/v1/municipalities/${municipalityId}/plans/${planId}` as const;
  const indicators = useGet<IndicatorSummary[]>(`/api/v1/municipalities/${municipalityId}/indicators?limit=500`);
  const departments = useGet<Department[]>(`/api/v1/municipalities/${municipalityId}/departments`);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>, msg: string) => {
    setError(null);
    setOk(null);
    try {
      await fn();
      setOk(msg);
      onSaved();
    } catch (e) {
      setError(e as ApiError);
    }
  };

  async function addMeta(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const form = ev.currentTarget;
    const f = new FormData(form);
    const valores = parseValores(String(f.get('valores') ?? ''));
    if (typeof valores === 'string') return setError(new Error(t('plans.editor.badValores', { part: valores })));
    await run(
      () =>
        post(`${base}/elements/${elementId}/metas`, {
          descripcion: f.get('descripcion'),
          indicatorId: f.get('indicador') ? Number(f.get('indicador')) : null,
          lineaBase: f.get('base') ? Number(f.get('base')) : null,
          valores,
        }),
      t('plans.editor.metaSaved'),
    );
    form.reset();
  }

  return (
    <section className="card editor" aria-labelledby="editor">
      <h2 id="editor">{t('plans.editor.title')}</h2>
      <ErrorBox error={error} />
      {ok && (
        <p className="alert alert-ok" role="status">
          {ok}
        </p>
      )}

      <h3>{t('plans.metas')}</h3>
      <ul>
        {metas.map((m) => (
          <li key={m.id}>
            {m.descripcion} {m.indicatorClave && <span className="muted">({m.indicatorClave})</span>}{' '}
            <button
              type="button"
              className="btn btn-small btn-danger"
              onClick={() => void run(() => del(`${base}/metas/${m.id}`), t('plans.editor.metaDeleted'))}
            >
              {t('plans.delete')}
            </button>
          </li>
        ))}
      </ul>
      <form className="row wrap filters" onSubmit={addMeta}>
        <label className="grow">
          {t('plans.meta')}
          <input name="descripcion" required minLength={3} maxLength={1000} />
        </label>
        <label>
          {t('plans.indicator')}
          <select name="indicador" defaultValue="">
            <option value="">{t('plans.editor.noIndicator')}</option>
            {(indicators.data ?? []).map((i) => (
              <option key={i.id} value={i.id}>
                {i.clave} — {i.nombre}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('plans.baseline')}
          <input name="base" type="number" step="any" size={8} />
        </label>
        <label>
          {t('plans.editor.valores')}
          <input name="valores" placeholder="2025=91; 2026=92.5" />
        </label>
        <button type="submit" className="btn btn-small btn-primary">
          {t('plans.editor.addMeta')}
        </button>
      </form>

      <Alignment
        base={base}
        municipalityId={municipalityId}
        planId={planId}
        elementId={elementId}
        current={alineadoA}
        ods={ods}
        run={run}
      />

      <h3>{t('plans.responsables')}</h3>
      <form
        className="row wrap"
        onSubmit={(ev: FormEvent<HTMLFormElement>) => {
          ev.preventDefault();
          const ids = new FormData(ev.currentTarget).getAll('dep').map(Number);
          void run(() => patch(`${base}/elements/${elementId}`, { responsables: ids }), t('plans.editor.saved'));
        }}
      >
        {(departments.data ?? []).map((d) => (
          <label key={d.id} className="check">
            <input type="checkbox" name="dep" value={d.id} defaultChecked={responsables.includes(d.id)} /> {d.name}
          </label>
        ))}
        <button type="submit" className="btn btn-small">
          {t('plans.save')}
        </button>
      </form>
    </section>
  );
}

function Alignment({
  base,
  municipalityId,
  planId,
  elementId,
  current,
  ods,
  run,
}: {
  base: string;
  municipalityId: string;
  planId: number;
  elementId: number;
  current: AlignLink[];
  ods: string[];
  run: (fn: () => Promise<unknown>, msg: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const stateTenant = `${municipalityId.slice(0, 2)}000`;
  const own = useGet<PlanSummary[]>(`/api/v1/municipalities/${municipalityId}/plans`);
  const higher = useGet<PlanSummary[]>(municipalityId !== stateTenant ? `/api/v1/municipalities/${stateTenant}/plans` : null);
  const candidates = [
    ...(own.data ?? []).filter((p) => p.id !== planId),
    ...(higher.data ?? []).filter((p) => ['ped', 'pnd'].includes(p.tipo)),
  ];
  const [target, setTarget] = useState<PlanSummary | null>(null);
  const tree = useGet<PlanView>(target ? `/api/v1/municipalities/${target.municipalityId}/plans/${target.id}` : null);
  const [chosen, setChosen] = useState<AlignLink[]>(current);
  const [odsText, setOdsText] = useState(ods.join(', '));
  const save = () => {
    const list = odsText
      .split(/[,\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    return run(
      () => api('PUT', `${base}/elements/${elementId}/alignments`, { elementos: chosen.map((c) => c.id), ods: list }),
      t('plans.editor.saved'),
    );
  };
  return (
    <>
      <h3>{t('plans.servesTo')}</h3>
      <ul>
        {chosen.map((c) => (
          <li key={c.id}>
            {c.planTitulo} · {c.codigo} {c.titulo}{' '}
            <button type="button" className="btn btn-small" onClick={() => setChosen(chosen.filter((x) => x.id !== c.id))}>
              {t('plans.editor.remove')}
            </button>
          </li>
        ))}
      </ul>
      <div className="row wrap filters">
        <label>
          {t('plans.editor.plan')}
          <select value={target?.id ?? ''} onChange={(e) => setTarget(candidates.find((p) => p.id === Number(e.target.value)) ?? null)}>
            <option value="">—</option>
            {candidates.map((p) => (
              <option key={p.id} value={p.id}>
                {p.titulo}
              </option>
            ))}
          </select>
        </label>
        {tree.data && (
          <label className="grow">
            {t('plans.editor.element')}
            <select
              value=""
              onChange={(e) => {
                const el = tree.data!.elements.find((x) => x.id === Number(e.target.value));
                if (el && target && !chosen.some((c) => c.id === el.id))
                  setChosen([
                    ...chosen,
                    {
                      id: el.id,
                      codigo: el.codigo,
                      titulo: el.titulo,
                      planId: target.id,
                      planTitulo: target.titulo,
                      planTipo: target.tipo,
                      planEstado: target.estado,
                      municipalityId: target.municipalityId,
                    },
                  ]);
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
      <div className="row wrap filters">
        <label className="grow">
          {t('plans.editor.ods')}
          <input value={odsText} onChange={(e) => setOdsText(e.target.value)} placeholder="11.1, 16.7" />
        </label>
        <button type="button" className="btn btn-small btn-primary" onClick={() => void save()}>
          {t('plans.editor.saveAlignment')}
        </button>
      </div>
    </>
  );
}
