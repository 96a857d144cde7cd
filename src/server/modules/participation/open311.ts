import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { AppError } from '../../errors.ts';
import { hashToken } from '../../plugins/auth.ts';
import * as reports from './reports.ts';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): the citizen-report API that
 * third-party apps speak. jurisdiction_id is the municipality's INEGI key; writes need an api_key
 * issued by the municipality. Every resource comes as .json or .xml.
 */
type Format = 'json' | 'xml';
const FORMAT = '(^json$|^xml$)';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
function toXml(root: string, item: string, rows: Record<string, unknown>[]) {
  const field = (k: string, v: unknown) => (v === null || v === undefined || v === '' ? `<${k}/>` : `<${k}>${esc(String(v))}</${k}>`);
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${rows.map((r) => `<${item}>${Object.entries(r).map(([k, v]) => field(k, v)).join('')}</${item}>`).join('')}</${root}>\n`;
}

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

const open311Routes: FastifyPluginAsync = async (app) => {
  await app.register(formbody, { bodyLimit: 64 * 1024 });

  app.setErrorHandler((err: Error, req, reply) => {
    const format: Format = (req.params as { format?: Format })?.format === 'xml' ? 'xml' : 'json';
    let status = 500;
    let description = 'Error interno';
    if (err instanceof Open311Error) ({ status, description } = err);
    else if (err instanceof AppError) ({ statusCode: status, message: description } = err);
    else if ((err as { validation?: unknown }).validation) (status = 400), (description = err.message);
    else if ((err as { statusCode?: number }).statusCode === 429) (status = 429), (description = 'Demasiadas solicitudes; espere un momento.');
    else req.log.error(err);
    return send(reply, format, 'errors', 'error', [{ code: status, description }], status);
  });

  /** jurisdiction_id, or the only active municipality of a single-municipality installation. */
  async function jurisdiction(raw: unknown): Promise<string> {
    const id = typeof raw === 'string' ? raw.trim() : '';
    if (id) {
      const m = await app.db.selectFrom('municipalities').select('id').where('id', '=', id).where('active', '=', true).executeTakeFirst();
      if (!m) throw new Open311Error(404, `jurisdiction_id ${id} no existe en esta instalación.`);
      return m.id;
    }
    const all = await app.db.selectFrom('municipalities').select('id').where('active', '=', true).limit(2).execute();
    if (all.length === 1) return all[0].id;
    throw new Open311Error(400, 'Indique jurisdiction_id (clave INEGI del municipio, p. ej. 32056).');
  }

  const fmt = (req: FastifyRequest) => (req.params as { format: Format }).format;
  const q = (req: FastifyRequest) => (req.query ?? {}) as Record<string, string | undefined>;

  app.get(`/open311/v2/discovery.:format${FORMAT}`, async (req, reply) => {
    const base = `${app.config.publicUrl}/open311/v2/`;
    const body = { changeset: '2026-11-22T00:00:00Z', contact: 'IMPLAN — Brújula', key_service: 'Solicite su api_key a la administración del municipio.', endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: '2026-11-22T00:00:00Z', type: 'production', formats: ['application/json', 'text/xml'] }] };
    if (fmt(req) === 'json') return reply.header('access-control-allow-origin', '*').send(body);
    const e = body.endpoints[0];
    return reply.type('text/xml; charset=utf-8').send(`<?xml version="1.0" encoding="utf-8"?>\n<discovery><changeset>${body.changeset}</changeset><contact>${esc(body.contact)}</contact><key_service>${esc(body.key_service)}</key_service><endpoints><endpoint><specification>${e.specification}</specification><url>${esc(e.url)}</url><changeset>${e.changeset}</changeset><type>${e.type}</type><formats><format>application/json</format><format>text/xml</format></formats></endpoint></endpoints></discovery>\n`);
  });

  app.get(`/open311/v2/services.:format${FORMAT}`, async (req, reply) => {
    const mid = await jurisdiction(q(req).jurisdiction_id);
    const rows = await reports.services(app.db, mid);
    return send(reply, fmt(req), 'services', 'service', rows.map((s) => ({ service_code: s.code, service_name: s.nombre, description: s.descripcion, metadata: false, type: 'realtime', keywords: s.keywords, group: s.grupo })));
  });

  app.get(`/open311/v2/services/:code.:format${FORMAT}`, async (req, reply) => {
    const mid = await jurisdiction(q(req).jurisdiction_id);
    const code = (req.params as { code: string }).code;
    const s = (await reports.services(app.db, mid)).find((x) => x.code === code);
    if (!s) throw new Open311Error(404, `service_code ${code} no existe.`);
    // No extra attributes: every category takes the standard fields only.
    if (fmt(req) === 'json') return reply.header('access-control-allow-origin', '*').send({ service_code: s.code, attributes: [] });
    return reply.type('text/xml; charset=utf-8').send(`<?xml version="1.0" encoding="utf-8"?>\n<service_definition><service_code>${esc(s.code)}</service_code><attributes/></service_definition>\n`);
  });

  app.post(
    `/open311/v2/requests.:format${FORMAT}`,
    { config: { rateLimit: { max: app.config.publicWriteRateLimit * 10, timeWindow: '1 minute', hook: 'preHandler', keyGenerator: (req: FastifyRequest) => hashToken(String((req.body as Record<string, unknown> | undefined)?.api_key ?? req.ip)) } } },
    async (req, reply) => {
      const b = (req.body ?? {}) as Record<string, string | undefined>;
      const mid = await jurisdiction(b.jurisdiction_id);
      const client = b.api_key ? await reports.clientByKey(app.db, mid, b.api_key) : undefined;
      if (!client) throw new Open311Error(403, 'api_key no válida para esta jurisdicción: no se puede crear la solicitud.');
      if (!b.service_code) throw new Open311Error(400, 'Falta service_code.');
      const lat = Number(b.lat);
      const lon = Number(b.long);
      if (!b.lat || !b.long || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
        throw new Open311Error(400, 'Indique la ubicación con lat y long (grados decimales WGS84).');
      }
      if (!b.description?.trim()) throw new Open311Error(400, 'Falta description.');
      const nombre = [b.first_name, b.last_name].filter(Boolean).join(' ').trim() || null;
      const r = await reports.create(
        app.db,
        { userId: null, via: `open311:${client.id} ${client.nombre}` },
        mid,
        { serviceCode: b.service_code, descripcion: b.description, lat, lon, direccion: b.address_string ?? '', email: b.email?.trim() || null, nombre, mediaUrl: b.media_url?.trim() || null },
        { clientId: client.id },
      );
      return send(reply, fmt(req), 'service_requests', 'request', [{ service_request_id: String(r.id), service_notice: 'Reporte recibido; la dependencia responsable le dará seguimiento.', account_id: null }], 201);
    },
  );

  app.get(`/open311/v2/requests.:format${FORMAT}`, async (req, reply) => {
    const p = q(req);
    const mid = await jurisdiction(p.jurisdiction_id);
    const list = (s?: string) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
    const ids = list(p.service_request_id)?.map(Number);
    if (ids?.some((i) => !Number.isInteger(i))) throw new Open311Error(400, 'service_request_id debe ser una lista de números.');
    const statuses = list(p.status);
    if (statuses?.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status debe ser open o closed.');
    for (const d of [p.start_date, p.end_date]) if (d && Number.isNaN(Date.parse(d))) throw new Open311Error(400, `Fecha no válida: ${d}`);
    // Spec default: the last 90 days, at most 1000 requests.
    const start = p.start_date ?? (ids ? undefined : new Date(Date.now() - 90 * 86400_000).toISOString());
    const r = await reports.list(app.db, mid, { ids, serviceCodes: list(p.service_code), status: statuses?.length === 1 ? (statuses[0] as 'open' | 'closed') : undefined, start, end: p.end_date }, 1, 1000, null);
    return send(reply, fmt(req), 'service_requests', 'request', r.items.map((x) => requestOut(x, app.config.publicUrl, mid)));
  });

  app.get(`/open311/v2/requests/:id.:format${FORMAT}`, async (req, reply) => {
    const mid = await jurisdiction(q(req).jurisdiction_id);
    const id = Number((req.params as { id: string }).id);
    if (!Number.isInteger(id)) throw new Open311Error(400, 'service_request_id no válido.');
    const r = await reports.list(app.db, mid, { ids: [id] }, 1, 1, null);
    if (!r.items.length) throw new Open311Error(404, `La solicitud ${id} no existe.`);
    return send(reply, fmt(req), 'service_requests', 'request', [requestOut(r.items[0], app.config.publicUrl, mid)]);
  });
};

export default open311Routes;
