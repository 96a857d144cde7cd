import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'kysely';
import { AppError } from '../../errors.ts';
import { actorOf, authorize } from '../../plugins/auth.ts';
import { errors, FileOf, lit, Message, MunicipalityId, Nullable } from '../../schemas.ts';
import * as layers from './layers.ts';
import * as S from './schemas.ts';
import { attributeValues, classify } from './styles.ts';
import { readUpload } from '../../upload.ts';

const tags = ['sig'];
const Params = Type.Object({ municipalityId: MunicipalityId });
const IdParams = Type.Object({ municipalityId: MunicipalityId, id: Type.Integer() });
const Slug = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{1,80}$' }) });

const Campo = Type.String({ minLength: 1, maxLength: 200 });

const MetaFields = {
  titulo: Type.String({ minLength: 3, maxLength: 300 }),
  descripcion: Type.Optional(Type.String({ maxLength: 8000 })),
  tema: Type.Optional(lit(...layers.TEMAS)),
  fuente: Type.Optional(Type.String({ maxLength: 500 })),
  fecha: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  licencia: Type.Optional(Type.String({ maxLength: 200 })),
  contacto: Type.Optional(Type.String({ maxLength: 300 })),
  frecuencia: Type.Optional(lit('unica', 'diaria', 'semanal', 'mensual', 'trimestral', 'anual', 'irregular')),
  publico: Type.Optional(Type.Boolean()),
  descargable: Type.Optional(Type.Boolean()),
};

const gisRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const planner = (req: Parameters<typeof authorize>[0], mid: string) => authorize(req, ['planner'], mid);

  app.get(
    '/layers',
    {
      schema: {
        tags,
        summary: 'Catálogo de capas (públicas, y privadas del personal)',
        querystring: Type.Object({
          municipalityId: Type.Optional(MunicipalityId),
          q: Type.Optional(Type.String({ maxLength: 100 })),
          tema: Type.Optional(Type.String({ maxLength: 40 })),
        }),
        response: { 200: Type.Array(S.LayerSummary) },
      },
    },
    async (req) => (await layers.listLayers(app.db, req.query.municipalityId ?? null, req.user, req.query)).map(S.layerSummaryOut),
  );
  app.get(
    '/layers/:slug',
    { schema: { tags, summary: 'Metadatos de una capa', params: Slug, response: { 200: S.Layer, ...errors(404) } } },
    async (req) => S.layerOut(await layers.getLayer(app.db, req.params.slug, req.user)),
  );
  app.get(
    '/layers/:slug/download.geojson',
    {
      schema: {
        tags,
        summary: 'Descargar la capa en GeoJSON',
        params: Slug,
        response: { 200: FileOf('FeatureCollection GeoJSON (EPSG:4326)', 'application/geo+json'), ...errors(403, 404) },
      },
    },
    async (req, reply) => {
      const l = await layers.getLayer(app.db, req.params.slug, req.user);
      if (!l.descargable && !layers.canSeePrivate(req.user, l.municipality_id))
        throw new AppError('BRJ_ERR_FORBIDDEN', 'Esta capa se consulta en el mapa pero no se descarga.');
      const r = await sql<{ fc: string }>`
      select json_build_object('type', 'FeatureCollection', 'name', ${l.slug}::text,
               'features', coalesce(json_agg(json_build_object('type', 'Feature', 'id', fid, 'properties', properties, 'geometry', ST_AsGeoJSON(geom, 7)::json) order by fid), '[]'::json))::text as fc
        from gis_features where layer_id = ${l.id}`.execute(app.db);
      return reply
        .type('application/geo+json')
        .header('content-disposition', `attachment; filename="${l.slug}.geojson"`)
        .send(r.rows[0].fc);
    },
  );

  app.get(
    '/layers/:slug/classify',
    {
      schema: {
        tags,
        summary: 'Cortes de clase de un atributo numérico (intervalos iguales, cuantiles o cortes naturales)',
        params: Slug,
        querystring: Type.Object({
          campo: Campo,
          metodo: lit('igual', 'cuantiles', 'naturales'),
          clases: Type.Integer({ minimum: 2, maximum: 9, default: 5 }),
        }),
        response: { 200: S.Classes, ...errors(400, 404) },
      },
    },
    async (req) => {
      const l = await layers.getLayer(app.db, req.params.slug, req.user);
      return classify(app.db, l.id, req.query.campo, req.query.metodo, req.query.clases);
    },
  );
  app.get(
    '/layers/:slug/values',
    {
      schema: {
        tags,
        summary: 'Valores distintos de un atributo con su frecuencia',
        params: Slug,
        querystring: Type.Object({ campo: Campo }),
        response: { 200: S.Values, ...errors(404) },
      },
    },
    async (req) => {
      const l = await layers.getLayer(app.db, req.params.slug, req.user);
      return attributeValues(app.db, l.id, req.query.campo);
    },
  );

  app.get(
    '/municipalities/:municipalityId/layers',
    { schema: { tags, summary: 'Capas del municipio', params: Params, response: { 200: Type.Array(S.LayerSummary) } } },
    async (req) => (await layers.listLayers(app.db, req.params.municipalityId, req.user)).map(S.layerSummaryOut),
  );
  app.post(
    '/municipalities/:municipalityId/layers',
    {
      schema: {
        tags,
        summary: 'Crear una capa (metadatos); los datos se cargan aparte',
        params: Params,
        body: Type.Object(MetaFields),
        response: { 201: S.Layer, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      planner(req, req.params.municipalityId);
      return reply.status(201).send(S.layerOut(await layers.createLayer(app.db, actorOf(req), req.params.municipalityId, req.body)));
    },
  );
  app.patch(
    '/municipalities/:municipalityId/layers/:id',
    {
      schema: {
        tags,
        summary: 'Modificar metadatos, visibilidad, descripción de atributos o estilo',
        params: IdParams,
        body: Type.Partial(
          Type.Object({
            ...MetaFields,
            atributos: Type.Array(
              Type.Object({
                name: Type.String({ maxLength: 200 }),
                type: Type.Optional(lit('text', 'integer', 'number', 'boolean', 'date')),
                description: Type.Optional(Type.String({ maxLength: 1000 })),
              }),
              { maxItems: 500 },
            ),
            estilo: S.Estilo,
          }),
        ),
        response: { 200: S.Layer, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      return S.layerOut(await layers.updateLayer(app.db, actorOf(req), req.params.municipalityId, req.params.id, req.body));
    },
  );
  app.delete(
    '/municipalities/:municipalityId/layers/:id',
    { schema: { tags, summary: 'Eliminar una capa y sus datos', params: IdParams, response: { 200: Message, ...errors(401, 403, 404) } } },
    async (req) => {
      planner(req, req.params.municipalityId);
      await layers.deleteLayer(app.db, actorOf(req), req.params.municipalityId, req.params.id);
      return { message: 'Capa eliminada.' };
    },
  );
  app.put(
    '/municipalities/:municipalityId/layers/:id/data',
    {
      schema: {
        tags,
        summary: 'Cargar o reemplazar los datos de una capa',
        description:
          'multipart/form-data: "file" (GeoJSON, Shapefile en .zip con .shp/.shx/.dbf/.prj, GeoPackage, KML/KMZ, CSV con latitud/longitud o WKT, FlatGeobuf) y opcionalmente dryRun=true, layer (capa del GeoPackage o del .zip), lat, lon, wkt (columnas del CSV), skipInvalid=true. Todo o nada: con geometrías no reparables responde 422 con el reporte y no cambia la capa.',
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: S.UploadReport, ...errors(400, 401, 403, 404, 413, 415, 422) },
      },
    },
    async (req) => {
      planner(req, req.params.municipalityId);
      const l = await app.db
        .selectFrom('gis_layers')
        .select('id')
        .where('id', '=', req.params.id)
        .where('municipality_id', '=', req.params.municipalityId)
        .executeTakeFirst();
      if (!l) throw new AppError('BRJ_ERR_NOT_FOUND', 'La capa no existe.');
      const { nombre, bytes, field } = await readUpload(req);
      return layers.uploadLayerData(
        app.db,
        actorOf(req),
        l.id,
        { name: nombre, bytes },
        {
          dryRun: field('dryRun') === 'true',
          skipInvalid: field('skipInvalid') === 'true',
          layer: field('layer'),
          csv: { lat: field('lat'), lon: field('lon'), wkt: field('wkt') },
          copyInto: app.database.copyInto,
        },
      );
    },
  );
};

export default gisRoutes;
