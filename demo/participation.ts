/**
 * DATOS DE DEMOSTRACIÓN — participation in Zacatecas (32056): verified residents, ~150 PROPONLE
 * proposals with supports and comments, two participatory budgets (2025 finished with works in
 * execution, 2026 in voting), two consultations and ~500 citizen reports. Invented, labelled demo.
 */
import crypto from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../src/server/db/types.ts';
import { publishResults, voterKey } from '../src/server/modules/participation/budgets.ts';

type Trx = Transaction<DB>;
const MID = '32056';

export const REPORT_SERVICES: { code: string; nombre: string; grupo: string; dep: string; keywords: string }[] = [
  { code: 'bache', nombre: 'Bache en la calle', grupo: 'Vialidades', dep: 'SOP', keywords: 'bache, pavimento, hoyo' },
  { code: 'banqueta', nombre: 'Banqueta dañada', grupo: 'Vialidades', dep: 'SOP', keywords: 'banqueta, acera, rampa' },
  { code: 'alumbrado', nombre: 'Luminaria apagada', grupo: 'Servicios públicos', dep: 'SOP', keywords: 'luz, lámpara, alumbrado' },
  { code: 'fuga', nombre: 'Fuga de agua', grupo: 'Servicios públicos', dep: 'SOP', keywords: 'agua, fuga, drenaje' },
  { code: 'basura', nombre: 'Basura acumulada', grupo: 'Limpia', dep: 'DUE', keywords: 'basura, tiradero, limpieza' },
  { code: 'arbol', nombre: 'Árbol caído o en riesgo', grupo: 'Medio ambiente', dep: 'DUE', keywords: 'árbol, rama, poda' },
  { code: 'grafiti', nombre: 'Grafiti en espacio público', grupo: 'Imagen urbana', dep: 'DUE', keywords: 'grafiti, pinta' },
  { code: 'semaforo', nombre: 'Semáforo descompuesto', grupo: 'Movilidad', dep: 'SSP', keywords: 'semáforo, tránsito, crucero' },
  { code: 'animal', nombre: 'Animal en situación de calle', grupo: 'Salud', dep: 'DS', keywords: 'perro, gato, animal' },
  { code: 'riesgo', nombre: 'Riesgo en vía pública', grupo: 'Protección civil', dep: 'PC', keywords: 'riesgo, cable, derrumbe' },
];

const NOMBRES = [
  'Ana',
  'Luis',
  'Carmen',
  'José',
  'Rosa',
  'Miguel',
  'Lucía',
  'Jorge',
  'Elena',
  'Pedro',
  'Sofía',
  'Raúl',
  'Patricia',
  'Arturo',
  'Guadalupe',
  'Ricardo',
  'Teresa',
  'Fernando',
  'Alejandra',
  'Héctor',
];
const APELLIDOS = [
  'García',
  'Hernández',
  'Martínez',
  'López',
  'González',
  'Rodríguez',
  'Pérez',
  'Sánchez',
  'Ramírez',
  'Torres',
  'Flores',
  'Rivera',
  'Gómez',
  'Díaz',
  'Reyes',
];

/** [tema, title, text, the POA works that could have come from it (by name), if any] */
const IDEAS: [string, string, string, RegExp?][] = [
  [
    'movilidad',
    'Ciclovía en {c}',
    'Proponemos una ciclovía segura que conecte {c} con el Centro Histórico, con señalización y bolardos para proteger a quienes van en bicicleta a la escuela y al trabajo.',
  ],
  [
    'movilidad',
    'Cruces peatonales seguros en {c}',
    'Los cruces cercanos a las escuelas de {c} no tienen rampas ni pintura. Pedimos pasos de cebra elevados y reductores de velocidad frente a las primarias.',
    /Cruces seguros/,
  ],
  [
    'movilidad',
    'Más rutas de transporte nocturno para {c}',
    'Después de las 21:00 no hay transporte público desde el centro hacia {c}. Una ruta nocturna ayudaría a quienes trabajan en comercios y hospitales.',
  ],
  [
    'seguridad',
    'Alumbrado en los callejones de {c}',
    'Los callejones de {c} están oscuros por la noche y la gente evita caminar por ahí. Pedimos luminarias LED y poda de árboles que tapan la luz.',
    /luminarias|Alumbrado LED/,
  ],
  [
    'seguridad',
    'Comité vecinal de seguridad en {c}',
    'Formar un comité vecinal con apoyo de Seguridad Pública, con reuniones mensuales y un grupo de comunicación para reportar incidentes.',
  ],
  [
    'cultura',
    'Cine al aire libre en la plaza de {c}',
    'Proyectar películas los viernes en la plaza de {c}, con programación familiar y de cine mexicano, para recuperar el espacio público.',
  ],
  [
    'cultura',
    'Taller de música para jóvenes de {c}',
    'Un taller gratuito de música en el centro comunitario de {c}, con instrumentos prestados, para que las y los jóvenes tengan alternativas por las tardes.',
  ],
  [
    'educacion',
    'Biblioteca comunitaria en {c}',
    'Habilitar una biblioteca con internet gratuito en {c}, con horario vespertino para que estudiantes hagan tareas y personas adultas terminen la secundaria.',
    /internet gratuito/,
  ],
  [
    'salud',
    'Jornadas de salud en {c}',
    'Organizar jornadas mensuales de salud en {c}: vacunación, toma de presión y glucosa, y pláticas de nutrición para personas mayores.',
  ],
  [
    'ordenamiento-territorial',
    'Rescate del parque de {c}',
    'El parque de {c} tiene juegos rotos y no tiene bancas. Proponemos rehabilitarlo con juegos incluyentes, árboles nativos y bebederos.',
    /parque|plaza de/,
  ],
  [
    'ordenamiento-territorial',
    'Banquetas accesibles en {c}',
    'Muchas banquetas de {c} tienen postes en medio o escalones. Pedimos banquetas continuas con rampas para sillas de ruedas y carriolas.',
    /banquetas accesibles|Pavimentación/,
  ],
  [
    'vivienda',
    'Mejoramiento de fachadas en {c}',
    'Un programa de pintura y mejoramiento de fachadas en {c}, con materiales aportados por el municipio y mano de obra vecinal.',
    /fachadas/,
  ],
  [
    'equidad',
    'Estancia para personas mayores en {c}',
    'Una estancia de día para personas mayores en {c}, con comida, actividades y acompañamiento, para aliviar a las familias cuidadoras.',
  ],
  [
    'empleo',
    'Tianguis de productores locales en {c}',
    'Un tianguis semanal en {c} para productores de la región, con permisos sencillos y baños públicos.',
  ],
  [
    'gobierno',
    'Presupuesto visible por colonia',
    'Publicar cada trimestre cuánto dinero se invierte en cada colonia y en qué obras, con mapa y fotos del avance, para que la ciudadanía pueda dar seguimiento.',
  ],
];

const COMENTARIOS = [
  'Totalmente de acuerdo, es muy necesario.',
  'Yo vivo cerca y lo veo todos los días. Apoyo.',
  '¿Cuánto costaría? Sería bueno saberlo antes de decidir.',
  'Buena idea, pero habría que pensar en el mantenimiento.',
  'Propongo que se haga primero cerca de las escuelas.',
  'Ya se había pedido hace dos años y no pasó nada.',
  'Podemos organizarnos para ayudar con faena.',
  'Me parece mejor priorizar el agua potable.',
];

const CATALOGUE_NOTES = [
  'Se atendió con cuadrilla de Obras Públicas.',
  'Reparado. Gracias por reportar.',
  'Se retiró y se limpió la zona.',
  'Se canalizó y se atendió en sitio.',
  'Atendido; se programó revisión en 30 días.',
];

export async function loadParticipation(trx: Trx, ctx: { rand: () => number; passwordHash: string; planner: number; citizen: number }) {
  const { rand } = ctx;
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const deps = await trx
    .selectFrom('departments')
    .select(['id', 'acronym', 'municipality_id'])
    .where('municipality_id', 'in', [MID, '32017'])
    .execute();
  const dep = (mid: string, a: string) => deps.find((d) => d.municipality_id === mid && d.acronym === a)!.id;
  for (const mid of [MID, '32017']) {
    await trx
      .insertInto('participation_settings')
      .values({ municipality_id: mid, verificacion: ['sms', 'presencial'], limite_diario: 20 })
      .execute();
    await trx
      .insertInto('report_services')
      .values(
        REPORT_SERVICES.map((s) => ({
          municipality_id: mid,
          code: s.code,
          nombre: s.nombre,
          descripcion: `${s.nombre} (demostración)`,
          grupo: s.grupo,
          keywords: s.keywords,
          department_id: dep(mid, s.dep),
        })),
      )
      .execute();
  }
  const colonias = await trx
    .selectFrom('territorial_units')
    .select(['id', 'name'])
    .where('municipality_id', '=', MID)
    .where('level', '=', 'colonia')
    .orderBy('cvegeo')
    .execute();
  // Random points inside each colonia, made once by PostGIS.
  const pts = await sql<{ unit_id: number; x: number; y: number }>`
    select u.id as unit_id, st_x(d.geom) as x, st_y(d.geom) as y
      from territorial_units u, lateral st_dump(st_generatepoints(u.geom, 80, u.id::int)) d
     where u.municipality_id = ${MID} and u.level = 'colonia'`.execute(trx);
  const pointsOf = new Map<number, { x: number; y: number }[]>();
  for (const p of pts.rows) pointsOf.set(p.unit_id, [...(pointsOf.get(p.unit_id) ?? []), { x: p.x, y: p.y }]);
  const pointIn = (unitId: number) => pick(pointsOf.get(unitId)!);

  // Verified residents (in person, CURP kept only as a hash) plus María Ciudadana, verified by SMS.
  const residents: { id: number; unit: number }[] = [];
  const people = Array.from({ length: 80 }, (_, i) => ({
    i,
    nombre: `${NOMBRES[i % NOMBRES.length]} ${APELLIDOS[(i * 7) % APELLIDOS.length]} (demo)`,
    unit: colonias[i % colonias.length].id,
  }));
  const users = await trx
    .insertInto('users')
    .values(
      people.map((p) => ({
        email: `vecino${String(p.i + 1).padStart(2, '0')}@demo.brujula.mx`,
        name: p.nombre,
        password_hash: ctx.passwordHash,
        email_verified_at: new Date(),
        home_municipality_id: MID,
        is_demo: true,
      })),
    )
    .returning('id')
    .execute();
  await trx
    .insertInto('role_grants')
    .values(users.map((u) => ({ user_id: u.id, municipality_id: MID, role: 'citizen' as const })))
    .execute();
  await trx
    .insertInto('resident_verifications')
    .values(
      users.map((u, i) => ({
        municipality_id: MID,
        user_id: u.id,
        metodo: 'presencial' as const,
        curp_hash: crypto.createHash('sha256').update(`demo-curp-${i}`).digest('hex'),
        unit_id: people[i].unit,
        verificado_por: ctx.planner,
      })),
    )
    .execute();
  users.forEach((u, i) => residents.push({ id: u.id, unit: people[i].unit }));
  await trx
    .insertInto('resident_verifications')
    .values({
      municipality_id: MID,
      user_id: ctx.citizen,
      metodo: 'sms',
      telefono_hash: crypto.createHash('sha256').update('demo-tel').digest('hex'),
      telefono_final: '4567',
      unit_id: colonias[0].id,
    })
    .execute();

  // ---------- proposals ----------
  // A proposal that became a work names a work that answers it (a request for lighting, a lighting work), and
  // the plan line that work is aligned to.
  const works = await trx
    .selectFrom('poa_actions as a')
    .select([
      'a.id',
      'a.nombre',
      'a.avance_fisico',
      (eb) =>
        eb
          .selectFrom('action_alignments as x')
          .select('x.element_id')
          .whereRef('x.action_id', '=', 'a.id')
          .orderBy('x.element_id')
          .limit(1)
          .as('element_id'),
    ])
    .where('a.municipality_id', '=', MID)
    .where('a.tipo', '=', 'obra')
    .where('a.publicado', '=', true)
    .orderBy('a.id')
    .execute();
  const estados = [
    'recibida',
    'recibida',
    'recibida',
    'en_revision',
    'en_revision',
    'viable',
    'no_viable',
    'incluida',
    'en_ejecucion',
    'concluida',
  ] as const;
  const now = Date.now();
  for (let i = 0; i < 150; i++) {
    const [tema, t, body, answeredBy] = IDEAS[i % IDEAS.length];
    const col = colonias[(i * 5 + Math.floor(i / IDEAS.length)) % colonias.length];
    const author = residents[(i * 13) % residents.length];
    const created = new Date(now - (20 + rand() * 500) * 86400_000);
    let estado: (typeof estados)[number] = pick(estados);
    const fitting = answeredBy ? works.filter((w) => answeredBy.test(w.nombre)) : [];
    const action = ['incluida', 'en_ejecucion', 'concluida'].includes(estado) && fitting.length ? fitting[i % fitting.length] : null;
    if (!action && ['incluida', 'en_ejecucion', 'concluida'].includes(estado)) estado = 'viable';
    const respuesta =
      estado === 'no_viable'
        ? 'No es competencia municipal o el predio no es de propiedad pública; se canalizó a la dependencia estatal correspondiente.'
        : estado === 'viable'
          ? 'El IMPLAN revisó la propuesta: es técnica y legalmente viable. Se considerará en la programación del próximo POA.'
          : action
            ? 'Se incluyó en el Programa Operativo Anual como obra pública; puede seguir su avance en esta página.'
            : estado === 'en_revision'
              ? 'La propuesta está en revisión técnica por la dependencia responsable.'
              : '';
    const titulo = t.replace('{c}', col.name);
    const texto = body.replace(/\{c\}/g, col.name);
    const p = pointIn(col.id);
    const row = await trx
      .insertInto('proposals')
      .values({
        municipality_id: MID,
        user_id: author.id,
        titulo,
        cuerpo: `<p>${texto}</p>`,
        cuerpo_texto: texto,
        tema,
        unit_id: col.id,
        geom: sql`st_setsrid(st_makepoint(${p.x}, ${p.y}), 4326)`,
        estado,
        respuesta,
        action_id: action?.id ?? null,
        element_id: estado === 'incluida' ? (action?.element_id ?? null) : null,
        is_demo: true,
        created_at: created,
        updated_at: created,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('proposal_status_changes')
      .values({ municipality_id: MID, proposal_id: row.id, estado: 'recibida', respuesta: '', user_id: author.id, at: created })
      .execute();
    if (estado !== 'recibida') {
      await trx
        .insertInto('proposal_status_changes')
        .values({
          municipality_id: MID,
          proposal_id: row.id,
          estado,
          respuesta,
          user_id: ctx.planner,
          at: new Date(created.getTime() + 15 * 86400_000),
        })
        .execute();
    }
    // Supports: a long tail, a few popular ones.
    const n = Math.min(residents.length - 1, Math.floor(rand() ** 3 * 70));
    const supporters = residents
      .filter((r) => r.id !== author.id)
      .sort(() => rand() - 0.5)
      .slice(0, n);
    if (supporters.length)
      await trx
        .insertInto('proposal_supports')
        .values(
          supporters.map((s) => ({
            municipality_id: MID,
            proposal_id: row.id,
            user_id: s.id,
            created_at: new Date(created.getTime() + rand() * 20 * 86400_000),
          })),
        )
        .execute();
    const followers = [author, ...supporters.slice(0, 3)];
    await trx
      .insertInto('proposal_followers')
      .values(followers.map((f) => ({ municipality_id: MID, proposal_id: row.id, user_id: f.id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    const nc = Math.floor(rand() * 4);
    let parent: number | null = null;
    for (let k = 0; k < nc; k++) {
      const c = await trx
        .insertInto('proposal_comments')
        .values({
          municipality_id: MID,
          proposal_id: row.id,
          parent_id: k === 2 ? parent : null,
          user_id: pick(residents).id,
          texto: pick(COMENTARIOS),
          created_at: new Date(created.getTime() + (k + 1) * 86400_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      parent = parent ?? c.id;
    }
    await trx.updateTable('proposals').set({ apoyos: supporters.length, comentarios: nc }).where('id', '=', row.id).execute();
  }

  // ---------- participatory budgets ----------
  const prog = async (anio: number) =>
    (
      await trx
        .selectFrom('poa_programs')
        .select('id')
        .where('municipality_id', '=', MID)
        .where('anio', '=', anio)
        .where('clave', '=', 'E-INFRA')
        .executeTakeFirstOrThrow()
    ).id;
  const ideas = [
    'Rehabilitación de la cancha de usos múltiples',
    'Luminarias LED en la calle principal',
    'Rampas y banquetas accesibles',
    'Huerto comunitario y composta',
    'Techado del patio de la primaria',
    'Juegos infantiles incluyentes en el parque',
    'Bebederos y sombra en la plaza',
    'Cámaras y botones de auxilio',
  ];
  const processes = [
    { anio: 2025, titulo: 'Presupuesto Participativo 2025', fase: 'ejecucion' as const },
    { anio: 2026, titulo: 'Presupuesto Participativo 2026', fase: 'votacion' as const },
  ];
  for (const pr of processes) {
    const fechas =
      pr.anio === 2025
        ? {
            propuestas: { inicio: '2025-02-01', fin: '2025-03-15' },
            revision: { inicio: '2025-03-16', fin: '2025-04-15' },
            costos: { inicio: '2025-04-16', fin: '2025-04-30' },
            votacion: { inicio: '2025-05-01', fin: '2025-05-31' },
            resultados: { inicio: '2025-06-01', fin: '2025-06-15' },
            ejecucion: { inicio: '2025-06-16', fin: '2025-12-15' },
          }
        : {
            propuestas: { inicio: '2026-08-01', fin: '2026-09-10' },
            revision: { inicio: '2026-09-11', fin: '2026-10-10' },
            costos: { inicio: '2026-10-11', fin: '2026-10-31' },
            votacion: { inicio: '2026-11-01', fin: '2026-12-15' },
            resultados: { inicio: '2026-12-16', fin: '2026-12-31' },
            ejecucion: { inicio: '2027-01-15', fin: '2027-11-30' },
          };
    const p = await trx
      .insertInto('pb_processes')
      .values({
        municipality_id: MID,
        anio: pr.anio,
        titulo: pr.titulo,
        fase: pr.fase,
        fechas: JSON.stringify(fechas),
        program_id: await prog(pr.anio),
        is_demo: true,
        descripcion: `Las y los vecinos de Zacatecas deciden en qué se invierte parte del presupuesto ${pr.anio}: cada quien elige proyectos hasta el monto de su territorio (boleta tipo mochila). Datos de demostración.`,
        ballot_salt: pr.fase === 'votacion' ? crypto.randomBytes(32).toString('hex') : null,
      })
      .returning(['id', 'ballot_salt'])
      .executeTakeFirstOrThrow();
    const local = colonias.slice(0, 3);
    const territories = await trx
      .insertInto('pb_territories')
      .values([
        { municipality_id: MID, process_id: p.id, nombre: 'Todo el municipio', unit_id: null, monto: 3_000_000 },
        ...local.map((c) => ({ municipality_id: MID, process_id: p.id, nombre: c.name, unit_id: c.id, monto: 1_200_000 })),
      ])
      .returning(['id', 'unit_id', 'monto'])
      .execute();
    const projects: { id: number; territory: number; costo: number }[] = [];
    for (const t of territories) {
      for (let k = 0; k < 5; k++) {
        const col = t.unit_id ?? colonias[(k * 3 + 4) % colonias.length].id;
        const name = colonias.find((c) => c.id === col)!.name;
        const viable = k !== 4;
        const costo = Math.round((Number(t.monto) * (0.18 + rand() * 0.35)) / 1000) * 1000;
        const pt = pointIn(col);
        const x = await trx
          .insertInto('pb_projects')
          .values({
            municipality_id: MID,
            process_id: p.id,
            territory_id: t.id,
            user_id: pick(residents).id,
            is_demo: true,
            titulo: `${ideas[(k + t.id) % ideas.length]} en ${name}`,
            descripcion: `Proyecto vecinal para ${name}: ${ideas[(k + t.id) % ideas.length].toLowerCase()}, con participación de la comunidad en su diseño y vigilancia.`,
            geom: sql`st_setsrid(st_makepoint(${pt.x}, ${pt.y}), 4326)`,
            costo: viable ? costo : null,
            viable,
            dictamen: viable ? 'Viable: el predio es público y la obra cabe en el monto.' : 'El predio es de propiedad privada.',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (viable) projects.push({ id: x.id, territory: t.id, costo });
      }
    }
    // Ballots: each resident votes in the municipal territory and, when it applies, their colonia's.
    const voters = pr.fase === 'votacion' ? residents.slice(0, 45) : residents;
    for (const r of voters) {
      for (const t of territories.filter((t) => t.unit_id === null || t.unit_id === r.unit)) {
        const options = projects.filter((x) => x.territory === t.id).sort(() => rand() - 0.5);
        const chosen: number[] = [];
        let left = Number(t.monto);
        for (const o of options) if (o.costo <= left && rand() < 0.7) chosen.push(o.id), (left -= o.costo);
        if (!chosen.length) continue;
        await trx.insertInto('pb_voters').values({ municipality_id: MID, process_id: p.id, territory_id: t.id, user_id: r.id }).execute();
        const key = p.ballot_salt ? voterKey(p.ballot_salt, r.id, t.id) : crypto.randomBytes(32).toString('hex');
        await trx
          .insertInto('pb_ballots')
          .values({ voter_key: key, municipality_id: MID, process_id: p.id, territory_id: t.id, proyectos: chosen.sort((a, b) => a - b) })
          .execute();
      }
    }
    if (pr.fase === 'ejecucion') {
      await publishResults(trx, MID, p.id);
      const winners = await trx
        .selectFrom('pb_projects')
        .selectAll()
        .where('process_id', '=', p.id)
        .where('seleccionado', '=', true)
        .orderBy('id')
        .execute();
      for (const [k, w] of winners.entries()) {
        const a = await trx
          .insertInto('poa_actions')
          .values({
            municipality_id: MID,
            program_id: await prog(2025),
            department_id: dep(MID, 'SOP'),
            clave: `PP2025-${w.id}`,
            nombre: w.titulo,
            tipo: 'obra',
            descripcion: `${w.descripcion}\n\nProyecto ganador del presupuesto participativo «${pr.titulo}».`,
            geom: sql`(select geom from pb_projects where id = ${w.id})`,
            publicado: true,
            avance_fisico: [100, 85, 60, 40, 25][k % 5],
            fecha_inicio: '2025-07-01',
            fecha_fin: '2025-12-15',
            is_demo: true,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const src = await trx
          .selectFrom('funding_sources')
          .select('id')
          .where('municipality_id', '=', MID)
          .orderBy('id')
          .executeTakeFirst();
        if (src)
          await trx
            .insertInto('action_budgets')
            .values({
              municipality_id: MID,
              action_id: a.id,
              funding_source_id: src.id,
              aprobado: Number(w.costo),
              ejercido: Math.round(Number(w.costo) * ([100, 85, 60, 40, 25][k % 5] / 100)),
            })
            .execute();
        await trx.updateTable('pb_projects').set({ action_id: a.id }).where('id', '=', w.id).execute();
      }
    }
  }

  // ---------- consultations ----------
  const movilidad = await trx
    .insertInto('consultations')
    .values({
      municipality_id: MID,
      titulo: 'Movilidad en el Centro Histórico',
      descripcion:
        '¿Cómo se mueve usted por el Centro Histórico y qué cambiaría? Sus respuestas orientan el programa de movilidad. Datos de demostración.',
      estado: 'abierta',
      inicio: '2026-10-01',
      fin: '2027-01-31',
      is_demo: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const qs = await trx
    .insertInto('consultation_questions')
    .values([
      {
        municipality_id: MID,
        consultation_id: movilidad.id,
        posicion: 0,
        tipo: 'unica',
        texto: '¿Cómo llega usted al Centro Histórico con más frecuencia?',
        opciones: ['Caminando', 'Transporte público', 'Automóvil', 'Bicicleta', 'Taxi o aplicación'],
      },
      {
        municipality_id: MID,
        consultation_id: movilidad.id,
        posicion: 1,
        tipo: 'multiple',
        texto: '¿Qué mejoras le parecen prioritarias?',
        opciones: ['Banquetas más anchas', 'Calles peatonales', 'Estacionamientos periféricos', 'Ciclovías', 'Más rutas de transporte'],
      },
      {
        municipality_id: MID,
        consultation_id: movilidad.id,
        posicion: 2,
        tipo: 'abierta',
        texto: '¿Qué otra propuesta tiene?',
        opciones: [],
        obligatoria: false,
      },
    ])
    .returning(['id', 'tipo'])
    .execute();
  const abiertas = [
    'Que los camiones de carga entren solo de noche.',
    'Más bancas y sombra en las calles peatonales.',
    'Un estacionamiento en la entrada con transporte gratuito al centro.',
  ];
  for (const [i, r] of residents.slice(0, 42).entries()) {
    const resp = await trx
      .insertInto('consultation_responses')
      .values({ municipality_id: MID, consultation_id: movilidad.id, user_id: r.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('consultation_answers')
      .values([
        { municipality_id: MID, response_id: resp.id, question_id: qs[0].id, opciones: [Math.floor(rand() ** 1.5 * 5)] },
        {
          municipality_id: MID,
          response_id: resp.id,
          question_id: qs[1].id,
          opciones: [...new Set([Math.floor(rand() * 5), Math.floor(rand() * 5)])],
        },
        ...(i % 7 === 0
          ? [
              {
                municipality_id: MID,
                response_id: resp.id,
                question_id: qs[2].id,
                opciones: [],
                texto: abiertas[(i / 7) % abiertas.length],
              },
            ]
          : []),
      ])
      .execute();
  }
  const pmot = await trx
    .selectFrom('plans')
    .select(['id', 'titulo'])
    .where('municipality_id', '=', MID)
    .where('estado', '=', 'consulta')
    .executeTakeFirst();
  if (pmot) {
    const c = await trx
      .insertInto('consultations')
      .values({
        municipality_id: MID,
        titulo: `Consulta pública: ${pmot.titulo}`,
        descripcion:
          'Opine sobre el programa en consulta pública: comente cada elemento en la página del plan y responda estas preguntas generales. Datos de demostración.',
        plan_id: pmot.id,
        estado: 'abierta',
        solo_residentes: true,
        is_demo: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('consultation_questions')
      .values([
        {
          municipality_id: MID,
          consultation_id: c.id,
          posicion: 0,
          tipo: 'unica',
          texto: '¿Está de acuerdo con la zonificación propuesta para su colonia?',
          opciones: ['Sí', 'En parte', 'No', 'No la conozco'],
        },
        {
          municipality_id: MID,
          consultation_id: c.id,
          posicion: 1,
          tipo: 'abierta',
          texto: '¿Qué cambiaría del programa?',
          opciones: [],
          obligatoria: false,
        },
      ])
      .execute();
  }

  // ---------- citizen reports ----------
  const services = await trx
    .selectFrom('report_services')
    .select(['id', 'code', 'department_id'])
    .where('municipality_id', '=', MID)
    .execute();
  const weights = [30, 10, 18, 12, 12, 4, 4, 3, 4, 3];
  const total = weights.reduce((a, b) => a + b, 0);
  const pickService = () => {
    let x = rand() * total;
    for (const [i, w] of weights.entries()) if ((x -= w) < 0) return services.find((s) => s.code === REPORT_SERVICES[i].code)!;
    return services[0];
  };
  const DESCR: Record<string, string[]> = {
    bache: ['Bache profundo a media calle, ya reventó dos llantas.', 'Hoyo grande frente al número 120.'],
    banqueta: ['Banqueta levantada por raíces, peligrosa para personas mayores.'],
    alumbrado: ['Tres luminarias apagadas en la cuadra desde hace una semana.', 'Lámpara parpadeando toda la noche.'],
    fuga: ['Fuga de agua limpia en la esquina, lleva días.', 'Sale agua del registro de drenaje.'],
    basura: ['Tiradero de basura en el lote baldío.', 'No ha pasado el camión en una semana.'],
    arbol: ['Rama grande a punto de caer sobre los cables.'],
    grafiti: ['Pintas en la barda de la escuela.'],
    semaforo: ['Semáforo apagado en el crucero, hay mucho riesgo.'],
    animal: ['Perro herido en la calle.'],
    riesgo: ['Cable caído sobre la banqueta.', 'Barda a punto de derrumbarse.'],
  };
  const reportRows = [];
  for (let i = 0; i < 500; i++) {
    const s = pickService();
    const col = colonias[Math.floor(rand() ** 1.3 * colonias.length)];
    const pt = pointIn(col.id);
    const requested = new Date(now - rand() ** 0.8 * 365 * 86400_000);
    const closed = requested.getTime() < now - 10 * 86400_000 ? rand() < 0.8 : rand() < 0.3;
    reportRows.push({ s, col, pt, requested, closed, by: rand() < 0.7 ? pick(residents).id : null });
  }
  for (const r of reportRows) {
    const updated = r.closed ? new Date(r.requested.getTime() + (1 + rand() * 20) * 86400_000) : r.requested;
    const x = await trx
      .insertInto('citizen_reports')
      .values({
        municipality_id: MID,
        service_id: r.s.id,
        user_id: r.by,
        descripcion: pick(DESCR[r.s.code]),
        direccion: `${r.col.name}, Zacatecas`,
        geom: sql`st_setsrid(st_makepoint(${r.pt.x}, ${r.pt.y}), 4326)`,
        unit_id: r.col.id,
        estado: r.closed ? 'closed' : 'open',
        status_notes: r.closed ? pick(CATALOGUE_NOTES) : '',
        department_id: r.s.department_id,
        is_demo: true,
        requested_at: r.requested,
        updated_at: updated,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('report_updates')
      .values({ municipality_id: MID, report_id: x.id, estado: 'open', nota: 'Reporte recibido', user_id: r.by, at: r.requested })
      .execute();
    if (r.closed)
      await trx
        .insertInto('report_updates')
        .values({ municipality_id: MID, report_id: x.id, estado: 'closed', nota: pick(CATALOGUE_NOTES), user_id: ctx.planner, at: updated })
        .execute();
    if (r.by) await trx.insertInto('report_followers').values({ municipality_id: MID, report_id: x.id, user_id: r.by }).execute();
  }
}
