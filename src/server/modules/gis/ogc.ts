import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import * as layers from './layers.ts';
import { denseTiles } from './overviews.ts';

/**
 * OGC API – Features Part 1: Core, with GeoJSON, HTML and OpenAPI 3.0. Collections are the layers
 * visible to the caller (public ones, plus the private ones of the municipality for its staff).
 */
const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
];
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function wantsHtml(req: FastifyRequest): boolean {
  const f = (req.query as { f?: string }).f;
  if (f) return f === 'html';
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html') && !accept.includes('json');
}

function page(title: string, body: string) {
  return `<!doctype html><html lang="es-MX"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} — Brújula OGC API</title>
<style>body{font-family:system-ui,sans-serif;margin:0 auto;max-width:960px;padding:16px;color:#1d2622}a{color:#0b5d4b}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d8ddd8;padding:4px 8px;text-align:left;vertical-align:top}code{background:#eef2ef;padding:1px 4px}</style></head>
<body><p><a href="/ogc?f=html">Brújula — OGC API Features</a></p><h1>${esc(title)}</h1>${body}</body></html>`;
}

const DAY = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/i;

/**
 * OGC API – Features `datetime`: an instant or an interval (`start/end`, `..` or empty for an open
 * end), matched against the layer's first date attribute (values AAAA-MM-DD, so by day: a feature
 * dated on a day intersects any instant of that day). A layer without a date attribute cannot
 * answer it, and says so instead of returning everything.
 */
export function temporalFilter(l: { slug: string; atributos: { name: string; type?: string }[] }, raw: string) {
  const attribute = l.atributos.find((a) => a.type === 'date')?.name;
  if (!attribute)
    throw new AppError('BRJ_ERR_VALIDATION', `La colección ${l.slug} no tiene un atributo de fecha: datetime no se puede aplicar.`);
  const parts = raw.split('/');
  const day = (s: string) => {
    const m = DAY.exec(s);
    if (!m || Number.isNaN(Date.parse(s)))
      throw new AppError(
        'BRJ_ERR_VALIDATION',
        `datetime no válido: «${s.slice(0, 40)}». Use AAAA-MM-DD, una fecha y hora RFC 3339 o un intervalo inicio/fin (.. para un extremo abierto).`,
      );
    return m[1];
  };
  const open = (s: string) => s === '..' || s === '';
  if (parts.length === 1) {
    const d = day(parts[0]);
    return { attribute, start: d, end: d };
  }
  if (parts.length !== 2 || (open(parts[0]) && open(parts[1])))
    throw new AppError('BRJ_ERR_VALIDATION', 'datetime: un intervalo necesita al menos un extremo (inicio/fin, .. para abierto).');
  const start = open(parts[0]) ? null : day(parts[0]);
  const end = open(parts[1]) ? null : day(parts[1]);
  if (start && end && start > end) throw new AppError('BRJ_ERR_VALIDATION', 'datetime: el inicio del intervalo es posterior al fin.');
  return { attribute, start, end };
}

export interface ItemsFilter {
  layerId: number | string;
  bbox: number[] | null;
  when: ReturnType<typeof temporalFilter> | null;
}

function itemsWhere(f: ItemsFilter) {
  const conditions = [sql`layer_id = ${f.layerId}`];
  if (f.bbox) conditions.push(sql`geom && ST_MakeEnvelope(${f.bbox[0]}, ${f.bbox[1]}, ${f.bbox[2]}, ${f.bbox[3]}, 4326)`);
  if (f.when?.start) conditions.push(sql`properties->>${f.when.attribute} >= ${f.when.start}`);
  if (f.when?.end) conditions.push(sql`properties->>${f.when.attribute} <= ${f.when.end}`);
  if (f.when) conditions.push(sql`properties->>${f.when.attribute} is not null`);
  return sql.join(conditions, sql` and `);
}

/**
 * One page of a collection's items, its GeoJSON assembled by PostgreSQL (no parse and re-serialise
 * of every geometry in Node). Exported for the benchmark, whose reference is this query alone.
 */
export function itemsPage(f: ItemsFilter, limit: number, offset: number, html: boolean) {
  return sql<{ n: number; fc: string | null; rows: { fid: number; properties: Record<string, unknown> }[] | null }>`
      select count(*)::int as n,
             string_agg(json_build_object('type', 'Feature', 'id', fid, 'geometry', ST_AsGeoJSON(geom, 7)::json, 'properties', properties)::text, ',' order by fid) as fc,
             ${html ? sql`json_agg(json_build_object('fid', fid, 'properties', properties) order by fid)` : sql`null`} as rows
        from (select fid, properties, geom from gis_features where ${itemsWhere(f)} order by fid limit ${limit} offset ${offset}) x`;
}

// How far past the page a filtered count may look: the page already walked its offset, so the
// count costs at most the page plus this many index matches.
const COUNT_AHEAD = 5_000;

/**
 * numberMatched when it is cheap (it is optional in OGC API – Features): the layer's stored count
 * without a filter; the page itself when it is not full; otherwise a count that stops COUNT_AHEAD
 * matches past the page, and null (left out; `next` follows from a full page) beyond.
 */
async function numberMatched(db: Kysely<DB>, featureCount: number, f: ItemsFilter, limit: number, offset: number, returned: number) {
  if (!f.bbox && !f.when) return featureCount;
  if (returned < limit && (returned > 0 || offset === 0)) return offset + returned;
  const cap = offset + limit + COUNT_AHEAD;
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from (select 1 from gis_features where ${itemsWhere(f)} limit ${cap + 1}) x`.execute(db);
  return rows[0].n > cap ? null : rows[0].n;
}

const ogcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Links are built from BRUJULA_PUBLIC_URL, never from the request's Host header (which anyone can set).
  const base = `${app.config.publicUrl}/ogc`;
  // OGC API – Features Core (/req/core/query-param-unknown): a parameter the server does not know
  // is an error (400), not something to ignore — a client asking for crs=…3857 must not get WGS 84
  // believing it is Web Mercator. Checked on the raw query, before the schema strips extras.
  app.addHook('preValidation', async (req) => {
    if (!req.routeOptions.url?.startsWith('/ogc')) return;
    const known = [
      ...new Set(['f', ...Object.keys((req.routeOptions.schema?.querystring as { properties?: object } | undefined)?.properties ?? {})]),
    ];
    const unknown = [...new Set(new URL(req.raw.url ?? '/', 'http://x').searchParams.keys())].filter((k) => !known.includes(k));
    if (unknown.length)
      throw new AppError(
        'BRJ_ERR_VALIDATION',
        `Parámetro no admitido: ${unknown.join(', ')}. Esta API acepta: ${known.join(', ') || 'ninguno'}.`,
      );
  });
  const send = (req: FastifyRequest, reply: FastifyReply, json: unknown, html: () => string, type = 'application/json') =>
    wantsHtml(req) ? reply.type('text/html; charset=utf-8').send(html()) : reply.type(type).send(json);
  const F = Type.Object({ f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')])) });

  app.get('/ogc', { schema: { hide: true, querystring: F } }, async (req, reply) => {
    const links = [
      { href: `${base}?f=json`, rel: 'self', type: 'application/json', title: 'Esta página' },
      { href: `${base}?f=html`, rel: 'alternate', type: 'text/html', title: 'Esta página en HTML' },
      { href: `${base}/api`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'Definición OpenAPI 3.0' },
      { href: `${base}/conformance`, rel: 'conformance', type: 'application/json', title: 'Clases de conformidad' },
      { href: `${base}/collections`, rel: 'data', type: 'application/json', title: 'Colecciones (capas)' },
    ];
    const json = {
      title: 'Brújula — Sistema de Información Geográfica',
      description: 'Capas municipales publicadas con OGC API – Features.',
      links,
    };
    return send(req, reply, json, () =>
      page(
        json.title,
        `<p>${esc(json.description)}</p><ul>${links.map((l) => `<li><a href="${esc(l.href)}">${esc(l.title)}</a> (${esc(l.rel)})</li>`).join('')}</ul>`,
      ),
    );
  });

  app.get('/ogc/conformance', { schema: { hide: true, querystring: F } }, async (req, reply) =>
    send(req, reply, { conformsTo: CONFORMANCE }, () =>
      page('Conformidad', `<ul>${CONFORMANCE.map((c) => `<li><code>${c}</code></li>`).join('')}</ul>`),
    ),
  );

  app.get('/ogc/api', { schema: { hide: true } }, async (_req, reply) => {
    const p = (name: string, inn: string, schema: object, description: string, required = false) => ({
      name,
      in: inn,
      required,
      schema,
      description,
    });
    const f = p(
      'f',
      'query',
      { type: 'string', enum: ['json', 'html'] },
      'Formato de la respuesta (por omisión, según el encabezado Accept)',
    );
    const collectionId = p('collectionId', 'path', { type: 'string' }, 'Identificador de la colección (slug de la capa)', true);
    const fail = { '400': { description: 'Parámetro desconocido o no válido' } };
    const op = (operationId: string, summary: string, description: string, extra: object = {}) => ({
      get: { operationId, summary, security: [], parameters: [f], responses: { '200': { description }, ...fail }, ...extra },
    });
    return reply.type('application/vnd.oai.openapi+json;version=3.0').send({
      openapi: '3.0.3',
      info: {
        title: 'Brújula — OGC API Features',
        version: '1.0.0',
        license: { name: 'Licencia de cada capa (campo licencia de la colección)' },
      },
      servers: [{ url: base }],
      paths: {
        '/': op('getLandingPage', 'Página de inicio', 'Enlaces'),
        '/conformance': op('getConformance', 'Clases de conformidad', 'conformsTo'),
        '/collections': op(
          'getCollections',
          'Colecciones',
          'Colecciones (capas públicas y, para el personal, las privadas de su municipio)',
        ),
        '/collections/{collectionId}': op('describeCollection', 'Una colección', 'Colección', {
          parameters: [collectionId, f],
          responses: { '200': { description: 'Colección' }, ...fail, '404': { description: 'No existe' } },
        }),
        '/collections/{collectionId}/items': op('getFeatures', 'Elementos de una colección', 'FeatureCollection GeoJSON', {
          parameters: [
            collectionId,
            f,
            p(
              'bbox',
              'query',
              { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } },
              'minLon,minLat,maxLon,maxLat (CRS84)',
            ),
            p(
              'datetime',
              'query',
              { type: 'string' },
              'Fecha (AAAA-MM-DD o RFC 3339) o intervalo inicio/fin con .. para un extremo abierto; se compara por día con el primer atributo de tipo fecha de la capa (400 si no tiene)',
            ),
            p('limit', 'query', { type: 'integer', minimum: 1, maximum: 10000, default: 10 }, 'Elementos por página'),
            p('offset', 'query', { type: 'integer', minimum: 0, default: 0 }, 'Desplazamiento'),
          ],
          responses: {
            '200': { description: 'FeatureCollection GeoJSON', content: { 'application/geo+json': {} } },
            ...fail,
            '404': { description: 'No existe la colección' },
          },
        }),
        '/collections/{collectionId}/items/{featureId}': op('getFeature', 'Un elemento', 'Feature GeoJSON', {
          parameters: [collectionId, p('featureId', 'path', { type: 'integer' }, 'Elemento', true), f],
          responses: {
            '200': { description: 'Feature GeoJSON', content: { 'application/geo+json': {} } },
            ...fail,
            '404': { description: 'No existe' },
          },
        }),
      },
    });
  });

  const collectionJson = (
    b: string,
    l: Awaited<ReturnType<typeof layers.getLayer>> | Awaited<ReturnType<typeof layers.listLayers>>[number],
  ) => ({
    id: l.slug,
    title: l.titulo,
    description: l.descripcion,
    itemType: 'feature',
    crs: [CRS84],
    extent: l.bbox ? { spatial: { bbox: [l.bbox], crs: CRS84 } } : undefined,
    links: [
      { href: `${b}/collections/${l.slug}`, rel: 'self', type: 'application/json', title: l.titulo },
      { href: `${b}/collections/${l.slug}?f=html`, rel: 'alternate', type: 'text/html', title: l.titulo },
      { href: `${b}/collections/${l.slug}/items`, rel: 'items', type: 'application/geo+json', title: 'Elementos' },
      { href: `${b}/collections/${l.slug}/items?f=html`, rel: 'items', type: 'text/html', title: 'Elementos (HTML)' },
    ],
  });

  app.get('/ogc/collections', { schema: { hide: true, querystring: F } }, async (req, reply) => {
    const list = (await layers.listLayers(app.db, null, req.user)).filter((l) => l.feature_count > 0);
    const json = {
      links: [
        { href: `${base}/collections?f=json`, rel: 'self', type: 'application/json', title: 'Colecciones' },
        { href: `${base}/collections?f=html`, rel: 'alternate', type: 'text/html', title: 'Colecciones en HTML' },
      ],
      collections: list.map((l) => collectionJson(base, l)),
    };
    return send(req, reply, json, () =>
      page(
        'Colecciones',
        `<table><tr><th>Capa</th><th>Municipio</th><th>Elementos</th></tr>${list.map((l) => `<tr><td><a href="${base}/collections/${esc(l.slug)}?f=html">${esc(l.titulo)}</a></td><td>${esc(l.municipality_id)}</td><td>${l.feature_count}</td></tr>`).join('')}</table>`,
      ),
    );
  });

  const CollParams = Type.Object({ collectionId: Type.String({ maxLength: 90 }) });
  const layerOf = async (req: FastifyRequest, id: string) => {
    if (!/^[a-z0-9][a-z0-9_-]{1,80}$/.test(id)) throw new AppError('BRJ_ERR_NOT_FOUND', 'La colección no existe.');
    return layers.getLayer(app.db, id, req.user);
  };

  app.get('/ogc/collections/:collectionId', { schema: { hide: true, params: CollParams, querystring: F } }, async (req, reply) => {
    const l = await layerOf(req, req.params.collectionId);
    const json = collectionJson(base, l);
    return send(req, reply, json, () =>
      page(
        l.titulo,
        `<p>${esc(l.descripcion)}</p><p>Fuente: ${esc(l.fuente)} · Licencia: ${esc(l.licencia)} · ${l.feature_count} elementos</p><p><a href="${base}/collections/${esc(l.slug)}/items?f=html">Ver elementos</a></p>`,
      ),
    );
  });

  const ItemsQuery = Type.Object({
    f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
    bbox: Type.Optional(Type.String({ maxLength: 200 })),
    datetime: Type.Optional(Type.String({ maxLength: 80 })),
  });

  app.get(
    '/ogc/collections/:collectionId/items',
    { schema: { hide: true, params: CollParams, querystring: ItemsQuery } },
    async (req, reply) => {
      const l = await layerOf(req, req.params.collectionId);
      const limit = req.query.limit ?? 10;
      const offset = req.query.offset ?? 0;
      let bbox: number[] | null = null;
      if (req.query.bbox) {
        bbox = req.query.bbox.split(',').map(Number);
        if (bbox.length !== 4 || bbox.some((n) => !Number.isFinite(n)))
          throw new AppError('BRJ_ERR_VALIDATION', 'bbox debe ser minLon,minLat,maxLon,maxLat.');
      }
      const when = req.query.datetime === undefined ? null : temporalFilter(l, req.query.datetime);
      const html = wantsHtml(req);
      const filter = { layerId: l.id, bbox, when };
      const page1 = await itemsPage(filter, limit, offset, html).execute(app.db);
      const returned = page1.rows[0].n;
      const matched = await numberMatched(app.db, l.feature_count, filter, limit, offset, returned);
      const b = `${base}/collections/${l.slug}/items`;
      // Paging links keep the format, so a client that asked for JSON stays in JSON.
      const q = (o: number, f: 'json' | 'html' = 'json') =>
        `${b}?limit=${limit}&offset=${o}${req.query.bbox ? `&bbox=${encodeURIComponent(req.query.bbox)}` : ''}${when ? `&datetime=${encodeURIComponent(req.query.datetime!)}` : ''}&f=${f}`;
      const links = [
        { href: q(offset), rel: 'self', type: 'application/geo+json', title: 'Esta página' },
        { href: q(offset, 'html'), rel: 'alternate', type: 'text/html', title: 'Esta página en HTML' },
        { href: `${base}/collections/${l.slug}`, rel: 'collection', type: 'application/json', title: l.titulo },
        ...((matched === null ? returned === limit : offset + returned < matched)
          ? [{ href: q(offset + limit), rel: 'next', type: 'application/geo+json', title: 'Siguiente' }]
          : []),
        ...(offset > 0 ? [{ href: q(Math.max(0, offset - limit)), rel: 'prev', type: 'application/geo+json', title: 'Anterior' }] : []),
      ];
      if (!html) {
        const head = JSON.stringify({
          type: 'FeatureCollection',
          ...(matched !== null && { numberMatched: matched }),
          numberReturned: returned,
          timeStamp: new Date().toISOString(),
          links,
        });
        return reply.type('application/geo+json').send(`${head.slice(0, -1)},"features":[${page1.rows[0].fc ?? ''}]}`);
      }
      const rows = page1.rows[0].rows ?? [];
      const cols = l.atributos.map((a) => a.name);
      return reply.type('text/html; charset=utf-8').send(
        page(
          `${l.titulo}: elementos`,
          `<p>${offset + 1}–${offset + returned}${matched === null ? ` de más de ${(offset + limit + COUNT_AHEAD).toLocaleString('es-MX')}` : ` de ${matched}`}</p><table><tr><th>id</th>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>${rows.map((f) => `<tr><td><a href="${base}/collections/${esc(l.slug)}/items/${f.fid}?f=html">${f.fid}</a></td>${cols.map((c) => `<td>${esc(f.properties[c])}</td>`).join('')}</tr>`).join('')}</table><p>${links
            .filter((k) => k.rel === 'next' || k.rel === 'prev')
            .map((k) => `<a href="${esc(k.href.replace(/&f=json$/, '&f=html'))}">${esc(k.title)}</a>`)
            .join(' · ')}</p>`,
        ),
      );
    },
  );

  app.get(
    '/ogc/collections/:collectionId/items/:featureId',
    {
      schema: {
        hide: true,
        params: Type.Object({ collectionId: Type.String({ maxLength: 90 }), featureId: Type.Integer() }),
        querystring: F,
      },
    },
    async (req, reply) => {
      const l = await layerOf(req, req.params.collectionId);
      const r = await sql<{
        fid: number;
        properties: Record<string, unknown>;
        g: string;
      }>`select fid, properties, ST_AsGeoJSON(geom, 7) as g from gis_features where layer_id = ${l.id} and fid = ${req.params.featureId}`.execute(
        app.db,
      );
      if (!r.rows.length) throw new AppError('BRJ_ERR_NOT_FOUND', 'El elemento no existe.');
      const f = r.rows[0];
      const b = `${base}/collections/${l.slug}`;
      const json = {
        type: 'Feature',
        id: f.fid,
        geometry: JSON.parse(f.g),
        properties: f.properties,
        links: [
          { href: `${b}/items/${f.fid}?f=json`, rel: 'self', type: 'application/geo+json', title: 'Este elemento' },
          { href: `${b}/items/${f.fid}?f=html`, rel: 'alternate', type: 'text/html', title: 'En HTML' },
          { href: b, rel: 'collection', type: 'application/json', title: l.titulo },
        ],
      };
      return send(
        req,
        reply,
        json,
        () =>
          page(
            `${l.titulo} #${f.fid}`,
            `<table>${Object.entries(f.properties)
              .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
              .join('')}</table>`,
          ),
        'application/geo+json',
      );
    },
  );
};

export default ogcRoutes;

/** Vector tiles and TileJSON per layer, with ETag and Cache-Control; private layers only for staff. */
export const tileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { TileCache, tileJs, tileNative } = await import('./tiles.ts');
  // Self-hosted basemaps: PMTiles files in <data>/basemap, read by the browser with range requests.
  const basemapDir = path.join(app.config.dataDir, 'basemap');
  // A new installation has no basemap yet: the folder is made so the static plugin does not warn.
  if (fs.existsSync(app.config.dataDir)) fs.mkdirSync(basemapDir, { recursive: true });
  await app.register(fastifyStatic, {
    root: basemapDir,
    prefix: '/basemap/',
    decorateReply: false,
    index: false,
    allowedPath: (p) => p.endsWith('.pmtiles'),
    cacheControl: false,
    setHeaders: (reply) => reply.header('cache-control', 'public, max-age=3600'),
  });
  const cache = new TileCache();
  // Dense tiles per layer version (a few hundred keys at most), read once per upload.
  const denseByLayer = new Map<number, { version: number; tiles: ReturnType<typeof denseTiles> }>();
  const dense = (layerId: number, version: number) => {
    const hit = denseByLayer.get(layerId);
    if (hit && hit.version === version) return hit.tiles;
    const tiles = denseTiles(app.db, layerId);
    denseByLayer.set(layerId, { version, tiles });
    return tiles;
  };
  const denseOf = async (layerId: number, version: number, key: string) => (await dense(layerId, version)).has(key);
  const encode = app.database.kind === 'pglite' || process.env.BRUJULA_TILES_ENGINE === 'js' ? tileJs : tileNative;

  app.get(
    '/tiles/:slug.json',
    { schema: { hide: true, params: Type.Object({ slug: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{1,80}$' }) }) } },
    async (req, reply) => {
      const l = await layers.getLayer(app.db, req.params.slug, req.user);
      const origin = app.config.publicUrl;
      return reply.header('cache-control', l.publico ? 'public, max-age=60' : 'private, no-store').send({
        tilejson: '3.0.0',
        name: l.titulo,
        description: l.descripcion,
        attribution: l.fuente,
        version: String(l.version),
        scheme: 'xyz',
        tiles: [`${origin}/tiles/${l.slug}/{z}/{x}/{y}.mvt?v=${l.version}`],
        minzoom: 0,
        maxzoom: 22,
        bounds: l.bbox ?? [-180, -85, 180, 85],
        vector_layers: [
          {
            id: l.slug,
            description: l.titulo,
            minzoom: 0,
            maxzoom: 22,
            fields: Object.fromEntries(
              l.atributos.map((a) => [
                a.name,
                a.type === 'text' || a.type === 'date' ? 'String' : a.type === 'boolean' ? 'Boolean' : 'Number',
              ]),
            ),
          },
        ],
      });
    },
  );

  app.get(
    '/tiles/:slug/:z/:x/:y.mvt',
    {
      schema: {
        hide: true,
        params: Type.Object({
          slug: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{1,80}$' }),
          z: Type.Integer({ minimum: 0, maximum: 22 }),
          x: Type.Integer({ minimum: 0 }),
          y: Type.Integer({ minimum: 0 }),
        }),
        querystring: Type.Object({
          v: Type.Optional(Type.String({ maxLength: 20 })),
          campos: Type.Optional(Type.String({ maxLength: 400 })),
        }),
      },
    },
    async (req, reply) => {
      const { slug, z, x, y } = req.params;
      if (x >= 2 ** z || y >= 2 ** z) throw new AppError('BRJ_ERR_NOT_FOUND', 'La tesela está fuera del mundo en ese zoom.');
      const l = await layers.getLayer(app.db, slug, req.user);
      // Extra low-zoom attributes (at most four known ones) are part of the cache key.
      const campos =
        z >= 12
          ? []
          : [...new Set((req.query.campos ?? '').split(',').filter((c) => l.atributos.some((a) => a.name === c)))].sort().slice(0, 4);
      const key = `${l.id}:${l.version}:${z}/${x}/${y}:${campos.join(',')}`;
      const hit =
        cache.get(key) ??
        cache.set(
          key,
          await encode(
            app.db,
            { ...l, estilo: l.estilo as Record<string, unknown> },
            z,
            x,
            y,
            campos,
            await denseOf(l.id, l.version, `${z}/${x}/${y}`),
          ),
        );
      reply
        .header('etag', hit.etag)
        .header('cache-control', l.publico ? 'public, max-age=300' : 'private, no-store')
        .header('vary', 'cookie');
      if (req.headers['if-none-match'] === hit.etag) return reply.status(304).send();
      if (!hit.body.length) return reply.status(204).send();
      return reply.type('application/vnd.mapbox-vector-tile').send(hit.body);
    },
  );
};
