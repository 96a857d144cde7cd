import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { encoded, ResponseCache } from './cache.ts';
import type { TerritorialLevel } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { actorOf, authorize } from '../../plugins/auth.ts';
import { CSV, errors, FileOf, Message, MunicipalityId, XLSX } from '../../schemas.ts';
import { LEVELS } from '../territory/api.ts';
import { parseFormula, variablesOf } from './formula.ts';
import { templateXlsx, toCsv, toXlsx } from './export.ts';
import * as S from './schemas.ts';
import * as service from './service.ts';
import { registerHistoryRules } from '../audit/api.ts';
import { HISTORY } from './history.ts';
import dataRoutes from './data.routes.ts';
import tokensRoutes from './tokens.routes.ts';

const Params = Type.Object({ municipalityId: MunicipalityId });
const IndParams = Type.Object({ municipalityId: MunicipalityId, clave: S.Clave });
const Level = Type.Union(LEVELS.map((l) => Type.Literal(l)));
const num = (v: number | string | null) => (v === null ? null : Number(v));

/** The level a tenant's own figures live at: the state for NN000, the municipality otherwise. */
export const ownLevel = (municipalityId: string): TerritorialLevel => (municipalityId.endsWith('000') ? 'estado' : 'municipio');

const ValuesQuery = Type.Object({
  nivel: Type.Optional(Level),
  agregarDesde: Type.Optional(Level),
  periodo: Type.Optional(Type.String({ maxLength: 10 })),
  desagregacion: Type.Optional(Type.String({ maxLength: 60 })),
  unitId: Type.Optional(Type.Integer()),
});

const indicatorsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  registerHistoryRules(HISTORY);
  const cache = new ResponseCache();
  // Any write under a municipality (fichas, metas, variables, data) clears its cached responses.
  app.addHook('onResponse', async (req, reply) => {
    const mid = (req.params as { municipalityId?: string } | undefined)?.municipalityId;
    if (mid && req.method !== 'GET' && reply.statusCode < 400) cache.invalidate(mid);
  });

  /** Serves a public JSON response from the cache (ETag, 304) or computes and stores it. */
  async function withCache<T>(req: FastifyRequest, reply: FastifyReply, municipalityId: string, compute: () => Promise<T>): Promise<T> {
    // Drafts and staff views are never cached: the cache holds only what anyone may see.
    if (service.canSeeDrafts(req.user, municipalityId)) return compute();
    const key = req.url;
    const hit = cache.get(municipalityId, key) ?? cache.set(municipalityId, key, await compute());
    reply.header('etag', hit.etag).header('cache-control', 'public, max-age=30').header('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === hit.etag) return reply.status(304).send() as unknown as T;
    // The cached body is already JSON (and compressed once): sent as is, it skips the serializer.
    const { body, encoding } = encoded(hit, req.headers['accept-encoding']);
    if (encoding) reply.header('content-encoding', encoding);
    return reply.type('application/json; charset=utf-8').send(body) as unknown as T;
  }
  async function valuesFor(req: {
    params: { municipalityId: string; clave: string };
    query: Static<typeof ValuesQuery>;
    user: import('../../plugins/auth.ts').SessionUser | null;
  }) {
    const i = await service.getIndicator(app.db, req.params.municipalityId, req.params.clave, req.user);
    const level = (req.query.nivel ?? ownLevel(req.params.municipalityId)) as TerritorialLevel;
    const from = req.query.agregarDesde as TerritorialLevel | undefined;
    if (from && LEVELS.indexOf(from) <= LEVELS.indexOf(level) && !['colonia', 'poligono'].includes(from)) {
      throw new AppError('BRJ_ERR_VALIDATION', `Solo se agrega de un nivel más fino: ${from} no está debajo de ${level}.`);
    }
    const rows = await service.values(
      app.db,
      {
        ...i,
        linea_base_valor: num(i.linea_base_valor),
        semaforo_verde: Number(i.semaforo_verde),
        semaforo_amarillo: Number(i.semaforo_amarillo),
      },
      {
        level,
        rollupFrom: from,
        periodo: req.query.periodo,
        desagregacion: req.query.desagregacion,
        unitId: req.query.unitId,
      },
    );
    return { indicator: i, rows };
  }

  app.get(
    '/indicators/themes',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Temas del Sistema Municipal de Indicadores',
        response: { 200: S.Themes },
      },
    },
    async () =>
      (await app.db.selectFrom('indicator_themes').selectAll().orderBy('sort').execute()).map((t) => ({
        code: t.code,
        name: t.name,
        nameEn: t.name_en,
      })),
  );

  app.get(
    '/municipalities/:municipalityId/indicators',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Catálogo de indicadores (publicados; también borradores para el personal del municipio)',
        params: Params,
        querystring: Type.Object({
          tema: Type.Optional(Type.String({ maxLength: 60 })),
          q: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: { 200: Type.Array(S.IndicatorSummary) },
      },
    },
    async (req) => {
      const mid = req.params.municipalityId;
      let q = app.db
        .selectFrom('indicators as i')
        .innerJoin('indicator_themes as t', 't.code', 'i.theme_code')
        .select([
          'i.id',
          'i.clave',
          'i.nombre',
          'i.theme_code',
          't.name as theme_name',
          't.sort',
          'i.ods_meta',
          'i.unidad_medida',
          'i.sentido',
          'i.estado',
          'i.is_demo',
          'i.updated_at',
        ])
        .where('i.municipality_id', '=', mid);
      if (!service.canSeeDrafts(req.user, mid)) q = q.where('i.estado', '=', 'publicado');
      if (req.query.tema) q = q.where('i.theme_code', '=', req.query.tema);
      if (req.query.q) {
        const like = `%${req.query.q}%`;
        q = q.where((eb) =>
          eb.or([
            eb('i.clave', 'ilike', like),
            eb(eb.fn('unaccent_simple', ['i.nombre']), 'like', eb.fn('unaccent_simple', [eb.val(like)])),
          ]),
        );
      }
      const rows = await q.orderBy('t.sort').orderBy('i.clave').execute();
      return rows.map((r) => ({
        id: r.id,
        clave: r.clave,
        nombre: r.nombre,
        tema: r.theme_code,
        temaNombre: r.theme_name,
        odsMeta: r.ods_meta,
        unidadMedida: r.unidad_medida,
        sentido: r.sentido,
        estado: r.estado,
        isDemo: r.is_demo,
        updatedAt: new Date(r.updated_at).toISOString(),
      }));
    },
  );

  app.post(
    '/municipalities/:municipalityId/indicators',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Crear un indicador (ficha técnica)',
        params: Params,
        body: S.CreateIndicator,
        response: { 201: Type.Object({ id: Type.Integer(), clave: Type.String() }), ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      authorize(req, ['planner'], req.params.municipalityId);
      const r = await service.createIndicator(app.db, actorOf(req), req.params.municipalityId, req.body);
      return reply.status(201).send({ id: r.id, clave: req.body.clave });
    },
  );

  app.patch(
    '/municipalities/:municipalityId/indicators/:clave',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Modificar la ficha técnica',
        params: IndParams,
        body: S.UpdateIndicator,
        response: { 200: Message, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      authorize(req, ['planner'], req.params.municipalityId);
      await service.updateIndicator(app.db, actorOf(req), req.params.municipalityId, req.params.clave, req.body);
      return { message: 'Indicador actualizado.' };
    },
  );

  app.get(
    '/municipalities/:municipalityId/indicators/:clave',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Ficha técnica con variables, metas y comparativos',
        params: IndParams,
        response: { 200: S.Ficha, ...errors(404) },
      },
    },
    async (req) => {
      const i = await service.getIndicator(app.db, req.params.municipalityId, req.params.clave, req.user);
      const [vars, metas, comps] = await Promise.all([
        app.db.selectFrom('indicator_variables').selectAll().where('municipality_id', '=', i.municipality_id).execute(),
        app.db.selectFrom('indicator_targets').selectAll().where('indicator_id', '=', i.id).orderBy('anio').orderBy('trimestre').execute(),
        app.db
          .selectFrom('indicator_benchmarks')
          .selectAll()
          .where('indicator_id', '=', i.id)
          .orderBy('serie')
          .orderBy('periodo')
          .execute(),
      ]);
      const used = variablesOf(parseFormula(i.formula));
      return {
        id: i.id,
        municipalityId: i.municipality_id,
        clave: i.clave,
        nombre: i.nombre,
        tema: i.theme_code,
        temaNombre: i.theme_name,
        odsMeta: i.ods_meta,
        unidadMedida: i.unidad_medida,
        sentido: i.sentido,
        estado: i.estado,
        isDemo: i.is_demo,
        updatedAt: new Date(i.updated_at).toISOString(),
        definicion: i.definicion,
        metodoCalculo: i.metodo_calculo,
        formula: i.formula,
        tipo: i.tipo,
        dimension: i.dimension,
        frecuencia: i.frecuencia,
        lineaBaseValor: num(i.linea_base_valor),
        lineaBaseAnio: i.linea_base_anio,
        semaforoVerde: Number(i.semaforo_verde),
        semaforoAmarillo: Number(i.semaforo_amarillo),
        departmentId: i.department_id,
        departmentName: i.department_name,
        cobertura: i.cobertura,
        desagregaciones: i.desagregaciones,
        nivelMir: i.nivel_mir,
        decimales: i.decimales,
        notas: i.notas,
        variables: vars.filter((v) => used.has(v.clave)).map(S.variableOut),
        metas: metas.map((m) => ({ anio: m.anio, trimestre: m.trimestre, valor: Number(m.valor) })),
        comparativos: comps.map((c) => ({
          serie: c.serie,
          periodo: c.periodo,
          valor: num(c.valor),
          posicion: c.posicion,
          de: c.de,
          fuente: c.fuente,
        })),
      };
    },
  );

  app.put(
    '/municipalities/:municipalityId/indicators/:clave/metas',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Reemplazar las metas del indicador (por año y, opcionalmente, trimestre)',
        params: IndParams,
        body: Type.Array(S.Meta, { maxItems: 400 }),
        response: { 200: Message, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      authorize(req, ['planner'], req.params.municipalityId);
      const i = await service.getIndicator(app.db, req.params.municipalityId, req.params.clave, req.user);
      const keys = new Set(req.body.map((m) => `${m.anio}-${m.trimestre ?? ''}`));
      if (keys.size !== req.body.length) throw new AppError('BRJ_ERR_VALIDATION', 'Hay metas repetidas para el mismo periodo.');
      await service.replaceRows(
        app.db,
        actorOf(req),
        'indicator_targets',
        i.id,
        req.body.map((m) => ({
          municipality_id: i.municipality_id,
          indicator_id: i.id,
          anio: m.anio,
          trimestre: m.trimestre ?? null,
          valor: m.valor,
        })),
      );
      return { message: 'Metas guardadas.' };
    },
  );

  app.put(
    '/municipalities/:municipalityId/indicators/:clave/comparativos',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Reemplazar las series de comparación (estatal, nacional, otros municipios) y posiciones',
        params: IndParams,
        body: Type.Array(S.Benchmark, { maxItems: 2000 }),
        response: { 200: Message, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      authorize(req, ['planner'], req.params.municipalityId);
      const i = await service.getIndicator(app.db, req.params.municipalityId, req.params.clave, req.user);
      for (const b of req.body) {
        if (b.posicion != null && b.de != null && b.posicion > b.de)
          throw new AppError('BRJ_ERR_VALIDATION', `Posición ${b.posicion} de ${b.de} no es posible.`);
      }
      await service.replaceRows(
        app.db,
        actorOf(req),
        'indicator_benchmarks',
        i.id,
        req.body.map((b) => ({
          municipality_id: i.municipality_id,
          indicator_id: i.id,
          serie: b.serie,
          periodo: b.periodo,
          valor: b.valor,
          posicion: b.posicion ?? null,
          de: b.de ?? null,
          fuente: b.fuente ?? '',
        })),
      );
      return { message: 'Comparativos guardados.' };
    },
  );

  app.get(
    '/municipalities/:municipalityId/indicators/:clave/values',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Valores calculados por unidad territorial, periodo y desagregación, con meta, semáforo y avance',
        description:
          '`agregarDesde` calcula el nivel pedido a partir de datos de un nivel más fino: suma los conteos y aplica la fórmula a las sumas (las razones se recalculan, nunca se promedian). Descargas con los mismos parámetros: `values.csv` y `values.xlsx`.',
        params: IndParams,
        querystring: ValuesQuery,
        response: { 200: Type.Array(S.ValueRow), ...errors(400, 404) },
      },
    },
    async (req, reply) => withCache(req, reply, req.params.municipalityId, async () => (await valuesFor(req)).rows),
  );

  app.get(
    '/municipalities/:municipalityId/indicators/:clave/values.csv',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Descarga CSV de los valores (los mismos de la página)',
        params: IndParams,
        querystring: ValuesQuery,
        response: { 200: FileOf('Valores en CSV (UTF-8)', CSV), ...errors(404) },
      },
    },
    async (req, reply) => {
      const { indicator, rows } = await valuesFor(req);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${indicator.clave}_${indicator.municipality_id}.csv"`)
        .send(toCsv(indicator.clave, rows, indicator.decimales));
    },
  );

  app.get(
    '/municipalities/:municipalityId/indicators/:clave/values.xlsx',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Descarga XLSX de los valores',
        params: IndParams,
        querystring: ValuesQuery,
        response: { 200: FileOf('Valores en XLSX', XLSX), ...errors(404) },
      },
    },
    async (req, reply) => {
      const { indicator, rows } = await valuesFor(req);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${indicator.clave}_${indicator.municipality_id}.xlsx"`)
        .send(await toXlsx(indicator.clave, indicator.nombre, rows, indicator.decimales));
    },
  );

  app.get(
    '/municipalities/:municipalityId/indicators/:clave/plantilla.xlsx',
    {
      schema: {
        tags: ['indicadores'],
        summary: 'Plantilla XLSX para cargar datos de las variables del indicador',
        params: IndParams,
        response: { 200: FileOf('Plantilla XLSX', XLSX), ...errors(404) },
      },
    },
    async (req, reply) => {
      const i = await service.getIndicator(app.db, req.params.municipalityId, req.params.clave, req.user);
      const names = [...variablesOf(parseFormula(i.formula))];
      const vars = await app.db
        .selectFrom('indicator_variables')
        .select(['clave', 'nombre'])
        .where('municipality_id', '=', i.municipality_id)
        .where('clave', 'in', names)
        .orderBy('clave')
        .execute();
      const own = await app.db
        .selectFrom('shared_units')
        .select('cvegeo')
        .where('municipality_id', '=', i.municipality_id)
        .where('level', '=', ownLevel(i.municipality_id))
        .executeTakeFirst();
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="plantilla_${i.clave}.xlsx"`)
        .send(await templateXlsx(vars, own?.cvegeo ?? i.municipality_id, String(new Date().getFullYear())));
    },
  );

  app.get(
    '/municipalities/:municipalityId/indicators-dashboard',
    {
      schema: {
        tags: ['indicadores'],
        summary: '¿Cómo vamos? Semáforo por tema, mayores cambios y últimas actualizaciones',
        params: Params,
        response: {
          200: S.Dashboard,
          ...errors(404),
        },
      },
    },
    async (req, reply) => withCache(req, reply, req.params.municipalityId, () => dashboard(req.params.municipalityId)),
  );

  async function dashboard(mid: string) {
    const inds = await app.db
      .selectFrom('indicators as i')
      .innerJoin('indicator_themes as t', 't.code', 'i.theme_code')
      .selectAll('i')
      .select(['t.name as theme_name', 't.sort'])
      .where('i.municipality_id', '=', mid)
      .where('i.estado', '=', 'publicado')
      .orderBy('t.sort')
      .orderBy('i.clave')
      .execute();
    const level = ownLevel(mid);
    const items = [];
    for (const i of inds) {
      const rows = (
        await service.values(
          app.db,
          {
            ...i,
            linea_base_valor: num(i.linea_base_valor),
            semaforo_verde: Number(i.semaforo_verde),
            semaforo_amarillo: Number(i.semaforo_amarillo),
          },
          { level, desagregacion: 'total' },
        )
      ).filter((r) => r.valor !== null);
      const last = rows.at(-1) ?? null;
      const prev = rows.at(-2) ?? null;
      const cambio = last && prev && prev.valor !== 0 ? ((last.valor! - prev.valor!) / Math.abs(prev.valor!)) * 100 : null;
      items.push({
        clave: i.clave,
        nombre: i.nombre,
        tema: i.theme_code,
        temaNombre: i.theme_name,
        odsMeta: i.ods_meta,
        unidadMedida: i.unidad_medida,
        periodo: last?.periodo ?? null,
        valor: last?.valor ?? null,
        anterior: prev?.valor ?? null,
        cambio: cambio === null ? null : Math.round(cambio * 10) / 10,
        mejora: cambio === null || cambio === 0 ? null : cambio > 0 === (i.sentido === 'ascendente'),
        meta: last?.meta ?? null,
        semaforo: last?.semaforo ?? null,
        actualizado: new Date(i.updated_at).toISOString(),
      });
    }
    const temas = new Map<string, { tema: string; nombre: string; verde: number; amarillo: number; rojo: number; sinDato: number }>();
    for (const it of items) {
      const t = temas.get(it.tema) ?? { tema: it.tema, nombre: it.temaNombre, verde: 0, amarillo: 0, rojo: 0, sinDato: 0 };
      if (it.semaforo === 'verde') t.verde++;
      else if (it.semaforo === 'amarillo') t.amarillo++;
      else if (it.semaforo === 'rojo') t.rojo++;
      else t.sinDato++;
      temas.set(it.tema, t);
    }
    const cargas = await app.db
      .selectFrom('indicator_loads as l')
      .leftJoin('shared_users as u', 'u.id', 'l.created_by')
      .select(['l.file_name', 'l.rows', 'l.created_at', 'u.name'])
      .where('l.municipality_id', '=', mid)
      .orderBy('l.id', 'desc')
      .limit(5)
      .execute();
    return {
      temas: [...temas.values()],
      indicadores: items.map(({ temaNombre: _t, ...rest }) => rest),
      ultimasCargas: cargas.map((c) => ({ archivo: c.file_name, filas: c.rows, fecha: new Date(c.created_at).toISOString(), por: c.name })),
    };
  }

  await app.register(dataRoutes);
  await app.register(tokensRoutes);
};

export default indicatorsRoutes;
