import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import sharp from 'sharp';
import { DOMParser } from '@xmldom/xmldom';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { Client, countRows, createUser, multipart, TARGETS, testApp, type TestApp } from '../../../../test/helpers.ts';
import { checkCurp } from './residency.ts';
import { count } from './budgets.ts';

const CURP_CHARS = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';
/** A CURP with a correct check digit from its first 17 characters. */
function curp(first17: string) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CURP_CHARS.indexOf(first17[i]) * (18 - i);
  return `${first17}${(10 - (sum % 10)) % 10}`;
}

describe('CURP check', () => {
  it('accepts a well-formed CURP with its check digit and refuses typos', () => {
    const good = curp('GOML850101MZSRRS0');
    expect(checkCurp(good.toLowerCase())).toBe(good);
    const typo = good.slice(0, 17) + String((Number(good[17]) + 1) % 10);
    expect(() => checkCurp(typo)).toThrow(/dígito verificador/);
    expect(() => checkCurp('GOML851301MZSRRS09')).toThrow(/formato/);
  });
});

describe.each(TARGETS)('participation on %s', (kind) => {
  let t: TestApp;
  let planner: Client, anon: Client, citizen: Client, admin: Client, enlace: Client;
  const M = '/api/v1/municipalities/32056';
  const db = () => t.database.db;
  let centro: { x: number; y: number };
  let n = 0;

  /** Solves a proof-of-work challenge as the browser does. */
  async function proof(c: Client) {
    const challenge = (await c.get('/api/v1/pow/challenge')).json();
    const solution = await solveChallenge({ challenge, deriveKey });
    return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64url');
  }
  const withProof = async (c: Client, method: 'POST' | 'PUT', url: string, body: unknown) =>
    c.request(method, url, body, { headers: { 'x-brujula-pow': await proof(c) } });

  /** A new citizen of 32056, verified in person by staff unless asked otherwise. */
  async function resident(opts: { verified?: boolean } = {}) {
    n += 1;
    const email = `residente${n}-${kind}@prueba.mx`;
    await createUser(t.database, email, [['32056', 'citizen']]);
    if (opts.verified !== false) {
      const C = 'BCDFGHJKLMNPQRSTVWXYZ';
      const tail = `${C[Math.floor(n / 441) % 21]}${C[Math.floor(n / 21) % 21]}${C[n % 21]}`;
      const r = await planner.post(`${M}/residency/in-person`, { email, curp: curp(`PEMA900101HZS${tail}0`) });
      expect(r.statusCode, r.body).toBe(200);
    }
    return new Client(t.app).login(email);
  }

  beforeAll(async () => {
    // The bursts below test what reaches the database at once; load shedding (which would answer
    // part of them 503) has its own test in test/overload.test.ts.
    t = await testApp(kind, { env: { BRUJULA_POW_COST: '1', BRUJULA_PUBLIC_WRITE_RATE_LIMIT: '10000', BRUJULA_MAX_INFLIGHT: '1000' } });
    planner = await new Client(t.app).login('planeacion@demo.brujula.mx');
    citizen = await new Client(t.app).login('ciudadana@demo.brujula.mx');
    admin = await new Client(t.app).login('admin.zacatecas@demo.brujula.mx');
    enlace = await new Client(t.app).login('enlace.obras@demo.brujula.mx');
    anon = new Client(t.app);
    const p = await sql<{
      x: number;
      y: number;
    }>`select st_x(p) as x, st_y(p) as y from (select st_pointonsurface(geom) as p from territorial_units where municipality_id = '32056' and level = 'colonia' and name = 'Centro Histórico') c`.execute(
      db(),
    );
    centro = p.rows[0];
  });
  afterAll(() => t?.close());

  describe('participatory budget ballots', () => {
    /**
     * A fresh 2027 process, reviewed (A 600k, B 400k, C 400k, D 300k in «Municipio» of 1 M; L 200k in
     * «Centro Histórico»; E not viable) and open for voting: each test votes in its own.
     */
    const votingProcess = async () => {
      const projects: Record<string, number> = {};
      const unit = await db()
        .selectFrom('territorial_units')
        .select('id')
        .where('municipality_id', '=', '32056')
        .where('name', '=', 'Centro Histórico')
        .executeTakeFirstOrThrow();
      const p = await planner.post(`${M}/budgets`, {
        anio: 2027,
        titulo: 'Prueba 2027',
        territorios: [
          { nombre: 'Municipio', monto: 1_000_000 },
          { nombre: 'Centro Histórico', unitId: unit.id, monto: 500_000 },
        ],
      });
      expect(p.statusCode, p.body).toBe(201);
      const pid = p.json().id as number;
      const g = (await planner.get(`${M}/budgets/${pid}`)).json();
      const muni = g.territorios.find((x: { nombre: string }) => x.nombre === 'Municipio').id;
      const local = g.territorios.find((x: { nombre: string }) => x.nombre === 'Centro Histórico').id;
      // Costs chosen to make ties and budget limits matter: A 600k, B 400k, C 400k, D 300k, E not viable.
      for (const k of ['A', 'B', 'C', 'D', 'E']) {
        const r = await planner.post(`${M}/budgets/${pid}/projects`, {
          territoryId: muni,
          titulo: `Proyecto ${k} de prueba`,
          descripcion: 'Descripción suficientemente larga del proyecto.',
        });
        expect(r.statusCode, r.body).toBe(201);
        projects[k] = r.json().id;
      }
      const L = await planner.post(`${M}/budgets/${pid}/projects`, {
        territoryId: local,
        titulo: 'Proyecto local de prueba',
        descripcion: 'Descripción suficientemente larga del proyecto.',
      });
      projects.L = L.json().id;
      expect((await planner.post(`${M}/budgets/${pid}/phase`, { fase: 'propuestas' })).statusCode).toBe(200);
      expect((await planner.post(`${M}/budgets/${pid}/phase`, { fase: 'votacion' })).json().message).toBe(
        'El proceso está en «Propuestas»: solo puede pasar a «Revisión técnica». Las fases no se saltan ni se regresan.',
      );
      expect((await planner.post(`${M}/budgets/${pid}/phase`, { fase: 'revision' })).statusCode).toBe(200);
      expect((await planner.post(`${M}/budgets/${pid}/phase`, { fase: 'costos' })).json().message).toMatch(/Falta la revisión técnica/);
      for (const [k, costo] of Object.entries({ A: 600_000, B: 400_000, C: 400_000, D: 300_000, L: 200_000 })) {
        const r = await planner.patch(`${M}/budgets/${pid}/projects/${projects[k]}`, { costo, viable: true, dictamen: 'Viable' });
        expect(r.statusCode, r.body).toBe(200);
      }
      // An enlace reviews only once assigned as evaluator.
      expect((await enlace.patch(`${M}/budgets/${pid}/projects/${projects.E}`, { dictamen: 'Revisión' })).statusCode).toBe(403);
      const staff = (await planner.get(`${M}/budget-evaluators`)).json() as { id: number; name: string }[];
      const enlaceId = staff.find((u) => u.name.startsWith('Enlace Obras'))!.id;
      expect((await planner.patch(`${M}/budgets/${pid}/projects/${projects.E}`, { evaluadores: [enlaceId] })).statusCode).toBe(200);
      expect((await enlace.get(`${M}/budgets/${pid}`)).json().proyectos.find((x: { id: number }) => x.id === projects.E).revisable).toBe(
        true,
      );
      expect((await planner.patch(`${M}/budgets/${pid}/projects/${projects.E}`, { viable: false })).statusCode).toBe(400);
      expect(
        (await planner.patch(`${M}/budgets/${pid}/projects/${projects.E}`, { viable: false, dictamen: 'Predio privado' })).statusCode,
      ).toBe(200);
      // Costs stay private until the costs phase.
      expect((await anon.get(`${M}/budgets/${pid}`)).json().proyectos.every((x: { costo: unknown }) => x.costo === null)).toBe(true);
      for (const fase of ['costos', 'votacion']) expect((await planner.post(`${M}/budgets/${pid}/phase`, { fase })).statusCode).toBe(200);
      expect((await anon.get(`${M}/budgets/${pid}`)).json().proyectos.find((x: { id: number }) => x.id === projects.A).costo).toBe(600000);
      return { pid, muni: muni as number, local: local as number, projects };
    };
    /** Ten residents vote in «Municipio»: D 5 votes, A 4, B and C 3 each; then voting closes and results publish. */
    const tenBallots = (x: Record<string, number>) => [
      [x.A],
      [x.A],
      [x.A],
      [x.A, x.D],
      [x.B, x.D],
      [x.B, x.D],
      [x.B],
      [x.C, x.D],
      [x.C, x.D],
      [x.C],
    ];
    const voteAndCount = async ({ pid, muni, projects }: Awaited<ReturnType<typeof votingProcess>>) => {
      for (const b of tenBallots(projects)) {
        const r = await resident();
        expect((await r.request('PUT', `${M}/budgets/${pid}/ballots/${muni}`, { proyectos: b })).statusCode).toBe(200);
      }
      expect((await planner.post(`${M}/budgets/${pid}/phase`, { fase: 'resultados' })).statusCode).toBe(200);
    };

    it('keeps exactly one ballot when one resident submits 100 ballots at once, and lets them change it', async () => {
      const { pid, muni, projects } = await votingProcess();
      const r = await resident();
      const choices = [[projects.A], [projects.B, projects.C], [projects.D], [projects.A, projects.D]];
      const res = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          r.request('PUT', `${M}/budgets/${pid}/ballots/${muni}`, { proyectos: choices[i % choices.length] }),
        ),
      );
      expect(res.map((x) => x.statusCode).filter((s) => s !== 200)).toEqual([]);
      const me = await db()
        .selectFrom('users')
        .select('id')
        .where('email', '=', `residente${n}-${kind}@prueba.mx`)
        .executeTakeFirstOrThrow();
      const voters = await db()
        .selectFrom('pb_voters')
        .select('territory_id')
        .where('process_id', '=', pid)
        .where('user_id', '=', me.id)
        .execute();
      expect(voters).toEqual([{ territory_id: muni }]);
      const ballots = await db().selectFrom('pb_ballots').select('proyectos').where('process_id', '=', pid).execute();
      expect(ballots).toHaveLength(1);
      const mine = (await r.get(`${M}/budgets/${pid}/ballots/mine`)).json();
      expect(mine).toEqual([{ territoryId: muni, proyectos: ballots[0].proyectos.map(Number) }]);
      expect(choices.map((c) => [...c].sort((a, b) => a - b).join())).toContain(mine[0].proyectos.join());
      // Changing the ballot replaces it; withdrawing removes both rows.
      expect((await r.request('PUT', `${M}/budgets/${pid}/ballots/${muni}`, { proyectos: [projects.B] })).statusCode).toBe(200);
      expect((await r.get(`${M}/budgets/${pid}/ballots/mine`)).json()[0].proyectos).toEqual([projects.B]);
      expect((await r.delete(`${M}/budgets/${pid}/ballots/${muni}`)).statusCode).toBe(204);
      expect(await countRows(t.database, 'pb_ballots')).toMatchObject({
        pb_ballots: (await sql<{ n: number }>`select count(*)::int as n from pb_ballots where process_id <> ${pid}`.execute(db())).rows[0]
          .n,
      });
    });

    it('refuses a ballot over the territory amount, projects of another territory, non-viable ones and unverified people', async () => {
      const { pid, muni, projects } = await votingProcess();
      const r = await resident();
      const before = await countRows(t.database, 'pb_ballots', 'pb_voters');
      const over = await r.request('PUT', `${M}/budgets/${pid}/ballots/${muni}`, { proyectos: [projects.A, projects.B, projects.D] });
      expect(over.statusCode).toBe(400);
      expect(over.json().message).toBe(
        'Los proyectos elegidos suman $1,300,000.00 y el monto de «Municipio» es $1,000,000.00. Quite alguno para que quepan.',
      );
      expect((await r.request('PUT', `${M}/budgets/${pid}/ballots/${muni}`, { proyectos: [projects.L] })).json().message).toMatch(
        /no se vota en «Municipio»/,
      );
      expect((await r.request('PUT', `${M}/budgets/${pid}/ballots/${muni}`, { proyectos: [projects.E] })).json().message).toMatch(
        /no es viable/,
      );
      const unverified = await resident({ verified: false });
      const u = await unverified.request('PUT', `${M}/budgets/${pid}/ballots/${muni}`, { proyectos: [projects.A] });
      expect(u.statusCode).toBe(403);
      expect(u.json().message).toMatch(/verificar que reside/);
      expect(await countRows(t.database, 'pb_ballots', 'pb_voters')).toEqual(before);
    });

    it('publishes a count that equals a recount from the stored ballots, with the tie rule, and no response links a person to a choice', async () => {
      const { pid, muni, projects } = await votingProcess();
      // Ten residents: A gets 4 votes, B and C tie at 3 (same cost, so B, registered first, goes first), D gets 5.
      for (const b of tenBallots(projects)) {
        const r = await resident();
        expect((await r.request('PUT', `${M}/budgets/${pid}/ballots/${muni}`, { proyectos: b })).statusCode).toBe(200);
      }
      // Results stay closed while voting is open.
      expect((await anon.get(`${M}/budgets/${pid}/results`)).statusCode).toBe(409);
      expect((await anon.get(`${M}/budgets/${pid}/ballots`)).statusCode).toBe(409);
      expect((await planner.post(`${M}/budgets/${pid}/phase`, { fase: 'resultados' })).statusCode).toBe(200);

      const published = (await anon.get(`${M}/budgets/${pid}/results`)).json();
      expect(published.reglaEmpate).toMatch(/menor costo/);
      const rows = published.resultados.filter((r: { territoryId: number }) => r.territoryId === muni);
      // By hand: D 5 votes (300k, fits, 700k left), A 4 (600k, fits, 100k left), B 3 and C 3 tie at 400k → B first (registered first), neither fits.
      expect(rows.map((r: { projectId: number; votos: number; seleccionado: boolean }) => [r.projectId, r.votos, r.seleccionado])).toEqual([
        [projects.D, 5, true],
        [projects.A, 4, true],
        [projects.B, 3, false],
        [projects.C, 3, false],
      ]);
      expect(rows[2].motivo).toBe('No cabe en el monto restante ($100,000.00)');
      // Recount from the published anonymous ballots…
      const stored = (await anon.get(`${M}/budgets/${pid}/ballots`)).json() as { territoryId: number; proyectos: number[] }[];
      expect(stored).toHaveLength(10);
      const tally = new Map<number, number>();
      for (const b of stored) for (const p of b.proyectos) tally.set(p, (tally.get(p) ?? 0) + 1);
      for (const r of published.resultados) expect(tally.get(r.projectId) ?? 0).toBe(r.votos);
      // …and by the server's own count run again on the stored rows.
      expect((await count(db(), pid)).map((r) => [r.project_id, r.votos, r.seleccionado])).toEqual(
        published.resultados.map((r: { projectId: number; votos: number; seleccionado: boolean }) => [
          r.projectId,
          r.votos,
          r.seleccionado,
        ]),
      );
      const csv = (await anon.get(`${M}/budgets/${pid}/ballots?formato=csv`)).body;
      expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('territorio_id,proyectos');

      // Secrecy: no public output carries a voter; the salt is gone and the keys no longer derive from people.
      const outputs = [
        JSON.stringify(published),
        JSON.stringify(stored),
        csv,
        (await anon.get(`${M}/budgets/${pid}`)).body,
        (await planner.get(`${M}/budgets/${pid}`)).body,
      ];
      for (const o of outputs) expect(o).not.toMatch(/voter_key|user_id|ballot_salt/);
      expect(
        (await db().selectFrom('pb_processes').select('ballot_salt').where('id', '=', pid).executeTakeFirstOrThrow()).ballot_salt,
      ).toBeNull();
      const inAudit = await sql<{
        n: number;
      }>`select count(*)::int as n from audit_log where entity = 'pb_ballots' or (entity = 'pb_processes' and (after ? 'ballot_salt' or before ? 'ballot_salt'))`.execute(
        db(),
      );
      expect(inAudit.rows[0].n).toBe(0);
      const voterRows = await sql<{
        after: Record<string, unknown>;
      }>`select after from audit_log where entity = 'pb_voters' and (after ->> 'process_id')::bigint = ${pid}`.execute(db());
      expect(voterRows.rows.length).toBeGreaterThan(0);
      for (const v of voterRows.rows)
        expect(Object.keys(v.after).sort()).toEqual(['municipality_id', 'process_id', 'territory_id', 'user_id']);
      // After the count not even the voter sees which ballot was theirs.
      const last = await new Client(t.app).login(`residente${n}-${kind}@prueba.mx`);
      expect((await last.get(`${M}/budgets/${pid}/ballots/mine`)).json()).toEqual([{ territoryId: muni, proyectos: null }]);
    });

    it('turns a winner into a POA action whose progress shows on the process page', async () => {
      const voting = await votingProcess();
      const { pid, projects } = voting;
      await voteAndCount(voting);
      expect((await planner.post(`${M}/budgets/${pid}/projects/${projects.B}/action`, {})).json().message).toMatch(
        /Solo los proyectos ganadores/,
      );
      const program = await db()
        .selectFrom('poa_programs')
        .select('id')
        .where('municipality_id', '=', '32056')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const a = await planner.post(`${M}/budgets/${pid}/projects/${projects.D}/action`, { programId: program.id });
      expect(a.statusCode, a.body).toBe(201);
      await db().updateTable('poa_actions').set({ avance_fisico: 35 }).where('id', '=', a.json().id).execute();
      const page = (await anon.get(`${M}/budgets/${pid}`)).json();
      expect(page.proyectos.find((x: { id: number }) => x.id === projects.D)).toMatchObject({
        actionId: a.json().id,
        avanceFisico: 35,
        seleccionado: true,
      });
      // And back: the work says which project (and how many votes) it came from.
      const origins = (await anon.get(`${M}/actions/${a.json().id}/origins`)).json();
      expect(origins.proyectos).toEqual([
        { id: projects.D, titulo: 'Proyecto D de prueba', processId: pid, proceso: 'Prueba 2027', votos: 5 },
      ]);
    });

    it('limits an approval-style ballot to the number of projects allowed, and keeps phase dates in order', async () => {
      const bad = await planner.post(`${M}/budgets`, {
        anio: 2028,
        titulo: 'Fechas 2028',
        territorios: [{ nombre: 'Municipio', monto: 100 }],
        fechas: { propuestas: { inicio: '2028-02-01', fin: '2028-03-01' }, votacion: { inicio: '2028-02-15', fin: '2028-04-01' } },
      });
      expect(bad.json().message).toBe('La fase «Votación» empieza (2028-02-15) antes de que termine «Propuestas» (2028-03-01).');
      expect(
        (
          await planner.post(`${M}/budgets`, {
            anio: 2028,
            titulo: 'Fechas 2028',
            territorios: [{ nombre: 'Municipio', monto: 100 }],
            fechas: { propuestas: { inicio: '2028-03-01', fin: '2028-02-01' } },
          })
        ).statusCode,
      ).toBe(400);
      const p = await planner.post(`${M}/budgets`, {
        anio: 2028,
        titulo: 'Aprobación 2028',
        estilo: 'aprobacion',
        maxVotos: 1,
        territorios: [{ nombre: 'Municipio', monto: 100 }],
        fechas: { propuestas: { inicio: '2028-02-01', fin: '2028-03-01' }, votacion: { inicio: '2028-04-01', fin: '2028-04-30' } },
      });
      const id = p.json().id;
      const terr = (await planner.get(`${M}/budgets/${id}`)).json().territorios[0].id;
      const ids = [];
      for (const k of [1, 2])
        ids.push(
          (
            await planner.post(`${M}/budgets/${id}/projects`, {
              territoryId: terr,
              titulo: `Aprobación ${k} prueba`,
              descripcion: 'Descripción suficientemente larga del proyecto.',
            })
          ).json().id,
        );
      for (const fase of ['propuestas', 'revision']) await planner.post(`${M}/budgets/${id}/phase`, { fase });
      for (const x of ids) await planner.patch(`${M}/budgets/${id}/projects/${x}`, { costo: 1000, viable: true });
      for (const fase of ['costos', 'votacion']) await planner.post(`${M}/budgets/${id}/phase`, { fase });
      const r = await resident();
      expect((await r.request('PUT', `${M}/budgets/${id}/ballots/${terr}`, { proyectos: ids })).json().message).toBe(
        'Puede elegir hasta 1 proyectos.',
      );
      // Approval ballots are not bound by the amount: one project costing more than the territory is fine.
      expect((await r.request('PUT', `${M}/budgets/${id}/ballots/${terr}`, { proyectos: [ids[0]] })).statusCode).toBe(200);
    });
  });

  describe('PROPONLE proposals', () => {
    it('asks for a fresh proof of work, sanitises the text and suggests similar proposals without accents', async () => {
      const body = {
        titulo: 'Rehabilitación del jardín Juárez',
        cuerpo: '<p>Bancas nuevas y <strong>árboles</strong> en el jardín.</p><script>alert(1)</script><img src=x onerror=alert(1)>',
        tema: 'cultura',
        lon: centro.x,
        lat: centro.y,
      };
      const none = await citizen.post(`${M}/proposals`, body);
      expect(none.statusCode).toBe(403);
      expect(none.json().message).toMatch(/prueba anti-abuso/);
      const header = await proof(citizen);
      const ok = await citizen.request('POST', `${M}/proposals`, body, { headers: { 'x-brujula-pow': header } });
      expect(ok.statusCode, ok.body).toBe(201);
      const replay = await citizen.request('POST', `${M}/proposals`, body, { headers: { 'x-brujula-pow': header } });
      expect(replay.json().message).toMatch(/ya se usó/);
      const p = (await anon.get(`${M}/proposals/${ok.json().id}`)).json();
      expect(p.cuerpo).toBe('<p>Bancas nuevas y <strong>árboles</strong> en el jardín.</p>');
      expect(p).toMatchObject({ estado: 'recibida', unidad: 'Centro Histórico', temaNombre: 'Cultura' });
      expect(p.userId).toBeUndefined();
      const similar = (await anon.get(`${M}/proposals/similar?q=${encodeURIComponent('rehabilitacion jardin')}`)).json();
      expect(similar[0]).toMatchObject({ id: ok.json().id, titulo: 'Rehabilitación del jardín Juárez' });
      // A point outside the municipality is refused.
      const out = await withProof(citizen, 'POST', `${M}/proposals`, { ...body, lon: -101.0, lat: 23.5 });
      expect(out.json().message).toMatch(/fuera del municipio/);
    });

    it('counts one support per verified resident even when clicked 50 times at once', async () => {
      const p = await withProof(citizen, 'POST', `${M}/proposals`, {
        titulo: 'Bebederos en la Alameda',
        cuerpo: 'Poner bebederos de agua potable en la Alameda.',
        tema: 'salud',
      });
      const id = p.json().id;
      const r = await resident();
      const res = await Promise.all(Array.from({ length: 50 }, () => r.post(`${M}/proposals/${id}/support`)));
      expect(res.every((x) => x.statusCode === 200)).toBe(true);
      expect(res.filter((x) => x.json().nuevo)).toHaveLength(1);
      const rows = await db().selectFrom('proposal_supports').select('user_id').where('proposal_id', '=', id).execute();
      expect(rows).toHaveLength(1);
      expect((await anon.get(`${M}/proposals/${id}`)).json().apoyos).toBe(1);
      const unverified = await resident({ verified: false });
      expect((await unverified.post(`${M}/proposals/${id}/support`)).statusCode).toBe(403);
    });

    it('removes a hidden proposal from lists, search, maps, downloads and feeds, keeping its public reason', async () => {
      const p = await withProof(citizen, 'POST', `${M}/proposals`, {
        titulo: 'Propuesta zarzamora escondible',
        cuerpo: 'Texto con la palabra zarzamora para buscarla.',
        tema: 'gobierno',
        lon: centro.x,
        lat: centro.y,
      });
      const id = p.json().id;
      const seen = async () => ({
        list: (await anon.get(`${M}/proposals?limit=500`)).json().items.some((x: { id: number }) => x.id === id),
        search: (await anon.get(`${M}/proposals?q=zarzamora`)).json().items.some((x: { id: number }) => x.id === id),
        similar: (await anon.get(`${M}/proposals/similar?q=zarzamora`)).json().some((x: { id: number }) => x.id === id),
        map: (await anon.get(`${M}/proposals.geojson`)).json().features.some((f: { id: number }) => f.id === id),
        csv: (await anon.get(`${M}/proposals.csv`)).body.includes('zarzamora'),
        feed: (await anon.get(`${M}/proposals/feed.atom`)).body.includes('zarzamora'),
      });
      expect(await seen()).toEqual({ list: true, search: true, similar: true, map: true, csv: true, feed: true });
      expect((await planner.post(`${M}/proposals/${id}/hide`, { oculto: true })).statusCode).toBe(400);
      expect((await planner.post(`${M}/proposals/${id}/hide`, { oculto: true, motivo: 'Contenido duplicado' })).statusCode).toBe(200);
      expect(await seen()).toEqual({ list: false, search: false, similar: false, map: false, csv: false, feed: false });
      expect((await anon.get(`${M}/proposals/${id}`)).json()).toEqual({
        id,
        oculto: true,
        motivoOculto: 'Contenido duplicado',
        titulo: null,
      });
      expect((await planner.get(`${M}/proposals?ocultas=true`)).json().items.map((x: { id: number }) => x.id)).toContain(id);
      // The author learns why, and the hiding is in the audit log.
      const note = await db().selectFrom('notifications').select('titulo').where('titulo', 'like', '%zarzamora%').execute();
      expect(note.map((x) => x.titulo)).toContain('Su propuesta «Propuesta zarzamora escondible» fue ocultada');
      const audit = await sql<{
        n: number;
      }>`select count(*)::int as n from audit_log where entity = 'proposals' and entity_id = ${String(id)} and after ->> 'oculto' = 'true'`.execute(
        db(),
      );
      expect(audit.rows[0].n).toBe(1);
    });

    it('answers publicly, links to a POA action and notifies followers in the app and by e-mail', async () => {
      const p = await withProof(citizen, 'POST', `${M}/proposals`, {
        titulo: 'Luminarias en el callejón del Indio',
        cuerpo: 'El callejón está muy oscuro por la noche.',
        tema: 'seguridad',
      });
      const id = p.json().id;
      const follower = await resident();
      expect((await follower.request('PUT', `${M}/proposals/${id}/follow`, { seguir: true })).statusCode).toBe(200);
      expect((await planner.post(`${M}/proposals/${id}/status`, { estado: 'no_viable' })).json().message).toMatch(/Explique por qué/);
      expect((await planner.post(`${M}/proposals/${id}/status`, { estado: 'incluida' })).json().message).toMatch(
        /elemento del plan o la acción/,
      );
      const action = await db()
        .selectFrom('poa_actions')
        .select(['id', 'avance_fisico'])
        .where('municipality_id', '=', '32056')
        .where('publicado', '=', true)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const outboxBefore = (await countRows(t.database, 'outbox')).outbox;
      const r = await planner.post(`${M}/proposals/${id}/status`, {
        estado: 'incluida',
        respuesta: 'Se incluyó en el POA.',
        actionId: action.id,
      });
      expect(r.statusCode, r.body).toBe(200);
      const page = (await anon.get(`${M}/proposals/${id}`)).json();
      expect(page.accion).toMatchObject({ id: action.id, avanceFisico: Number(action.avance_fisico) });
      expect(page.historial.map((h: { estado: string }) => h.estado)).toEqual(['recibida', 'incluida']);
      const notes = (await follower.get('/api/v1/me/notifications')).json();
      expect(notes.sinLeer).toBe(1);
      expect(notes.items[0]).toMatchObject({
        titulo: '«Luminarias en el callejón del Indio»: Incluida en plan/POA',
        cuerpo: 'Se incluyó en el POA.',
        enlace: `/m/32056/propuestas/${id}`,
      });
      // Author and follower both get the e-mail.
      expect((await countRows(t.database, 'outbox')).outbox).toBe(outboxBefore + 2);
      await follower.post('/api/v1/me/notifications/read', {});
      expect((await follower.get('/api/v1/me/notifications')).json().sinLeer).toBe(0);
    });

    it('threads comments, hides them with a reason, takes flags and enforces the daily cap', async () => {
      const p = await withProof(citizen, 'POST', `${M}/proposals`, {
        titulo: 'Mercado de productores locales',
        cuerpo: 'Un tianguis semanal para productores de la región.',
        tema: 'empleo',
      });
      const id = p.json().id;
      const r = await resident();
      const c1 = await withProof(r, 'POST', `${M}/proposals/${id}/comments`, { texto: 'Muy buena idea' });
      expect(c1.statusCode, c1.body).toBe(201);
      const c2 = await withProof(citizen, 'POST', `${M}/proposals/${id}/comments`, { texto: 'Gracias', parentId: c1.json().id });
      expect(c2.json().parentId).toBe(c1.json().id);
      expect((await r.get('/api/v1/me/notifications')).json().items[0].titulo).toMatch(/Respondieron su comentario/);
      expect((await r.post(`${M}/proposals/${id}/flags`, { motivo: 'Spam', commentId: c2.json().id })).statusCode).toBe(200);
      expect((await planner.get(`${M}/moderation`)).json().some((f: { commentId: number }) => f.commentId === c2.json().id)).toBe(true);
      await planner.post(`${M}/proposals/${id}/comments/${c2.json().id}/hide`, { oculto: true, motivo: 'Fuera de tema' });
      const list = (await anon.get(`${M}/proposals/${id}/comments`)).json();
      expect(list.find((c: { id: number }) => c.id === c2.json().id)).toMatchObject({
        texto: null,
        oculto: true,
        motivoOculto: 'Fuera de tema',
      });
      expect((await planner.get(`${M}/moderation`)).json().some((f: { commentId: number }) => f.commentId === c2.json().id)).toBe(false);
      // Daily cap: lower it to what this person already wrote today.
      await admin.request('PUT', `${M}/participation/settings`, { verificacion: ['sms', 'presencial'], limiteDiario: 1 });
      const capped = await withProof(r, 'POST', `${M}/proposals/${id}/comments`, { texto: 'Otro comentario' });
      expect(capped.statusCode).toBe(429);
      expect(capped.json().message).toMatch(/máximo de 1 publicaciones por día/);
      await admin.request('PUT', `${M}/participation/settings`, { verificacion: ['sms', 'presencial'], limiteDiario: 50 });
      // Blocked people cannot take part.
      const uid = (
        await db().selectFrom('users').select('id').where('email', '=', `residente${n}-${kind}@prueba.mx`).executeTakeFirstOrThrow()
      ).id;
      expect((await planner.post(`${M}/participation/blocks`, { userId: uid, motivo: 'Insultos reiterados' })).statusCode).toBe(204);
      expect((await withProof(r, 'POST', `${M}/proposals/${id}/comments`, { texto: 'Hola' })).json().message).toMatch(
        /Insultos reiterados/,
      );
    });

    it('re-encodes images without their metadata, makes a thumbnail and refuses files that are not images', async () => {
      const p = await withProof(citizen, 'POST', `${M}/proposals`, {
        titulo: 'Foto del parque abandonado',
        cuerpo: 'Así se ve hoy el parque de la colonia.',
        tema: 'ordenamiento-territorial',
      });
      const id = p.json().id;
      const png = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#3a7' } })
        .withMetadata({ exif: { IFD0: { Copyright: 'GPS secreto' } } })
        .png()
        .toBuffer();
      const up = multipart({ name: 'parque.png', bytes: png, type: 'image/png' });
      const r = await citizen.request('POST', `${M}/proposals/${id}/files`, up.payload, { headers: up.headers });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ tipo: 'imagen', mime: 'image/jpeg', ancho: 1600, alto: 1067 });
      const img = await anon.get(`${M}/proposals/${id}/files/${r.json().id}`);
      const meta = await sharp(img.rawPayload).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 1600 });
      expect(meta.exif).toBeUndefined();
      const thumb = await sharp((await anon.get(`${M}/proposals/${id}/files/${r.json().id}?miniatura=true`)).rawPayload).metadata();
      expect([thumb.width, thumb.height]).toEqual([400, 400]);
      const fake = multipart({ name: 'foto.jpg', bytes: 'no soy una imagen', type: 'image/jpeg' });
      const bad = await citizen.request('POST', `${M}/proposals/${id}/files`, fake.payload, { headers: fake.headers });
      expect(bad.statusCode).toBe(415);
      const other = await resident();
      expect((await other.request('POST', `${M}/proposals/${id}/files`, up.payload, { headers: up.headers })).statusCode).toBe(403);
    });
  });

  describe('resident verification', () => {
    it('verifies by an SMS code from the outbox, one phone per account', async () => {
      const r = await resident({ verified: false });
      const start = await r.post(`${M}/residency/sms`, { telefono: '+52 492 555 0101' });
      expect(start.json()).toEqual({ telefonoFinal: '0101', vigenciaMinutos: 15 });
      const sms = await db().selectFrom('sms_outbox').select(['to_number', 'body']).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(sms.to_number).toBe('4925550101');
      const code = /código de verificación es (\d{6})/.exec(sms.body)![1];
      const wrong = await r.post(`${M}/residency/sms/confirm`, { codigo: code === '000000' ? '111111' : '000000' });
      expect(wrong.json()).toMatchObject({ verificado: false });
      expect((await r.post(`${M}/residency/sms/confirm`, { codigo: code })).json()).toMatchObject({ verificado: true });
      expect((await r.get(`${M}/residency`)).json()).toMatchObject({ verificado: true, metodo: 'sms', telefonoFinal: '0101' });
      // The code body never reaches the audit log, and the phone is stored only as a hash.
      // (A random 6-digit code could occur by chance in some other row's timestamp or hash: look at these entities.)
      const leaked = await sql<{ n: number }>`select count(*)::int as n from audit_log
        where (entity in ('sms_outbox', 'verification_codes', 'resident_verifications') and after::text like ${`%${code}%`}) or after::text like '%4925550101%'`.execute(
        db(),
      );
      expect(leaked.rows[0].n).toBe(0);
      const outboxAudit = await sql<{
        after: Record<string, unknown>;
      }>`select after from audit_log where entity = 'sms_outbox' order by id desc limit 1`.execute(db());
      expect(Object.keys(outboxAudit.rows[0].after).sort()).toEqual(['created_at', 'id', 'municipality_id', 'sent_at']);
      const second = await resident({ verified: false });
      expect((await second.post(`${M}/residency/sms`, { telefono: '4925550101' })).statusCode).toBe(409);
      expect((await second.post(`${M}/residency/sms`, { telefono: '12345' })).json().message).toMatch(/10 dígitos/);
    });

    it('verifies in person with a valid CURP and refuses the same CURP for another account', async () => {
      await createUser(t.database, `curp1-${kind}@prueba.mx`, [['32056', 'citizen']]);
      await createUser(t.database, `curp2-${kind}@prueba.mx`, [['32056', 'citizen']]);
      const c = curp('ROHA900215HZSDRL0');
      expect(
        (await enlace.post(`${M}/residency/in-person`, { email: `curp1-${kind}@prueba.mx`, curp: 'ROHA900215HZSDRL00' })).statusCode,
      ).toBe(400);
      expect((await citizen.post(`${M}/residency/in-person`, { email: `curp1-${kind}@prueba.mx`, curp: c })).statusCode).toBe(403);
      expect((await enlace.post(`${M}/residency/in-person`, { email: `curp1-${kind}@prueba.mx`, curp: c })).statusCode).toBe(200);
      const dup = await enlace.post(`${M}/residency/in-person`, { email: `curp2-${kind}@prueba.mx`, curp: c });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().message).toMatch(/una persona, una cuenta/);
    });
  });

  describe('consultations', () => {
    it('takes one response per person, validates answers and exports results for the council', async () => {
      const c = await planner.post(`${M}/consultations`, {
        titulo: 'Horario de la biblioteca',
        preguntas: [
          { tipo: 'unica', texto: '¿Qué horario prefiere?', opciones: ['Mañana', 'Tarde'] },
          { tipo: 'multiple', texto: '¿Qué servicios usa?', opciones: ['Préstamo', 'Internet', 'Talleres'] },
          { tipo: 'abierta', texto: 'Comentarios', obligatoria: false },
        ],
      });
      expect(c.statusCode, c.body).toBe(201);
      const id = c.json().id;
      expect((await anon.get(`${M}/consultations/${id}`)).statusCode).toBe(404);
      await planner.post(`${M}/consultations/${id}/state`, { estado: 'abierta' });
      const q = (await anon.get(`${M}/consultations/${id}`)).json().preguntas;
      const answer = (a: number, ms: number[], texto?: string) => ({
        respuestas: [
          { preguntaId: q[0].id, opciones: [a] },
          { preguntaId: q[1].id, opciones: ms },
          ...(texto ? [{ preguntaId: q[2].id, texto }] : []),
        ],
      });
      const r1 = await resident();
      expect(
        (
          await r1.post(`${M}/consultations/${id}/responses`, {
            respuestas: [
              { preguntaId: q[0].id, opciones: [0, 1] },
              { preguntaId: q[1].id, opciones: [0] },
            ],
          })
        ).json().message,
      ).toMatch(/elija una sola opción/);
      expect(
        (await r1.post(`${M}/consultations/${id}/responses`, { respuestas: [{ preguntaId: q[1].id, opciones: [0] }] })).json().message,
      ).toMatch(/Responda la pregunta «¿Qué horario prefiere\?»/);
      expect((await r1.post(`${M}/consultations/${id}/responses`, answer(1, [0, 2], 'Abrir sábados'))).statusCode).toBe(201);
      expect((await r1.post(`${M}/consultations/${id}/responses`, answer(0, [1]))).statusCode).toBe(409);
      expect((await citizen.post(`${M}/consultations/${id}/responses`, answer(1, [2]))).statusCode).toBe(201);
      const res = (await anon.get(`${M}/consultations/${id}/results`)).json();
      expect(res.participantes).toBe(2);
      expect(res.preguntas[0].opciones).toEqual([
        { opcion: 'Mañana', votos: 0 },
        { opcion: 'Tarde', votos: 2 },
      ]);
      expect(res.preguntas[1].opciones.map((o: { votos: number }) => o.votos)).toEqual([1, 0, 2]);
      expect(res.preguntas[2].abiertas).toEqual(['Abrir sábados']);
      const csv = (await anon.get(`${M}/consultations/${id}/results?formato=csv`)).body;
      expect(csv).toContain('¿Qué horario prefiere?,unica,Tarde,2,100');
      await planner.post(`${M}/consultations/${id}/state`, { estado: 'cerrada' });
      expect((await (await resident()).post(`${M}/consultations/${id}/responses`, answer(0, [1]))).json().message).toMatch(
        /no está abierta/,
      );
    });
  });

  describe('citizen reports and Open311 GeoReport v2', () => {
    it('lets an Open311 client post a request and read it back in JSON and XML, and follows its status', async () => {
      const key = (await admin.post(`${M}/open311/clients`, { nombre: 'App Mi Ciudad' })).json().apiKey as string;
      expect(key).toMatch(/^o311_/);
      const form = (o: Record<string, string | number>) =>
        new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();
      const post = (o: Record<string, string | number>, format = 'json') =>
        t.app.inject({
          method: 'POST',
          url: `/open311/v2/requests.${format}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: form(o),
        });
      const base = {
        jurisdiction_id: '32056',
        service_code: 'bache',
        lat: centro.y,
        long: centro.x,
        description: 'Bache frente a catedral',
        address_string: 'Av. Hidalgo 100',
        email: 'app-user@example.mx',
        first_name: 'Juan',
        last_name: 'Pérez',
      };

      const bad = await post({ ...base, api_key: 'o311_falsa' });
      expect(bad.statusCode).toBe(403);
      expect(bad.json()).toEqual([{ code: 403, description: expect.stringMatching(/api_key/) }]);
      const badXml = await post({ ...base, api_key: 'o311_falsa' }, 'xml');
      expect(new DOMParser().parseFromString(badXml.body, 'text/xml').getElementsByTagName('code')[0].textContent).toBe('403');
      expect((await post({ ...base, api_key: key, service_code: 'nada' })).statusCode).toBe(400);

      const created = await post({ ...base, api_key: key });
      expect(created.statusCode, created.body).toBe(201);
      const [{ service_request_id: id, service_notice }] = created.json();
      expect(id).toMatch(/^\d+$/);
      expect(service_notice).toBeTruthy();

      const one = await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json?jurisdiction_id=32056` });
      const [r] = one.json();
      expect(Object.keys(r).sort()).toEqual(
        [
          'address',
          'address_id',
          'agency_responsible',
          'description',
          'expected_datetime',
          'lat',
          'long',
          'media_url',
          'requested_datetime',
          'service_code',
          'service_name',
          'service_notice',
          'service_request_id',
          'status',
          'status_notes',
          'updated_datetime',
          'zipcode',
        ].sort(),
      );
      expect(r).toMatchObject({
        service_request_id: id,
        status: 'open',
        service_code: 'bache',
        service_name: 'Bache en la calle',
        description: 'Bache frente a catedral',
        agency_responsible: 'Secretaría de Obras Públicas',
        address: 'Av. Hidalgo 100',
      });
      expect(r.lat).toBeCloseTo(centro.y, 5);
      expect(r.long).toBeCloseTo(centro.x, 5);
      expect(r.requested_datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      // The reporter's contact is never published.
      expect(one.body).not.toContain('app-user@example.mx');

      const xml = await t.app.inject({ method: 'GET', url: `/open311/v2/requests.xml?jurisdiction_id=32056&service_request_id=${id}` });
      expect(xml.headers['content-type']).toMatch(/text\/xml/);
      const doc = new DOMParser().parseFromString(xml.body, 'text/xml');
      expect(doc.documentElement?.tagName).toBe('service_requests');
      const req = doc.getElementsByTagName('request')[0];
      const field = (n: string) => req.getElementsByTagName(n)[0]?.textContent;
      expect([field('service_request_id'), field('status'), field('service_code'), field('agency_responsible')]).toEqual([
        id,
        'open',
        'bache',
        'Secretaría de Obras Públicas',
      ]);
      const services = new DOMParser().parseFromString(
        (await t.app.inject({ method: 'GET', url: '/open311/v2/services.xml?jurisdiction_id=32056' })).body,
        'text/xml',
      );
      expect(services.getElementsByTagName('service_code').length).toBe(10);
      expect((await t.app.inject({ method: 'GET', url: '/open311/v2/services.json?jurisdiction_id=32056' })).json()[0]).toEqual({
        service_code: expect.any(String),
        service_name: expect.any(String),
        description: expect.any(String),
        metadata: false,
        type: 'realtime',
        keywords: expect.any(String),
        group: expect.any(String),
      });
      // Single resources in XML too; errors, unknown formats and resources always in GeoReport's shape.
      const oneXml = await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.xml?jurisdiction_id=32056` });
      expect(oneXml.headers['content-type']).toMatch(/text\/xml/);
      expect(new DOMParser().parseFromString(oneXml.body, 'text/xml').getElementsByTagName('service_request_id')[0].textContent).toBe(id);
      const def = new DOMParser().parseFromString(
        (await t.app.inject({ method: 'GET', url: '/open311/v2/services/bache.xml?jurisdiction_id=32056' })).body,
        'text/xml',
      );
      expect(def.documentElement?.tagName).toBe('service_definition');
      expect(def.getElementsByTagName('service_code')[0].textContent).toBe('bache');
      const missingXml = await t.app.inject({ method: 'GET', url: '/open311/v2/requests/999999.xml?jurisdiction_id=32056' });
      expect(missingXml.statusCode).toBe(404);
      expect(new DOMParser().parseFromString(missingXml.body, 'text/xml').getElementsByTagName('code')[0].textContent).toBe('404');
      for (const url of ['/open311/v2/services.csv?jurisdiction_id=32056', '/open311/v2/requests/1.html']) {
        const r = await t.app.inject({ method: 'GET', url });
        expect([r.statusCode, r.json()]).toEqual([400, [{ code: 400, description: expect.stringMatching(/\.json o \.xml/) }]]);
      }
      expect((await t.app.inject({ method: 'GET', url: '/open311/v2/tokens.json' })).json()).toEqual([
        { code: 404, description: expect.stringMatching(/desconocido/) },
      ]);

      // Without lat/long, address_string or address_id place the report in the colonia they name.
      const { lat: _lat, long: _long, ...noPoint } = base;
      const byName = await post({ ...noPoint, api_key: key, address_string: 'Calle Juárez 12, col. centro historico, Zacatecas' });
      expect(byName.statusCode, byName.body).toBe(201);
      expect(byName.json()[0].service_notice).toMatch(/aproximada en la colonia Centro Histórico/);
      const placed = (await citizen.get(`${M}/citizen-reports/${byName.json()[0].service_request_id}`)).json();
      expect(placed.colonia).toBe('Centro Histórico');
      const colonia = await db()
        .selectFrom('territorial_units')
        .select(['cvegeo', 'name'])
        .where('municipality_id', '=', '32056')
        .where('level', '=', 'colonia')
        .where('name', '<>', 'Centro Histórico')
        .executeTakeFirstOrThrow();
      const byId = await post({ ...noPoint, api_key: key, address_string: '', address_id: colonia.cvegeo }, 'xml');
      expect(byId.statusCode, byId.body).toBe(201);
      const byIdReport = (
        await citizen.get(
          `${M}/citizen-reports/${new DOMParser().parseFromString(byId.body, 'text/xml').getElementsByTagName('service_request_id')[0].textContent}`,
        )
      ).json();
      expect(byIdReport.colonia).toBe(colonia.name);
      const nowhere = await post({ ...noPoint, api_key: key, address_string: 'Calle Inexistente 1' });
      expect([nowhere.statusCode, nowhere.json()[0].description]).toEqual([400, expect.stringMatching(/No se reconoce la dirección/)]);
      expect((await post({ ...noPoint, api_key: key, address_string: '' })).json()[0].description).toMatch(
        /lat y long, address_string o address_id/,
      );

      // Staff of the responsible department close it with notes; the app and the reporter see them.
      expect((await enlace.patch(`${M}/citizen-reports/${id}`, { estado: 'closed' })).json().message).toMatch(/nota de atención/);
      const outboxBefore = (await countRows(t.database, 'outbox')).outbox;
      expect((await enlace.patch(`${M}/citizen-reports/${id}`, { estado: 'closed', nota: 'Bache bacheado' })).statusCode).toBe(200);
      const closed = (await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json?jurisdiction_id=32056` })).json()[0];
      expect(closed).toMatchObject({ status: 'closed', status_notes: 'Bache bacheado' });
      expect(
        (await t.app.inject({ method: 'GET', url: `/open311/v2/requests.json?jurisdiction_id=32056&status=closed&service_code=bache` }))
          .json()
          .some((x: { service_request_id: string }) => x.service_request_id === id),
      ).toBe(true);
      const mail = await db()
        .selectFrom('outbox')
        .select(['to_address', 'subject'])
        .where('id', '>', 0)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(mail).toEqual({ to_address: 'app-user@example.mx', subject: `Reporte ${id}: atendido` });
      expect((await countRows(t.database, 'outbox')).outbox).toBe(outboxBefore + 1);
    });

    it('suggests nearby open reports, takes the web form with a proof of work and routes it to the department', async () => {
      const near = (await anon.get(`${M}/citizen-reports/nearby?lon=${centro.x}&lat=${centro.y + 0.0005}&service=alumbrado`)).json();
      const r = await withProof(citizen, 'POST', `${M}/citizen-reports`, {
        service: 'alumbrado',
        descripcion: 'Luminaria apagada',
        lon: centro.x,
        lat: centro.y,
      });
      expect(r.statusCode, r.body).toBe(201);
      const after = (await anon.get(`${M}/citizen-reports/nearby?lon=${centro.x}&lat=${centro.y + 0.0005}&service=alumbrado`)).json();
      expect(after.length).toBe(near.length + 1);
      expect(after.find((x: { id: number }) => x.id === r.json().id).distanciaM).toBeGreaterThan(40);
      const page = (await citizen.get(`${M}/citizen-reports/${r.json().id}`)).json();
      expect(page).toMatchObject({
        dependencia: 'Secretaría de Obras Públicas',
        colonia: 'Centro Histórico',
        seguido: true,
        mio: true,
      });
      // An enlace of another department cannot touch it; the planner can.
      const other = await db().selectFrom('role_grants').select('id').execute();
      expect(other.length).toBeGreaterThan(0);
      const svc = (await anon.get(`${M}/report-services`)).json().find((s: { code: string }) => s.code === 'semaforo');
      const s2 = await withProof(citizen, 'POST', `${M}/citizen-reports`, {
        service: 'semaforo',
        descripcion: 'Semáforo apagado',
        lon: centro.x,
        lat: centro.y,
      });
      expect(svc.dependencia).toBe('Seguridad Pública');
      expect((await enlace.patch(`${M}/citizen-reports/${s2.json().id}`, { nota: 'Visto' })).statusCode).toBe(403);
      expect((await planner.patch(`${M}/citizen-reports/${s2.json().id}`, { nota: 'Se avisó a Tránsito' })).statusCode).toBe(200);
      expect((await citizen.get('/api/v1/me/notifications')).json().items[0]).toMatchObject({
        titulo: `Reporte ${s2.json().id}: actualizado`,
        cuerpo: 'Se avisó a Tránsito',
      });
    });
  });
});
