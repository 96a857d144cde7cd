import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, hasWebBuild, loginAs, withServerAndBrowser } from './harness.ts';

describe.skipIf(!hasChromium || !hasWebBuild)('citizen participation in a real browser', () => {
  const env = withServerAndBrowser({ beforeAll, afterAll });

  it("a citizen proposes with a map point, a neighbour supports it, a planner marks it viable and links it to a POA action, and the page shows that action's progress", async () => {
    // 1. The citizen writes a proposal and marks its place on the map.
    const ctxA = await env.browser.newContext();
    const author = await ctxA.newPage();
    await loginAs(author, env.server, 'ciudadana@demo.brujula.mx');
    await author.goto(`${env.server.url}/m/32056/propuestas/nueva`);
    const titulo = `Bancas y sombra en la Alameda Trinidad García (${Date.now()})`;
    await author.getByLabel('Título').fill(titulo);
    await author.getByTestId('rich-text').click();
    await author.keyboard.type(
      'Proponemos bancas, árboles y bebederos en la Alameda para las personas mayores que caminan por las mañanas.',
    );
    await author.getByLabel('Tema').selectOption('ordenamiento-territorial');
    const map = author.getByTestId('pick-map');
    await map.locator('canvas').waitFor();
    await map.click();
    await author.getByText(/^22\.\d{5}, -102\.\d{5}$/).waitFor();
    await author.getByRole('button', { name: 'Publicar propuesta' }).click();
    await author.waitForURL(/\/m\/32056\/propuestas\/\d+$/, { timeout: 30_000 });
    const url = author.url();
    const id = Number(url.split('/').pop());
    await author.getByRole('heading', { level: 1, name: titulo }).waitFor();
    const stored = await (await author.request.get(`${env.server.url}/api/v1/municipalities/32056/proposals/${id}`)).json();
    expect(stored.ubicacion.coordinates[0]).toBeCloseTo(-102.58, 1);
    expect(stored.ubicacion.coordinates[1]).toBeCloseTo(22.77, 1);
    expect(stored.estado).toBe('recibida');

    // 2. A verified neighbour supports it.
    const ctxB = await env.browser.newContext();
    const neighbour = await ctxB.newPage();
    await loginAs(neighbour, env.server, 'vecino01@demo.brujula.mx');
    await neighbour.goto(url);
    await neighbour.getByRole('button', { name: 'Apoyar' }).click();
    await neighbour.getByText('¡Gracias por su apoyo!').waitFor();
    await expect.poll(() => neighbour.getByTestId('apoyos').textContent()).toBe('1');
    await expect(neighbour.getByRole('button', { name: 'Ya la apoya' }).isDisabled()).resolves.toBe(true);

    // 3. The planner marks it viable, links a POA action and answers publicly.
    const ctxC = await env.browser.newContext();
    const planner = await ctxC.newPage();
    await loginAs(planner, env.server, 'planeacion@demo.brujula.mx');
    await planner.goto(url);
    await planner.getByTestId('status-select').selectOption('viable');
    const select = planner.getByTestId('action-select');
    await expect.poll(() => select.locator('option').count()).toBeGreaterThan(5);
    const option = select.locator('option').nth(1);
    const label = (await option.textContent())!;
    await select.selectOption({ index: 1 });
    await planner.getByLabel('Respuesta pública').fill('Es viable: se atenderá con la obra del POA vinculada.');
    await planner.getByRole('button', { name: 'Guardar estado y respuesta' }).click();
    await planner.getByText('Guardado.').waitFor();

    // 4. Anyone sees the answer and the linked action with its progress.
    const anon = await (await env.browser.newContext()).newPage();
    await anon.goto(url);
    const linked = anon.getByTestId('linked-action');
    await linked.waitFor();
    const clave = label.split(' · ')[1].split(' — ')[0];
    await expect(linked.textContent()).resolves.toContain(clave);
    const action = await (await anon.request.get(`${env.server.url}/api/v1/municipalities/32056/proposals/${id}`)).json();
    expect(action.estado).toBe('viable');
    const pct = new Intl.NumberFormat('es-MX', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(action.accion.avanceFisico);
    await expect(linked.getByRole('meter', { name: 'Avance físico' }).textContent()).resolves.toContain(`${pct} %`);
    await anon.getByText('Es viable: se atenderá con la obra del POA vinculada.').waitFor();
    await expect(anon.locator('.badge', { hasText: 'Viable' }).first().isVisible()).resolves.toBe(true);

    // The work's page names the proposal it came from.
    await linked.getByRole('link').first().click();
    await anon.getByTestId('citizen-origins').getByRole('link', { name: titulo }).waitFor();

    // The author was notified of the change.
    await author.goto(`${env.server.url}/avisos`);
    await author.getByRole('link', { name: `«${titulo}»: Viable` }).waitFor();
    for (const c of [ctxA, ctxB, ctxC]) await c.close();
  });
});
