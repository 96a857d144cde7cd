import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useGet } from '../../api/hooks.ts';
import { uploadWithProgress } from '../../api/upload.ts';
import { ErrorBox } from '../../components/Status.tsx';
import { fmt } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import type { RatingSummary } from '../../api/evaluation/index.ts';

const DIMS = ['calidad', 'utilidad', 'oportunidad'] as const;
type Dim = (typeof DIMS)[number];
type Summary = RatingSummary;

/** On a work's page: the citizens' ratings, and the form to rate it once it is finished. */
export function WorkRatings({ municipalityId, actionId }: { municipalityId: string; actionId: number }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const url = `/api/v1/municipalities/${municipalityId}/actions/${actionId}` as const;
  const s = useGet<Summary>(`${url}/ratings`);
  const [form, setForm] = useState<Record<Dim, number>>({ calidad: 0, utilidad: 0, oportunidad: 0 });
  const [comentario, setComentario] = useState('');
  const [error, setError] = useState<Error | null>(null);
  if (!s.data || (!s.data.terminada && s.data.calificaciones === 0)) return null;
  const d = s.data;
  return (
    <section className="card" aria-labelledby="ratings" data-testid="work-ratings">
      <h2 id="ratings">{t('eval.ratings.title')}</h2>
      <p>{t('eval.ratings.count', { count: d.calificaciones })}</p>
      {d.calificaciones > 0 && (
        <ul className="hbars">
          {DIMS.map((k) => (
            <li key={k}>
              <span>{t(`eval.ratings.${k}`)}</span>
              <span
                className="bar"
                style={{ width: `${((d.promedios[k] ?? 0) / 5) * 100}%` }}
                title={d.distribucion[k].map((n, i) => `${i + 1}: ${n}`).join(' · ')}
              />
              <span className="count">{fmt.dec(d.promedios[k], 1)}</span>
            </li>
          ))}
        </ul>
      )}
      {d.comentarios.length > 0 && (
        <ul className="thread">
          {d.comentarios.slice(0, 10).map((c, i) => (
            <li key={i}>
              {c.comentario} <span className="small muted">{fmt.date(c.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
      {d.terminada && !d.mia && me && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            api('PUT', `${url}/rating`, { ...form, comentario }).then(s.reload, setError);
          }}
        >
          <p>{t('eval.ratings.ask')}</p>
          {DIMS.map((k) => (
            <fieldset key={k} className="field">
              <legend>{t(`eval.ratings.${k}`)}</legend>
              <div className="row">
                {[1, 2, 3, 4, 5].map((v) => (
                  <label key={v} className="inline-check">
                    <input type="radio" name={k} required checked={form[k] === v} onChange={() => setForm({ ...form, [k]: v })} /> {v}
                  </label>
                ))}
              </div>
            </fieldset>
          ))}
          <label className="field">
            <span>{t('eval.ratings.comment')}</span>
            <textarea rows={2} maxLength={2000} value={comentario} onChange={(e) => setComentario(e.target.value)} />
          </label>
          <ErrorBox error={error} />
          <button className="btn btn-primary" type="submit">
            {t('eval.ratings.send')}
          </button>
        </form>
      )}
      {d.fotos.length > 0 && (
        <div className="evidence">
          {d.fotos.map((f) => (
            <a key={f} href={`/api/v1/municipalities/${municipalityId}/rating-photos/${f}`} target="_blank" rel="noreferrer">
              <img
                src={`/api/v1/municipalities/${municipalityId}/rating-photos/${f}?miniatura=true`}
                alt={t('eval.ratings.photo')}
                width={120}
                height={120}
                loading="lazy"
              />
            </a>
          ))}
        </div>
      )}
      {d.mia && <p className="alert alert-ok">{t('eval.ratings.thanks')}</p>}
      {d.mia && (
        <label className="field">
          <span>{t('eval.ratings.addPhoto')}</span>
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              const form = new FormData();
              form.append('file', file);
              const r = await uploadWithProgress('POST', `${url}/rating/photos`, form, () => undefined);
              if (r.status >= 400) setError(new Error(r.body.message ?? ''));
              else s.reload();
            }}
          />
        </label>
      )}
      {d.terminada && !me && <Link to="/entrar">{t('eval.ratings.login')}</Link>}
      {d.mia && <ErrorBox error={error} />}
    </section>
  );
}
