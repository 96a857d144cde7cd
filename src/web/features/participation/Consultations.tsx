import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { Layout } from '../../components/Layout.tsx';
import { OptionSelect } from '../../components/OptionSelect.tsx';
import { ErrorBox, Loading } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import type { Consultation, ConsultationResults, ConsultationState, Consultations } from '../../api/participation/index.ts';
import type { PlanListItem } from '../../api/plans/index.ts';

export function ConsultationList() {
  const { t } = useTranslation();
  const { municipalityId: mid = '' } = useParams();
  const list = useGet<Consultations>(`/api/v1/municipalities/${mid}/consultations`);
  const { can } = useSession();
  return (
    <Layout>
      <section className="card">
        <p className="eyebrow">{t('part.eyebrow')}</p>
        <h1>{t('part.consultations.title')}</h1>
        <p className="muted">{t('part.consultations.intro')}</p>
      </section>
      {can(['planner'], mid) && <NewConsultation mid={mid} />}
      {list.loading && <Loading />}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data?.length === 0 && <section className="card">{t('part.consultations.empty')}</section>}
      {list.data?.map((c) => (
        <section key={c.id} className="card">
          <h2>
            <Link to={`/m/${mid}/consultas/${c.id}`}>{c.titulo}</Link>
          </h2>
          <p className="muted">
            <span className="badge">{t(`part.consultations.${c.estado}`)}</span> ·{' '}
            {t('part.consultations.responses', { count: c.respuestas })}
            {c.fin && ` · ${t('part.consultations.until', { fecha: fmt.date(c.fin) })}`}
            {c.isDemo && ` · ${t('part.demo')}`}
          </p>
          <p>{c.descripcion}</p>
        </section>
      ))}
    </Layout>
  );
}

type Draft = { tipo: 'unica' | 'multiple' | 'abierta'; texto: string; opciones: string };

/** Planners: a consultation (optionally on a plan) with its questions; it starts as a draft. */
function NewConsultation({ mid }: { mid: string }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const plans = useGet<PlanListItem[]>(`/api/v1/municipalities/${mid}/plans`);
  const [open, setOpen] = useState(false);
  const [titulo, setTitulo] = useState('');
  const [descripcion, setDescripcion] = useState('');
  const [planId, setPlanId] = useState('');
  const [fin, setFin] = useState('');
  const [soloResidentes, setSoloResidentes] = useState(false);
  const [qs, setQs] = useState<Draft[]>([{ tipo: 'unica', texto: '', opciones: '' }]);
  const [error, setError] = useState<Error | null>(null);
  if (!open) {
    return (
      <p>
        <button type="button" className="btn btn-primary" onClick={() => setOpen(true)}>
          {t('part.consultations.new')}
        </button>
      </p>
    );
  }
  const setQ = (i: number, patch: Partial<Draft>) => setQs(qs.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  const tipos = (['unica', 'multiple', 'abierta'] as const).map((v) => ({ value: v, label: t(`part.consultations.types.${v}`) }));
  return (
    <section className="card">
      <h2>{t('part.consultations.new')}</h2>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          post<ConsultationState>(`/api/v1/municipalities/${mid}/consultations`, {
            titulo,
            descripcion,
            planId: planId ? Number(planId) : null,
            fin: fin || null,
            soloResidentes,
            preguntas: qs.map((q) => ({
              tipo: q.tipo,
              texto: q.texto,
              opciones:
                q.tipo === 'abierta'
                  ? []
                  : q.opciones
                      .split('\n')
                      .map((o) => o.trim())
                      .filter(Boolean),
              obligatoria: q.tipo !== 'abierta',
            })),
          }).then((c) => nav(`/m/${mid}/consultas/${c.id}`), setError);
        }}
      >
        <label className="field">
          <span>{t('part.proposals.titleField')}</span>
          <input required minLength={3} value={titulo} onChange={(e) => setTitulo(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('part.proposals.body')}</span>
          <textarea rows={2} value={descripcion} onChange={(e) => setDescripcion(e.target.value)} />
        </label>
        <div className="row wrap filters">
          <OptionSelect
            label={t('part.consultations.plan')}
            value={planId}
            onChange={setPlanId}
            empty={t('part.none')}
            options={(plans.data ?? []).map((p) => ({ value: String(p.id), label: p.titulo }))}
          />
          <label className="field">
            <span>{t('part.consultations.closes')}</span>
            <input type="date" value={fin} onChange={(e) => setFin(e.target.value)} />
          </label>
          <label className="inline-check">
            <input type="checkbox" checked={soloResidentes} onChange={(e) => setSoloResidentes(e.target.checked)} />{' '}
            {t('part.consultations.residentsOnly')}
          </label>
        </div>
        {qs.map((q, i) => (
          <fieldset key={i} className="field">
            <legend>{t('part.consultations.question', { n: i + 1 })}</legend>
            <div className="row wrap filters">
              <OptionSelect
                label={t('part.consultations.type')}
                value={q.tipo}
                onChange={(v) => setQ(i, { tipo: v as Draft['tipo'] })}
                options={tipos}
              />
              <label className="field grow">
                <span>{t('part.consultations.questionText')}</span>
                <input required value={q.texto} onChange={(e) => setQ(i, { texto: e.target.value })} />
              </label>
            </div>
            {q.tipo !== 'abierta' && (
              <label className="field">
                <span>{t('part.consultations.options')}</span>
                <textarea rows={3} required value={q.opciones} onChange={(e) => setQ(i, { opciones: e.target.value })} />
              </label>
            )}
            {qs.length > 1 && (
              <button type="button" className="btn btn-small" onClick={() => setQs(qs.filter((_, j) => j !== i))}>
                {t('part.remove')}
              </button>
            )}
          </fieldset>
        ))}
        <button type="button" className="btn btn-small" onClick={() => setQs([...qs, { tipo: 'unica', texto: '', opciones: '' }])}>
          {t('part.consultations.addQuestion')}
        </button>
        <ErrorBox error={error} />
        <button className="btn btn-primary" type="submit">
          {t('part.consultations.create')}
        </button>
      </form>
    </section>
  );
}

type Question = Consultation['preguntas'][number];

export function ConsultationPage() {
  const { t } = useTranslation();
  const { municipalityId: mid = '', consultationId } = useParams();
  const base = `/api/v1/municipalities/${mid}/consultations/${consultationId}` as const;
  const c = useGet<Consultation>(base);
  const results = useGet<ConsultationResults>(
    c.data && (c.data.respondida || c.data.estado === 'cerrada' || c.data.editable) ? `${base}/results` : null,
  );
  const { me } = useSession();
  const [answers, setAnswers] = useState<Record<number, { opciones: number[]; texto: string }>>({});
  const [error, setError] = useState<Error | null>(null);
  if (c.loading && !c.data)
    return (
      <Layout>
        <Loading />
      </Layout>
    );
  if (!c.data)
    return (
      <Layout>
        <ErrorBox error={c.error} onRetry={c.reload} />
      </Layout>
    );
  const d = c.data;
  const set = (q: Question, i: number | null, texto?: string) => {
    const cur = answers[q.id] ?? { opciones: [], texto: '' };
    if (texto !== undefined) return setAnswers({ ...answers, [q.id]: { ...cur, texto } });
    const opciones = q.tipo === 'unica' ? [i!] : cur.opciones.includes(i!) ? cur.opciones.filter((x) => x !== i) : [...cur.opciones, i!];
    setAnswers({ ...answers, [q.id]: { ...cur, opciones } });
  };
  return (
    <Layout>
      <section className="card">
        <p className="crumbs">
          <Link to={`/m/${mid}/consultas`}>{t('part.consultations.title')}</Link>
        </p>
        <h1>{d.titulo}</h1>
        <p>{d.descripcion}</p>
        {d.planId && (
          <p className="alert alert-info">
            {t('part.consultations.onPlan')} <Link to={`/m/${mid}/planes/${d.planId}`}>{d.plan}</Link>
          </p>
        )}
        {d.editable && d.estado !== 'cerrada' && (
          <button
            type="button"
            className="btn"
            onClick={() => post(`${base}/state`, { estado: d.estado === 'borrador' ? 'abierta' : 'cerrada' }).then(c.reload, setError)}
          >
            {d.estado === 'borrador' ? t('part.consultations.open') : t('part.consultations.close')}
          </button>
        )}
      </section>
      {d.estado === 'abierta' && !d.respondida && (
        <section className="card">
          {!me ? (
            <Link to="/entrar">{t('part.loginToAnswer')}</Link>
          ) : (
            <form
              className="form"
              onSubmit={(e) => {
                e.preventDefault();
                setError(null);
                post(`${base}/responses`, {
                  respuestas: Object.entries(answers).map(([id, a]) => ({
                    preguntaId: Number(id),
                    opciones: a.opciones,
                    texto: a.texto || undefined,
                  })),
                }).then(c.reload, setError);
              }}
            >
              {d.soloResidentes && <p className="small muted">{t('part.consultations.residentsOnly')}</p>}
              {d.preguntas.map((q) => (
                <fieldset key={q.id} className="field">
                  <legend>
                    {q.texto} {q.obligatoria && <span aria-hidden="true">*</span>}
                  </legend>
                  {q.tipo === 'abierta' ? (
                    <textarea
                      rows={3}
                      maxLength={4000}
                      aria-label={q.texto}
                      value={answers[q.id]?.texto ?? ''}
                      onChange={(e) => set(q, null, e.target.value)}
                    />
                  ) : (
                    q.opciones.map((o, i) => (
                      <label key={i} className="inline-check">
                        <input
                          type={q.tipo === 'unica' ? 'radio' : 'checkbox'}
                          name={`q${q.id}`}
                          checked={answers[q.id]?.opciones.includes(i) ?? false}
                          onChange={() => set(q, i)}
                        />{' '}
                        {o}
                      </label>
                    ))
                  )}
                </fieldset>
              ))}
              <ErrorBox error={error} />
              <button className="btn btn-primary" type="submit">
                {t('part.consultations.send')}
              </button>
            </form>
          )}
        </section>
      )}
      {d.respondida && <p className="card alert alert-ok">{t('part.consultations.thanks')}</p>}
      {results.data && (
        <section className="card">
          <h2>{t('part.consultations.results')}</h2>
          <p className="muted">
            {t('part.consultations.participants', { count: results.data.participantes })} · <a href={`${base}/results?formato=csv`}>CSV</a>
          </p>
          {results.data.preguntas.map((q) => (
            <div key={q.id}>
              <h3>{q.texto}</h3>
              {q.opciones.length > 0 && (
                <ul className="hbars">
                  {q.opciones.map((o) => (
                    <li key={o.opcion}>
                      <span>{o.opcion}</span>
                      <span
                        className="bar"
                        style={{ width: `${results.data!.participantes ? (o.votos / results.data!.participantes) * 100 : 0}%` }}
                      />
                      <span className="count">{fmt.int(o.votos)}</span>
                    </li>
                  ))}
                </ul>
              )}
              {q.abiertas.length > 0 && (
                <ul>
                  {q.abiertas.map((a, i) => (
                    <li key={i}>{a}</li>
                  ))}
                </ul>
              )}
            </div>
          ))}
          {results.data.comentariosPlan.length > 0 && (
            <>
              <h3>{t('part.consultations.planComments')}</h3>
              <ul>
                {results.data.comentariosPlan.map((x) => (
                  <li key={x.codigo}>
                    {x.codigo} {x.titulo}: {fmt.int(x.comentarios)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      <ErrorBox error={error} />
    </Layout>
  );
}
