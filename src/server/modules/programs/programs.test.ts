import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, countRows, multipart, SHARED_DATA, TARGETS, testApp, type TestApp } from '../../../../test/helpers.ts';

const OCDS_DIR = path.join(SHARED_DATA, 'ocds-1.1');
const hasOcds = fs.existsSync(path.join(OCDS_DIR, 'release-package-schema.json'));
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
// A Windows executable (MZ … PE header) renamed to look like a photo.
/** A real one-page PDF, as a word processor would make it. */
async function pdfBytes(): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ compress: false });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  doc.text('Estimación de obra 3');
  doc.end();
  await new Promise((r) => doc.on('end', r));
  return Buffer.concat(chunks);
}
const EXE = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(58),
  Buffer.from([0x80, 0, 0, 0]),
  Buffer.alloc(64),
  Buffer.from('PE\0\0'),
  Buffer.alloc(200),
]);

async function ocdsValidator() {
  const { default: Ajv } = await import('ajv-draft-04');
  const { default: addFormats } = await import('ajv-formats');
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const release = JSON.parse(fs.readFileSync(path.join(OCDS_DIR, 'release-schema.json'), 'utf8'));
  ajv.addSchema(release, 'https://standard.open-contracting.org/schema/1__1__5/release-schema.json');
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(OCDS_DIR, 'release-package-schema.json'), 'utf8')));
}

/**
 * The record package schema of ../shared/data, with the release and versioned-release schemas under
 * their ids. It refers to record-schema.json (1__2__0), which ../shared/data lacks: the record's
 * structure as the standard documents it (an ocid; one or more releases, here embedded; a compiled
 * and an optional versioned release) is registered under that id.
 */
async function ocdsRecordValidator() {
  const { default: Ajv } = await import('ajv-draft-04');
  const { default: addFormats } = await import('ajv-formats');
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(OCDS_DIR, f), 'utf8'));
  const release = read('release-schema.json');
  const versioned = read('versioned-release-validation-schema.json');
  ajv.addSchema(release, release.id);
  ajv.addSchema(versioned, versioned.id);
  ajv.addSchema(
    {
      id: 'https://standard.open-contracting.org/schema/1__2__0/record-schema.json',
      type: 'object',
      required: ['ocid'],
      properties: {
        ocid: { type: 'string' },
        releases: { type: 'array', minItems: 1, items: { $ref: release.id } },
        compiledRelease: { $ref: release.id },
        versionedRelease: { $ref: versioned.id },
      },
    },
    'https://standard.open-contracting.org/schema/1__2__0/record-schema.json',
  );
  return ajv.compile(read('record-package-schema.json'));
}

describe.each(TARGETS)('POA and public works on %s', (kind) => {
  let t: TestApp;
  let planner: Client, enlace: Client, citizen: Client, anon: Client;
  const m = '/api/v1/municipalities/32056';
  let sop: number, dsocial: number, planId: number;
  /** One estrategia with two líneas per test, so that each test's roll-ups count only its own actions. */
  type Lines = { codigo: string; estr: number; l1: number; l2: number };
  const tree: Record<'create' | 'rollup' | 'thread' | 'ocds' | 'evidence', Lines> = {} as never;

  beforeAll(async () => {
    t = await testApp(kind, { env: { BRUJULA_EVIDENCE_MAX_MB: '1', BRUJULA_PUBLIC_URL: 'https://brujula.example.mx' } });
    planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    enlace = await new Client(t.app).login('enlace.obras@demo.brujula.mx');
    citizen = await new Client(t.app).login('ciudadana@demo.brujula.mx');
    anon = new Client(t.app);
    const deps = await t.database.db.selectFrom('departments').select(['id', 'acronym']).where('municipality_id', '=', '32056').execute();
    sop = deps.find((d) => d.acronym === 'SOP')!.id;
    dsocial = deps.find((d) => d.acronym === 'DS')!.id;
    // A small plan: estrategia with two líneas de acción.
    planId = (
      await planner.post(`${m}/plans`, { tipo: 'pmd', titulo: 'PMD de prueba del hilo', periodoInicio: 2024, periodoFin: 2027 })
    ).json().id;
    const el = async (codigo: string, parentId: number | null) =>
      (await planner.post(`${m}/plans/${planId}/elements`, { codigo, titulo: `Elemento ${codigo}`, parentId })).json().id as number;
    const eje = await el('9', null);
    const obj = await el('9.1', eje);
    for (const [i, k] of (['create', 'rollup', 'thread', 'ocds', 'evidence'] as const).entries()) {
      const codigo = `9.1.${i + 1}`;
      const estr = await el(codigo, obj);
      tree[k] = { codigo, estr, l1: await el(`${codigo}.1`, estr), l2: await el(`${codigo}.2`, estr) };
    }
    await planner.post(`${m}/plans/${planId}/transitions`, { a: 'consulta' });
  });
  afterAll(() => t?.close());

  /**
   * A published public work of Obras Públicas (in its own program unless one is given), 4.0 M
   * approved / 4.2 M modified / 1.6 M spent.
   */
  const work = async (clave: string, linea: number, program?: number) => {
    const programId =
      program ??
      (
        await planner.post(`${m}/programs`, { anio: 2026, departmentId: sop, clave: `P-${clave}`, nombre: `Obras de prueba ${clave}` })
      ).json().id;
    const a = await planner.post(`${m}/actions`, {
      programId,
      clave,
      nombre: 'Pavimentación de la calle Hidalgo',
      tipo: 'obra',
      ubicacion: {
        type: 'LineString',
        coordinates: [
          [-102.575, 22.775],
          [-102.57, 22.777],
        ],
      },
      beneficiarios: 1200,
      fechaInicio: '2026-03-01',
      fechaFin: '2026-09-30',
      publicado: true,
      presupuesto: [
        { fuente: 'FISM-DF', aprobado: 3_000_000, modificado: 3_200_000, ejercido: 1_600_000 },
        { fuente: 'PROPIOS', aprobado: 1_000_000 },
      ],
      alineacion: [linea],
    });
    expect(a.statusCode, a.body).toBe(201);
    return a.json().id as number;
  };
  /** A published action (not a work) of Desarrollo Social, 1.0 M approved. */
  const workshop = async (clave: string, linea: number) => {
    const programId = (
      await planner.post(`${m}/programs`, {
        anio: 2026,
        departmentId: dsocial,
        clave: `P-${clave}`,
        nombre: `Bienestar de prueba ${clave}`,
      })
    ).json().id;
    const a = await planner.post(`${m}/actions`, {
      programId,
      clave,
      nombre: 'Talleres comunitarios',
      publicado: true,
      presupuesto: [{ fuente: 'FORTAMUN-DF', aprobado: 1_000_000 }],
      alineacion: [linea],
    });
    expect(a.statusCode, a.body).toBe(201);
    return a.json().id as number;
  };
  const evidence = (c: Client, reportId: number, name: string, bytes: Buffer, type?: string) => {
    const body = multipart({ name, bytes, type });
    return c.request('POST', `${m}/reports/${reportId}/evidence`, body.payload, { headers: body.headers });
  };
  /** An enlace's progress report, with its evidence files, published by the planner. */
  const published = async (actionId: number, body: Record<string, unknown>, files: [string, Buffer][] = []) => {
    const r = await enlace.post(`${m}/actions/${actionId}/reports`, body);
    expect(r.statusCode, r.body).toBe(201);
    for (const [name, bytes] of files) expect((await evidence(enlace, r.json().id, name, bytes)).statusCode).toBe(201);
    expect((await planner.post(`${m}/reports/${r.json().id}/review`, { decision: 'publicar' })).statusCode).toBe(200);
    return r.json().id as number;
  };

  it('creates programs with their MIR and actions with budget by source, alignment and location', async () => {
    const prog = await planner.post(`${m}/programs`, {
      anio: 2026,
      departmentId: sop,
      clave: 'T-OBRAS',
      nombre: 'Infraestructura urbana de prueba',
    });
    expect(prog.statusCode, prog.body).toBe(201);
    const pid = prog.json().id;
    expect(
      (
        await planner.post(`${m}/programs/${pid}/mir`, {
          nivel: 'fin',
          resumenNarrativo: 'Contribuir a una ciudad con mejor infraestructura',
          mediosVerificacion: 'Informe anual',
          supuestos: 'Estabilidad presupuestal',
        })
      ).statusCode,
    ).toBe(201);
    expect((await planner.post(`${m}/programs/${pid}/mir`, { nivel: 'fin', resumenNarrativo: 'Otro fin' })).statusCode).toBe(409);
    await planner.post(`${m}/programs/${pid}/mir`, { nivel: 'actividad', resumenNarrativo: 'Rehabilitación de calles' });
    await planner.post(`${m}/programs/${pid}/mir`, {
      nivel: 'proposito',
      resumenNarrativo: 'La población transita por calles en buen estado',
    });
    expect((await enlace.post(`${m}/programs`, { anio: 2026, departmentId: sop, clave: 'X', nombre: 'No permitido' })).statusCode).toBe(
      403,
    );

    const actionsBefore = await countRows(t.database, 'poa_actions');
    const bad = await planner.post(`${m}/actions`, {
      programId: pid,
      clave: 'T-1',
      nombre: 'Mala fuente',
      presupuesto: [{ fuente: 'INVENTADA', aprobado: 1 }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/INVENTADA/);
    const over = await planner.post(`${m}/actions`, {
      programId: pid,
      clave: 'T-1',
      nombre: 'Sobre ejercido',
      presupuesto: [{ fuente: 'PROPIOS', aprobado: 100, ejercido: 150 }],
    });
    expect(over.json().message).toMatch(/excede/);
    const ring = await planner.post(`${m}/actions`, {
      programId: pid,
      clave: 'T-1',
      nombre: 'Polígono abierto',
      ubicacion: {
        type: 'Polygon',
        coordinates: [
          [
            [-102.5, 22.7],
            [-102.4, 22.7],
            [-102.4, 22.8],
          ],
        ],
      },
    });
    expect(ring.statusCode).toBe(400);
    expect(await countRows(t.database, 'poa_actions')).toEqual(actionsBefore);

    const obra = await work('T-OBRA-1', tree.create.l1, pid);
    const prog2 = (
      await planner.post(`${m}/programs`, { anio: 2026, departmentId: dsocial, clave: 'T-SOCIAL', nombre: 'Bienestar de prueba' })
    ).json().id;
    await planner.post(`${m}/actions`, {
      programId: prog2,
      clave: 'T-ACC-1',
      nombre: 'Talleres comunitarios',
      publicado: true,
      presupuesto: [{ fuente: 'FORTAMUN-DF', aprobado: 1_000_000 }],
      alineacion: [tree.create.l2],
    });
    await planner.post(`${m}/actions`, {
      programId: prog2,
      clave: 'T-ACC-OCULTA',
      nombre: 'Acción sin publicar',
      alineacion: [tree.create.l2],
    });

    const list = (await anon.get(`${m}/actions?anio=2026&programId=${pid}`)).json();
    expect(list.items.map((x: { clave: string }) => x.clave)).toEqual(['T-OBRA-1']);
    expect(list.items[0]).toMatchObject({ aprobado: 4_000_000, modificado: 4_200_000, ejercido: 1_600_000, ubicada: true });
    // Unpublished actions are for staff only.
    expect((await anon.get(`${m}/actions?programId=${prog2}`)).json().items.map((x: { clave: string }) => x.clave)).toEqual(['T-ACC-1']);
    expect((await planner.get(`${m}/actions?programId=${prog2}`)).json().total).toBe(2);
    const programs = (await anon.get(`${m}/programs?anio=2026`)).json();
    expect(programs.programas.find((p: { clave: string }) => p.clave === 'T-OBRAS')).toMatchObject({
      acciones: 1,
      obras: 1,
      aprobado: 4_000_000,
    });
    const detail = (await anon.get(`${m}/programs/${pid}`)).json();
    expect(detail.mir.map((r: { nivel: string }) => r.nivel)).toEqual(['fin', 'proposito', 'actividad']);
    // Downloads carry the same rows with the plan lines they serve.
    const csv = await anon.get(`${m}/actions.csv?programId=${pid}`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'clave,nombre,tipo,anio,programa,unidad_responsable,aprobado,modificado,ejercido,avance_fisico,beneficiarios,fecha_inicio,fecha_fin,lineas_del_plan,publicado',
    );
    expect(lines.slice(1)).toEqual([
      'T-OBRA-1,Pavimentación de la calle Hidalgo,obra pública,2026,T-OBRAS Infraestructura urbana de prueba,Secretaría de Obras Públicas,4000000,4200000,1600000,0,1200,2026-03-01,2026-09-30,PMD de prueba del hilo 9.1.1.1,true',
    ]);
    const xlsx = await anon.get(`${m}/actions.xlsx?programId=${prog2}`);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    // The unpublished action stays out of the public download.
    expect(wb.getWorksheet('Acciones')!.getColumn(1).values.slice(2)).toEqual(['T-ACC-1']);
    // A planner of another municipality writes nothing here.
    const other = await new Client(t.app).login('planeacion.guadalupe@demo.brujula.mx');
    expect((await other.post(`${m}/actions`, { programId: pid, clave: 'X-1', nombre: 'Ajena' })).statusCode).toBe(403);
    expect((await other.post(`${m}/programs`, { anio: 2026, departmentId: sop, clave: 'X', nombre: 'Ajeno' })).statusCode).toBe(403);
    expect((await other.request('PUT', `${m}/actions/${obra}/contract`, { procedimiento: 'adjudicacion_directa' })).statusCode).toBe(403);
    const geo = (await anon.get(`${m}/actions.geojson?programId=${pid}`)).json();
    expect(geo.features).toHaveLength(1);
    expect(geo.features[0].geometry.type).toBe('LineString');
  });

  it('lets an enlace report only for its department; planners publish and progress rolls up by budget', async () => {
    const { estr, l1 } = tree.rollup;
    const obra = await work('T-ROLL-1', l1);
    const accion = await workshop('T-ROLL-2', tree.rollup.l2);
    const own = await enlace.post(`${m}/actions/${obra}/reports`, {
      periodo: '2026-T2',
      avanceFisico: 40,
      ejercido: 1_600_000,
      narrativa: 'Base hidráulica terminada',
    });
    expect(own.statusCode, own.body).toBe(201);
    const other = await enlace.post(`${m}/actions/${accion}/reports`, { periodo: '2026-T2', avanceFisico: 90 });
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toMatch(/enlace de la dependencia responsable/);
    expect((await citizen.post(`${m}/actions/${obra}/reports`, { periodo: '2026-T2', avanceFisico: 100 })).statusCode).toBe(403);
    // Enlaces see only their department's queue, and do not publish.
    const queue = (await enlace.get(`${m}/reports?estado=enviado`)).json() as { accionClave: string; departmentId: number }[];
    expect(queue.map((r) => r.accionClave)).toContain('T-ROLL-1');
    expect(queue.every((r) => r.departmentId === sop)).toBe(true);
    // Planners review every department's reports (the demo has some waiting outside SOP).
    expect((await planner.get(`${m}/reports?estado=enviado`)).json().some((r: { departmentId: number }) => r.departmentId !== sop)).toBe(
      true,
    );
    expect((await enlace.post(`${m}/reports/${own.json().id}/review`, { decision: 'publicar' })).statusCode).toBe(403);
    // Not public until published.
    expect((await anon.get(`${m}/actions/${obra}`)).json().reportes).toEqual([]);
    expect((await planner.post(`${m}/reports/${own.json().id}/review`, { decision: 'publicar' })).statusCode).toBe(200);
    const r2 = (await planner.post(`${m}/actions/${accion}/reports`, { periodo: '2026-T2', avanceFisico: 90 })).json();
    await planner.post(`${m}/reports/${r2.id}/review`, { decision: 'publicar' });
    expect((await enlace.post(`${m}/actions/${obra}/reports`, { periodo: '2026-T2', avanceFisico: 50 })).statusCode).toBe(409);

    // Hand computation: obra 40 % on 4.2 M (modificado where set), talleres 90 % on 1.0 M.
    // Estrategia 9.1.1 = (40 × 4.2 + 90 × 1.0) / 5.2 = 49.615… → 49.62. The unpublished action is not counted.
    const ru = (await anon.get(`${m}/plans/${planId}/elements/${estr}/rollup`)).json();
    expect(ru.rollup).toEqual({ acciones: 2, aprobado: 5_000_000, modificado: 5_200_000, ejercido: 1_600_000, avance: 49.62 });
    expect(ru.regla).toMatch(/presupuesto modificado/);
    const line = (await anon.get(`${m}/plans/${planId}/elements/${l1}/rollup`)).json();
    expect(line.rollup.avance).toBe(40);
    const whole = (await anon.get(`${m}/plans/${planId}/rollup`)).json();
    expect(whole.elementos[String(estr)].avance).toBe(49.62);
    // Filter by element includes the subtree.
    expect((await anon.get(`${m}/actions?elementId=${estr}`)).json().total).toBe(2);
  });

  it('accepts photos and PDFs as evidence and rejects a disguised executable, polyglots, active PDFs and an oversize file, saving nothing', async () => {
    const obra = await work('T-EVID-1', tree.evidence.l1);
    const rep = (await enlace.post(`${m}/actions/${obra}/reports`, { periodo: '2026-T3', avanceFisico: 75, ejercido: 2_400_000 })).json();
    const up = (c: Client, name: string, bytes: Buffer, type?: string) => {
      const body = multipart({ name, bytes, type });
      return c.request('POST', `${m}/reports/${rep.id}/evidence`, body.payload, { headers: body.headers });
    };
    const before = await countRows(t.database, 'evidence_files');
    const exe = await up(enlace, 'foto_obra.jpg', EXE, 'image/jpeg');
    expect(exe.statusCode).toBe(415);
    expect(exe.json().message).toBe(
      'El archivo «foto_obra.jpg» no es una imagen JPEG, PNG o WebP ni un PDF (su contenido es EXE). No se guardó.',
    );
    // A real JPEG that is also an HTML page, and PDFs that run code or are not PDFs inside.
    const { default: sharp } = await import('sharp');
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0b5d4b' } })
      .jpeg()
      .toBuffer();
    const polyglot = await up(
      enlace,
      'foto.jpg',
      Buffer.concat([jpeg, Buffer.from('<html><body><script>fetch("/api/v1/auth/me")</script></body></html>')]),
    );
    expect(polyglot.statusCode).toBe(415);
    expect(polyglot.json().message).toMatch(/código de página web/);
    const realPdf = await pdfBytes();
    const active = await up(
      enlace,
      'estimacion.pdf',
      Buffer.from(
        realPdf.toString('latin1').replace('/Type /Catalog', '/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>'),
        'latin1',
      ),
    );
    expect(active.statusCode).toBe(415);
    expect(active.json().message).toMatch(/contiene código/);
    const hollow = await up(enlace, 'vacio.pdf', Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'));
    expect(hollow.statusCode).toBe(415);
    expect(hollow.json().message).toMatch(/dañado o no tiene páginas/);
    const big = await up(enlace, 'foto_grande.png', Buffer.concat([PNG, Buffer.alloc(1.5 * 1024 * 1024)]), 'image/png');
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toMatch(/excede el máximo de 1 MB/);
    expect(await countRows(t.database, 'evidence_files')).toEqual(before);

    // Images are stored re-encoded (a fresh JPEG, no EXIF), PDFs as they came once checked.
    const ok = await up(enlace, 'avance.png', PNG, 'application/octet-stream');
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ nombre: 'avance.jpg', mime: 'image/jpeg' });
    const pdf = await up(enlace, 'estimacion.pdf', realPdf);
    expect(pdf.statusCode, pdf.body).toBe(201);
    expect(pdf.json()).toMatchObject({ mime: 'application/pdf', bytes: realPdf.length });
    // Evidence of an unpublished report is staff-only; once published anyone can see it.
    expect((await anon.get(`${m}/evidence/${ok.json().id}`)).statusCode).toBe(404);
    await planner.post(`${m}/reports/${rep.id}/review`, { decision: 'publicar' });
    const img = await anon.get(`${m}/evidence/${ok.json().id}`);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect((await sharp(img.rawPayload).metadata()).format).toBe('jpeg');
    // Published reports take no more evidence.
    expect((await up(enlace, 'tarde.png', PNG)).statusCode).toBe(409);
  });

  it('shows the golden thread of a work: plan lines, metas, money by source, progress with photos, map', async () => {
    const { codigo, l1 } = tree.thread;
    const obra = await work('T-HILO-1', l1);
    await published(obra, { periodo: '2026-T2', avanceFisico: 40, ejercido: 1_600_000, narrativa: 'Base hidráulica terminada' });
    await published(obra, { periodo: '2026-T3', avanceFisico: 75, ejercido: 2_400_000 }, [
      ['avance.png', PNG],
      ['estimacion.pdf', await pdfBytes()],
    ]);
    // A monthly report for August sorts between the second and third quarters; the work's progress stays the latest (T3).
    const aug = (await enlace.post(`${m}/actions/${obra}/reports`, { periodo: '2026-08', avanceFisico: 60 })).json();
    await planner.post(`${m}/reports/${aug.id}/review`, { decision: 'publicar' });
    const d = (await anon.get(`${m}/actions/${obra}`)).json();
    expect(d.lineas.map((l: { codigo: string; planTitulo: string }) => [l.codigo, l.planTitulo])).toEqual([
      [`${codigo}.1`, 'PMD de prueba del hilo'],
    ]);
    expect(d.lineas[0].ruta.map((r: { codigo: string }) => r.codigo)).toEqual(['9', '9.1', codigo]);
    expect(d.presupuesto.map((b: { clave: string }) => b.clave)).toEqual(['FISM-DF', 'PROPIOS']);
    expect(d.totales).toEqual({ aprobado: 4_000_000, modificado: 4_200_000, ejercido: 1_600_000, avanceFinanciero: 38.1 });
    expect(
      d.reportes.map((r: { periodo: string; avanceFisico: number; evidencias: unknown[] }) => [
        r.periodo,
        r.avanceFisico,
        r.evidencias.length,
      ]),
    ).toEqual([
      ['2026-T2', 40, 0],
      ['2026-08', 60, 0],
      ['2026-T3', 75, 2],
    ]);
    expect(d.avanceFisico).toBe(75);
    expect(d.ubicacion.type).toBe('LineString');
    expect((await anon.get(`${m}/actions/999999`)).statusCode).toBe(404);
  });

  it('publishes works as OCDS 1.1 release packages valid against the official schema', async () => {
    const obra = await work('T-OCDS-1', tree.ocds.l1);
    const accion = await workshop('T-OCDS-2', tree.ocds.l2);
    await published(obra, { periodo: '2026-T2', avanceFisico: 40 });
    await published(obra, { periodo: '2026-T3', avanceFisico: 75 }, [['avance.png', PNG]]);
    await published(obra, { periodo: '2026-08', avanceFisico: 60 });
    expect((await enlace.request('PUT', `${m}/actions/${obra}/contract`, { procedimiento: 'licitacion_publica' })).statusCode).toBe(403);
    const badRfc = await planner.request('PUT', `${m}/actions/${obra}/contract`, {
      procedimiento: 'licitacion_publica',
      contratistaRfc: 'NOESRFC',
    });
    expect(badRfc.json().message).toMatch(/RFC «NOESRFC»/);
    const c = await planner.request('PUT', `${m}/actions/${obra}/contract`, {
      procedimiento: 'licitacion_publica',
      numeroContrato: 'MZ-SOP-LP-001/2026',
      contratistaNombre: 'Constructora Bufa, S.A. de C.V.',
      contratistaRfc: 'cbu150301ab3',
      montoContratado: 4_050_000,
      fechaConvocatoria: '2026-01-20',
      fechaAdjudicacion: '2026-02-15',
      fechaFirma: '2026-02-20',
      fechaInicio: '2026-03-01',
      fechaFin: '2026-09-30',
    });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().contratistaRfc).toBe('CBU150301AB3');
    const am = await planner.post(`${m}/actions/${obra}/contract/amendments`, {
      fecha: '2026-06-10',
      descripcion: 'Ampliación de metas: 120 m adicionales',
      montoNuevo: 4_180_000,
      fechaFinNueva: '2026-10-31',
    });
    expect(am.statusCode, am.body).toBe(201);

    const one = await anon.get(`${m}/works/${obra}/ocds`);
    expect(one.statusCode).toBe(200);
    const pkg = one.json();
    const rel = pkg.releases[0];
    expect(rel.ocid).toBe('ocds-brj001-32056-T-OCDS-1');
    expect(rel.tag).toEqual(['planning', 'tender', 'award', 'contract', 'implementation', 'contractAmendment']);
    expect(rel.tender.procurementMethod).toBe('open');
    expect(rel.parties[1].identifier).toEqual({ scheme: 'MX-RFC', id: 'CBU150301AB3', legalName: 'Constructora Bufa, S.A. de C.V.' });
    expect(rel.contracts[0].value).toEqual({ amount: 4_180_000, currency: 'MXN' });
    expect(rel.contracts[0].period.endDate).toBe('2026-10-31T00:00:00-06:00');
    expect(rel.contracts[0].implementation.documents[0].url).toMatch(
      /^https:\/\/brujula\.example\.mx\/api\/v1\/municipalities\/32056\/evidence\/\d+$/,
    );
    expect(rel.planning.budget.amount).toEqual({ amount: 4_200_000, currency: 'MXN' });
    // Dates in the order of the process; a contract signed before its award is refused and changes nothing.
    const early = await planner.request('PUT', `${m}/actions/${obra}/contract`, {
      procedimiento: 'licitacion_publica',
      fechaAdjudicacion: '2026-02-15',
      fechaFirma: '2026-02-10',
    });
    expect([early.statusCode, early.json().message]).toEqual([400, expect.stringMatching(/antes de la adjudicación/)]);
    const backwards = await planner.request('PUT', `${m}/actions/${obra}/contract`, {
      procedimiento: 'licitacion_publica',
      fechaConvocatoria: '2026-02-20',
      fechaAdjudicacion: '2026-02-15',
    });
    expect(backwards.json().message).toMatch(/posterior a la de convocatoria/);
    expect((await anon.get(`${m}/works/${obra}/ocds`)).json().releases[0].contracts[0].dateSigned).toBe('2026-02-20T00:00:00-06:00');
    // The winner is named among the tenderers; each published report is a met reporting milestone
    // due at the end of its period; the delivery is due at the amended end.
    expect(rel.tender.tenderers).toEqual([{ id: 'MX-RFC-CBU150301AB3', name: 'Constructora Bufa, S.A. de C.V.' }]);
    const ms = rel.contracts[0].implementation.milestones as {
      id: string;
      type: string;
      status: string;
      dueDate: string;
      dateMet?: string;
    }[];
    expect(ms.map((x) => [x.id, x.type, x.status, x.dueDate])).toEqual([
      ['avance-2026-T2', 'reporting', 'met', '2026-06-30T00:00:00-06:00'],
      ['avance-2026-08', 'reporting', 'met', '2026-08-31T00:00:00-06:00'],
      ['avance-2026-T3', 'reporting', 'met', '2026-09-30T00:00:00-06:00'],
      ['conclusion', 'delivery', 'scheduled', '2026-10-31T00:00:00-06:00'],
    ]);
    expect(ms.slice(0, 3).every((x) => x.dateMet && !Number.isNaN(Date.parse(x.dateMet)))).toBe(true);
    // An action that is not a public work has no OCDS release.
    expect((await anon.get(`${m}/works/${accion}/ocds`)).statusCode).toBe(404);

    if (!hasOcds) {
      console.warn(`OCDS schema check skipped: ${OCDS_DIR} is absent (it is present in CI).`);
      return;
    }
    const validate = await ocdsValidator();
    const all = (await anon.get(`${m}/ocds/releases.json`)).json();
    // Every published work with contract data: the demo's and this one.
    const works = await t.database.db
      .selectFrom('contracts as c')
      .innerJoin('poa_actions as a', 'a.id', 'c.action_id')
      .select('a.clave')
      .where('a.municipality_id', '=', '32056')
      .where('a.publicado', '=', true)
      .execute();
    expect(
      all.releases
        .map(
          (r: { tender: { items: { description: string }[] }; planning: { budget: { projectID: string } } }) => r.planning.budget.projectID,
        )
        .sort(),
    ).toEqual(works.map((w) => w.clave).sort());
    expect(works.length).toBeGreaterThan(1);
    for (const p of [pkg, all]) {
      const valid = validate(p);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
    // The validator does reject a broken package (it is not a rubber stamp).
    expect(validate({ ...pkg, releases: [{ ...rel, tag: ['inventada'] }] })).toBe(false);

    // Every release of the municipality (the demo's works too) keeps tender < award <= signature,
    // and names the tenderers its parties say there are.
    type Rel = {
      ocid: string;
      parties: { id: string; roles: string[] }[];
      tender: { tenderPeriod?: { startDate: string }; tenderers?: { id: string }[] };
      awards: { date?: string }[];
      contracts: { dateSigned?: string; implementation: { milestones: { type: string; status: string; dateMet?: string }[] } }[];
    };
    for (const r of all.releases as Rel[]) {
      const start = r.tender.tenderPeriod?.startDate;
      const award = r.awards[0]?.date;
      const signed = r.contracts[0]?.dateSigned;
      if (start && award) expect(Date.parse(start), r.ocid).toBeLessThan(Date.parse(award));
      if (award && signed) expect(Date.parse(award), r.ocid).toBeLessThanOrEqual(Date.parse(signed));
      const tenderers = r.parties.filter((p) => p.roles.includes('tenderer')).map((p) => p.id);
      expect(
        (r.tender.tenderers ?? []).map((x) => x.id),
        r.ocid,
      ).toEqual(tenderers);
      for (const x of r.contracts[0]?.implementation.milestones ?? [])
        if (x.type === 'reporting') expect([x.status, !!x.dateMet], r.ocid).toEqual(['met', true]);
    }

    // The record package: one record per work, its release embedded and compiled.
    const validRecords = await ocdsRecordValidator();
    const records = (await anon.get(`${m}/ocds/records.json`)).json();
    expect(records.records.map((r: { ocid: string }) => r.ocid).sort()).toEqual(all.releases.map((r: Rel) => r.ocid).sort());
    const oneRecord = (await anon.get(`${m}/works/${obra}/ocds/record`)).json();
    expect(oneRecord.records[0].compiledRelease).toMatchObject({ ocid: rel.ocid, tag: ['compiled'] });
    for (const p of [records, oneRecord]) {
      const valid = validRecords(p);
      expect(validRecords.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
    expect(validRecords({ ...oneRecord, records: [{ releases: [] }] })).toBe(false);
    expect((await anon.get(`${m}/works/${accion}/ocds/record`)).statusCode).toBe(404);
  });
});
