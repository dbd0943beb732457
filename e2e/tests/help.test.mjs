// The help in the browser (issue 17): a visitor searches the FAQ (suggestions while typing,
// then the results page), reads an answer and says it did not help; Julien MARTIN asks the
// assistant from the panel of his home page (the answer is added to the panel's
// conversation), follows its deep link to his attestations, then asks something it does not
// know and follows « Écrire à ma caisse » to a new message holding his question; a supervisor
// opens the back office of the FAQ. Every page is checked by `checkPage` (axe-core included)
// at desktop width and again at the phone's width, where nothing may overflow sideways.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  checkBothWidths,
  clickAndWaitForLoad,
  launchBrowser,
  loginMember,
  loginStaff,
  newSession,
  pathOf,
  startServer,
  visit,
} from '../lib/harness.mjs';

let server;
let browser;
const sessions = [];

before(async () => {
  server = process.env.E2E_BASE_URL ? { baseUrl: process.env.E2E_BASE_URL, stop: async () => {} } : await startServer({ sqlite: true });
  browser = await launchBrowser();
}, { timeout: 180_000 });

after(async () => {
  for (const s of sessions) await s.context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  await server?.stop();
}, { timeout: 30_000 });

const flat = (text) => text.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();
const mainText = async (page) => flat(await page.locator('main').innerText());

async function session() {
  const s = await newSession(browser, server.baseUrl);
  sessions.push(s);
  return s;
}

describe('Help: FAQ, search, assistant', () => {
  test('a visitor searches, reads an answer and gives their opinion', { timeout: 120_000 }, async () => {
    const visitor = await session();
    const { page } = visitor;
    assert.equal(await visit(page, '/aide'), 200);
    assert.match(await mainText(page), /Carte Vitale et carte européenne/);
    await checkBothWidths(visitor, 'help home');
    const box = page.getByLabel('Votre question');
    await box.pressSequentially('carte vitale perdue', { delay: 20 });
    await page.locator('.help-suggestions li').first().waitFor({ timeout: 5_000 });
    await checkBothWidths(visitor, 'help home with suggestions');
    await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Chercher' }));
    assert.equal(pathOf(page.url()), '/aide/recherche');
    assert.match(await mainText(page), /Résultats pour « carte vitale perdue »/);
    await checkBothWidths(visitor, 'search results');
    await clickAndWaitForLoad(page, page.locator('main .link-list a').first());
    assert.match(pathOf(page.url()), /^\/aide\/[a-z0-9-]+$/);
    assert.match(await mainText(page), /Cette réponse vous a-t-elle aidé \?/);
    await checkBothWidths(visitor, 'an answer');
    await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Non' }));
    assert.match(await mainText(page), /Merci pour votre avis/);
    await checkBothWidths(visitor, 'an answer, opinion given');
    await clickAndWaitForLoad(page, page.locator('.breadcrumb a').nth(2));
    assert.match(pathOf(page.url()), /^\/aide\/categorie\//);
    await checkBothWidths(visitor, 'a category');
  });

  test('Julien asks the assistant: a deep link, then « Écrire à ma caisse » with his question', { timeout: 120_000 }, async () => {
    const member = await session();
    const { page, tracker } = member;
    await loginMember(page, tracker);
    assert.equal(pathOf(page.url()), '/');
    await page.locator('[data-assistant] summary').click();
    await checkBothWidths(member, 'home with the assistant panel open');
    await page.locator('#assistant-q').fill('je veux télécharger mon attestation');
    await page.locator('[data-assistant]').getByRole('button', { name: 'Demander' }).click();
    const reply = page.locator('.assistant-panel__log .assistant-reply').first();
    await reply.waitFor({ timeout: 5_000 });
    assert.equal(pathOf(page.url()), '/', 'the answer comes into the panel, the page stays');
    await checkBothWidths(member, 'home with an answer in the panel');
    await clickAndWaitForLoad(page, reply.getByRole('link', { name: 'Télécharger mon attestation' }));
    assert.equal(pathOf(page.url()), '/attestations');

    assert.equal(await visit(page, '/assistant?q=combien+de+temps+pour+etre+rembourse'), 200);
    assert.match(await mainText(page), /D'après l'aide de votre caisse/);
    await checkBothWidths(member, 'assistant: an answer with its sources');

    assert.equal(await visit(page, '/assistant'), 200);
    await page.locator('#assistant-page-q').fill('quel temps fera-t-il à Lyon demain');
    await clickAndWaitForLoad(page, page.locator('main').getByRole('button', { name: 'Demander' }));
    assert.match(await mainText(page), /Je ne connais pas la réponse/);
    await checkBothWidths(member, 'assistant: does not know');
    await clickAndWaitForLoad(page, page.locator('main').getByRole('link', { name: 'Écrire à ma caisse' }));
    assert.equal(pathOf(page.url()), '/messagerie/nouveau');
    const message = await page.locator('main textarea').first().inputValue();
    assert.match(message, /quel temps fera-t-il à Lyon demain/);
  });

  test('the supervisor\'s pages of the FAQ are axe-clean at both widths', { timeout: 120_000 }, async () => {
    const supervisor = await session();
    const { page, tracker } = supervisor;
    await loginStaff(page, tracker, 'superviseur');
    for (const [path, label] of [
      ['/agent/aide', 'FAQ entries'],
      ['/agent/aide/nouvelle', 'new entry'],
      ['/agent/aide/questions', 'questions without answer'],
    ]) {
      assert.equal(await visit(page, path), 200, path);
      await checkBothWidths(supervisor, `supervisor: ${label}`);
    }
    assert.equal(await visit(page, '/agent/aide'), 200);
    const entry = (await page.locator('main a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))))
      .find((href) => /^\/agent\/aide\/[0-9a-f-]{36}$/.test(href ?? ''));
    assert.ok(entry, 'the list links to its entries');
    assert.equal(await visit(page, entry), 200);
    await checkBothWidths(supervisor, 'supervisor: an entry');
  });
});
