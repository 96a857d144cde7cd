import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, hasWebBuild, loginAs, withServerAndBrowser } from './harness.ts';

describe.skipIf(!hasChromium || !hasWebBuild)('plans and public works in a real browser', () => {
  const env = withServerAndBrowser({ beforeAll, afterAll });

  it("follows the golden thread: a work → its plan line → the line's indicator → back to the works aligned to the line", async () => {
    const page = await env.browser.newPage();
    // The public list of public works of the POA.
    await page.goto(`${env.server.url}/m/32056/poa?tipo=obra`);
    const row = page.getByTestId('actions').getByRole('link', { name: 'Ampliación de red de agua potable en col. Lomas de la Soledad' });
    await row.click();
    await expect(page.getByTestId('action-title').textContent()).resolves.toBe(
      'Ampliación de red de agua potable en col. Lomas de la Soledad',
    );
    // Its money by source, its progress photos and its place on the map.
    await expect(page.getByTestId('budget').textContent()).resolves.toMatch(/FISM‑DF[\s\S]*\$4,800,000\.00/);
    await expect(page.getByTestId('reports').getByRole('img').count()).resolves.toBeGreaterThan(0);
    await page.locator('[data-testid="works-map"][data-loaded="true"]').waitFor();
    // The metas it should move, with their indicator.
    await expect(page.getByTestId('action-metas').textContent()).resolves.toMatch(/OT-01/);

    // → the plan line it serves.
    await page
      .getByTestId('plan-lines')
      .getByRole('link', { name: /2\.1\.1\.1: Ampliar las redes de agua potable/ })
      .click();
    await expect(page.getByTestId('element-title').textContent()).resolves.toBe(
      'Ampliar las redes de agua potable en colonias periféricas',
    );
    await expect(page.getByTestId('rollup-rule').textContent()).resolves.toMatch(/presupuesto modificado/);

    // → that line's indicator (the meta of its objective).
    await page.getByTestId('inherited-metas').getByRole('link', { name: /OT-01/ }).click();
    await page.waitForURL(/\/m\/32056\/indicadores\/OT-01$/);
    await page.getByRole('heading', { level: 1, name: /Viviendas con servicios básicos/ }).waitFor();

    // ← back to the works aligned to the line, which include the one we started from.
    await page.goBack();
    const aligned = page.getByTestId('aligned-actions');
    await aligned.waitFor();
    await expect(
      aligned.getByRole('link', { name: 'Ampliación de red de agua potable en col. Lomas de la Soledad' }).count(),
    ).resolves.toBe(1);
    await expect(aligned.getByRole('link').count()).resolves.toBeGreaterThan(1);
    await page.close();
  });

  it('lets a citizen comment on a plan in public consultation, and the comment shows on the element', async () => {
    const page = await env.browser.newPage();
    await loginAs(page, env.server, 'ciudadana@demo.brujula.mx');
    await page.goto(`${env.server.url}/m/32056/planes`);
    await page.getByRole('link', { name: 'Programa Municipal de Ordenamiento Territorial de Zacatecas' }).click();
    await page.getByTestId('consulta-banner').waitFor();
    await page
      .getByTestId('plan-tree')
      .getByRole('link', { name: /F3\.1\.2 Someter el proyecto a consulta pública/ })
      .click();
    const texto = `Pido que la consulta incluya mesas en las colonias del norte (${Date.now()}).`;
    await page.getByLabel('Su comentario').fill(texto);
    await page.getByRole('button', { name: 'Enviar comentario' }).click();
    await page.getByText('Gracias, su comentario se publicó.').waitFor();
    await page.getByTestId('comments').getByText(texto).waitFor();

    // Anyone sees it, without an account.
    const anon = await env.browser.newPage();
    await anon.goto(page.url());
    await anon.getByTestId('comments').getByText(texto).waitFor();
    await anon.close();
    await page.close();
  });

  it('lets a planner build a draft plan in the browser: ejes, objetivos, a meta tied to an indicator, then open the consultation', async () => {
    const page = await env.browser.newPage();
    page.on('dialog', (d) => void d.accept());
    await loginAs(page, env.server, 'planeacion@demo.brujula.mx');
    await page.goto(`${env.server.url}/m/32056/planes`);
    await page.getByText('Nuevo plan').click();
    await page.getByLabel('Tipo de plan').selectOption('sectorial');
    await page.getByLabel('Título').fill('Programa sectorial de movilidad (prueba)');
    await page.getByLabel('Año de inicio').fill('2026');
    await page.getByLabel('Año de término').fill('2030');
    await page.getByRole('button', { name: 'Crear plan en borrador' }).click();
    await page.getByRole('heading', { level: 1, name: 'Programa sectorial de movilidad (prueba)' }).waitFor();
    await expect(page.getByTestId('lifecycle').locator('[aria-current="step"]').textContent()).resolves.toMatch(/Borrador/);

    // An eje and, under it, an objetivo.
    const top = page.locator('form.add-element').last();
    await top.getByLabel('Código').fill('1');
    await top.getByLabel('Texto').fill('Movilidad segura y sustentable');
    await top.getByRole('button', { name: 'Agregar Eje' }).click();
    const eje = page.getByTestId('plan-tree').locator('li[data-codigo="1"]');
    await eje.waitFor();
    await eje.getByRole('button', { name: 'Agregar Objetivo' }).click();
    const child = eje.locator('form.add-element');
    await child.getByLabel('Código').fill('1.1');
    await child.getByLabel('Texto').fill('Reducir las víctimas de hechos de tránsito');
    await child.getByRole('button', { name: 'Agregar Objetivo' }).click();
    const obj = page.getByTestId('plan-tree').locator('li[data-codigo="1.1"]');
    await obj.waitFor();

    // The objetivo gets a meta tied to the SMI indicator MOV-01 with yearly targets.
    await obj.getByRole('link', { name: /1\.1 Reducir/ }).click();
    await page.getByRole('heading', { name: 'Edición del elemento (planeación)' }).waitFor();
    await page.getByLabel('Meta', { exact: true }).fill('Bajar las víctimas de tránsito por cada 10 mil habitantes');
    await page.getByLabel('Indicador').selectOption({ label: 'MOV-01 — Víctimas de hechos de tránsito por cada 10 mil habitantes' });
    await page.getByLabel('Meta por año').fill('2027=12; 2030=10');
    await page.getByRole('button', { name: 'Agregar meta' }).click();
    await page.getByText('Meta agregada.').waitFor();
    await expect(page.getByTestId('metas').textContent()).resolves.toMatch(/MOV-01[\s\S]*2027: 12\.00 · 2030: 10\.00/);

    // Back to the plan: a second eje, and the objetivo moves under it with the edit form.
    await page.getByRole('link', { name: 'Programa sectorial de movilidad (prueba)' }).click();
    const top2 = page.locator('form.add-element').last();
    await top2.getByLabel('Código').fill('2');
    await top2.getByLabel('Texto').fill('Transporte público');
    await top2.getByRole('button', { name: 'Agregar Eje' }).click();
    await page.getByTestId('plan-tree').locator('li[data-codigo="2"]').waitFor();
    const o11 = page.getByTestId('plan-tree').locator('li[data-codigo="1.1"]');
    await o11.getByRole('button', { name: 'Editar' }).click();
    await o11.getByLabel('Depende de').selectOption({ label: '2 Transporte público' });
    await o11.getByRole('button', { name: 'Guardar' }).click();
    await expect
      .poll(async () =>
        page
          .getByTestId('plan-tree')
          .locator('li')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-codigo'))),
      )
      .toEqual(['1', '2', '1.1']);

    // Open the public consultation.
    await page.getByRole('button', { name: 'Abrir consulta pública' }).click();
    await page.getByTestId('consulta-banner').waitFor();
    // Only the council validates: the planner is not offered that step.
    await expect(page.getByRole('button', { name: 'Validar (Consejo Ciudadano)' }).count()).resolves.toBe(0);
    await page.close();
  });

  it("lets an enlace report progress with a photo, and a planner publish it on the work's public page", async () => {
    const enlace = await env.browser.newPage();
    await loginAs(enlace, env.server, 'enlace.obras@demo.brujula.mx');
    await enlace.goto(`${env.server.url}/m/32056/poa?tipo=obra`);
    await enlace.getByTestId('actions').getByRole('link', { name: 'Pavimentación de calles en col. Felipe Ángeles' }).click();
    await enlace.getByText('Reportar avance').click();
    await enlace.getByLabel('Periodo (2026-T4 o 2026-11)').fill('2026-11');
    await enlace.getByLabel('Avance físico (%)').fill('97');
    await enlace.getByLabel('Descripción del avance').fill('Carpeta de concreto terminada; faltan señalamientos.');
    await enlace.getByRole('button', { name: 'Enviar para revisión' }).click();
    const item = enlace.getByTestId('reports').locator('li').filter({ hasText: '2026-11' });
    await item.waitFor();
    await expect(item.textContent()).resolves.toMatch(/Por revisar/);
    // A photo (a real PNG) as evidence.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    await item.getByLabel('Evidencia (foto o PDF)').setInputFiles({ name: 'calle_terminada.png', mimeType: 'image/png', buffer: png });
    await item.getByRole('button', { name: 'Adjuntar' }).click();
    await item.getByRole('img', { name: /calle_terminada\.jpg/ }).waitFor();
    const url = enlace.url();
    await enlace.close();

    // Not public yet.
    const anon = await env.browser.newPage();
    await anon.goto(url);
    await anon.getByTestId('reports').waitFor();
    await expect(anon.getByTestId('reports').textContent()).resolves.not.toMatch(/2026-11/);

    const planner = await env.browser.newPage();
    await loginAs(planner, env.server, 'planeacion@demo.brujula.mx');
    await planner.goto(`${env.server.url}/m/32056/poa/reportes`);
    await planner.getByTestId('queue').getByRole('link', { name: 'Pavimentación de calles en col. Felipe Ángeles' }).first().click();
    const pending = planner.getByTestId('reports').locator('li').filter({ hasText: '2026-11' });
    await pending.getByRole('button', { name: 'Publicar' }).click();
    await pending.getByText('Publicado').waitFor();
    await planner.close();

    await anon.reload();
    await anon.getByTestId('reports').getByText('2026-11: 97.0 %').waitFor();
    await anon
      .getByTestId('reports')
      .getByRole('img', { name: /calle_terminada\.jpg/ })
      .waitFor();
    await anon.close();
  });

  it('lets a planner create a published action with budget, alignment and a place, shown on its plan line', async () => {
    const page = await env.browser.newPage();
    await loginAs(page, env.server, 'planeacion@demo.brujula.mx');
    await page.goto(`${env.server.url}/m/32056/poa`);
    await page.getByRole('link', { name: 'Nueva acción u obra' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nueva acción u obra' }).waitFor();
    await page
      .locator('select[name=programId]')
      .selectOption({ label: '2026 · E-INFRA — Infraestructura urbana y servicios básicos (Secretaría de Obras Públicas)' });
    await page.getByLabel('Clave').fill('AC-2026-PRUEBA');
    await page.getByLabel('Nombre').fill('Reparación de fugas en la red de agua de la col. Centro');
    const money = page.locator('fieldset').filter({ hasText: 'Dinero por fuente' });
    await money
      .getByLabel('Fuente')
      .selectOption({ label: 'Ramo 33 — Fondo de Aportaciones para la Infraestructura Social Municipal (FISM‑DF)' });
    await money.getByLabel('Aprobado').fill('850000');
    const thread = page.locator('fieldset').filter({ hasText: 'Líneas del plan' });
    await thread.getByLabel('Plan').selectOption({ label: 'Plan Municipal de Desarrollo Zacatecas 2024–2027' });
    const line = await thread
      .getByLabel('Línea del plan')
      .locator('option', { hasText: '2.1.1.1 Ampliar las redes' })
      .getAttribute('value');
    await thread.getByLabel('Línea del plan').selectOption(line!);
    // A click on the map places the action.
    const map = page.getByTestId('pick-map');
    await map.locator('canvas').waitFor();
    await map.click({ position: { x: 200, y: 140 } });
    await expect.poll(async () => Number(await page.getByLabel('Longitud').inputValue())).toBeLessThan(-102);
    expect(Number(await page.getByLabel('Latitud').inputValue())).toBeGreaterThan(22);
    await page.getByLabel('Publicada (visible para todas las personas)').check();
    await page.getByRole('button', { name: 'Guardar' }).click();
    await expect(page.getByTestId('action-title').textContent()).resolves.toBe('Reparación de fugas en la red de agua de la col. Centro');
    await expect(page.getByTestId('budget').textContent()).resolves.toMatch(/\$850,000\.00/);
    await page.locator('[data-testid="works-map"][data-loaded="true"]').waitFor();
    await page
      .getByTestId('plan-lines')
      .getByRole('link', { name: /2\.1\.1\.1/ })
      .click();
    await page
      .getByTestId('aligned-actions')
      .getByRole('link', { name: 'Reparación de fugas en la red de agua de la col. Centro' })
      .waitFor();
    await page.close();
  });
});
