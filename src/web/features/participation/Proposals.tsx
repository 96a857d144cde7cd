import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { type ApiError, get, post, qs, api } from '../../api/client.ts';
import { useGet, useQueryState } from '../../api/hooks.ts';
import { uploadWithProgress } from '../../api/upload.ts';
import { Layout } from '../../components/Layout.tsx';
import { OptionSelect } from '../../components/OptionSelect.tsx';
import { ErrorBox, Loading, Pager } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { Progress } from '../../components/Progress/Progress.tsx';
import { PickPointMap } from '../../components/PickPointMap/PickPointMap.tsx';
import { postWithProof } from './pow.ts';
import type { ActionPage } from '../../api/programs/index.ts';
import type {
  Comments,
  FullProposal,
  Proposal,
  ProposalCreated,
  ProposalEstado,
  ProposalPage as ProposalPageData,
  SimilarProposals,
} from '../../api/participation/index.ts';
import type { Themes } from '../../api/indicators/index.ts';

type Estado = ProposalEstado;
export const ESTADOS: readonly Estado[] = ['recibida', 'en_revision', 'viable', 'no_viable', 'incluida', 'en_ejecucion', 'concluida'];

export function EstadoBadge({ estado }: { estado: Estado }) {
  const { t } = useTranslation();
  return <span className={`badge estado-prop-${estado}`}>{t(`part.estados.${estado}`)}</span>;
}

/** PROPONLE: the public list with search, filters and downloads. */
export function ProposalList() {
  const { t } = useTranslation();
  const { municipalityId: mid = '' } = useParams();
  const { params, set } = useQueryState(['page']);
  const { me } = useSession();
  const page = Number(params.get('page') ?? 1);
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const themes = useGet<Themes>('/api/v1/indicators/themes');
  const url =
    `/api/v1/municipalities/${mid}/proposals${qs({ q, tema: params.get('tema'), estado: params.get('estado'), orden: params.get('orden'), page, limit: 20 })}` as const;
  const list = useGet<ProposalPageData>(url);
  const themeOptions = (themes.data ?? []).map((th) => ({ value: th.code, label: th.name }));
  const base = `/api/v1/municipalities/${mid}/proposals` as const;
  return (
    <Layout>
      <section className="card">
        <p className="eyebrow">{t('part.eyebrow')}</p>
        <h1>{t('part.proposals.title')}</h1>
        <p className="muted">{t('part.proposals.intro')}</p>
        <div className="toolbar">
          <Link className="btn btn-primary" to={me ? `/m/${mid}/propuestas/nueva` : '/entrar'}>
            {t('part.proposals.new')}
          </Link>
          <span className="downloads">
            {t('common.download')}: <a href={`${base}.csv`}>CSV</a> · <a href={`${base}.geojson`}>GeoJSON</a> ·{' '}
            <a href={`${base}/feed.atom`}>Atom</a>
          </span>
        </div>
        {/* biome-ignore lint/a11y/useSemanticElements: the <search> element is too new for the browsers Brújula supports. */}
        <form className="row wrap filters" role="search" onSubmit={(e) => (e.preventDefault(), set('q', text.trim()))}>
          <label className="field grow">
            <span>{t('part.proposals.search')}</span>
            <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('part.proposals.searchHint')} />
          </label>
          <OptionSelect
            label={t('part.theme')}
            value={params.get('tema') ?? ''}
            onChange={(v) => set('tema', v)}
            empty={t('part.all')}
            options={themeOptions}
          />
          <OptionSelect
            label={t('part.status')}
            value={params.get('estado') ?? ''}
            onChange={(v) => set('estado', v)}
            empty={t('part.all')}
            options={ESTADOS.map((e) => ({ value: e, label: t(`part.estados.${e}`) }))}
          />
          <OptionSelect
            label={t('part.proposals.order')}
            value={params.get('orden') ?? ''}
            onChange={(v) => set('orden', v)}
            empty={t('part.proposals.recent')}
            options={[
              { value: 'apoyos', label: t('part.proposals.mostSupported') },
              { value: 'comentarios', label: t('part.proposals.mostCommented') },
            ]}
          />
          <button className="btn" type="submit">
            {t('part.proposals.searchBtn')}
          </button>
        </form>
      </section>
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data && (
        <section className="card">
          <p className="muted">{t('common.results', { count: list.data.total })}</p>
          {list.data.items.length === 0 && <p>{q ? t('part.proposals.noResults') : t('part.proposals.empty')}</p>}
          <ul className="proposal-list">
            {list.data.items.map((p) => (
              <li key={p.id} className="proposal-card">
                {p.imagenId && (
                  <img src={`${base}/${p.id}/files/${p.imagenId}?miniatura=true`} alt="" width={96} height={96} loading="lazy" />
                )}
                <div className="grow">
                  <h2>
                    <Link to={`/m/${mid}/propuestas/${p.id}`}>{p.titulo}</Link>
                  </h2>
                  <p className="small muted">
                    <EstadoBadge estado={p.estado} /> {p.temaNombre}
                    {p.unidad && ` · ${p.unidad}`} · {fmt.date(p.createdAt)}
                    {p.isDemo && ` · ${t('part.demo')}`}
                  </p>
                  <p>{p.resumen}</p>
                  <p className="small">
                    <strong>{fmt.int(p.apoyos)}</strong> {t('part.proposals.supports')} · {fmt.int(p.comentarios)}{' '}
                    {t('part.proposals.comments')}
                  </p>
                </div>
              </li>
            ))}
          </ul>
          <Pager page={page} total={list.data.total} limit={list.data.limit} onPage={(p) => set('page', String(p))} />
        </section>
      )}
    </Layout>
  );
}

/** A small rich-text editor: paragraphs, bold, italics and lists; the server sanitises the HTML. */
function RichText({ onChange, label }: { onChange: (html: string) => void; label: string }) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const cmd = (c: string) => {
    el.current?.focus();
    document.execCommand(c);
    onChange(el.current?.innerHTML ?? '');
  };
  return (
    <div className="rich">
      <div className="rich-tools" role="toolbar" aria-label={t('part.editor')}>
        <button type="button" className="btn btn-small" onClick={() => cmd('bold')} aria-label={t('part.bold')}>
          <strong>B</strong>
        </button>
        <button type="button" className="btn btn-small" onClick={() => cmd('italic')} aria-label={t('part.italic')}>
          <em>I</em>
        </button>
        <button type="button" className="btn btn-small" onClick={() => cmd('insertUnorderedList')} aria-label={t('part.list')}>
          • —
        </button>
      </div>
      {/* biome-ignore lint/a11y/useFocusableInteractive: contentEditable makes it focusable. */}
      {/* biome-ignore lint/a11y/useSemanticElements: a textarea cannot hold the formatted text. */}
      <div
        ref={el}
        className="rich-area"
        contentEditable
        role="textbox"
        aria-multiline="true"
        aria-label={label}
        data-testid="rich-text"
        onInput={() => onChange(el.current?.innerHTML ?? '')}
        suppressContentEditableWarning
      />
    </div>
  );
}

export function ProposalForm() {
  const { t } = useTranslation();
  const { municipalityId: mid = '' } = useParams();
  const nav = useNavigate();
  const { me, ready } = useSession();
  const themes = useGet<Themes>('/api/v1/indicators/themes');
  const [titulo, setTitulo] = useState('');
  const [cuerpo, setCuerpo] = useState('');
  const [tema, setTema] = useState('');
  const [point, setPoint] = useState<[number, number] | null>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [similar, setSimilar] = useState<SimilarProposals>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  // Similar proposals while typing, to curb duplicates.
  useEffect(() => {
    const text = `${titulo} ${cuerpo.replace(/<[^>]+>/g, ' ')}`.trim();
    if (text.length < 6) return setSimilar([]);
    const h = setTimeout(() => {
      get<SimilarProposals>(`/api/v1/municipalities/${mid}/proposals/similar${qs({ q: text.slice(0, 400) })}`).then(setSimilar, () =>
        setSimilar([]),
      );
    }, 350);
    return () => clearTimeout(h);
  }, [titulo, cuerpo, mid]);
  if (ready && !me) {
    return (
      <Layout>
        <section className="card narrow">
          <p>{t('part.loginFirst')}</p>
          <Link className="btn btn-primary" to="/entrar">
            {t('nav.login')}
          </Link>
        </section>
      </Layout>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setBusy(t('part.proving'));
      const p = await postWithProof<ProposalCreated>(`/api/v1/municipalities/${mid}/proposals`, {
        titulo,
        cuerpo,
        tema,
        lon: point?.[0] ?? null,
        lat: point?.[1] ?? null,
      });
      for (const [i, f] of files.entries()) {
        setBusy(t('part.uploading', { n: i + 1, total: files.length }));
        const form = new FormData();
        form.append('file', f);
        const r = await uploadWithProgress('POST', `/api/v1/municipalities/${mid}/proposals/${p.id}/files`, form, () => undefined);
        // The proposal exists already: a refused image is reported on its page, not lost silently.
        if (r.status >= 400) return nav(`/m/${mid}/propuestas/${p.id}?error=${encodeURIComponent(r.body.message ?? '')}`);
      }
      nav(`/m/${mid}/propuestas/${p.id}`);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Layout>
      <section className="card">
        <p className="crumbs">
          <Link to={`/m/${mid}/propuestas`}>{t('part.proposals.title')}</Link>
        </p>
        <h1>{t('part.proposals.new')}</h1>
        <form className="form" onSubmit={submit}>
          <label className="field">
            <span>{t('part.proposals.titleField')}</span>
            <input required minLength={8} maxLength={200} value={titulo} onChange={(e) => setTitulo(e.target.value)} />
          </label>
          {similar.length > 0 && (
            <div className="alert alert-info" role="status" data-testid="similar">
              <p>{t('part.proposals.similar')}</p>
              <ul>
                {similar.map((s) => (
                  <li key={s.id}>
                    <Link to={`/m/${mid}/propuestas/${s.id}`} target="_blank">
                      {s.titulo}
                    </Link>{' '}
                    <span className="muted">
                      ({fmt.int(s.apoyos)} {t('part.proposals.supports')})
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="field">
            <span>{t('part.proposals.body')}</span>
            <RichText onChange={setCuerpo} label={t('part.proposals.body')} />
          </div>
          <OptionSelect
            label={t('part.theme')}
            value={tema}
            onChange={setTema}
            empty={t('part.choose')}
            required
            options={(themes.data ?? []).map((th) => ({ value: th.code, label: th.name }))}
          />
          <div className="field">
            <span>{t('part.proposals.place')}</span>
            <PickPointMap municipalityId={mid} value={point} onPick={setPoint} ariaLabel={t('part.proposals.place')} />
            <span className="small muted">
              {point ? `${fmt.dec(point[1], 5)}, ${fmt.dec(point[0], 5)}` : t('part.proposals.placeHint')}
            </span>
          </div>
          <label className="field">
            <span>{t('part.proposals.files')}</span>
            <input
              type="file"
              multiple
              accept="image/jpeg,image/png,image/webp,application/pdf"
              onChange={(e) => setFiles([...(e.target.files ?? [])].slice(0, 6))}
            />
            <span className="small muted">{t('part.proposals.filesHint')}</span>
          </label>
          <ErrorBox error={error} />
          <button className="btn btn-primary" type="submit" disabled={!!busy}>
            {busy ?? t('part.proposals.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function ProposalPage() {
  const { t } = useTranslation();
  const { municipalityId: mid = '', proposalId } = useParams();
  const [search] = useSearchParams();
  const { me } = useSession();
  const base = `/api/v1/municipalities/${mid}/proposals/${proposalId}` as const;
  const p = useGet<Proposal>(base);
  const comments = useGet<Comments>(p.data && p.data.titulo !== null ? `${base}/comments` : null);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const act = async (fn: () => Promise<unknown>, ok?: string) => {
    setError(null);
    setMsg(null);
    try {
      await fn();
      if (ok) setMsg(ok);
      p.reload();
      comments.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  if (p.loading && !p.data)
    return (
      <Layout>
        <Loading />
      </Layout>
    );
  if (p.error || !p.data)
    return (
      <Layout>
        <ErrorBox error={p.error} onRetry={p.reload} />
      </Layout>
    );
  const d = p.data;
  if (d.titulo === null) {
    return (
      <Layout>
        <section className="card narrow">
          <h1>{t('part.proposals.hiddenTitle')}</h1>
          <p>{t('part.proposals.hiddenBecause', { motivo: d.motivoOculto })}</p>
          <Link to={`/m/${mid}/propuestas`}>{t('part.proposals.title')}</Link>
        </section>
      </Layout>
    );
  }
  return (
    <Layout>
      <article className="card">
        <p className="crumbs">
          <Link to={`/m/${mid}/propuestas`}>{t('part.proposals.title')}</Link>
        </p>
        {d.oculto && <p className="alert alert-error">{t('part.proposals.hiddenBecause', { motivo: d.motivoOculto })}</p>}
        <h1>{d.titulo}</h1>
        <p className="muted">
          <EstadoBadge estado={d.estado} /> {d.temaNombre}
          {d.unidad && ` · ${d.unidad}`} · {t('part.proposals.by', { autor: d.autor })} · {fmt.date(d.createdAt)}
          {d.isDemo && ` · ${t('part.demo')}`}
        </p>
        <div className="two-col">
          <div>
            {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised on the server (sanitize-html allow-list) before it is stored. */}
            <div className="rich-body" dangerouslySetInnerHTML={{ __html: d.cuerpo }} />
            <div className="evidence">
              {d.archivos.map((f) =>
                f.tipo === 'imagen' ? (
                  <a key={f.id} href={`${base}/files/${f.id}`} target="_blank" rel="noreferrer">
                    <img src={`${base}/files/${f.id}?miniatura=true`} alt={f.nombre} width={160} height={160} />
                  </a>
                ) : (
                  <a key={f.id} href={`${base}/files/${f.id}`} target="_blank" rel="noreferrer">
                    📄 {f.nombre}
                  </a>
                ),
              )}
            </div>
          </div>
          <aside>
            <p className="stats">
              <strong data-testid="apoyos">{fmt.int(d.apoyos)}</strong> {t('part.proposals.supports')}
            </p>
            {me && !d.mia && (
              <button
                type="button"
                className="btn btn-primary"
                disabled={d.apoyada}
                onClick={() => act(() => post(`${base}/support`), t('part.proposals.supported'))}
              >
                {d.apoyada ? t('part.proposals.alreadySupported') : t('part.proposals.support')}
              </button>
            )}
            {me && (
              <button type="button" className="btn" onClick={() => act(() => api('PUT', `${base}/follow`, { seguir: !d.seguida }))}>
                {d.seguida ? t('part.unfollow') : t('part.follow')}
              </button>
            )}
            {!me && (
              <p className="small">
                <Link to="/entrar">{t('part.loginToSupport')}</Link>
              </p>
            )}
            {d.ubicacion && <PickPointMap municipalityId={mid} value={d.ubicacion.coordinates} ariaLabel={t('part.proposals.place')} />}
          </aside>
        </div>
        {msg && (
          <p className="alert alert-ok" role="status">
            {msg}
          </p>
        )}
        {search.get('error') && <p className="alert alert-error">{t('part.proposals.fileRefused', { message: search.get('error') })}</p>}
        <ErrorBox error={error} />
      </article>

      {(d.accion || d.elemento) && (
        <section className="card" data-testid="linked-action">
          <h2>{t('part.proposals.becameTitle')}</h2>
          {d.accion && (
            <div>
              <p>
                <Link to={`/m/${mid}/acciones/${d.accion.id}`}>
                  {d.accion.clave} — {d.accion.nombre}
                </Link>{' '}
                <span className="muted">(POA {d.accion.anio})</span>
              </p>
              <p>
                {t('part.physical')}: <Progress value={d.accion.avanceFisico} label={t('part.physical')} />
              </p>
              <p>
                {t('part.financial')}: <Progress value={d.accion.avanceFinanciero} label={t('part.financial')} />
              </p>
            </div>
          )}
          {d.elemento && (
            <p>
              {t('part.proposals.inPlan')}{' '}
              <Link to={`/m/${mid}/planes/${d.elemento.planId}/elementos/${d.elemento.id}`}>
                {d.elemento.codigo} {d.elemento.titulo}
              </Link>{' '}
              <span className="muted">({d.elemento.plan})</span>
            </p>
          )}
        </section>
      )}

      <section className="card">
        <h2>{t('part.proposals.history')}</h2>
        <ol className="plain-list">
          {d.historial.map((h, i) => (
            <li key={i}>
              <EstadoBadge estado={h.estado} /> {fmt.dateTime(h.at)}
              {h.respuesta && <p>{h.respuesta}</p>}
            </li>
          ))}
        </ol>
      </section>

      {d.moderable && <ModerationPanel mid={mid} base={base} view={d} onDone={() => p.reload()} />}

      <section className="card">
        <h2>
          {t('part.proposals.comments')} ({fmt.int(d.comentarios)})
        </h2>
        {comments.data && (
          <CommentThread
            items={comments.data}
            parent={null}
            base={base}
            canReply={!!me}
            moderable={d.moderable}
            onChange={() => act(async () => undefined)}
          />
        )}
        {me ? (
          <CommentForm base={base} parentId={null} onDone={() => act(async () => undefined)} />
        ) : (
          <Link to="/entrar">{t('part.loginToComment')}</Link>
        )}
      </section>
    </Layout>
  );
}

function CommentForm({
  base,
  parentId,
  onDone,
}: {
  base: `/api/v1/municipalities/${string}/proposals/${string}`;
  parentId: number | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [texto, setTexto] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  return (
    <form
      className="comment-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await postWithProof(`${base}/comments`, { texto, parentId });
          setTexto('');
          onDone();
        } catch (err) {
          setError(err as Error);
        } finally {
          setBusy(false);
        }
      }}
    >
      <label className="field">
        <span className={parentId ? 'sr-only' : ''}>{parentId ? t('part.reply') : t('part.addComment')}</span>
        <textarea required rows={parentId ? 2 : 3} maxLength={4000} value={texto} onChange={(e) => setTexto(e.target.value)} />
      </label>
      <ErrorBox error={error} />
      <button className="btn btn-small" type="submit" disabled={busy}>
        {busy ? t('part.proving') : parentId ? t('part.reply') : t('part.addComment')}
      </button>
    </form>
  );
}

function CommentThread({
  items,
  parent,
  base,
  canReply,
  moderable,
  onChange,
}: {
  items: Comments;
  parent: number | null;
  base: `/api/v1/municipalities/${string}/proposals/${string}`;
  canReply: boolean;
  moderable: boolean;
  onChange: () => void;
}) {
  const { t } = useTranslation();
  const [replying, setReplying] = useState<number | null>(null);
  const level = items.filter((c) => c.parentId === parent);
  if (!level.length) return null;
  return (
    <ul className="thread">
      {level.map((c) => (
        <li key={c.id}>
          <p className="small muted">
            {c.autor} · {fmt.dateTime(c.createdAt)}
          </p>
          {c.oculto ? <p className="muted">{t('part.hiddenComment', { motivo: c.motivoOculto })}</p> : <p>{c.texto}</p>}
          <p className="small">
            {canReply && (
              <button type="button" className="link" onClick={() => setReplying(replying === c.id ? null : c.id)}>
                {t('part.reply')}
              </button>
            )}{' '}
            {canReply && (
              <button
                type="button"
                className="link"
                onClick={async () => {
                  const motivo = window.prompt(t('part.flagReason'));
                  if (motivo)
                    await post(`${base}/flags`, { motivo, commentId: c.id }).then(
                      () => window.alert(t('part.flagged')),
                      (e) => window.alert(e.message),
                    );
                }}
              >
                {t('part.flag')}
              </button>
            )}{' '}
            {moderable && !c.oculto && (
              <button
                type="button"
                className="link"
                onClick={async () => {
                  const motivo = window.prompt(t('part.hideReason'));
                  if (motivo)
                    await post(`${base}/comments/${c.id}/hide`, { oculto: true, motivo }).then(onChange, (e) => window.alert(e.message));
                }}
              >
                {t('part.hide')}
              </button>
            )}
          </p>
          {replying === c.id && <CommentForm base={base} parentId={c.id} onDone={() => (setReplying(null), onChange())} />}
          <CommentThread items={items} parent={c.id} base={base} canReply={canReply} moderable={moderable} onChange={onChange} />
        </li>
      ))}
    </ul>
  );
}

/** Planners: status with a public answer, the plan element or POA action it became, hiding. */
function ModerationPanel({
  mid,
  base,
  view,
  onDone,
}: {
  mid: string;
  base: `/api/v1/municipalities/${string}/proposals/${string}`;
  view: FullProposal;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [estado, setEstado] = useState<Estado>(view.estado);
  const [respuesta, setRespuesta] = useState('');
  const [actionId, setActionId] = useState(view.accion?.id ? String(view.accion.id) : '');
  const actions = useGet<ActionPage>(`/api/v1/municipalities/${mid}/actions?limit=500`);
  const [error, setError] = useState<Error | null>(null);
  const [ok, setOk] = useState(false);
  return (
    <section className="card" aria-labelledby="mod-title">
      <h2 id="mod-title">{t('part.proposals.answerTitle')}</h2>
      <form
        className="grid-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          setOk(false);
          try {
            await post(`${base}/status`, { estado, respuesta, actionId: actionId ? Number(actionId) : undefined });
            setOk(true);
            onDone();
          } catch (err) {
            setError(err as Error);
          }
        }}
      >
        <OptionSelect
          label={t('part.status')}
          value={estado}
          onChange={(v) => setEstado(v as Estado)}
          testId="status-select"
          options={ESTADOS.map((e) => ({ value: e, label: t(`part.estados.${e}`) }))}
        />
        <label className="field">
          <span>{t('part.proposals.poaAction')}</span>
          <select value={actionId} onChange={(e) => setActionId(e.target.value)} data-testid="action-select">
            <option value="">{t('part.none')}</option>
            {actions.data?.items.map((a) => (
              <option key={a.id} value={a.id}>
                {a.anio} · {a.clave} — {a.nombre}
              </option>
            ))}
          </select>
        </label>
        <label className="field grow">
          <span>{t('part.proposals.publicAnswer')}</span>
          <textarea rows={3} value={respuesta} onChange={(e) => setRespuesta(e.target.value)} />
        </label>
        <ErrorBox error={error} />
        {ok && (
          <p className="alert alert-ok" role="status">
            {t('part.saved')}
          </p>
        )}
        <button className="btn btn-primary" type="submit">
          {t('part.proposals.saveAnswer')}
        </button>
        <button
          className="btn btn-danger"
          type="button"
          onClick={async () => {
            const motivo = view.oculto ? '' : window.prompt(t('part.hideReason'));
            if (view.oculto || motivo)
              await post(`${base}/hide`, { oculto: !view.oculto, motivo: motivo ?? undefined }).then(onDone, (e) => setError(e));
          }}
        >
          {view.oculto ? t('part.unhide') : t('part.hide')}
        </button>
      </form>
    </section>
  );
}
