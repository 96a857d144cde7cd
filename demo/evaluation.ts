/**
 * DATOS DE DEMOSTRACIÓN — evaluation in Zacatecas (32056): a Consejo Ciudadano of 15 members with
 * six sessions (five closed with opinions, votes, resolutions, actas and agreements; one convened to
 * review the PMOT), quarterly progress reports of the PMD for 2025 and 2026 so far, citizens'
 * ratings of the finished 2025 works and five contraloría social committees. Invented.
 */
import type { Transaction } from 'kysely';
import type { CouncilSector, DB, Sexo } from '../src/server/db/types.ts';
import { finalizeSession } from '../src/server/modules/evaluation/council.ts';
import { publish } from '../src/server/modules/evaluation/reports.ts';

type Trx = Transaction<DB>;
const MID = '32056';

const MEMBERS: [string, CouncilSector, Sexo][] = [
  ['Dra. Rosa Elena Campos', 'academico', 'mujer'],
  ['Ing. Arturo Salinas', 'empresarial', 'hombre'],
  ['Mtra. Lucía Bañuelos', 'investigacion', 'mujer'],
  ['Biól. Carmen Ríos', 'ambientalista', 'mujer'],
  ['Sr. Pedro Acuña', 'productores', 'hombre'],
  ['Lic. Teresa Murillo', 'osc', 'mujer'],
  ['Arq. Jorge Dávila', 'sociedad_civil', 'hombre'],
  ['C.P. Patricia Luévano', 'empresarial', 'mujer'],
  ['Dr. Héctor Esparza', 'academico', 'hombre'],
  ['Lic. Alejandra Sifuentes', 'sociedad_civil', 'mujer'],
  ['Mtro. Ricardo Félix', 'osc', 'hombre'],
  ['Sra. Guadalupe Torres', 'productores', 'mujer'],
  ['Ing. Fernando Ávila', 'investigacion', 'hombre'],
  ['Mtra. Elena Castañeda', 'funcionarios', 'mujer'],
  ['Lic. Miguel Ángel Reveles', 'funcionarios', 'hombre'],
];

export async function loadEvaluation(trx: Trx, ctx: { rand: () => number; planner: number; council: number }) {
  const { rand } = ctx;
  await trx.insertInto('evaluation_settings').values({ municipality_id: MID }).execute();
  const vecinos = await trx.selectFrom('users').select('id').where('email', 'like', 'vecino%@demo.brujula.mx').orderBy('email').execute();
  // Member 1 chairs (the demo council account); members 2–6 use demo residents' accounts.
  const members = await trx
    .insertInto('council_members')
    .values(
      MEMBERS.map(([nombre, sector, sexo], i) => ({
        municipality_id: MID,
        nombre: `${nombre} (demo)`,
        sector,
        sexo,
        cargo: i === 0 ? ('presidencia' as const) : i === 13 ? ('secretaria_tecnica' as const) : ('consejero' as const),
        inicio: '2024-10-01',
        user_id: i === 0 ? ctx.council : i <= 5 ? vecinos[i - 1].id : null,
        is_demo: true,
      })),
    )
    .returning('id')
    .execute();
  const plans = await trx.selectFrom('plans').select(['id', 'tipo', 'titulo']).where('municipality_id', '=', MID).execute();
  const pmd = plans.find((p) => p.tipo === 'pmd')!;
  const pmot = plans.find((p) => p.tipo === 'pmot');
  const vision = plans.find((p) => p.tipo === 'vision2040');

  const sessions: {
    fecha: string;
    items: { titulo: string; tipo: 'plan' | 'programa' | 'informe' | 'proyecto' | 'otro'; planId?: number }[];
    acuerdos: [string, string, string, 'cumplido' | 'en_proceso' | 'pendiente'][];
  }[] = [
    {
      fecha: '2024-12-05T17:00:00-06:00',
      items: [{ titulo: 'Validación del Plan Municipal de Desarrollo 2024–2027', tipo: 'plan', planId: pmd.id }],
      acuerdos: [['Incorporar metas con perspectiva de género en el Eje 2', 'IMPLAN', '2025-01-31', 'cumplido']],
    },
    {
      fecha: '2025-03-06T17:00:00-06:00',
      items: [
        { titulo: 'Revisión del Programa Operativo Anual 2025', tipo: 'programa' },
        ...(vision ? [{ titulo: 'Opinión sobre el Plan Visión 2040', tipo: 'plan' as const, planId: vision.id }] : []),
      ],
      acuerdos: [['Publicar el avance de obras en el portal cada trimestre', 'Secretaría de Obras Públicas', '2025-04-30', 'cumplido']],
    },
    {
      fecha: '2025-06-05T17:00:00-06:00',
      items: [{ titulo: 'Resultados del presupuesto participativo 2025', tipo: 'proyecto' }],
      acuerdos: [
        ['Acompañar la ejecución de los proyectos ganadores con comités vecinales', 'Desarrollo Social', '2025-08-31', 'cumplido'],
      ],
    },
    {
      fecha: '2025-10-02T17:00:00-06:00',
      items: [{ titulo: 'Informe de avance del tercer trimestre de 2025', tipo: 'informe' }],
      acuerdos: [['Revisar las obras con avance menor al 50 %', 'IMPLAN', '2025-11-30', 'en_proceso']],
    },
    {
      fecha: '2026-03-05T17:00:00-06:00',
      items: [
        { titulo: 'Informe anual 2025 del PMD', tipo: 'informe', planId: pmd.id },
        { titulo: 'Programa Operativo Anual 2026', tipo: 'programa' },
      ],
      acuerdos: [['Presentar un plan de atención a las metas en rojo', 'Tesorería e IMPLAN', '2026-05-31', 'pendiente']],
    },
  ];
  let numero = 0;
  for (const s of sessions) {
    numero++;
    const present = members.filter((_, i) => i === 0 || rand() < 0.75);
    const row = await trx
      .insertInto('council_sessions')
      .values({
        municipality_id: MID,
        numero,
        tipo: 'ordinaria',
        fecha: new Date(s.fecha),
        lugar: 'Sala de juntas del IMPLAN',
        convocatoria: 'Se convoca a las personas integrantes del Consejo Ciudadano a sesión ordinaria.',
        estado: 'abierta',
        miembros: members.length,
        quorum: Math.floor(members.length / 2) + 1,
        abierta_at: new Date(s.fecha),
        is_demo: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('council_attendance')
      .values(members.map((m) => ({ municipality_id: MID, session_id: row.id, member_id: m.id, presente: present.includes(m) })))
      .execute();
    for (const [i, it] of s.items.entries()) {
      const item = await trx
        .insertInto('council_items')
        .values({ municipality_id: MID, session_id: row.id, posicion: i, titulo: it.titulo, tipo: it.tipo, plan_id: it.planId ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('council_opinions')
        .values(
          present.map((m) => {
            const r = rand();
            const opinion = r < 0.6 ? ('favorable' as const) : r < 0.88 ? ('con_observaciones' as const) : ('desfavorable' as const);
            return {
              municipality_id: MID,
              item_id: item.id,
              member_id: m.id,
              opinion,
              voto: opinion === 'desfavorable' ? ('en_contra' as const) : rand() < 0.05 ? ('abstencion' as const) : ('a_favor' as const),
              texto:
                opinion === 'favorable'
                  ? ''
                  : opinion === 'con_observaciones'
                    ? 'Pedimos indicadores de resultados y no solo de actividades.'
                    : 'Los recursos propuestos no alcanzan para las metas.',
            };
          }),
        )
        .execute();
    }
    for (const [texto, responsable, fecha, estado] of s.acuerdos) {
      await trx
        .insertInto('council_agreements')
        .values({
          municipality_id: MID,
          session_id: row.id,
          texto,
          responsable,
          fecha_limite: fecha,
          estado,
          seguimiento: estado === 'cumplido' ? 'Atendido y verificado en la sesión siguiente.' : '',
        })
        .execute();
    }
    await finalizeSession(trx, MID, row.id, 'Zacatecas');
  }
  // The next session, convened: the PMOT in public consultation is on the agenda.
  const next = await trx
    .insertInto('council_sessions')
    .values({
      municipality_id: MID,
      numero: numero + 1,
      tipo: 'ordinaria',
      fecha: new Date('2026-12-03T17:00:00-06:00'),
      lugar: 'Sala de juntas del IMPLAN',
      convocatoria: 'Orden del día: revisión del PMOT en consulta pública.',
      is_demo: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('council_items')
    .values({
      municipality_id: MID,
      session_id: next.id,
      posicion: 0,
      titulo: pmot ? `Opinión sobre el ${pmot.titulo}` : 'Asuntos generales',
      tipo: pmot ? 'plan' : 'otro',
      plan_id: pmot?.id ?? null,
    })
    .execute();

  // Quarterly progress reports of the PMD, frozen as published.
  for (const periodo of ['2025-T1', '2025-T2', '2025-T3', '2025-T4', '2026-T1', '2026-T2', '2026-T3']) {
    await publish(trx, { userId: ctx.planner, via: 'demo' }, MID, pmd.id, periodo, null, { isDemo: true });
  }

  // Citizens' ratings of the finished 2025 works.
  const residents = await trx.selectFrom('resident_verifications').select('user_id').where('municipality_id', '=', MID).execute();
  const finished = await trx
    .selectFrom('poa_actions as a')
    .innerJoin('poa_programs as g', 'g.id', 'a.program_id')
    .select('a.id')
    .where('a.municipality_id', '=', MID)
    .where('a.tipo', '=', 'obra')
    .where('a.avance_fisico', '>=', 100)
    .where('a.publicado', '=', true)
    .execute();
  const comments = [
    'Muy buena obra, ya se nota la diferencia.',
    'Quedó bien pero tardaron mucho.',
    'Falta mantenimiento.',
    'Excelente, la usamos todos los días.',
    '',
  ];
  for (const w of finished) {
    const raters = residents.filter(() => rand() < 0.2);
    if (!raters.length) continue;
    const base = 2 + rand() * 2.5;
    const score = () => Math.max(1, Math.min(5, Math.round(base + (rand() - 0.5) * 2)));
    await trx
      .insertInto('work_ratings')
      .values(
        raters.map((r) => ({
          municipality_id: MID,
          action_id: w.id,
          user_id: r.user_id,
          calidad: score(),
          utilidad: score(),
          oportunidad: score(),
          comentario: comments[Math.floor(rand() * comments.length)],
          is_demo: true,
        })),
      )
      .execute();
  }

  // Contraloría social: five committees watching works.
  const works = await trx
    .selectFrom('poa_actions')
    .select(['id', 'nombre'])
    .where('municipality_id', '=', MID)
    .where('tipo', '=', 'obra')
    .where('publicado', '=', true)
    .orderBy('id')
    .limit(10)
    .execute();
  const colonias = ['Centro Histórico', 'Las Huertas', 'Felipe Ángeles', 'Alma Obrera', 'Lomas de la Soledad'];
  for (const [i, col] of colonias.entries()) {
    const c = await trx
      .insertInto('social_committees')
      .values({
        municipality_id: MID,
        nombre: `Comité de contraloría social ${col}`,
        constituido: `2025-0${2 + i}-15`,
        validado: i < 4,
        is_demo: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('committee_members')
      .values(
        [0, 1, 2, 3].map((k) => ({
          municipality_id: MID,
          committee_id: c.id,
          nombre: `${['María', 'José', 'Rosa', 'Juan'][k]} ${['Hernández', 'Ramírez', 'Sánchez', 'Flores', 'Díaz'][i]} (demo)`,
          sexo: k % 2 === 0 ? ('mujer' as const) : ('hombre' as const),
          cargo: k === 0 ? 'presidencia' : 'integrante',
        })),
      )
      .execute();
    const watched = works.slice(i * 2, i * 2 + 2);
    if (watched.length)
      await trx
        .insertInto('committee_works')
        .values(watched.map((w) => ({ municipality_id: MID, committee_id: c.id, action_id: w.id })))
        .execute();
    await trx
      .insertInto('committee_reports')
      .values([
        {
          municipality_id: MID,
          committee_id: c.id,
          action_id: watched[0]?.id ?? null,
          fecha: '2025-09-15',
          tipo: 'informe',
          texto: 'Visita de verificación: la obra avanza conforme al programa.',
          estado: 'atendido',
          respuesta: 'Gracias; se publicará en el portal.',
        },
        {
          municipality_id: MID,
          committee_id: c.id,
          action_id: watched[1]?.id ?? null,
          fecha: '2026-02-10',
          tipo: 'hallazgo',
          texto: 'El material de la banqueta no corresponde al especificado en el expediente.',
          estado: i % 2 === 0 ? 'en_atencion' : 'abierto',
          respuesta: i % 2 === 0 ? 'Se pidió a la empresa el cambio de material.' : '',
        },
      ])
      .execute();
  }
}
