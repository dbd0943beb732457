// « Mes paiements » in the browser (issue 14). A demo member (Sophie WEBER, Bas-Rhin:
// Alsace-Moselle, a year of care run through the engine by `caisse demo`) opens /paiements,
// opens a payment of her care, opens « Pourquoi ce montant ? » under her GP consultation and
// reads that the régime local brings it to 90 %; she downloads the statement of that month, in
// which `pdftotext` finds every line of the month's payments and the totals, and the
// attestation and relevé fiscal of her indemnités journalières (a reversed period is refused in
// French first); then she pays the
// franchises of her last pharmacy visit (tiers payant, after her last reimbursement) by card
// through the local payment provider (`caisse dev payment-emulator`) and sees the debt settled.
// The same journey runs at desktop and mobile widths (the debt is paid once, on the desktop);
// axe-core checks every page (the explanation open), and on the phone nothing overflows
// sideways.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
import { paymentEnv, startEmulator } from '../lib/payment_emulator.mjs';

const SOPHIE_NIR = '2 82 12 67 482 023 55';

let server;
let emulator;
let browser;
let tmp;

const skip = process.env.E2E_BASE_URL ? 'E2E_BASE_URL: the server must be started with the payment settings' : false;

before(async () => {
  if (skip) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'caisse-e2e-payments-'));
  emulator = await startEmulator();
  // A server of its own: on the suite's shared database another test changes Sophie's
  // password (e2e.test.mjs, « Mot de passe oublié »).
  server = await startServer({
    sqlite: true,
    env: { ...paymentEnv(emulator.url), CAISSE_NEW_DEVICE_CONFIRMATION: 'false' },
  });
  browser = await launchBrowser();
}, { timeout: 180_000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  await server?.stop();
  emulator?.child.kill('SIGTERM');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}, { timeout: 30_000 });

/** Text as the member reads it: no-break spaces plain, every run of white space one space. */
const flat = (text) => text.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

/** « 1 234,56 € » in cents. */
const cents = (text) => Number(flat(text).replace(/[^0-9,−-]/g, '').replace(',', '').replace('−', '-'));

/** « 1 234,56 € » from cents, as the pages and the PDF print it (spaces plain). */
function euros(value) {
  const abs = Math.abs(value);
  const units = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${value < 0 ? '−' : ''}${units},${String(abs % 100).padStart(2, '0')} €`;
}

/**
 * The text of a PDF as `pdftotext` reads it, flattened. Poppler 22 (Debian 12) prints
 * « Suspects object is wrong type (boolean) » for every tagged PDF: its own bug, not an error.
 */
function pdfText(file) {
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdftotext exited ${r.status}:\n${r.stderr}`);
  const noise = r.stderr.split('\n').filter((l) => l.trim() && !/Suspects object is wrong type \(boolean\)/.test(l));
  assert.deepEqual(noise, [], 'pdftotext complained');
  return flat(r.stdout);
}

/** The rows of the month whose table caption starts with `heading` on « Mes paiements ». */
async function monthRows(page, heading) {
  assert.equal(await visit(page, '/paiements'), 200);
  const table = page.locator('table', { has: page.locator('caption', { hasText: heading }) });
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    href: tr.querySelector('a').getAttribute('href'),
    payee: tr.querySelector('[data-label="Payé à"]').innerText,
    kind: tr.querySelector('[data-label="Type"]').innerText,
    amount: tr.querySelector('[data-label="Montant"]').innerText,
  })));
}

/** Every line of care of a payment's page, as the row the statement prints for it. */
async function careLines(page, href) {
  assert.equal(await visit(page, href), 200);
  return page.locator('.payment-line').evaluateAll((cards) => cards.map((card) => {
    const value = (label) => [...card.querySelectorAll('.dl-data__row')]
      .find((row) => row.querySelector('dt').innerText === label)
      .querySelector('dd').innerText;
    return {
      act: card.querySelector('h3').innerText,
      date: value('Date des soins'),
      professional: value('Professionnel'),
      // « 11,80 € (payé directement au professionnel) »: the amount only.
      charged: value('Montant payé').split(' (')[0],
      base: value('Base de remboursement'),
      rate: value('Taux'),
      reimbursed: value('Remboursé'),
      tiersPayant: value('Montant payé').includes('payé directement au professionnel'),
    };
  }));
}

/**
 * From a payment's page, downloads the statement of its month with the page's link, and checks
 * that `pdftotext` finds in it every line of every payment of the month and the totals.
 */
async function downloadStatement(page, tracker, label) {
  const link = page.getByRole('link', { name: /^Télécharger le relevé de .* \(PDF\)$/ });
  const month = (await link.innerText()).match(/relevé de (.*) \(PDF\)/)[1];
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(await download.failure(), null, 'the download completed');
  assert.match(download.suggestedFilename(), /^releve-mensuel-\d{4}-\d{2}\.pdf$/);
  const file = path.join(tmp, `${label}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
  const qpdf = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  assert.equal(qpdf.status, 0, `qpdf --check:\n${qpdf.stdout}${qpdf.stderr}`);
  const text = pdfText(file);
  assert.match(text, new RegExp(`Relevé mensuel de remboursements .* Mois ${month}`));

  const capitalized = month[0].toUpperCase() + month.slice(1);
  const rows = await monthRows(page, capitalized);
  await checkPage(page, tracker, { label: `${label}: Mes paiements, back from the statement` });
  assert.ok(rows.length > 0, `payments of ${month}`);
  let lines = 0;
  for (const row of rows) {
    for (const l of await careLines(page, row.href)) {
      const reimbursed = l.tiersPayant ? `${l.reimbursed}, payé directement au professionnel` : l.reimbursed;
      const printed = flat([l.act, l.date, l.professional, l.charged, l.base, l.rate, reimbursed].join(' '));
      assert.ok(text.includes(printed), `${label}: « ${printed} » not in the statement:\n${text}`);
      lines += 1;
    }
  }
  assert.ok(lines > 0, 'the month paid lines of care');
  const total = (keep) => rows.filter(keep).reduce((sum, r) => sum + cents(r.amount), 0);
  const toMember = total((r) => flat(r.payee) === 'Vous');
  const toProfessionals = total((r) => flat(r.kind) === 'Paiement au professionnel');
  assert.ok(text.includes(`Versé sur votre compte ${euros(toMember)}`), `${label}: to the member, ${euros(toMember)}:\n${text}`);
  assert.ok(
    text.includes(`Payé directement aux professionnels de santé ${euros(toProfessionals)}`),
    `${label}: to the professionals, ${euros(toProfessionals)}:\n${text}`,
  );
}

/** Saves the download `click` starts and returns its text (checked by qpdf). */
async function downloadText(page, click, label, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  assert.equal(await download.failure(), null, 'the download completed');
  assert.match(download.suggestedFilename(), name);
  const file = path.join(tmp, `${label}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  const qpdf = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  assert.equal(qpdf.status, 0, `qpdf --check:\n${qpdf.stdout}${qpdf.stderr}`);
  return pdfText(file);
}

/**
 * « Mes documents de paiement »: a period that ends before it starts is refused in French
 * beside its field; then the attestation of her IJ over the last year and the relevé fiscal of
 * the newest year offered download.
 */
async function ijDocuments(page, tracker, label) {
  assert.equal(await visit(page, '/paiements/documents'), 200);
  await checkPage(page, tracker, { label: `${label}: mes documents de paiement` });
  if (label === 'mobile') await assertNoSidewaysScroll(page, `${label}: mes documents de paiement`);
  const day = (d) => d.toISOString().slice(0, 10);
  const today = new Date();
  const yearAgo = new Date(today.getTime() - 365 * 86_400_000);
  await page.getByLabel('Versées à partir du').fill(day(today));
  await page.getByLabel("Jusqu'au").fill(day(yearAgo));
  await clickAndWaitForLoad(page, page.getByRole('button', { name: "Télécharger l'attestation (PDF)" }));
  await checkPage(page, tracker, { label: `${label}: période refusée` });
  assert.match(await page.locator('.error-summary').innerText(), /La date de début doit être avant la date de fin/);
  assert.equal(await page.getByLabel('Versées à partir du').getAttribute('aria-invalid'), 'true');

  await page.getByLabel('Versées à partir du').fill(day(yearAgo));
  await page.getByLabel("Jusqu'au").fill(day(today));
  const attestation = await downloadText(
    page,
    () => page.getByRole('button', { name: "Télécharger l'attestation (PDF)" }).click(),
    label,
    /^attestation-ij-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/,
  );
  assert.match(attestation, /Attestation de paiement des indemnités journalières/);
  assert.match(attestation, /versées le \d\d\/\d\d\/\d{4} sur votre compte/);
  assert.match(attestation, /Total \d+ [\d ]+,\d\d €/);

  const year = await page.getByLabel('Année des versements').inputValue();
  const fiscal = await downloadText(
    page,
    () => page.getByRole('button', { name: 'Télécharger le relevé fiscal (PDF)' }).click(),
    label,
    /^releve-fiscal-ij-\d{4}\.pdf$/,
  );
  assert.match(fiscal, new RegExp(`Montant net imposable ${year} [\\d ]+,\\d\\d €`));
}

/** Pays Sophie's open debt by card through the emulator and sees it settled. */
async function payDebtByCard(page, tracker) {
  assert.equal(await visit(page, '/paiements/sommes-a-payer'), 200);
  await checkPage(page, tracker, { label: 'desktop: sommes à payer' });
  const open = await page.locator('.card', { hasText: 'À régler' }).locator('a.card__link')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.equal(open.length, 1, `Sophie owes the franchises of her last pharmacy visit: ${open}`);
  await clickAndWaitForLoad(page, page.locator(`a[href="${open[0]}"]`));
  await checkPage(page, tracker, { label: 'desktop: la somme à payer' });
  assert.match(await page.locator('main').innerText(), /tiers payant/);

  await clickAndWaitForLoad(page, page.getByRole('button', { name: /^Payer .* par carte$/ }));
  assert.equal(new URL(page.url()).origin, new URL(emulator.url).origin);
  await checkPage(page, tracker, { label: 'desktop: émulateur de paiement' });
  await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Payer', exact: true }));

  assert.equal(`${pathOf(page.url())}${new URL(page.url()).search}`, `${open[0]}?paiement=accepte`);
  await checkPage(page, tracker, { label: 'desktop: paiement accepté' });
  const settled = await page.locator('main').innerText();
  assert.match(settled, /Paiement accepté/);
  assert.match(settled, /Réglée/);
  assert.equal(await page.getByRole('button', { name: /par carte$/ }).count(), 0);

  assert.equal(await visit(page, '/paiements/sommes-a-payer'), 200);
  assert.equal(await page.locator('.card', { hasText: 'À régler' }).count(), 0, 'nothing left to pay');
  await checkPage(page, tracker, { label: 'desktop: sommes à payer, all settled' });
}

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

    await downloadStatement(page, tracker, label);
    await ijDocuments(page, tracker, label);
    if (label === 'mobile') {
      assert.equal(await visit(page, '/paiements/sommes-a-payer'), 200);
      await checkPage(page, tracker, { label: 'mobile: sommes à payer' });
      await assertNoSidewaysScroll(page, 'mobile: sommes à payer');
    } else {
      await payDebtByCard(page, tracker);
    }
  } finally {
    await context.close();
  }
}

describe('Mes paiements', () => {
  test('Sophie reads why her GP consultation is paid at 90 %, downloads the month\'s statement and pays her debt by card (desktop)', { skip, timeout: 180_000 }, async () => {
    await journey({}, 'desktop');
  });

  test('the same on a phone, nothing overflowing sideways', { skip, timeout: 180_000 }, async () => {
    await journey(MOBILE, 'mobile');
  });
});
