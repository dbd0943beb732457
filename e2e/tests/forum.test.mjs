// « Questions publiques » in the browser (issue 17): Julien MARTIN asks a question under a
// pseudonym (a card number first: held, he edits it), finds it in « Mes questions »; the
// conseiller (password + TOTP) finds it in the moderation queue, publishes it and answers
// in the fund's name; an anonymous visitor then reads it, with « Réponse de la caisse », and
// finds it by searching.
//
// Every page is checked by `checkPage` (axe-core included) at desktop width and again at the
// phone's width (390 px), where nothing may overflow sideways.

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

const TITLE = 'Remboursement des lunettes de mon fils';
const TEXT = 'Mon fils a 12 ans : comment sont remboursées ses lunettes, et faut-il une ordonnance récente ?';
const ANSWER = 'Les lunettes d\'un enfant sont remboursées sur ordonnance, une paire par an avant 16 ans.';

let server;
let browser;
let member;
let agent;
let visitor;

const skip = process.env.E2E_BASE_URL ? 'E2E_BASE_URL: this journey asks and moderates questions, it needs a server of its own' : false;

before(async () => {
  if (skip) return;
  server = await startServer({ sqlite: true, env: { CAISSE_NEW_DEVICE_CONFIRMATION: 'false' } });
  browser = await launchBrowser();
}, { timeout: 180_000 });

after(async () => {
  for (const session of [member, agent, visitor]) await session?.context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  await server?.stop();
}, { timeout: 30_000 });

/** Text as read: no-break spaces plain, every run of white space one space. */
const flat = (text) => text.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();

const mainText = async (page) => flat(await page.locator('main').innerText());

/** Checked at desktop width, then at the phone's (`checkBothWidths`). */
const checkBoth = checkBothWidths;

describe('Questions publiques: member, advisor, visitor', { skip }, () => {
  test('ask (held, then edited) → publish and answer → an anonymous visitor reads it; axe-clean', { timeout: 300_000 }, async (t) => {
    let questionPath;

    await t.test('a visitor reads the empty list; « Poser une question » leads to the login', async () => {
      visitor = await newSession(browser, server.baseUrl);
      const { page } = visitor;
      assert.equal(await visit(page, '/aide/questions'), 200);
      assert.match(await mainText(page), /Aucune question publiée/);
      await checkBoth(visitor, 'public questions, empty');
      await clickAndWaitForLoad(page, page.getByRole('link', { name: 'Poser une question' }));
      assert.equal(pathOf(page.url()), '/connexion');
    });

    await t.test('Julien asks with a card number: held; he edits it and it waits for moderation', async () => {
      member = await newSession(browser, server.baseUrl);
      const { page, tracker } = member;
      await loginMember(page, tracker);
      assert.equal(await visit(page, '/aide/questions/poser'), 200);
      assert.match(await mainText(page), /N'écrivez jamais votre numéro de sécurité sociale/);
      await checkBoth(member, 'ask');
      await page.getByLabel('Pseudonyme').fill('Papa78');
      await page.getByLabel('Titre de votre question').fill(TITLE);
      await page.getByLabel('Votre question', { exact: true }).fill(`${TEXT} Ma carte 4111 1111 1111 1111.`);
      await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Envoyer ma question' }));
      assert.equal(tracker.lastDoc.status, 422);
      assert.match(await mainText(page), /Votre question contient un numéro de carte bancaire : nous ne la publierons pas telle quelle\. Modifiez-la\./);
      await checkBoth(member, 'ask: held');
      await page.getByLabel('Votre question', { exact: true }).fill(TEXT);
      await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Enregistrer ma question' }));
      assert.equal(pathOf(page.url()), '/aide/mes-questions');
      const text = await mainText(page);
      assert.match(text, /Votre question sera publiée après vérification par un conseiller/);
      assert.match(text, /En attente de vérification/);
      await checkBoth(member, 'my questions');
      await clickAndWaitForLoad(page, page.getByRole('link', { name: TITLE }));
      questionPath = pathOf(page.url());
      assert.match(questionPath, /^\/aide\/questions\/[0-9a-f-]{36}$/);
      await checkBoth(member, 'own question, pending');
      assert.equal(await visit(visitor.page, questionPath), 404, 'nobody else reads it yet');
    });

    await t.test('the conseiller publishes and answers it from the queue', async () => {
      agent = await newSession(browser, server.baseUrl);
      const { page, tracker } = agent;
      await loginStaff(page, tracker, 'conseiller');
      await clickAndWaitForLoad(page, page.locator('.menu__list--wide').getByRole('link', { name: 'Questions publiques' }));
      assert.equal(pathOf(page.url()), '/agent/questions');
      assert.match(await mainText(page), /À modérer \(1\)/);
      await checkBoth(agent, 'moderation queue');
      await clickAndWaitForLoad(page, page.getByRole('link', { name: TITLE }));
      const id = questionPath.split('/').pop();
      assert.equal(pathOf(page.url()), `/agent/questions/${id}`);
      assert.match(await mainText(page), /Julien MARTIN/);
      await checkBoth(agent, 'question beside the member');
      await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Publier la question' }));
      assert.match(await mainText(page), /La question est publiée\./);
      await page.getByLabel('Réponse').fill(ANSWER);
      await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Publier la réponse' }));
      const text = await mainText(page);
      assert.match(text, /La réponse est publiée ; l'assuré est prévenu\./);
      // Entries of the FAQ are the supervisors': a conseiller is not offered the action.
      assert.equal(await page.getByRole('button', { name: 'Faire une entrée de FAQ' }).count(), 0);
      await checkBoth(agent, 'question answered');
      assert.equal(await visit(page, '/agent/questions?onglet=repondues'), 200);
      assert.match(await mainText(page), /Répondues \(1\)/);
      await checkBoth(agent, 'answered tab');
    });

    await t.test('an anonymous visitor reads it with the fund\'s answer and finds it', async () => {
      const { page } = visitor;
      assert.equal(await visit(page, '/aide/questions'), 200);
      const list = await mainText(page);
      assert.match(list, new RegExp(TITLE));
      assert.match(list, /Répondue/);
      assert.match(list, /CPAM des Yvelines/);
      await checkBoth(visitor, 'public questions');
      await page.getByLabel('Chercher dans les questions', { exact: true }).fill('LUNETTES');
      await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Chercher' }));
      assert.match(await mainText(page), /1 question pour « LUNETTES »/);
      await checkBoth(visitor, 'search');
      await clickAndWaitForLoad(page, page.getByRole('link', { name: TITLE }));
      assert.equal(pathOf(page.url()), questionPath);
      const text = await mainText(page);
      assert.match(text, /Réponse de la caisse/);
      assert.match(text, /une paire par an avant 16 ans/);
      assert.match(text, /Par Papa78/);
      assert.doesNotMatch(text, /MARTIN/, 'the member\'s name is never public');
      await checkBoth(visitor, 'question with its answer');
    });
  });
});
