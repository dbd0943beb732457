// « Sommes à payer » in the browser: Kévin HOARAU (La Réunion), whose ALD care is all in tiers
// payant so that his franchises stay owed, opens one of his debts, pays it by card through the
// local payment provider (`caisse dev payment-emulator`: « Payer », then the signed return) and
// sees it settled. Then, on a phone-sized screen, the list and another debt read without
// sideways scrolling. axe-core runs on every page visited.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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
import { paymentEnv, startEmulator } from '../lib/payment_emulator.mjs';

const HOARAU = Object.freeze({ nir: '1 90 03 974 11 056 80', password: 'Caisse-Demo-2026' });

let server;
let emulator;
let browser;

const skip = process.env.E2E_BASE_URL ? 'E2E_BASE_URL: the server must be started with the payment settings' : false;

before(async () => {
  if (skip) return;
  emulator = await startEmulator();
  server = await startServer({
    env: { ...paymentEnv(emulator.url), CAISSE_NEW_DEVICE_CONFIRMATION: 'false' },
  });
  browser = await launchBrowser();
}, { timeout: 180_000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  await server?.stop();
  emulator?.child.kill('SIGTERM');
}, { timeout: 30_000 });

/** The links of the debts still to pay on the list page. */
async function openDebts(page) {
  return page.locator('.card', { hasText: 'À régler' }).locator('a.card__link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
}

test('a member pays a tiers payant debt by card and sees it settled', { skip, timeout: 120_000 }, async () => {
  const { context, page, tracker } = await newSession(browser, server.baseUrl);
  try {
    await loginMember(page, tracker, { nir: HOARAU.nir, password: HOARAU.password });
    assert.equal(await visit(page, '/paiements/sommes-a-payer'), 200);
    await checkPage(page, tracker, { label: 'sommes à payer' });
    const debts = await openDebts(page);
    assert.ok(debts.length >= 2, `open debts of the demo member: ${debts}`);

    await clickAndWaitForLoad(page, page.locator(`a[href="${debts[0]}"]`));
    await checkPage(page, tracker, { label: 'une somme à payer' });
    const body = await page.locator('main').innerText();
    assert.match(body, /tiers payant/);
    assert.match(body, /Participation forfaitaire|Franchise/);
    assert.match(body, /RF\d\d( [0-9A-Z]{4}){4}/);
    assert.match(body, /FR76 1751 5900 0008 7654 3210 957/);

    const pay = page.getByRole('button', { name: /^Payer .* par carte$/ });
    await clickAndWaitForLoad(page, pay);
    assert.equal(new URL(page.url()).origin, new URL(emulator.url).origin);
    await checkPage(page, tracker, { label: 'émulateur de paiement' });
    await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Payer', exact: true }));

    const landed = new URL(page.url());
    assert.equal(`${pathOf(page.url())}${landed.search}`, `${debts[0]}?paiement=accepte`);
    await checkPage(page, tracker, { label: 'paiement accepté' });
    const settled = await page.locator('main').innerText();
    assert.match(settled, /Paiement accepté/);
    assert.match(settled, /Réglée/);
    assert.match(settled, /Paiement par carte/);
    assert.equal(await page.getByRole('button', { name: /par carte$/ }).count(), 0);
  } finally {
    await context.close();
  }
});

test('the debts read on a phone without sideways scrolling', { skip, timeout: 120_000 }, async () => {
  const { context, page, tracker } = await newSession(browser, server.baseUrl, MOBILE);
  try {
    await loginMember(page, tracker, { nir: HOARAU.nir, password: HOARAU.password });
    assert.equal(await visit(page, '/paiements/sommes-a-payer'), 200);
    await checkPage(page, tracker, { label: 'sommes à payer (mobile)' });
    const debts = await openDebts(page);
    assert.ok(debts.length >= 1);
    assert.equal(await visit(page, debts[0]), 200);
    await checkPage(page, tracker, { label: 'une somme à payer (mobile)' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  } finally {
    await context.close();
  }
});
