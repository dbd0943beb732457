// « Mes paiements » in the browser (issue 14). A demo member (Sophie WEBER, Bas-Rhin:
// Alsace-Moselle, a year of care run through the engine by `caisse demo`) opens /paiements,
// opens a payment of her care, opens « Pourquoi ce montant ? » under her GP consultation and
// reads that the régime local brings it to 90 %. The same journey runs at desktop and mobile
// widths; axe-core checks every page (the explanation open), and on the phone nothing
// overflows sideways.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  MOBILE,
  checkPage,
  clickAndWaitForLoad,
  launchBrowser,
  loginMember,
  newSession,
  pathOf,
  startServer,
  visit,
} from '../lib/harness.mjs';

const SOPHIE_NIR = '2 82 12 67 482 023 55';

let server;
let browser;

before(async () => {
  // A server of its own: on the suite's shared database another test changes Sophie's
  // password (e2e.test.mjs, « Mot de passe oublié »).
  server = await startServer({ sqlite: true, env: { CAISSE_NEW_DEVICE_CONFIRMATION: 'false' } });
  browser = await launchBrowser();
}, { timeout: 180_000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  await server?.stop();
}, { timeout: 30_000 });

/** Nothing wider than the viewport: tables become cards on phones. */
async function assertNoSidewaysScroll(page, label) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `${label}: the page is ${scroll}px wide in a ${width}px viewport`);
}

async function journey(contextOptions, label) {
  const { context, page, tracker } = await newSession(browser, server.baseUrl, contextOptions);
  try {
    await loginMember(page, tracker, { nir: SOPHIE_NIR });
    assert.equal(pathOf(page.url()), '/', 'Sophie is logged in');
    await checkPage(page, tracker, { label: `${label}: dashboard with the latest payment` });
    assert.match(await page.locator('#dernier-paiement').locator('..').innerText(), /€/);

    assert.equal(await visit(page, '/paiements'), 200);
    await checkPage(page, tracker, { label: `${label}: Mes paiements` });
    assert.match(await page.locator('h1').innerText(), /Mes paiements/);
    assert.match(await page.locator('table caption').first().innerText(), /: total \d/);
    if (label === 'mobile') await assertNoSidewaysScroll(page, `${label}: Mes paiements`);

    // Her own reimbursements: the first one holding a GP consultation.
    await page.getByLabel('Type de paiement').selectOption('soins');
    await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Filtrer' }));
    const links = await page.locator('a[href^="/paiements/"]:not([href^="/paiements/sommes-a-payer"])').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length > 0, 'payments of care are listed');
    let found = false;
    for (const href of links) {
      await clickAndWaitForLoad(page, page.locator(`a[href="${href}"]`).first());
      if (await page.getByRole('heading', { name: /Consultation de médecin généraliste \(G\)/ }).count()) {
        found = true;
        break;
      }
      await page.goBack({ waitUntil: 'load' });
    }
    assert.ok(found, 'a payment of a GP consultation');
    const line = page.locator('.payment-line', { has: page.getByRole('heading', { name: /Consultation de médecin généraliste/ }) }).first();
    const why = line.locator('details.explanation');
    assert.equal(await why.getAttribute('open'), null, 'closed until asked');
    await line.getByText('Pourquoi ce montant ?').click();
    assert.notEqual(await why.getAttribute('open'), null, 'opened by its summary, without script');
    const text = (await why.innerText()).replace(/[\u00a0\u202f]/g, ' ');
    assert.match(text, /régime local d'Alsace-Moselle : il porte la prise en charge à 90 % de la base/);
    assert.match(text, /Montant remboursé pour cet acte : 25,00 €/);
    await checkPage(page, tracker, { label: `${label}: payment detail, explanation open` });
    if (label === 'mobile') await assertNoSidewaysScroll(page, `${label}: payment detail`);
  } finally {
    await context.close();
  }
}

describe('Mes paiements', () => {
  test('Sophie reads why her GP consultation is paid at 90 % (desktop)', { timeout: 120_000 }, async () => {
    await journey({}, 'desktop');
  });

  test('the same on a phone, nothing overflowing sideways', { timeout: 120_000 }, async () => {
    await journey(MOBILE, 'mobile');
  });
});
