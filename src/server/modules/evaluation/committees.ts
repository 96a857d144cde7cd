import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';

/** Contraloría social committees with their members (share of women), the works they watch and their reports. */
export async function list(db: Kysely<DB>, municipalityId: string) {
  const committees = await db.selectFrom('social_committees').select(['id', 'nombre', 'constituido', 'validado', 'is_demo']).where('municipality_id', '=', municipalityId).orderBy('nombre').execute();
  if (!committees.length) return [];
  const ids = committees.map((c) => c.id);
  const [members, works, reports] = await Promise.all([
    db.selectFrom('committee_members').select(['committee_id', 'nombre', 'sexo', 'cargo']).where('committee_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('committee_works as w').innerJoin('poa_actions as a', 'a.id', 'w.action_id').select(['w.committee_id', 'a.id', 'a.clave', 'a.nombre', 'a.avance_fisico']).where('w.committee_id', 'in', ids).where('a.publicado', '=', true).execute(),
    db.selectFrom('committee_reports').select(['id', 'committee_id', 'action_id', 'fecha', 'tipo', 'texto', 'estado', 'respuesta']).where('committee_id', 'in', ids).orderBy('fecha', 'desc').execute(),
  ]);
  return committees.map((c) => {
    const m = members.filter((x) => x.committee_id === c.id);
    return {
      ...c,
      integrantes: m.map(({ committee_id: _, ...x }) => x),
      porcentajeMujeres: m.length ? Math.round((m.filter((x) => x.sexo === 'mujer').length / m.length) * 1000) / 10 : null,
      obras: works.filter((w) => w.committee_id === c.id).map(({ committee_id: _, ...w }) => ({ ...w, avance_fisico: Number(w.avance_fisico) })),
      informes: reports.filter((r) => r.committee_id === c.id).map(({ committee_id: _, ...r }) => r),
      pendientes: reports.filter((r) => r.committee_id === c.id && r.estado !== 'atendido').length,
    };
  });
}

