/**
 * DATOS DE DEMOSTRACIÓN — plans and the POA. Seed 002's Eje 1 as the state's PED (real text), and
 * for Zacatecas (32056) an invented PMD 2024–2027 aligned to it and to ODS, a Visión 2040, a PMOT
 * following seed 004's five phases (in public consultation), and POAs 2025–2026 with ~60 actions and
 * ~20 public works with budgets, locations, progress reports, photos and contracts. Every name,
 * amount, contractor and RFC below is invented.
 */
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB, PlanEstado } from '../src/server/db/types.ts';
import { insertOutline, snapshot } from '../src/server/modules/plans/service.ts';
import { PED_METAS, PED_OBJETIVO_GENERAL, PED_OBJETIVOS } from './ped-eje1.ts';

type Trx = Transaction<DB>;
type Node = {
  codigo: string;
  titulo: string;
  descripcion?: string;
  hijos?: Node[];
  ods?: string[];
  alinea?: string[];
  metas?: { descripcion: string; indicador?: string; base?: number; valores?: [number, number][] }[];
};

const PMD: Node[] = [
  {
    codigo: '1',
    titulo: 'Gobierno abierto, honesto y participativo',
    hijos: [
      {
        codigo: '1.1',
        titulo: 'Incorporar a la ciudadanía en las decisiones públicas del municipio',
        hijos: [
          {
            codigo: '1.1.1',
            titulo: 'Presupuesto participativo por colonia',
            ods: ['16.7'],
            alinea: ['1.1.1', '1.2.2'],
            hijos: [
              { codigo: '1.1.1.1', titulo: 'Destinar cada año una bolsa de inversión a proyectos elegidos por votación vecinal' },
              { codigo: '1.1.1.2', titulo: 'Publicar el avance de los proyectos ganadores con fotografías y montos' },
            ],
          },
          // Parity is this line's own aim, so the meta on women in directive posts lives here (not on 1.1, where
          // the participatory budget's actions would count towards it).
          {
            codigo: '1.1.2',
            titulo: 'Consejo Ciudadano del IMPLAN con integración paritaria',
            ods: ['5.5', '16.7'],
            alinea: ['1.1.3'],
            metas: [
              {
                descripcion: 'Mujeres en cargos directivos de la administración municipal',
                indicador: 'EQ-01',
                valores: [
                  [2025, 35],
                  [2026, 42],
                  [2027, 50],
                ],
              },
            ],
            hijos: [
              { codigo: '1.1.2.1', titulo: 'Renovar el Consejo Ciudadano con 50 % de mujeres' },
              { codigo: '1.1.2.2', titulo: 'Someter los planes y programas a validación del Consejo' },
              { codigo: '1.1.2.3', titulo: 'Formar comités de contraloría social para cada obra mayor' },
            ],
          },
        ],
      },
      {
        codigo: '1.2',
        titulo: 'Gestionar para resultados con finanzas sanas y transparentes',
        hijos: [
          {
            codigo: '1.2.1',
            titulo: 'Presupuesto basado en resultados y evaluación del desempeño',
            ods: ['16.6'],
            alinea: ['1.2.1'],
            hijos: [
              { codigo: '1.2.1.1', titulo: 'Elaborar la MIR de todos los programas presupuestarios' },
              { codigo: '1.2.1.2', titulo: 'Publicar informes trimestrales de avance del PMD' },
            ],
          },
          {
            codigo: '1.2.2',
            titulo: 'Gobierno digital y datos abiertos',
            ods: ['16.10', '9.c'],
            alinea: ['1.3.1', '1.4.1'],
            hijos: [
              { codigo: '1.2.2.1', titulo: 'Digitalizar los 20 trámites más solicitados' },
              { codigo: '1.2.2.2', titulo: 'Publicar en datos abiertos la obra pública con el estándar de contrataciones abiertas' },
              { codigo: '1.2.2.3', titulo: 'Conectar a internet gratuito plazas y bibliotecas públicas' },
            ],
          },
        ],
      },
    ],
  },
  {
    codigo: '2',
    titulo: 'Ciudad ordenada, sustentable y con servicios',
    hijos: [
      {
        codigo: '2.1',
        titulo: 'Dotar de servicios básicos de calidad a todas las colonias',
        metas: [
          {
            descripcion: 'Viviendas con agua, drenaje y electricidad',
            indicador: 'OT-01',
            valores: [
              [2025, 91],
              [2026, 92.5],
              [2027, 94],
            ],
          },
        ],
        hijos: [
          {
            codigo: '2.1.1',
            titulo: 'Agua potable y drenaje en zonas de atención prioritaria',
            ods: ['6.1', '6.2'],
            hijos: [
              { codigo: '2.1.1.1', titulo: 'Ampliar las redes de agua potable en colonias periféricas' },
              { codigo: '2.1.1.2', titulo: 'Sustituir colectores de drenaje con más de 40 años' },
            ],
          },
          {
            codigo: '2.1.2',
            titulo: 'Calles, alumbrado y espacios públicos dignos',
            ods: ['11.2', '11.7'],
            hijos: [
              { codigo: '2.1.2.1', titulo: 'Pavimentar y rehabilitar calles con concreto hidráulico' },
              { codigo: '2.1.2.2', titulo: 'Modernizar el alumbrado público con luminarias LED' },
              { codigo: '2.1.2.3', titulo: 'Rehabilitar parques, jardines y unidades deportivas' },
            ],
          },
        ],
      },
      {
        codigo: '2.2',
        titulo: 'Ordenar el crecimiento urbano y la movilidad',
        metas: [
          {
            descripcion: 'Víctimas de hechos de tránsito por cada 10 mil habitantes',
            indicador: 'MOV-01',
            valores: [
              [2025, 12.5],
              [2026, 11.5],
              [2027, 10.5],
            ],
          },
        ],
        hijos: [
          {
            codigo: '2.2.1',
            titulo: 'Actualizar el PMOT y el Plan de Desarrollo Urbano',
            ods: ['11.3'],
            hijos: [
              { codigo: '2.2.1.1', titulo: 'Formular el PMOT con participación ciudadana' },
              { codigo: '2.2.1.2', titulo: 'Emitir dictámenes de uso de suelo en línea' },
            ],
          },
          {
            codigo: '2.2.2',
            titulo: 'Movilidad segura y centro histórico caminable',
            ods: ['11.2', '3.6'],
            hijos: [
              { codigo: '2.2.2.1', titulo: 'Construir cruces seguros y banquetas accesibles' },
              { codigo: '2.2.2.2', titulo: 'Conservar el centro histórico, Patrimonio Mundial' },
            ],
          },
        ],
      },
    ],
  },
  {
    codigo: '3',
    titulo: 'Bienestar e inclusión social',
    hijos: [
      {
        codigo: '3.1',
        titulo: 'Reducir la pobreza y las carencias sociales',
        metas: [
          {
            descripcion: 'Población en situación de pobreza',
            indicador: 'DH-01',
            valores: [
              [2025, 41],
              [2026, 39.5],
              [2027, 38],
            ],
          },
          {
            descripcion: 'Población sin afiliación a servicios de salud',
            indicador: 'SAL-01',
            valores: [
              [2025, 17.5],
              [2026, 16.5],
              [2027, 15.5],
            ],
          },
        ],
        hijos: [
          {
            codigo: '3.1.1',
            titulo: 'Mejoramiento de vivienda en zonas de atención prioritaria',
            ods: ['1.4', '11.1'],
            hijos: [
              { codigo: '3.1.1.1', titulo: 'Instalar techos, pisos firmes y cuartos adicionales' },
              { codigo: '3.1.1.2', titulo: 'Instalar calentadores solares y sanitarios ecológicos' },
            ],
          },
          {
            codigo: '3.1.2',
            titulo: 'Salud comunitaria y alimentación',
            ods: ['2.1', '3.8'],
            hijos: [
              { codigo: '3.1.2.1', titulo: 'Operar comedores comunitarios en colonias de alta marginación' },
              { codigo: '3.1.2.2', titulo: 'Realizar jornadas de salud en localidades rurales' },
            ],
          },
        ],
      },
      {
        codigo: '3.2',
        titulo: 'Educación, cultura y deporte para todas las edades',
        metas: [
          {
            descripcion: 'Abandono escolar en secundaria',
            indicador: 'EDU-01',
            valores: [
              [2025, 6],
              [2026, 5.5],
              [2027, 5],
            ],
          },
          {
            descripcion: 'Asistentes a eventos culturales por cada 100 habitantes',
            indicador: 'CUL-01',
            valores: [
              [2025, 42],
              [2026, 45],
              [2027, 48],
            ],
          },
        ],
        hijos: [
          {
            codigo: '3.2.1',
            titulo: 'Escuelas dignas y becas contra el abandono escolar',
            ods: ['4.1', '4.a'],
            hijos: [
              { codigo: '3.2.1.1', titulo: 'Rehabilitar sanitarios y techumbres de escuelas públicas' },
              { codigo: '3.2.1.2', titulo: 'Otorgar becas de transporte a estudiantes de secundaria' },
            ],
          },
          {
            codigo: '3.2.2',
            titulo: 'Cultura y deporte en los barrios',
            ods: ['11.4'],
            hijos: [
              { codigo: '3.2.2.1', titulo: 'Llevar el Festival Cultural a las colonias' },
              { codigo: '3.2.2.2', titulo: 'Abrir escuelas deportivas en unidades rehabilitadas' },
            ],
          },
        ],
      },
    ],
  },
  {
    codigo: '4',
    titulo: 'Seguridad y desarrollo económico',
    hijos: [
      {
        codigo: '4.1',
        titulo: 'Recuperar la seguridad en el espacio público',
        metas: [
          {
            descripcion: 'Delitos del fuero común por cada mil habitantes',
            indicador: 'SEG-01',
            valores: [
              [2025, 23],
              [2026, 21.5],
              [2027, 20],
            ],
          },
        ],
        hijos: [
          {
            codigo: '4.1.1',
            titulo: 'Policía de proximidad equipada y capacitada',
            ods: ['16.1'],
            hijos: [
              { codigo: '4.1.1.1', titulo: 'Equipar y capacitar a la policía de proximidad' },
              { codigo: '4.1.1.2', titulo: 'Instalar videovigilancia conectada al C5' },
            ],
          },
          {
            codigo: '4.1.2',
            titulo: 'Prevención social de la violencia',
            ods: ['16.1', '5.2'],
            hijos: [
              { codigo: '4.1.2.1', titulo: 'Recuperar espacios públicos con actividades para jóvenes' },
              { codigo: '4.1.2.2', titulo: 'Atender a mujeres en situación de violencia' },
            ],
          },
        ],
      },
      {
        codigo: '4.2',
        titulo: 'Impulsar el empleo, el turismo y la economía local',
        metas: [
          {
            descripcion: 'Tasa de desocupación',
            indicador: 'EMP-01',
            valores: [
              [2025, 4.3],
              [2026, 4.1],
              [2027, 3.9],
            ],
          },
          {
            descripcion: 'Unidades económicas por cada mil habitantes',
            indicador: 'RS-01',
            valores: [
              [2025, 40],
              [2026, 41],
              [2027, 42],
            ],
          },
        ],
        hijos: [
          {
            codigo: '4.2.1',
            titulo: 'Turismo cultural y centro histórico vivo',
            ods: ['8.9'],
            hijos: [
              { codigo: '4.2.1.1', titulo: 'Mejorar la imagen urbana de calles y plazas del centro' },
              { codigo: '4.2.1.2', titulo: 'Promover a Zacatecas como destino de congresos' },
            ],
          },
          {
            codigo: '4.2.2',
            titulo: 'Apoyo a micro y pequeñas empresas',
            ods: ['8.3'],
            hijos: [
              { codigo: '4.2.2.1', titulo: 'Otorgar microcréditos y capacitación a emprendedoras' },
              { codigo: '4.2.2.2', titulo: 'Simplificar la apertura de negocios de bajo riesgo' },
            ],
          },
        ],
      },
    ],
  },
];

const VISION: Node[] = [
  {
    codigo: 'V',
    titulo:
      'En 2040 Zacatecas es una ciudad patrimonio compacta, segura y próspera, donde cada colonia tiene servicios de calidad y la ciudadanía decide con su gobierno',
    hijos: [
      {
        codigo: 'V1',
        titulo: 'Ciudad compacta y conectada',
        hijos: [
          { codigo: 'V1.1', titulo: 'Frenar la expansión urbana dispersa y densificar los corredores con transporte' },
          { codigo: 'V1.2', titulo: 'Cobertura universal de agua, drenaje y alumbrado' },
        ],
      },
      {
        codigo: 'V2',
        titulo: 'Comunidad incluyente',
        hijos: [
          { codigo: 'V2.1', titulo: 'Ninguna colonia con marginación alta' },
          { codigo: 'V2.2', titulo: 'Igualdad sustantiva entre mujeres y hombres' },
        ],
      },
      {
        codigo: 'V3',
        titulo: 'Economía del conocimiento y el turismo cultural',
        hijos: [
          { codigo: 'V3.1', titulo: 'Centro histórico habitado y vivo' },
          { codigo: 'V3.2', titulo: 'Empleo formal para la población joven' },
        ],
      },
      {
        codigo: 'V4',
        titulo: 'Gobierno abierto y de resultados',
        hijos: [
          { codigo: 'V4.1', titulo: 'Decisiones públicas con participación ciudadana institucionalizada' },
          { codigo: 'V4.2', titulo: 'Finanzas municipales sanas y transparentes' },
        ],
      },
      {
        codigo: 'V5',
        titulo: 'Territorio seguro y resiliente',
        hijos: [
          { codigo: 'V5.1', titulo: 'Reducir la exposición de la población a inundaciones y deslaves' },
          { codigo: 'V5.2', titulo: 'Espacios públicos seguros de día y de noche' },
        ],
      },
    ],
  },
];

/** PMD objetivo → Visión 2040 objetivo it serves. */
const PMD_TO_VISION: Record<string, string> = {
  '1.1': 'V4.1',
  '1.2': 'V4.2',
  '2.1': 'V1.2',
  '2.2': 'V1.1',
  '3.1': 'V2.1',
  '3.2': 'V2.2',
  '4.1': 'V5.2',
  '4.2': 'V3.2',
};

const PMOT: Node[] = [
  {
    codigo: 'F1',
    titulo: 'Fase 1. Sistema de coordinación',
    descripcion:
      'Construir el instrumento municipal para la coordinación, formulación, seguimiento y evaluación del ordenamiento del territorio.',
    hijos: [
      {
        codigo: 'F1.1',
        titulo: 'Concertación entre dependencias y actores sociales',
        hijos: [
          { codigo: 'F1.1.1', titulo: 'Formalizar por acuerdo de cabildo al IMPLAN como responsable del PMOT' },
          { codigo: 'F1.1.2', titulo: 'Integrar el grupo de trabajo con las áreas técnicas de la administración' },
        ],
      },
      {
        codigo: 'F1.2',
        titulo: 'Sistema de trabajo participativo',
        hijos: [
          { codigo: 'F1.2.1', titulo: 'Instalar mesas con el sector social y privado' },
          { codigo: 'F1.2.2', titulo: 'Capacitar al personal técnico en ordenamiento territorial' },
        ],
      },
    ],
  },
  {
    codigo: 'F2',
    titulo: 'Fase 2. Análisis para el Programa Municipal de Ordenamiento Territorial',
    hijos: [
      {
        codigo: 'F2.1',
        titulo: 'Caracterización y diagnóstico del territorio',
        hijos: [
          { codigo: 'F2.1.1', titulo: 'Integrar la cartografía base con el Marco Geoestadístico del INEGI' },
          { codigo: 'F2.1.2', titulo: 'Identificar zonas de riesgo y aptitud del suelo' },
        ],
      },
    ],
  },
  {
    codigo: 'F3',
    titulo: 'Fase 3. Formulación del PMOT',
    hijos: [
      {
        codigo: 'F3.1',
        titulo: 'Modelo de ordenamiento territorial',
        hijos: [
          { codigo: 'F3.1.1', titulo: 'Definir unidades de gestión territorial y sus políticas' },
          { codigo: 'F3.1.2', titulo: 'Someter el proyecto a consulta pública' },
        ],
      },
    ],
  },
  {
    codigo: 'F4',
    titulo: 'Fase 4. Ejecución del PMOT',
    hijos: [
      {
        codigo: 'F4.1',
        titulo: 'Instrumentación',
        hijos: [
          { codigo: 'F4.1.1', titulo: 'Alinear el POA y la obra pública a las unidades de gestión territorial' },
          { codigo: 'F4.1.2', titulo: 'Dictaminar usos de suelo conforme al modelo' },
        ],
      },
    ],
  },
  {
    codigo: 'F5',
    titulo: 'Fase 5. Seguimiento y evaluación de resultados',
    hijos: [
      {
        codigo: 'F5.1',
        titulo: 'Sistema de evaluación',
        hijos: [
          { codigo: 'F5.1.1', titulo: 'Medir indicadores territoriales cada año' },
          { codigo: 'F5.1.2', titulo: 'Informar a cabildo y Consejo Ciudadano los resultados' },
        ],
      },
    ],
  },
];

function flatten(
  nodes: Node[],
  nivel = 0,
  parent: number | null = null,
  out: { nivel: number; codigo: string; titulo: string; descripcion?: string; parent: number | null; node: Node }[] = [],
) {
  for (const n of nodes) {
    out.push({ nivel, codigo: n.codigo, titulo: n.titulo, descripcion: n.descripcion, parent, node: n });
    flatten(n.hijos ?? [], nivel + 1, out.length - 1, out);
  }
  return out;
}

async function createPlan(
  trx: Trx,
  mid: string,
  p: { tipo: DB['plans']['tipo']; titulo: string; descripcion: string; inicio: number; fin: number; niveles?: string[] },
  nodes: Node[],
  steps: { a: PlanEstado; user: number; at: string; fecha?: string; acuerdo?: string }[],
) {
  const plan = await trx
    .insertInto('plans')
    .values({
      municipality_id: mid,
      tipo: p.tipo,
      titulo: p.titulo,
      descripcion: p.descripcion,
      periodo_inicio: p.inicio,
      periodo_fin: p.fin,
      is_demo: true,
      ...(p.niveles && { niveles: p.niveles }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = flatten(nodes);
  const ids = await insertOutline(trx, mid, plan.id, rows);
  const byCode = new Map(rows.map((r, i) => [r.codigo, ids[i]]));
  for (const [i, r] of rows.entries()) {
    if (r.node.ods?.length)
      await trx
        .insertInto('plan_element_ods')
        .values(r.node.ods.map((o) => ({ municipality_id: mid, element_id: ids[i], ods_meta: o })))
        .execute();
  }
  const freeze = async (estado: PlanEstado, at: string) => {
    const n = await trx
      .selectFrom('plan_versions')
      .select(sql<number>`coalesce(max(numero), 0)`.as('n'))
      .where('plan_id', '=', plan.id)
      .executeTakeFirstOrThrow();
    const pl = await trx
      .selectFrom('plans')
      .select(['titulo', 'tipo', 'niveles', 'cabildo_fecha', 'cabildo_acuerdo'])
      .where('id', '=', plan.id)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('plan_versions')
      .values({
        municipality_id: mid,
        plan_id: plan.id,
        numero: n.n + 1,
        estado,
        created_at: at,
        snapshot: JSON.stringify({ plan: pl, elements: await snapshot(trx, plan.id) }),
      })
      .execute();
  };
  return {
    id: plan.id,
    byCode,
    rows,
    /** Walks the lifecycle as the roles would, freezing versions at each approval. */
    async advance() {
      let de: PlanEstado = 'borrador';
      for (const s of steps) {
        await trx
          .updateTable('plans')
          .set({ estado: s.a, ...(s.fecha && { cabildo_fecha: s.fecha, cabildo_acuerdo: s.acuerdo }), updated_at: s.at })
          .where('id', '=', plan.id)
          .execute();
        await trx
          .insertInto('plan_transitions')
          .values({
            municipality_id: mid,
            plan_id: plan.id,
            de,
            a: s.a,
            nota: s.acuerdo ? `Acuerdo ${s.acuerdo} del ${s.fecha}` : '',
            user_id: s.user,
            at: s.at,
          })
          .execute();
        if (s.a === 'validacion' || s.a === 'aprobado') await freeze(s.a, s.at);
        de = s.a;
      }
    },
  };
}

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A small generated "site photo" (sky, hills, a road at the work's progress), labelled by colour only. */
function demoPhoto(seed: number, avance: number): Buffer {
  const w = 240,
    h = 150;
  const r = rng(seed);
  const hill = Array.from({ length: w }, (_, x) => 70 + Math.round(12 * Math.sin(x / 23 + r() * 6) + 8 * Math.sin(x / 9)));
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      let c: [number, number, number];
      if (y < hill[x]) c = [150 + (y >> 1), 190 + (y >> 2), 235];
      else if (y > 110 && y < 128) c = x < (w * avance) / 100 ? [70, 70, 75] : [150, 120, 90];
      else c = [140 - (y >> 2), 120 - (y >> 3), 80];
      raw[o] = c[0];
      raw[o + 1] = c[1];
      raw[o + 2] = c[2];
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PROGRAMS: { clave: string; nombre: string; dep: string }[] = [
  { clave: 'E-INFRA', nombre: 'Infraestructura urbana y servicios básicos', dep: 'SOP' },
  { clave: 'E-BIEN', nombre: 'Bienestar y desarrollo comunitario', dep: 'DS' },
  { clave: 'E-URB', nombre: 'Ordenamiento urbano, movilidad y patrimonio', dep: 'DUE' },
  { clave: 'E-SEG', nombre: 'Seguridad ciudadana y prevención', dep: 'SSP' },
  { clave: 'M-GOB', nombre: 'Gobierno abierto y gestión para resultados', dep: 'IMPLAN' },
  { clave: 'M-FIN', nombre: 'Hacienda pública municipal', dep: 'TES' },
  { clave: 'E-PC', nombre: 'Protección civil y gestión de riesgos', dep: 'PC' },
];

const CONTRATISTAS: [string, string][] = [
  ['Constructora Cerro de la Bufa, S.A. de C.V.', 'CCB0803124K7'],
  ['Edificaciones Minera del Centro, S.A. de C.V.', 'EMC110520QZ2'],
  ['Pavimentos y Urbanización Zacatecana, S.A. de C.V.', 'PUZ150907AB1'],
  ['Hidráulica del Altiplano, S. de R.L. de C.V.', 'HAL091130MN4'],
  ['Grupo Constructor Cantera Rosa, S.A. de C.V.', 'GCC170215RT9'],
  ['Servicios Eléctricos Vetagrande, S.A. de C.V.', 'SEV120612LP3'],
];

// [clave suffix, name, program, plan lines, sources (clave, pesos), public work (procedure, geometry)?, beneficiaries]
type DemoWork = [
  string,
  string,
  string,
  string[],
  [string, number][],
  [DB['contracts']['procedimiento'], 'punto' | 'linea' | 'poligono'],
  number,
];
const WORKS_2026: DemoWork[] = [
  [
    '01',
    'Ampliación de red de agua potable en col. Lomas de la Soledad',
    'E-INFRA',
    ['2.1.1.1'],
    [
      ['FISM-DF', 4_800_000],
      ['CONAGUA-PROAGUA', 2_400_000],
    ],
    ['licitacion_publica', 'linea'],
    3200,
  ],
  [
    '02',
    'Sustitución de colector sanitario en av. Hidalgo',
    'E-INFRA',
    ['2.1.1.2'],
    [['FISM-DF', 6_500_000]],
    ['licitacion_publica', 'linea'],
    8500,
  ],
  [
    '03',
    'Pavimentación con concreto hidráulico de calle Genaro Codina',
    'E-INFRA',
    ['2.1.2.1'],
    [
      ['FISM-DF', 2_900_000],
      ['PROPIOS', 600_000],
    ],
    ['invitacion_tres', 'linea'],
    1400,
  ],
  [
    '04',
    'Pavimentación de calles en col. Felipe Ángeles',
    'E-INFRA',
    ['2.1.2.1'],
    [['FISM-DF', 3_600_000]],
    ['licitacion_publica', 'linea'],
    2100,
  ],
  [
    '05',
    'Sustitución de 2,400 luminarias por tecnología LED',
    'E-INFRA',
    ['2.1.2.2'],
    [
      ['FORTAMUN-DF', 5_200_000],
      ['PROPIOS', 1_300_000],
    ],
    ['licitacion_publica', 'poligono'],
    149_607,
  ],
  [
    '06',
    'Rehabilitación del parque La Encantada',
    'E-URB',
    ['2.1.2.3', '4.1.2.1'],
    [
      ['SEDATU-PMV', 4_100_000],
      ['PROPIOS', 900_000],
    ],
    ['licitacion_publica', 'poligono'],
    12_000,
  ],
  [
    '07',
    'Rehabilitación de la unidad deportiva Alma Obrera',
    'E-BIEN',
    ['2.1.2.3', '3.2.2.2'],
    [['SEDATU-PMV', 3_300_000]],
    ['invitacion_tres', 'poligono'],
    9_000,
  ],
  [
    '08',
    'Cruces seguros y banquetas accesibles en el bulevar López Mateos',
    'E-URB',
    ['2.2.2.1'],
    [
      ['PROPIOS', 2_100_000],
      ['ESTATAL', 1_500_000],
    ],
    ['invitacion_tres', 'linea'],
    25_000,
  ],
  [
    '09',
    'Restauración de fachadas en la calle Juárez (centro histórico)',
    'E-URB',
    ['2.2.2.2', '4.2.1.1'],
    [
      ['SETUR', 2_800_000],
      ['PROPIOS', 700_000],
    ],
    ['invitacion_tres', 'linea'],
    5_000,
  ],
  [
    '10',
    'Techos y pisos firmes en col. Úrsulo A. García',
    'E-BIEN',
    ['3.1.1.1'],
    [['FISM-DF', 2_200_000]],
    ['adjudicacion_directa', 'poligono'],
    410,
  ],
  [
    '11',
    'Rehabilitación de sanitarios en 12 escuelas públicas',
    'E-BIEN',
    ['3.2.1.1'],
    [['FISM-DF', 1_900_000]],
    ['adjudicacion_directa', 'punto'],
    4_300,
  ],
  [
    '12',
    'Videovigilancia: 60 cámaras conectadas al C5',
    'E-SEG',
    ['4.1.1.2'],
    [['FORTAMUN-DF', 4_600_000]],
    ['licitacion_publica', 'punto'],
    149_607,
  ],
  [
    '13',
    'Muro de contención en el arroyo de la Plata',
    'E-PC',
    ['2.1.1.2'],
    [
      ['FISM-DF', 1_700_000],
      ['PROPIOS', 400_000],
    ],
    ['adjudicacion_directa', 'linea'],
    900,
  ],
  [
    '14',
    'Red de internet gratuito en 15 plazas y bibliotecas',
    'M-GOB',
    ['1.2.2.3'],
    [['PROPIOS', 950_000]],
    ['adjudicacion_directa', 'punto'],
    30_000,
  ],
];

const WORKS_2025: DemoWork[] = [
  ['01', 'Pavimentación de la calle Tacuba', 'E-INFRA', ['2.1.2.1'], [['FISM-DF', 2_400_000]], ['invitacion_tres', 'linea'], 1_100],
  [
    '02',
    'Red de drenaje en col. Lomas del Patrocinio',
    'E-INFRA',
    ['2.1.1.2'],
    [['FISM-DF', 3_100_000]],
    ['licitacion_publica', 'linea'],
    1_800,
  ],
  [
    '03',
    'Rehabilitación de la plaza de Las Huertas',
    'E-URB',
    ['2.1.2.3'],
    [['SEDATU-PMV', 2_600_000]],
    ['invitacion_tres', 'poligono'],
    6_000,
  ],
  [
    '04',
    'Cuartos adicionales en localidades rurales',
    'E-BIEN',
    ['3.1.1.1'],
    [['FISM-DF', 1_500_000]],
    ['adjudicacion_directa', 'punto'],
    120,
  ],
  [
    '05',
    'Alumbrado LED en el Centro Histórico',
    'E-INFRA',
    ['2.1.2.2', '4.2.1.1'],
    [
      ['FORTAMUN-DF', 2_000_000],
      ['SETUR', 1_000_000],
    ],
    ['licitacion_publica', 'poligono'],
    20_000,
  ],
  [
    '06',
    'Tanque elevado en El Orito',
    'E-INFRA',
    ['2.1.1.1'],
    [
      ['CONAGUA-PROAGUA', 2_700_000],
      ['FISM-DF', 900_000],
    ],
    ['licitacion_publica', 'punto'],
    4_500,
  ],
];

// Non-work actions: [clave suffix, name, program, lines, sources]
const ACTIONS: [string, string, string, string[], [string, number][]][] = [
  ['01', 'Presupuesto participativo 2026: proyectos votados por colonia', 'M-GOB', ['1.1.1.1'], [['PROPIOS', 5_000_000]]],
  ['02', 'Micrositio de avance de proyectos participativos', 'M-GOB', ['1.1.1.2'], [['PROPIOS', 180_000]]],
  ['03', 'Renovación paritaria del Consejo Ciudadano del IMPLAN', 'M-GOB', ['1.1.2.1'], [['PROPIOS', 60_000]]],
  ['04', 'Sesiones de validación del Consejo Ciudadano', 'M-GOB', ['1.1.2.2'], [['PROPIOS', 90_000]]],
  ['05', 'Comités de contraloría social de obra', 'M-GOB', ['1.1.2.3'], [['FISM-DF', 120_000]]],
  ['06', 'Matrices de indicadores de todos los programas presupuestarios', 'M-GOB', ['1.2.1.1'], [['PROPIOS', 150_000]]],
  ['07', 'Informes trimestrales de avance del PMD', 'M-GOB', ['1.2.1.2'], [['PROPIOS', 110_000]]],
  ['08', 'Digitalización de trámites de licencias y pagos', 'M-GOB', ['1.2.2.1'], [['FORTAMUN-DF', 1_200_000]]],
  ['09', 'Publicación de obra pública en datos abiertos (OCDS)', 'M-GOB', ['1.2.2.2'], [['PROPIOS', 80_000]]],
  ['10', 'Actualización del padrón catastral', 'M-FIN', ['1.2.1.1'], [['FORTAMUN-DF', 1_600_000]]],
  ['11', 'Campaña de pago predial con descuento', 'M-FIN', ['1.2.1.2'], [['PROPIOS', 250_000]]],
  ['12', 'Mantenimiento preventivo de pozos y tanques', 'E-INFRA', ['2.1.1.1'], [['PROPIOS', 1_400_000]]],
  ['13', 'Bacheo y mantenimiento de vialidades', 'E-INFRA', ['2.1.2.1'], [['PROPIOS', 2_300_000]]],
  ['14', 'Mantenimiento de áreas verdes', 'E-INFRA', ['2.1.2.3'], [['PROPIOS', 1_100_000]]],
  [
    '15',
    'Formulación del PMOT con participación ciudadana',
    'E-URB',
    ['2.2.1.1'],
    [
      ['PROPIOS', 900_000],
      ['SEDATU-PMV', 600_000],
    ],
  ],
  ['16', 'Dictámenes de uso de suelo en línea', 'E-URB', ['2.2.1.2'], [['PROPIOS', 300_000]]],
  ['17', 'Programa Camino Seguro a la Escuela', 'E-URB', ['2.2.2.1'], [['PROPIOS', 420_000]]],
  ['18', 'Gestión del sitio Patrimonio Mundial', 'E-URB', ['2.2.2.2'], [['SETUR', 500_000]]],
  ['19', 'Calentadores solares para hogares con carencia', 'E-BIEN', ['3.1.1.2'], [['FISM-DF', 1_300_000]]],
  [
    '20',
    'Comedores comunitarios',
    'E-BIEN',
    ['3.1.2.1'],
    [
      ['ESTATAL', 2_200_000],
      ['PROPIOS', 800_000],
    ],
  ],
  ['21', 'Jornadas de salud en localidades rurales', 'E-BIEN', ['3.1.2.2'], [['PROPIOS', 650_000]]],
  ['22', 'Becas de transporte para estudiantes de secundaria', 'E-BIEN', ['3.2.1.2'], [['PROPIOS', 1_800_000]]],
  [
    '23',
    'Festival Cultural en las colonias',
    'E-BIEN',
    ['3.2.2.1'],
    [
      ['PROPIOS', 1_000_000],
      ['ESTATAL', 500_000],
    ],
  ],
  ['24', 'Escuelas deportivas municipales', 'E-BIEN', ['3.2.2.2'], [['PROPIOS', 700_000]]],
  ['25', 'Equipamiento de la policía de proximidad', 'E-SEG', ['4.1.1.1'], [['FORTAMUN-DF', 3_800_000]]],
  ['26', 'Capacitación y certificación policial', 'E-SEG', ['4.1.1.1'], [['FORTAMUN-DF', 900_000]]],
  ['27', 'Jóvenes en el espacio público', 'E-SEG', ['4.1.2.1'], [['PROPIOS', 600_000]]],
  [
    '28',
    'Unidad de atención a mujeres en situación de violencia',
    'E-SEG',
    ['4.1.2.2'],
    [
      ['ESTATAL', 900_000],
      ['PROPIOS', 300_000],
    ],
  ],
  ['29', 'Atlas municipal de riesgos: actualización', 'E-PC', ['2.2.1.1'], [['PROPIOS', 450_000]]],
  ['30', 'Simulacros y brigadas comunitarias', 'E-PC', ['4.1.2.1'], [['PROPIOS', 200_000]]],
  ['31', 'Zacatecas, destino de congresos', 'M-GOB', ['4.2.1.2'], [['SETUR', 700_000]]],
  ['32', 'Microcréditos para emprendedoras', 'E-BIEN', ['4.2.2.1'], [['PROPIOS', 1_500_000]]],
  ['33', 'Apertura rápida de negocios de bajo riesgo', 'M-FIN', ['4.2.2.2'], [['PROPIOS', 150_000]]],
];
const ACTIONS_2025: [string, string, string, string[], [string, number][]][] = [
  ['01', 'Presupuesto participativo 2025', 'M-GOB', ['1.1.1.1'], [['PROPIOS', 4_000_000]]],
  ['02', 'Diagnóstico para el PMOT', 'E-URB', ['2.2.1.1'], [['PROPIOS', 600_000]]],
  ['03', 'Comedores comunitarios 2025', 'E-BIEN', ['3.1.2.1'], [['ESTATAL', 2_000_000]]],
  ['04', 'Equipamiento policial 2025', 'E-SEG', ['4.1.1.1'], [['FORTAMUN-DF', 3_200_000]]],
  ['05', 'Festival Cultural 2025', 'E-BIEN', ['3.2.2.1'], [['PROPIOS', 900_000]]],
  ['06', 'Becas de transporte 2025', 'E-BIEN', ['3.2.1.2'], [['PROPIOS', 1_600_000]]],
  ['07', 'Digitalización de trámites (primera etapa)', 'M-GOB', ['1.2.2.1'], [['FORTAMUN-DF', 800_000]]],
  ['08', 'Bacheo 2025', 'E-INFRA', ['2.1.2.1'], [['PROPIOS', 2_000_000]]],
];

export async function loadPlansAndPoa(trx: Trx, users: { planner: number; council: number; admin: number; enlace: number; state: number }) {
  const rand = rng(2040);
  const deps = await trx.selectFrom('departments').select(['id', 'municipality_id', 'acronym']).execute();
  const dep = (mid: string, a: string) => deps.find((d) => d.municipality_id === mid && d.acronym === a)!.id;
  const indicators = await trx.selectFrom('indicators').select(['id', 'clave', 'municipality_id', 'linea_base_valor']).execute();
  const ind = (mid: string, clave: string) => indicators.find((i) => i.municipality_id === mid && i.clave === clave);

  // PED (state tenant): seed 002's Eje 1 exactly as published.
  const pedNodes: Node[] = [
    {
      codigo: '1',
      titulo: 'Gobierno Abierto y de Resultados',
      descripcion: `Objetivo general: ${PED_OBJETIVO_GENERAL}`,
      hijos: PED_OBJETIVOS.map((o) => ({
        codigo: o.codigo,
        titulo: o.titulo,
        descripcion: `Objetivo específico: ${o.objetivo}`,
        hijos: o.estrategias.map((s) => ({
          codigo: s.codigo,
          titulo: s.titulo,
          hijos: s.lineas.map((l, i) => ({ codigo: `${s.codigo}.${i + 1}`, titulo: l })),
        })),
      })),
    },
  ];
  const ped = await createPlan(
    trx,
    '32000',
    {
      tipo: 'ped',
      titulo: 'Plan Estatal de Desarrollo 2017–2021 — Eje 1: Gobierno Abierto y de Resultados',
      descripcion:
        'Eje 1 del Plan Estatal de Desarrollo de Zacatecas 2017–2021: objetivo general, objetivos específicos, estrategias, líneas de acción y metas, tal como se publicaron. Cargado como plan superior para alinear los planes municipales.',
      inicio: 2017,
      fin: 2021,
    },
    pedNodes,
    [
      { a: 'consulta', user: users.state, at: '2016-11-01T10:00:00-06:00' },
      { a: 'validacion', user: users.state, at: '2016-12-15T10:00:00-06:00' },
      {
        a: 'aprobado',
        user: users.state,
        at: '2017-01-14T10:00:00-06:00',
        fecha: '2017-01-14',
        acuerdo: 'Periódico Oficial del Estado (demo)',
      },
      { a: 'vigente', user: users.state, at: '2017-01-15T10:00:00-06:00' },
      { a: 'evaluado', user: users.state, at: '2022-03-01T10:00:00-06:00' },
    ],
  );
  for (const [i, m] of PED_METAS.entries()) {
    const clave = /Presupuesto Basado en Resultados/.test(m.descripcion)
      ? 'GOB-PBR'
      : /Información Presupuestal/.test(m.descripcion)
        ? 'GOB-IIPE'
        : /servicios electrónicos/.test(m.descripcion)
          ? 'GOB-IGEE'
          : /procesos electorales/.test(m.descripcion)
            ? 'GOB-PART'
            : null;
    await trx
      .insertInto('plan_metas')
      .values({
        municipality_id: '32000',
        element_id: ped.byCode.get(m.objetivo)!,
        descripcion: m.descripcion,
        indicator_id: clave ? (ind('32000', clave)?.id ?? null) : null,
        valores: JSON.stringify(m.valor !== null ? [{ anio: 2021, valor: m.valor }] : []),
        posicion: i,
      })
      .execute();
  }
  await ped.advance();

  // Visión 2040 (vigente), PMD 2024–2027 (vigente), PMOT (in public consultation).
  const vision = await createPlan(
    trx,
    '32056',
    {
      tipo: 'vision2040',
      titulo: 'Plan Estratégico Zacatecas Visión 2040',
      descripcion: 'Visión de largo plazo construida con el Consejo Ciudadano del IMPLAN. Datos de demostración.',
      inicio: 2021,
      fin: 2040,
      niveles: ['Visión', 'Eje estratégico', 'Objetivo de largo plazo'],
    },
    VISION,
    [
      { a: 'consulta', user: users.planner, at: '2021-06-01T10:00:00-06:00' },
      { a: 'validacion', user: users.council, at: '2021-08-20T18:00:00-06:00' },
      { a: 'aprobado', user: users.admin, at: '2021-09-10T12:00:00-06:00', fecha: '2021-09-10', acuerdo: 'AC-118/2021' },
      { a: 'vigente', user: users.planner, at: '2021-09-30T12:00:00-06:00' },
    ],
  );
  await vision.advance();

  const pmd = await createPlan(
    trx,
    '32056',
    {
      tipo: 'pmd',
      titulo: 'Plan Municipal de Desarrollo Zacatecas 2024–2027',
      descripcion: 'Plan de la administración 2024–2027, alineado al Eje 1 del PED, a la Visión 2040 y a los ODS. Datos de demostración.',
      inicio: 2024,
      fin: 2027,
    },
    PMD,
    [
      { a: 'consulta', user: users.planner, at: '2024-10-15T10:00:00-06:00' },
      { a: 'validacion', user: users.council, at: '2024-12-05T18:00:00-06:00' },
      { a: 'aprobado', user: users.admin, at: '2024-12-20T12:00:00-06:00', fecha: '2024-12-20', acuerdo: 'AC-031/2024' },
      { a: 'vigente', user: users.planner, at: '2025-01-02T09:00:00-06:00' },
    ],
  );
  for (const r of pmd.rows) {
    const id = pmd.byCode.get(r.codigo)!;
    const targets = [
      ...(r.node.alinea ?? []).map((c) => ped.byCode.get(c)!),
      ...(PMD_TO_VISION[r.codigo] ? [vision.byCode.get(PMD_TO_VISION[r.codigo])!] : []),
    ];
    if (targets.length)
      await trx
        .insertInto('plan_alignments')
        .values(targets.map((t) => ({ municipality_id: '32056', element_id: id, target_id: t })))
        .execute();
    for (const [i, m] of (r.node.metas ?? []).entries()) {
      const indicator = m.indicador ? ind('32056', m.indicador) : undefined;
      await trx
        .insertInto('plan_metas')
        .values({
          municipality_id: '32056',
          element_id: id,
          descripcion: m.descripcion,
          indicator_id: indicator?.id ?? null,
          linea_base: indicator?.linea_base_valor ?? null,
          valores: JSON.stringify((m.valores ?? []).map(([anio, valor]) => ({ anio, valor }))),
          posicion: i,
        })
        .execute();
    }
  }
  const responsables: Record<string, string[]> = { '1': ['IMPLAN', 'TES'], '2': ['SOP', 'DUE'], '3': ['DS'], '4': ['SSP', 'DS'] };
  for (const r of pmd.rows) {
    const acr = responsables[r.codigo.split('.')[0]];
    await trx
      .updateTable('plan_elements')
      .set({ responsables: acr.map((a) => dep('32056', a)) })
      .where('id', '=', pmd.byCode.get(r.codigo)!)
      .execute();
  }
  await pmd.advance();

  const pmot = await createPlan(
    trx,
    '32056',
    {
      tipo: 'pmot',
      titulo: 'Programa Municipal de Ordenamiento Territorial de Zacatecas',
      descripcion:
        'Esqueleto del PMOT según las cinco fases de formulación: coordinación, análisis, formulación, ejecución, y seguimiento y evaluación. En consulta pública: comente cada componente. Datos de demostración.',
      inicio: 2026,
      fin: 2046,
      niveles: ['Fase', 'Componente', 'Acción'],
    },
    PMOT,
    [{ a: 'consulta', user: users.planner, at: '2026-10-01T09:00:00-06:00' }],
  );
  await pmot.advance();

  // POA 2025 (finished) and 2026 (in execution).
  const center: [number, number] = [-102.5832, 22.7709];
  const jitter = (s: number) => [center[0] + (rand() - 0.5) * s, center[1] + (rand() - 0.5) * s] as [number, number];
  const geometry = (kind: 'punto' | 'linea' | 'poligono') => {
    const [x, y] = jitter(0.05);
    if (kind === 'punto') return { type: 'Point', coordinates: [x, y] };
    if (kind === 'linea') {
      const a = rand() * Math.PI;
      const l = 0.002 + rand() * 0.004;
      return {
        type: 'LineString',
        coordinates: [
          [x, y],
          [x + Math.cos(a) * l * 0.5, y + Math.sin(a) * l * 0.5 + 0.0003],
          [x + Math.cos(a) * l, y + Math.sin(a) * l],
        ],
      };
    }
    const d = 0.0015 + rand() * 0.002;
    return {
      type: 'Polygon',
      coordinates: [
        [
          [x, y],
          [x + d, y],
          [x + d, y + d * 0.8],
          [x, y + d * 0.8],
          [x, y],
        ],
      ],
    };
  };
  const sources = new Map(
    (await trx.selectFrom('funding_sources').select(['id', 'clave']).where('municipality_id', 'is', null).execute()).map((s) => [
      s.clave,
      s.id,
    ]),
  );
  const programIds = new Map<string, number>();
  for (const anio of [2025, 2026]) {
    for (const p of PROGRAMS) {
      const r = await trx
        .insertInto('poa_programs')
        .values({ municipality_id: '32056', anio, department_id: dep('32056', p.dep), clave: p.clave, nombre: p.nombre, is_demo: true })
        .returning('id')
        .executeTakeFirstOrThrow();
      programIds.set(`${anio}:${p.clave}`, r.id);
      const mir: [DB['mir_rows']['nivel'], string, string][] = [
        ['fin', `Contribuir al objetivo del PMD mediante ${p.nombre.toLowerCase()}`, 'Indicadores del PMD publicados en Brújula'],
        [
          'proposito',
          `La población del municipio recibe los bienes y servicios de ${p.nombre.toLowerCase()}`,
          'Reportes de avance del POA',
        ],
        ['componente', 'Obras y acciones concluidas y entregadas', 'Actas de entrega-recepción'],
        ['actividad', 'Ejecución y supervisión de obras y acciones', 'Bitácoras y reportes trimestrales con evidencia'],
      ];
      await trx
        .insertInto('mir_rows')
        .values(
          mir.map(([nivel, resumen, medios], i) => ({
            municipality_id: '32056',
            program_id: r.id,
            nivel,
            posicion: i,
            resumen_narrativo: resumen,
            indicador_texto:
              nivel === 'actividad'
                ? 'Porcentaje de avance físico promedio ponderado'
                : nivel === 'componente'
                  ? 'Porcentaje de obras y acciones concluidas'
                  : '',
            medios_verificacion: medios,
            supuestos: 'Las participaciones y aportaciones federales se reciben en tiempo',
          })),
        )
        .execute();
    }
  }

  const periods2026 = ['2026-T1', '2026-T2', '2026-T3'];
  let workIndex = 0;
  const addAction = async (
    anio: number,
    clave: string,
    nombre: string,
    prog: string,
    lineas: string[],
    fuentes: [string, number][],
    obra: [DB['contracts']['procedimiento'], 'punto' | 'linea' | 'poligono'] | null,
    beneficiarios: number | null,
  ) => {
    const programId = programIds.get(`${anio}:${prog}`)!;
    const depId = dep('32056', PROGRAMS.find((p) => p.clave === prog)!.dep);
    const finished = anio === 2025;
    const target = finished ? 100 : Math.min(100, Math.round(25 + rand() * 80));
    const g = obra ? geometry(obra[1]) : rand() < 0.4 ? geometry('punto') : null;
    const a = await trx
      .insertInto('poa_actions')
      .values({
        municipality_id: '32056',
        program_id: programId,
        department_id: depId,
        clave,
        nombre,
        tipo: obra ? 'obra' : 'accion',
        descripcion: obra ? `${nombre}. Obra pública del POA ${anio}.` : '',
        geom: g ? sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(g)}), 4326)` : null,
        beneficiarios,
        beneficiarios_descripcion: beneficiarios ? 'personas beneficiadas (estimación)' : '',
        fecha_inicio: `${anio}-0${1 + Math.floor(rand() * 4)}-01`,
        fecha_fin: `${anio}-${finished ? '11' : '12'}-15`,
        publicado: true,
        is_demo: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Budget: aprobado by source; some modified; ejercido follows progress.
    let ejercidoTotal = 0;
    for (const [clave, monto] of fuentes) {
      const modificado = rand() < 0.3 ? Math.round((monto * (0.9 + rand() * 0.25)) / 1000) * 1000 : null;
      const ejercido = Math.round(((modificado ?? monto) * Math.min(1, target / 100) * (0.85 + rand() * 0.15)) / 100) * 100;
      ejercidoTotal += ejercido;
      await trx
        .insertInto('action_budgets')
        .values({
          municipality_id: '32056',
          action_id: a.id,
          funding_source_id: sources.get(clave)!,
          aprobado: monto,
          modificado,
          ejercido,
        })
        .execute();
    }
    await trx
      .insertInto('action_alignments')
      .values(lineas.map((c) => ({ municipality_id: '32056', action_id: a.id, element_id: pmd.byCode.get(c)! })))
      .execute();
    // Progress reports: each period's share of the current progress; the last 2026 one of some SOP works awaits review.
    const periods = finished ? ['2025-T1', '2025-T2', '2025-T3', '2025-T4'] : periods2026;
    let published = 0;
    for (const [i, periodo] of periods.entries()) {
      const avance = i === periods.length - 1 ? target : Math.round(((target * (i + 1)) / periods.length) * (0.8 + rand() * 0.2));
      const pending = !finished && i === periods.length - 1 && obra && workIndex % 3 === 0;
      const r = await trx
        .insertInto('progress_reports')
        .values({
          municipality_id: '32056',
          action_id: a.id,
          periodo,
          avance_fisico: avance,
          ejercido: Math.round((ejercidoTotal * (i + 1)) / periods.length),
          narrativa: obra
            ? avance >= 100
              ? 'Obra concluida y entregada a la comunidad.'
              : `Trabajos en proceso: avance de ${avance} % conforme al programa de obra.`
            : `Avance de ${avance} % de las metas del periodo.`,
          estado: pending ? 'enviado' : 'publicado',
          reported_by: users.enlace,
          reviewed_by: pending ? null : users.planner,
          created_at: `${periodo.slice(0, 4)}-${String(Number(periodo.slice(6)) * 3).padStart(2, '0')}-28T12:00:00-06:00`,
          reviewed_at: pending ? null : `${periodo.slice(0, 4)}-${String(Number(periodo.slice(6)) * 3).padStart(2, '0')}-30T12:00:00-06:00`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (!pending) published = avance;
      if (obra) {
        const png = demoPhoto(a.id * 10 + i, avance);
        await trx
          .insertInto('evidence_files')
          .values({
            municipality_id: '32056',
            report_id: r.id,
            nombre: `foto_${clave}_${periodo}.png`,
            mime: 'image/png',
            bytes: png.length,
            sha256: crypto.createHash('sha256').update(png).digest('hex'),
            contenido: png,
          })
          .execute();
      }
    }
    await trx.updateTable('poa_actions').set({ avance_fisico: published }).where('id', '=', a.id).execute();
    if (obra) {
      const [contratista, rfc] = CONTRATISTAS[workIndex % CONTRATISTAS.length];
      const total = fuentes.reduce((s, [, m]) => s + m, 0);
      const monto = Math.round((total * (0.93 + rand() * 0.06)) / 100) * 100;
      const c = await trx
        .insertInto('contracts')
        .values({
          municipality_id: '32056',
          action_id: a.id,
          procedimiento: obra[0],
          numero_contrato: `MZ-${prog}-${obra[0] === 'licitacion_publica' ? 'LP' : obra[0] === 'invitacion_tres' ? 'I3' : 'AD'}-${String(workIndex + 1).padStart(3, '0')}/${anio}`,
          contratista_nombre: contratista,
          contratista_rfc: rfc,
          monto_contratado: monto,
          fecha_convocatoria: obra[0] === 'adjudicacion_directa' ? null : `${anio}-01-${String(10 + (workIndex % 15)).padStart(2, '0')}`,
          // Convocatoria in January, award in February, signature 3 to 7 days after the award.
          fecha_adjudicacion: `${anio}-02-${String(5 + (workIndex % 15)).padStart(2, '0')}`,
          fecha_firma: `${anio}-02-${String(8 + (workIndex % 15) + (workIndex % 5)).padStart(2, '0')}`,
          fecha_inicio: `${anio}-03-01`,
          fecha_fin: `${anio}-${finished ? '10' : '11'}-30`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (workIndex % 5 === 1) {
        await trx
          .insertInto('contract_amendments')
          .values({
            municipality_id: '32056',
            contract_id: c.id,
            fecha: `${anio}-07-15`,
            descripcion: 'Convenio modificatorio: ampliación de plazo por lluvias atípicas',
            fecha_fin_nueva: `${anio}-12-15`,
          })
          .execute();
        await trx
          .updateTable('contracts')
          .set({ fecha_fin: `${anio}-12-15` })
          .where('id', '=', c.id)
          .execute();
      }
      workIndex++;
    }
  };
  for (const [s, nombre, prog, lineas, fuentes, obra, ben] of WORKS_2025)
    await addAction(2025, `OP-2025-${s}`, nombre, prog, lineas, fuentes, obra, ben);
  for (const [s, nombre, prog, lineas, fuentes] of ACTIONS_2025)
    await addAction(2025, `AC-2025-${s}`, nombre, prog, lineas, fuentes, null, null);
  for (const [s, nombre, prog, lineas, fuentes, obra, ben] of WORKS_2026)
    await addAction(2026, `OP-2026-${s}`, nombre, prog, lineas, fuentes, obra, ben);
  for (const [s, nombre, prog, lineas, fuentes] of ACTIONS)
    await addAction(2026, `AC-2026-${s}`, nombre, prog, lineas, fuentes, null, Math.round(200 + rand() * 5000));
  return { ped: ped.id, pmd: pmd.id, vision: vision.id, pmot: pmot.id };
}
