import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, hasWebBuild, loginAs, withServerAndBrowser } from './harness.ts';

describe.skipIf(!hasChromium || !hasWebBuild)('Consejo Ciudadano in a real browser', () => {
  const env = withServerAndBrowser({ beforeAll, afterAll });

  it('a council member opens a session, records an opinion on a plan, the chair closes it, and the plan page shows the resolution', async () => {
    const api = `${env.server.url}/api/v1/municipalities/32056`;
    const sessions = (await (await fetch(`${api}/council/sessions`)).json()) as { id: number; estado: string }[];
    const convened = sessions.find((s) => s.estado === 'convocada')!;
    const url = `${env.server.url}/m/32056/consejo/sesiones/${convened.id}`;

    // The technical secretariat records who came: eight of fifteen, enough for quorum.
    const ctxP = await env.browser.newContext();
    const secretariat = await ctxP.newPage();
    await loginAs(secretariat, env.server, 'planeacion@demo.brujula.mx');
    await secretariat.goto(url);
    const boxes = secretariat.getByRole('checkbox');
    await expect.poll(() => boxes.count()).toBe(15);
    for (let i = 0; i < 8; i++) {
      await boxes.nth(i).click();
      await expect.poll(() => boxes.nth(i).isChecked()).toBe(true);
    }
    await secretariat.getByText('Presentes 8 de 15; quórum: 8.').waitFor();

    // The chair (a council member) opens the session and gives an opinion on the PMOT.
    const ctxC = await env.browser.newContext();
    const chair = await ctxC.newPage();
    chair.on('dialog', (d) => void d.accept());
    await loginAs(chair, env.server, 'consejo@demo.brujula.mx');
    await chair.goto(url);
    await chair.getByRole('button', { name: 'Abrir la sesión' }).click();
    await chair.getByText('Sesión abierta.').waitFor();
    const item = chair.getByTestId('item-1');
    await item.getByLabel('Mi opinión').selectOption('con_observaciones');
    await item.getByLabel('Mi voto').selectOption('a_favor');
    await item.getByLabel('Observaciones o razones').fill('Precisar la zonificación de las zonas de riesgo por inundación.');
    await item.getByRole('button', { name: 'Registrar opinión y voto' }).click();
    await chair.getByText('Opinión y voto registrados.').waitFor();
    await item.locator('.thread').getByText('Precisar la zonificación de las zonas de riesgo por inundación.').waitFor();

    // The chair closes: the vote is counted and the acta generated.
    await chair.getByRole('button', { name: 'Cerrar la sesión' }).click();
    await chair.getByText('Sesión cerrada: resoluciones contadas y acta generada.').waitFor();
    await expect.poll(() => chair.getByTestId('session-state').textContent()).toBe('Cerrada');
    await item.getByText('Favorable con observaciones').waitFor();
    await chair.getByRole('link', { name: 'Acta (PDF)' }).waitFor();

    // Anyone opening the plan sees the council's resolution.
    const anon = await (await env.browser.newContext()).newPage();
    await anon.goto(`${env.server.url}/m/32056/planes`);
    await anon.getByRole('link', { name: 'Programa Municipal de Ordenamiento Territorial de Zacatecas' }).click();
    const res = anon.getByTestId('council-resolutions');
    await res.waitFor();
    await expect(res.textContent()).resolves.toMatch(/Favorable con observaciones.*A favor 1, en contra 0, abstenciones 0/);
    await ctxP.close();
    await ctxC.close();
  });
});
