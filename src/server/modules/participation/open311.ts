import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { Type, type TSchema } from 'typebox';
import { AppError, validationProblem } from '../../errors.ts';
import { hashToken } from '../../plugins/auth.ts';
import { locateAddress } from '../territory/api.ts';
import * as reports from './reports.ts';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): the citizen-report API that
 * third-party apps speak. jurisdiction_id is the municipality's INEGI key; writes need an api_key
 * issued by the municipality. Every resource comes as .json or .xml.
 */
type Format = 'json' | 'xml';
const FORMATS = new Set(['json', 'xml']);

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
function toXml(root: string, item: string, rows: Record<string, unknown>[]) {
  const field = (k: string, v: unknown) => (v === null || v === undefined || v === '' ? `<${k}/>` : `<${k}>${esc(String(v))}</${k}>`);
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${rows
    .map(
      (r) =>
        `<${item}>${Object.entries(r)
          .map(([k, v]) => field(k, v))
          .join('')}</${item}>`,
    )
    .join('')}</${root}>\n`;
}

/** The format a request asked for, for errors: XML when its path ends in .xml. */
const formatOf = (req: FastifyRequest): Format =>
  (req.params as { format?: string })?.format === 'xml' || /\.xml(\?|$)/.test(req.url) ? 'xml' : 'json';

function send(reply: FastifyReply, format: Format, root: string, item: string, rows: Record<string, unknown>[], status = 200) {
  reply.status(status).header('access-control-allow-origin', '*');
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, item, rows));
  return reply.type('application/json; charset=utf-8').send(rows);
}

class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const w3c = (d: Date | null) => (d ? new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

type Row = Awaited<ReturnType<typeof reports.list>>['items'][number];
function requestOut(r: Row, publicUrl: string, municipalityId: string) {
  return {
    service_request_id: String(r.id),
    status: r.estado,
    status_notes: r.status_notes || null,
    service_name: r.service_name,
    service_code: r.service_code,
    description: r.descripcion,
    agency_responsible: r.agency_responsible,
    service_notice: null,
    requested_datetime: w3c(r.requested_at),
    updated_datetime: w3c(r.updated_at),
    expected_datetime: w3c(r.expected_at),
    address: r.direccion || null,
    address_id: null,
    zipcode: null,
    lat: Number(r.lat),
    long: Number(r.long),
    media_url: r.photo_id ? `${publicUrl}/api/v1/municipalities/${municipalityId}/citizen-reports/photos/${r.photo_id}` : r.media_url,
  };
}

// ---------- the contract: every resource in JSON and XML, errors in GeoReport's shape ----------
const tags = ['open311'];
const Str = (description: string) => Type.Optional(Type.String({ maxLength: 2000, description }));
const Jurisdiction = Str('Clave INEGI del municipio (p. ej. 32056); opcional si la instalación tiene uno solo');
const FormatParam = Type.String({ maxLength: 10, description: 'json o xml' });
const Open311Errors = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }));
const both = (description: string, json: TSchema) => ({
  description,
  content: {
    'application/json': { schema: json },
    'text/xml': { schema: Type.String({ description: 'El mismo contenido en XML de GeoReport v2' }) },
  },
});
const fail = (description: string) => both(description, Open311Errors);
const errorResponses = (...codes: (400 | 403 | 404 | 429)[]) =>
  Object.fromEntries(
    codes.map((c) => [
      c,
      fail(
        {
          400: 'Parámetros no válidos o formato desconocido',
          403: 'api_key no válida',
          404: 'No existe el recurso o la jurisdicción',
          429: 'Demasiadas solicitudes',
        }[c],
      ),
    ]),
  );
const open = [{}];

const Service = Type.Object({
  service_code: Type.String(),
  service_name: Type.String(),
  description: Type.String(),
  metadata: Type.Boolean(),
  type: Type.String(),
  keywords: Type.String(),
  group: Type.String(),
});
const ServiceDefinition = Type.Object({ service_code: Type.String(), attributes: Type.Array(Type.Unknown(), { maxItems: 0 }) });
const N = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Request = Type.Object({
  service_request_id: Type.String(),
  status: Type.String({ enum: ['open', 'closed'] }),
  status_notes: N(Type.String()),
  service_name: Type.String(),
  service_code: Type.String(),
  description: Type.String(),
  agency_responsible: N(Type.String()),
  service_notice: Type.Null(),
  requested_datetime: N(Type.String()),
  updated_datetime: N(Type.String()),
  expected_datetime: N(Type.String()),
  address: N(Type.String()),
  address_id: Type.Null(),
  zipcode: Type.Null(),
  lat: Type.Number(),
  long: Type.Number(),
  media_url: N(Type.String()),
});
const Created = Type.Object({ service_request_id: Type.String(), service_notice: Type.String(), account_id: Type.Null() });
const Discovery = Type.Object({
  changeset: Type.String(),
  contact: Type.String(),
  key_service: Type.String(),
  endpoints: Type.Array(
    Type.Object({
      specification: Type.String(),
      url: Type.String(),
      changeset: Type.String(),
      type: Type.String(),
      formats: Type.Array(Type.String()),
    }),
  ),
});
const NewRequest = Type.Object(
  {
    api_key: Str('Clave del cliente registrado por el municipio (también se acepta en la consulta)'),
    jurisdiction_id: Jurisdiction,
    service_code: Str('Categoría, de GET services'),
    lat: Str('Latitud WGS84 en grados decimales'),
    long: Str('Longitud WGS84 en grados decimales'),
    address_string: Str('Dirección en texto; sin lat/long se ubica en la colonia o localidad que nombra'),
    address_id: Str('CVEGEO de la colonia, localidad o AGEB, cuando no hay lat/long'),
    email: Str('Correo de quien reporta (nunca se publica)'),
    first_name: Str('Nombre (nunca se publica)'),
    last_name: Str('Apellido (nunca se publica)'),
    phone: Str('Teléfono (no se guarda)'),
    device_id: Str('Identificador del dispositivo (no se guarda)'),
    account_id: Str('No se usa'),
    description: Str('Descripción del problema'),
    media_url: Str('Foto en una dirección http(s)'),
  },
  { additionalProperties: true },
);
const ListQuery = Type.Object(
  {
    jurisdiction_id: Jurisdiction,
    service_request_id: Str('Lista de folios separados por comas'),
    service_code: Str('Lista de categorías separadas por comas'),
    start_date: Str('Fecha W3C; por omisión, los últimos 90 días'),
    end_date: Str('Fecha W3C'),
    status: Str('open, closed o ambos separados por coma'),
  },
  { additionalProperties: true },
);
const JurisdictionQuery = Type.Object({ jurisdiction_id: Jurisdiction }, { additionalProperties: true });

const open311Routes: FastifyPluginAsync = async (app) => {
  await app.register(formbody, { bodyLimit: 64 * 1024 });

  app.setErrorHandler((err: Error, req, reply) => {
    let status = 500;
    let description = 'Error interno';
    const validation = (err as { validation?: (Parameters<typeof validationProblem>[0] & { instancePath: string })[] }).validation;
    if (err instanceof Open311Error) ({ status, description } = err);
    else if (err instanceof AppError) ({ statusCode: status, message: description } = err);
    else if (validation)
      (status = 400),
        (description = `Parámetro no válido: ${validation.map((v) => `${v.instancePath.replace(/^\//, '') || (v.params as { missingProperty?: string }).missingProperty || 'solicitud'} ${validationProblem(v)}`).join('; ')}`);
    else if ((err as { statusCode?: number }).statusCode === 429)
      (status = 429), (description = 'Demasiadas solicitudes; espere un momento.');
    else if ((err as { statusCode?: number }).statusCode === 413) (status = 413), (description = 'La solicitud es demasiado grande.');
    else if ((err as { statusCode?: number }).statusCode === 415)
      (status = 400), (description = 'Envíe el formulario como application/x-www-form-urlencoded.');
    else req.log.error(err);
    return send(reply, formatOf(req), 'errors', 'error', [{ code: status, description }], status);
  });
  // An unknown resource under /open311/v2 still answers in GeoReport's shape.
  app.setNotFoundHandler((req, reply) =>
    send(
      reply,
      formatOf(req),
      'errors',
      'error',
      [{ code: 404, description: 'Recurso de GeoReport v2 desconocido: use discovery, services o requests con .json o .xml.' }],
      404,
    ),
  );

  /** jurisdiction_id, or the only active municipality of a single-municipality installation. */
  async function jurisdiction(raw: unknown): Promise<string> {
    const id = typeof raw === 'string' ? raw.trim() : '';
    if (id) {
      const m = await app.db
        .selectFrom('shared_municipalities')
        .select('id')
        .where('id', '=', id)
        .where('active', '=', true)
        .executeTakeFirst();
      if (!m) throw new Open311Error(404, `jurisdiction_id ${id} no existe en esta instalación.`);
      return m.id;
    }
    const all = await app.db.selectFrom('shared_municipalities').select('id').where('active', '=', true).limit(2).execute();
    if (all.length === 1) return all[0].id;
    throw new Open311Error(400, 'Indique jurisdiction_id (clave INEGI del municipio, p. ej. 32056).');
  }

  /** The format of the path; anything but json or xml is refused (in JSON) before any work. */
  const fmt = (req: FastifyRequest): Format => {
    const f = (req.params as { format?: string }).format ?? '';
    if (!FORMATS.has(f)) throw new Open311Error(400, `Formato «${f.slice(0, 20)}» no soportado: use .json o .xml.`);
    return f as Format;
  };
  const q = (req: FastifyRequest) => (req.query ?? {}) as Record<string, string | undefined>;

  app.get(
    '/discovery.:format',
    {
      schema: {
        tags,
        summary: 'Descubrimiento del servicio GeoReport v2',
        params: Type.Object({ format: FormatParam }),
        security: open,
        response: { 200: both('Puntos de acceso y formatos', Discovery), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const format = fmt(req);
      const base = `${app.config.publicUrl}/open311/v2/`;
      const body = {
        changeset: '2026-11-22T00:00:00Z',
        contact: 'IMPLAN — Brújula',
        key_service: 'Solicite su api_key a la administración del municipio.',
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: base,
            changeset: '2026-11-22T00:00:00Z',
            type: 'production',
            formats: ['application/json', 'text/xml'],
          },
        ],
      };
      if (format === 'json') return reply.header('access-control-allow-origin', '*').send(body);
      const e = body.endpoints[0];
      return reply
        .header('access-control-allow-origin', '*')
        .type('text/xml; charset=utf-8')
        .send(
          `<?xml version="1.0" encoding="utf-8"?>\n<discovery><changeset>${body.changeset}</changeset><contact>${esc(body.contact)}</contact><key_service>${esc(body.key_service)}</key_service><endpoints><endpoint><specification>${e.specification}</specification><url>${esc(e.url)}</url><changeset>${e.changeset}</changeset><type>${e.type}</type><formats><format>application/json</format><format>text/xml</format></formats></endpoint></endpoints></discovery>\n`,
        );
    },
  );

  app.get(
    '/services.:format',
    {
      schema: {
        tags,
        summary: 'Categorías de reporte de la jurisdicción',
        params: Type.Object({ format: FormatParam }),
        querystring: JurisdictionQuery,
        security: open,
        response: { 200: both('Categorías activas', Type.Array(Service)), ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const format = fmt(req);
      const mid = await jurisdiction(q(req).jurisdiction_id);
      const rows = await reports.services(app.db, mid);
      return send(
        reply,
        format,
        'services',
        'service',
        rows.map((s) => ({
          service_code: s.code,
          service_name: s.nombre,
          description: s.descripcion,
          metadata: false,
          type: 'realtime',
          keywords: s.keywords,
          group: s.grupo,
        })),
      );
    },
  );

  app.get(
    '/services/:code.:format',
    {
      schema: {
        tags,
        summary: 'Definición de una categoría (sin atributos adicionales)',
        params: Type.Object({ code: Type.String({ maxLength: 80 }), format: FormatParam }),
        querystring: JurisdictionQuery,
        security: open,
        response: { 200: both('Definición', ServiceDefinition), ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const format = fmt(req);
      const mid = await jurisdiction(q(req).jurisdiction_id);
      const code = (req.params as { code: string }).code;
      const s = (await reports.services(app.db, mid)).find((x) => x.code === code);
      if (!s) throw new Open311Error(404, `service_code ${code} no existe.`);
      // No extra attributes: every category takes the standard fields only.
      reply.header('access-control-allow-origin', '*');
      if (format === 'json') return reply.send({ service_code: s.code, attributes: [] });
      return reply
        .type('text/xml; charset=utf-8')
        .send(
          `<?xml version="1.0" encoding="utf-8"?>\n<service_definition><service_code>${esc(s.code)}</service_code><attributes/></service_definition>\n`,
        );
    },
  );

  app.post(
    '/requests.:format',
    {
      config: {
        rateLimit: {
          max: app.config.publicWriteRateLimit * 10,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req: FastifyRequest) => hashToken(String((req.body as Record<string, unknown> | undefined)?.api_key ?? req.ip)),
        },
      },
      schema: {
        tags,
        summary: 'Crear una solicitud (reporte ciudadano)',
        description:
          'Formulario application/x-www-form-urlencoded. La ubicación va en lat/long; sin ellas, address_id (CVEGEO) o address_string ubican el reporte en la colonia o localidad nombrada (punto aproximado, se avisa en service_notice).',
        params: Type.Object({ format: FormatParam }),
        body: NewRequest,
        security: [{ open311: [] }],
        response: { 201: both('Folio de la solicitud creada', Type.Array(Created)), ...errorResponses(400, 403, 404, 429) },
      },
    },
    async (req, reply) => {
      const format = fmt(req);
      const b = (req.body ?? {}) as Record<string, string | undefined>;
      const mid = await jurisdiction(b.jurisdiction_id);
      const key = b.api_key ?? q(req).api_key;
      const client = key ? await reports.clientByKey(app.db, mid, key) : undefined;
      if (!client) throw new Open311Error(403, 'api_key no válida para esta jurisdicción: no se puede crear la solicitud.');
      if (!b.service_code) throw new Open311Error(400, 'Falta service_code.');
      if (!b.description?.trim()) throw new Open311Error(400, 'Falta description.');
      let lat = Number(b.lat);
      let lon = Number(b.long);
      let notice = 'Reporte recibido; la dependencia responsable le dará seguimiento.';
      if (b.lat || b.long) {
        if (!b.lat || !b.long || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
          throw new Open311Error(400, 'lat y long deben ir juntas, en grados decimales WGS84.');
      } else {
        if (!b.address_string?.trim() && !b.address_id?.trim())
          throw new Open311Error(400, 'Indique la ubicación: lat y long, address_string o address_id.');
        const at = await locateAddress(app.db, mid, { addressId: b.address_id, addressString: b.address_string });
        if (!at)
          throw new Open311Error(
            400,
            'No se reconoce la dirección en las colonias ni localidades del municipio: envíe lat y long, o address_id con la CVEGEO de la colonia.',
          );
        ({ lat, lon } = at);
        notice = `Reporte recibido y ubicado de forma aproximada en ${at.level === 'colonia' ? 'la colonia' : 'la localidad'} ${at.unitName}; la dependencia responsable le dará seguimiento.`;
      }
      const nombre = [b.first_name, b.last_name].filter(Boolean).join(' ').trim() || null;
      const r = await reports.create(
        app.db,
        { userId: null, via: `open311:${client.id} ${client.nombre}` },
        mid,
        {
          serviceCode: b.service_code,
          descripcion: b.description,
          lat,
          lon,
          direccion: b.address_string ?? '',
          email: b.email?.trim() || null,
          nombre,
          mediaUrl: b.media_url?.trim() || null,
        },
        { clientId: client.id },
      );
      return send(
        reply,
        format,
        'service_requests',
        'request',
        [{ service_request_id: String(r.id), service_notice: notice, account_id: null }],
        201,
      );
    },
  );

  app.get(
    '/requests.:format',
    {
      schema: {
        tags,
        summary: 'Buscar solicitudes (por omisión, las de los últimos 90 días; hasta 1000)',
        params: Type.Object({ format: FormatParam }),
        querystring: ListQuery,
        security: open,
        response: { 200: both('Solicitudes', Type.Array(Request)), ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const format = fmt(req);
      const p = q(req);
      const mid = await jurisdiction(p.jurisdiction_id);
      const list = (s?: string) =>
        s
          ? s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean)
          : undefined;
      const ids = list(p.service_request_id)?.map(Number);
      if (ids?.some((i) => !Number.isInteger(i) || i < 1 || i > 2147483647))
        throw new Open311Error(400, 'service_request_id debe ser una lista de números.');
      const statuses = list(p.status);
      if (statuses?.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status debe ser open o closed.');
      for (const d of [p.start_date, p.end_date])
        if (d && Number.isNaN(Date.parse(d))) throw new Open311Error(400, `Fecha no válida: ${d}`);
      // Spec default: the last 90 days, at most 1000 requests.
      const start = p.start_date ?? (ids ? undefined : new Date(Date.now() - 90 * 86400_000).toISOString());
      const r = await reports.list(
        app.db,
        mid,
        {
          ids,
          serviceCodes: list(p.service_code),
          status: statuses?.length === 1 ? (statuses[0] as 'open' | 'closed') : undefined,
          start,
          end: p.end_date,
        },
        1,
        1000,
        null,
      );
      return send(
        reply,
        format,
        'service_requests',
        'request',
        r.items.map((x) => requestOut(x, app.config.publicUrl, mid)),
      );
    },
  );

  app.get(
    '/requests/:id.:format',
    {
      schema: {
        tags,
        summary: 'Una solicitud por su folio',
        params: Type.Object({ id: Type.String({ maxLength: 20 }), format: FormatParam }),
        querystring: JurisdictionQuery,
        security: open,
        response: { 200: both('La solicitud', Type.Array(Request)), ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const format = fmt(req);
      const mid = await jurisdiction(q(req).jurisdiction_id);
      const raw = (req.params as { id: string }).id;
      const id = Number(raw);
      if (!/^\d{1,10}$/.test(raw) || id > 2147483647) throw new Open311Error(400, 'service_request_id no válido.');
      const r = await reports.list(app.db, mid, { ids: [id] }, 1, 1, null);
      if (!r.items.length) throw new Open311Error(404, `La solicitud ${id} no existe.`);
      return send(reply, format, 'service_requests', 'request', [requestOut(r.items[0], app.config.publicUrl, mid)]);
    },
  );
};

export default open311Routes;
