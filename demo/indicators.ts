/**
 * Indicator content of the demonstration installation.
 *  - State level (tenant 32000, "Gobierno del Estado de Zacatecas"): the governance indices quoted in
 *    the PED Zacatecas 2016–2021 (Eje 1), with their national comparisons, ranks and sources as the
 *    plan gives them, and the plan's METAS where they fit. These figures are real.
 *  - Municipal level: one indicator per theme of the SMI, with GENERATED series 2015–2025 for the
 *    demo municipalities (and their AGEBs for population-based ones), labelled demonstration data.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../src/server/db/types.ts';

type Trx = Transaction<DB>;

interface StateIndicator {
  clave: string;
  nombre: string;
  unidad: string;
  sentido: 'ascendente' | 'descendente';
  fuente: string;
  valores: [string, number][];
  nacional: [string, number][];
  posiciones?: [string, number][];
  meta?: [number, number];
  notas?: string;
}

const PED = 'Citado en el Plan Estatal de Desarrollo de Zacatecas 2016–2021, Eje 1.';

const STATE: StateIndicator[] = [
  {
    clave: 'GOB-IDD',
    nombre: 'Índice de Desarrollo Democrático',
    unidad: 'puntos (de 10,000)',
    sentido: 'ascendente',
    fuente: 'COPARMEX, INE, COLMEX, Konrad Adenauer Stiftung, Polilat: Índice de Desarrollo Democrático de México 2015',
    valores: [['2015', 4774]],
    nacional: [],
    posiciones: [
      ['2014', 21],
      ['2015', 23],
    ],
    notas: `${PED} En 2015 Zacatecas bajó dos lugares respecto de 2014 a pesar de mejorar su calificación.`,
  },
  {
    clave: 'GOB-PART',
    nombre: 'Participación ciudadana en el proceso electoral',
    unidad: '% de la lista nominal',
    sentido: 'ascendente',
    fuente: 'Resultados del proceso electoral local 2016',
    valores: [['2016', 58.17]],
    nacional: [['2016', 58.55]],
    meta: [2021, 58.55],
    notas: `${PED} META: incrementar la participación ciudadana en los procesos electorales para alcanzar la media nacional.`,
  },
  {
    clave: 'GOB-ABST',
    nombre: 'Abstencionismo electoral',
    unidad: '% de la lista nominal',
    sentido: 'descendente',
    fuente: 'Resultados del proceso electoral local 2016',
    valores: [['2016', 41.83]],
    nacional: [['2016', 41.45]],
    notas: PED,
  },
  {
    clave: 'GOB-PBR',
    nombre: 'Índice General de Avance en PbR-SED (ámbito estatal)',
    unidad: '%',
    sentido: 'ascendente',
    fuente: 'SHCP, Informe del avance alcanzado en la implantación del PbR-SED 2016',
    valores: [['2016', 62.9]],
    nacional: [['2016', 73.4]],
    meta: [2021, 70],
    notas: `${PED} META: estar en el rango de alto cumplimiento (70–100 %).`,
  },
  {
    clave: 'GOB-PBR-TRANSP',
    nombre: 'PbR-SED: componente de Transparencia y Lenguaje Ciudadano',
    unidad: 'puntos',
    sentido: 'ascendente',
    fuente: 'SHCP, Informe del avance alcanzado en la implantación del PbR-SED 2016',
    valores: [['2016', 40.6]],
    nacional: [],
    notas: PED,
  },
  {
    clave: 'GOB-IDFEF',
    nombre: 'Índice de Desempeño Financiero de las Entidades Federativas',
    unidad: 'puntos',
    sentido: 'ascendente',
    fuente: 'Aregional, Índice de Desempeño Financiero de las Entidades Federativas 2015',
    valores: [['2015', 69.9]],
    nacional: [['2015', 63.1]],
    notas: `${PED} Los intereses pagados equivalen al 36.4 % de los ingresos propios.`,
  },
  {
    clave: 'GOB-MYE',
    nombre: 'Índice de Avance en Monitoreo y Evaluación',
    unidad: '%',
    sentido: 'ascendente',
    fuente: 'CONEVAL, Diagnóstico del avance en monitoreo y evaluación en las entidades federativas',
    valores: [['2015', 57.4]],
    nacional: [['2015', 66.9]],
    notas: `${PED} El plan no indica el año de la medición; se registra como la última disponible en 2015.`,
  },
  {
    clave: 'GOB-IGEE',
    nombre: 'Índice de Gobierno Electrónico Estatal',
    unidad: 'puntos',
    sentido: 'ascendente',
    fuente: 'CIDE, Índice de Gobierno Electrónico Estatal 2015',
    valores: [['2015', 30.73]],
    nacional: [['2015', 39.66]],
    posiciones: [['2015', 28]],
    notas: `${PED} Retrocedió cinco posiciones respecto de la medición anterior.`,
  },
  {
    clave: 'GOB-ICGE',
    nombre: 'Índice de Calidad de Gobierno Electrónico',
    unidad: 'puntos',
    sentido: 'ascendente',
    fuente: 'IMCO, Índice de Competitividad Estatal',
    valores: [['2016', 43.5]],
    nacional: [['2016', 48.6]],
    posiciones: [['2016', 22]],
    notas: `${PED} El plan no indica el año; se registra en 2016, año de elaboración del plan.`,
  },
  {
    clave: 'GOB-IIPE',
    nombre: 'Índice de Información Presupuestal Estatal',
    unidad: '% de cumplimiento',
    sentido: 'ascendente',
    fuente: 'IMCO, Índice de Información Presupuestal Estatal 2015 y 2016',
    valores: [
      ['2015', 56],
      ['2016', 56],
    ],
    nacional: [['2016', 76.1]],
    posiciones: [
      ['2015', 30],
      ['2016', 28],
    ],
    meta: [2021, 100],
    notas: `${PED} META: lograr una calificación de 100 %.`,
  },
  {
    clave: 'GOB-ITDIF',
    nombre: 'Índice de Transparencia y Disponibilidad de la Información Fiscal',
    unidad: 'puntos (de 100)',
    sentido: 'ascendente',
    fuente: 'Aregional, Índice de Transparencia y Disponibilidad de la Información Fiscal 2016',
    valores: [['2016', 79]],
    nacional: [['2016', 48.04]],
    posiciones: [['2016', 13]],
    notas: PED,
  },
  {
    clave: 'GOB-CORR',
    nombre: 'Percepción de corrupción en actos de gobierno',
    unidad: '% de personas encuestadas',
    sentido: 'descendente',
    fuente: 'IMCO, Índice de Competitividad Estatal: subíndice Sistema político estable y funcional',
    valores: [['2016', 86.59]],
    nacional: [['2016', 85.3]],
    posiciones: [['2016', 19]],
    notas: `${PED} El plan no indica el año; se registra en 2016.`,
  },
];

export async function loadStateIndicators(trx: Trx, stateMunicipalityId: string, unitId: number) {
  for (const s of STATE) {
    const v = await trx
      .insertInto('indicator_variables')
      .values({
        municipality_id: stateMunicipalityId,
        clave: s.clave.replaceAll('-', '_'),
        nombre: s.nombre,
        unidad: s.unidad,
        fuente: s.fuente,
        agregacion: 'ninguna',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ind = await trx
      .insertInto('indicators')
      .values({
        municipality_id: stateMunicipalityId,
        clave: s.clave,
        nombre: s.nombre,
        theme_code: 'gobierno',
        formula: s.clave.replaceAll('-', '_'),
        metodo_calculo: 'Valor publicado por la fuente',
        unidad_medida: s.unidad,
        sentido: s.sentido,
        linea_base_valor: s.valores[0][1],
        linea_base_anio: Number(s.valores[0][0]),
        cobertura: ['estado'],
        notas: s.notas ?? '',
        estado: 'publicado',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [periodo, valor] of s.valores) {
      await trx
        .insertInto('indicator_observations')
        .values({ municipality_id: stateMunicipalityId, variable_id: v.id, unit_id: unitId, periodo, valor })
        .execute();
    }
    const rank = new Map(s.posiciones ?? []);
    const periods = new Set([...s.nacional.map(([p]) => p), ...rank.keys()]);
    for (const periodo of periods) {
      await trx
        .insertInto('indicator_benchmarks')
        .values({
          municipality_id: stateMunicipalityId,
          indicator_id: ind.id,
          serie: 'nacional',
          periodo,
          valor: s.nacional.find(([p]) => p === periodo)?.[1] ?? null,
          posicion: rank.get(periodo) ?? null,
          de: rank.has(periodo) ? 32 : null,
          fuente: s.fuente,
        })
        .execute();
    }
    if (s.meta)
      await trx
        .insertInto('indicator_targets')
        .values({ municipality_id: stateMunicipalityId, indicator_id: ind.id, anio: s.meta[0], valor: s.meta[1] })
        .execute();
  }
}

interface MunicipalIndicator {
  clave: string;
  ods?: string;
  tema: string;
  nombre: string;
  formula: [string, string, number];
  unidad: string;
  sentido: 'ascendente' | 'descendente';
  /** Rate in 2015 and yearly change, in the indicator's unit. */
  start: [number, number];
  ageb: boolean;
  variables: [string, string][];
}

const YEARS = Array.from({ length: 11 }, (_, i) => 2015 + i);

const MUNICIPAL: MunicipalIndicator[] = [
  {
    clave: 'OT-01',
    ods: '6.1',
    tema: 'ordenamiento-territorial',
    nombre: 'Viviendas con servicios básicos (agua, drenaje y electricidad)',
    formula: ['VIV_SERV', 'VIV_TOT', 100],
    unidad: '%',
    sentido: 'ascendente',
    start: [88, 0.7],
    ageb: false,
    variables: [
      ['VIV_SERV', 'Viviendas con agua, drenaje y electricidad'],
      ['VIV_TOT', 'Viviendas particulares habitadas'],
    ],
  },
  {
    clave: 'MOV-01',
    ods: '3.6',
    tema: 'movilidad',
    nombre: 'Víctimas de hechos de tránsito por cada 10 mil habitantes',
    formula: ['VICT_TRANS', 'POB_TOT', 10000],
    unidad: 'víctimas por 10 mil hab.',
    sentido: 'descendente',
    start: [14, -0.4],
    ageb: false,
    variables: [
      ['VICT_TRANS', 'Víctimas de hechos de tránsito'],
      ['POB_TOT', 'Población total'],
    ],
  },
  {
    clave: 'SEG-01',
    ods: '16.1',
    tema: 'seguridad',
    nombre: 'Delitos del fuero común por cada mil habitantes',
    formula: ['DELITOS', 'POB_TOT', 1000],
    unidad: 'delitos por mil hab.',
    sentido: 'descendente',
    start: [24, 0.6],
    ageb: true,
    variables: [
      ['DELITOS', 'Delitos del fuero común denunciados'],
      ['POB_TOT', 'Población total'],
    ],
  },
  {
    clave: 'EQ-01',
    ods: '5.5',
    tema: 'equidad',
    nombre: 'Mujeres en cargos directivos de la administración municipal',
    formula: ['MUJ_DIR', 'TOT_DIR', 100],
    unidad: '%',
    sentido: 'ascendente',
    start: [22, 2.1],
    ageb: false,
    variables: [
      ['MUJ_DIR', 'Mujeres en cargos directivos'],
      ['TOT_DIR', 'Cargos directivos'],
    ],
  },
  {
    clave: 'SAL-01',
    ods: '3.8',
    tema: 'salud',
    nombre: 'Población sin afiliación a servicios de salud',
    formula: ['POB_SIN_SALUD', 'POB_TOT', 100],
    unidad: '%',
    sentido: 'descendente',
    start: [19, -0.5],
    ageb: true,
    variables: [
      ['POB_SIN_SALUD', 'Población sin afiliación a servicios de salud'],
      ['POB_TOT', 'Población total'],
    ],
  },
  {
    clave: 'EDU-01',
    ods: '4.1',
    tema: 'educacion',
    nombre: 'Abandono escolar en secundaria',
    formula: ['ABANDONO_SEC', 'MATRICULA_SEC', 100],
    unidad: '%',
    sentido: 'descendente',
    start: [6.8, -0.25],
    ageb: false,
    variables: [
      ['ABANDONO_SEC', 'Alumnos de secundaria que abandonaron'],
      ['MATRICULA_SEC', 'Matrícula de secundaria'],
    ],
  },
  {
    clave: 'DH-01',
    ods: '1.2',
    tema: 'desarrollo-humano',
    nombre: 'Población en situación de pobreza',
    formula: ['POB_POBREZA', 'POB_TOT', 100],
    unidad: '%',
    sentido: 'descendente',
    start: [44, -0.9],
    ageb: true,
    variables: [
      ['POB_POBREZA', 'Población en situación de pobreza'],
      ['POB_TOT', 'Población total'],
    ],
  },
  {
    clave: 'EMP-01',
    ods: '8.5',
    tema: 'empleo',
    nombre: 'Tasa de desocupación',
    formula: ['DESOCUPADOS', 'PEA', 100],
    unidad: '% de la PEA',
    sentido: 'descendente',
    start: [4.6, -0.08],
    ageb: false,
    variables: [
      ['DESOCUPADOS', 'Población desocupada'],
      ['PEA', 'Población económicamente activa'],
    ],
  },
  {
    clave: 'PROD-01',
    ods: '8.2',
    tema: 'productividad-laboral',
    nombre: 'Valor agregado por persona ocupada',
    formula: ['VAB_MILES', 'PERS_OCUP', 1],
    unidad: 'miles de pesos',
    sentido: 'ascendente',
    start: [182, 6],
    ageb: false,
    variables: [
      ['VAB_MILES', 'Valor agregado censal bruto (miles de pesos)'],
      ['PERS_OCUP', 'Personal ocupado'],
    ],
  },
  {
    clave: 'RS-01',
    tema: 'rendimientos-sectoriales',
    nombre: 'Unidades económicas por cada mil habitantes',
    formula: ['UNID_ECON', 'POB_TOT', 1000],
    unidad: 'unidades por mil hab.',
    sentido: 'ascendente',
    start: [38, 0.5],
    ageb: false,
    variables: [
      ['UNID_ECON', 'Unidades económicas'],
      ['POB_TOT', 'Población total'],
    ],
  },
  {
    clave: 'VIV-01',
    ods: '11.1',
    tema: 'vivienda',
    nombre: 'Viviendas deshabitadas',
    formula: ['VIV_DESHAB', 'VIV_TOT', 100],
    unidad: '%',
    sentido: 'descendente',
    start: [13, 0.15],
    ageb: true,
    variables: [
      ['VIV_DESHAB', 'Viviendas deshabitadas'],
      ['VIV_TOT', 'Viviendas particulares habitadas'],
    ],
  },
  {
    clave: 'CUL-01',
    ods: '11.4',
    tema: 'cultura',
    nombre: 'Asistentes a eventos culturales por cada 100 habitantes',
    formula: ['ASIST_CULT', 'POB_TOT', 100],
    unidad: 'asistentes por 100 hab.',
    sentido: 'ascendente',
    start: [35, 1.8],
    ageb: true,
    variables: [
      ['ASIST_CULT', 'Asistentes a eventos culturales municipales'],
      ['POB_TOT', 'Población total'],
    ],
  },
];

/** Denominator of each variable pair in absolute terms, from the 2020 population. */
function denominator(v: string, pob: number, year: number): number {
  const growth = 1 + 0.011 * (year - 2020);
  switch (v) {
    case 'POB_TOT':
      return Math.round(pob * growth);
    case 'VIV_TOT':
      return Math.round((pob / 3.6) * (1 + 0.018 * (year - 2020)));
    case 'TOT_DIR':
      return Math.max(12, Math.round(pob / 2500));
    case 'MATRICULA_SEC':
      return Math.round(pob * 0.052);
    case 'PEA':
      return Math.round(pob * 0.47 * growth);
    case 'PERS_OCUP':
      return Math.round(pob * 0.31 * growth);
    default:
      throw new Error(`sin denominador para ${v}`);
  }
}

export async function loadMunicipalIndicators(
  trx: Trx,
  municipalities: { id: string; population: number }[],
  rand: () => number,
  departmentOf: (municipalityId: string, acronym: string) => number | null,
) {
  const obs: { municipality_id: string; variable_id: number; unit_id: number; periodo: string; valor: number }[] = [];
  // Rates by municipality, indicator and year, to rank the municipalities among themselves.
  const rates = new Map<string, Map<string, number>>();
  for (const m of municipalities) {
    const units = await trx
      .selectFrom('territorial_units')
      .select(['id', 'level', 'population'])
      .where('municipality_id', '=', m.id)
      .where('level', 'in', ['municipio', 'ageb'])
      .execute();
    const mun = units.find((u) => u.level === 'municipio')!;
    const agebs = units.filter((u) => u.level === 'ageb');
    const agebWeight = agebs.map((a) => (a.population ?? 1) * (0.7 + rand() * 0.6));
    const varIds = new Map<string, number>();
    const variable = async (clave: string, nombre: string, ageb: boolean) => {
      if (!varIds.has(clave)) {
        const v = await trx
          .insertInto('indicator_variables')
          .values({
            municipality_id: m.id,
            clave,
            nombre,
            unidad: clave.startsWith('POB') || clave === 'PEA' ? 'personas' : '',
            fuente: 'Datos de demostración (generados)',
            agregacion: 'suma',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        varIds.set(clave, v.id);
      }
      return { id: varIds.get(clave)!, ageb };
    };
    const written = new Set<string>();
    const put = (variableId: number, unitId: number, periodo: string, valor: number) => {
      const k = `${variableId}|${unitId}|${periodo}`;
      if (written.has(k)) return;
      written.add(k);
      obs.push({ municipality_id: m.id, variable_id: variableId, unit_id: unitId, periodo, valor });
    };
    // Splits a municipal count over the AGEBs so that the parts add up exactly to the whole.
    const split = (total: number, weights = agebWeight) => {
      const sum = weights.reduce((a, b) => a + b, 0);
      const parts = weights.map((w) => Math.floor((total * w) / sum));
      parts[parts.length - 1] += total - parts.reduce((a, b) => a + b, 0);
      return parts;
    };
    const denominators = new Map<string, Map<number, number[]>>();
    for (const ind of MUNICIPAL) {
      const [numName, denName, factor] = ind.formula;
      const withAgeb = ind.ageb && agebs.length > 0 && (m.id === '32056' || m.id === '32017');
      const num = await variable(numName, ind.variables[0][1], withAgeb);
      const den = await variable(denName, ind.variables[1][1], withAgeb);
      const dep = departmentOf(
        m.id,
        ind.tema === 'seguridad' ? 'SSP' : ind.tema === 'movilidad' || ind.tema === 'ordenamiento-territorial' ? 'DUE' : 'DS',
      );
      const local = 0.85 + rand() * 0.3;
      // Each indicator varies across the city in its own way (some neighbourhoods fare worse).
      const numWeight = agebWeight.map((w) => w * (0.4 + rand() * 1.2));
      const row = await trx
        .insertInto('indicators')
        .values({
          municipality_id: m.id,
          clave: ind.clave,
          nombre: ind.nombre,
          theme_code: ind.tema,
          ods_meta: ind.ods ?? null,
          formula: factor === 1 ? `${numName} / ${denName}` : `${numName} / ${denName} * ${factor}`,
          metodo_calculo: `(${ind.variables[0][1]} / ${ind.variables[1][1]})${factor === 1 ? '' : ` × ${factor.toLocaleString('es-MX')}`}`,
          unidad_medida: ind.unidad,
          sentido: ind.sentido,
          department_id: dep,
          cobertura: withAgeb ? ['municipio', 'ageb'] : ['municipio'],
          notas: 'Datos de demostración: serie generada, no oficial.',
          estado: 'publicado',
          is_demo: true,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      let base: number | null = null;
      for (const year of YEARS) {
        const rate = Math.max(0.1, (ind.start[0] + ind.start[1] * (year - 2015)) * local * (0.96 + rand() * 0.08));
        const denKey = denominator(denName, m.population, year);
        const numVal = Math.round((rate * denKey) / factor);
        if (year === 2018) base = (numVal / denKey) * factor;
        put(num.id, mun.id, String(year), numVal);
        put(den.id, mun.id, String(year), denKey);
        if (!rates.has(ind.clave)) rates.set(ind.clave, new Map());
        rates.get(ind.clave)!.set(`${m.id}|${year}`, (numVal / denKey) * factor);
        if (withAgeb) {
          const numParts = split(numVal, numWeight);
          if (!denominators.has(denName)) denominators.set(denName, new Map());
          const dens = denominators.get(denName)!;
          if (!dens.has(year)) dens.set(year, split(denKey));
          agebs.forEach((a, i) => {
            put(num.id, a.id, String(year), numParts[i]);
            put(den.id, a.id, String(year), dens.get(year)![i]);
          });
        }
      }
      // Metas: 10 % better than the 2018 baseline by 2024, 15 % by 2025.
      const better = (f: number) => Math.round(base! * (ind.sentido === 'ascendente' ? 1 + f : 1 - f) * 100) / 100;
      await trx
        .updateTable('indicators')
        .set({ linea_base_valor: Math.round(base! * 100) / 100, linea_base_anio: 2018 })
        .where('id', '=', row.id)
        .execute();
      await trx
        .insertInto('indicator_targets')
        .values([
          { municipality_id: m.id, indicator_id: row.id, anio: 2024, valor: better(0.1) },
          { municipality_id: m.id, indicator_id: row.id, anio: 2025, valor: better(0.15) },
        ])
        .execute();
    }
  }
  for (let i = 0; i < obs.length; i += 2000) {
    await sql`insert into indicator_observations (municipality_id, variable_id, unit_id, periodo, valor)
              select x.municipality_id, x.variable_id, x.unit_id, x.periodo, x.valor
                from jsonb_to_recordset(${JSON.stringify(obs.slice(i, i + 2000))}::jsonb)
                     as x(municipality_id text, variable_id bigint, unit_id bigint, periodo text, valor numeric)`.execute(trx);
  }
  // Comparison: rank among the demo municipalities each year ("posición X de 5"), and a state series.
  const ids = await trx
    .selectFrom('indicators')
    .select(['id', 'municipality_id', 'clave', 'sentido'])
    .where('is_demo', '=', true)
    .execute();
  const bench: {
    municipality_id: string;
    indicator_id: number;
    serie: string;
    periodo: string;
    valor: number;
    posicion: number;
    de: number;
    fuente: string;
  }[] = [];
  for (const ind of ids) {
    const r = rates.get(ind.clave);
    if (!r) continue;
    for (const year of YEARS) {
      const all = municipalities.map((m) => ({ id: m.id, v: r.get(`${m.id}|${year}`)! }));
      all.sort((a, b) => (ind.sentido === 'ascendente' ? b.v - a.v : a.v - b.v));
      const mean = all.reduce((a, b) => a + b.v, 0) / all.length;
      bench.push({
        municipality_id: ind.municipality_id,
        indicator_id: ind.id,
        serie: 'estatal',
        periodo: String(year),
        valor: Math.round(mean * 100) / 100,
        posicion: all.findIndex((x) => x.id === ind.municipality_id) + 1,
        de: all.length,
        fuente: 'Datos de demostración: promedio y posición entre los municipios de la demostración',
      });
    }
  }
  for (let i = 0; i < bench.length; i += 500)
    await trx
      .insertInto('indicator_benchmarks')
      .values(bench.slice(i, i + 500))
      .execute();
  return obs.length;
}
