// The account journey of issue 3, in the browser, with mail read from a real SMTP server
// that the test starts: registration → activation link → login with the new-device code →
// five wrong passwords → lock mail → reset → login. axe-core runs on every page.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  checkPage,
  clickAndWaitForLoad,
  launchBrowser,
  loginStaff,
  logoutButton,
  newSession,
  pathOf,
  startServer,
  visit,
} from '../lib/harness.mjs';
import { startSmtpSink } from '../lib/smtp.mjs';

// The demo's insured person without an account (see `caisse demo`).
const NEWCOMER = Object.freeze({
  nir: '2 78 09 78 646 012 41',
  birthDate: '03/09/1978',
  vitaleSerial: '786460042',
  iban: 'FR76 1751 5900 0008 7654 3210 957',
  email: 'nathalie.petit@exemple.fr',
  phone: '06 11 22 33 44',
  password: 'Mesange-Tournesol-Orage-58',
  newPassword: 'Volcan-Bruyere-Horloge-73',
});

let smtp;
let server;
let browser;

before(async () => {
  smtp = await startSmtpSink();
  server = await startServer({
    sqlite: true,
    env: {
      CAISSE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      CAISSE_NEW_DEVICE_CONFIRMATION: 'true',
      CAISSE_OUTBOX_POLL_INTERVAL_MS: '200',
    },
  });
  browser = await launchBrowser();
}, { timeout: 120_000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (server) await server.stop();
  if (smtp) await smtp.close();
}, { timeout: 30_000 });

function linkIn(mail, pathPrefix) {
  const match = mail.text.match(new RegExp(`https?://\\S+${pathPrefix}[A-Za-z0-9_-]{43}`));
  assert.ok(match, `no ${pathPrefix} link in « ${mail.subject} »:\n${mail.text}`);
  return new URL(match[0]).pathname;
}

function codeIn(mail) {
  const match = mail.text.match(/\b(\d{6})\b/);
  assert.ok(match, `no 6-digit code in « ${mail.subject} »:\n${mail.text}`);
  return match[1];
}

async function login(page, password) {
  assert.equal(await visit(page, '/connexion'), 200);
  const form = page.locator('form:has(input[name="nir"])');
  await form.locator('input[name="nir"]').fill(NEWCOMER.nir);
  await form.locator('input[name="password"]').fill(password);
  await clickAndWaitForLoad(page, form.getByRole('button', { name: 'Se connecter' }));
}

async function confirmCode(page, tracker, label) {
  assert.equal(pathOf(page.url()), '/connexion/code', `${label}: expected the code page, got ${page.url()}`);
  await checkPage(page, tracker, { label: `${label}: code page` });
  const mail = await smtp.waitFor({ to: NEWCOMER.email, subject: 'Votre code de connexion' });
  assert.match(mail.text, /Ce n'était pas vous \?/);
  await page.getByLabel('Code reçu par e-mail').fill(codeIn(mail));
  await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Valider le code' }));
  assert.equal(pathOf(page.url()), '/', `${label}: after the code the member landed on ${page.url()}`);
  assert.ok((await logoutButton(page).count()) >= 1, `${label}: not logged in`);
  await checkPage(page, tracker, { label: `${label}: dashboard` });
}

describe('account lifecycle with real mail', () => {
  test('registration → activation → new-device code → 5 wrong passwords → lock mail → reset → login', { timeout: 240_000 }, async (t) => {
    const { context, page, tracker } = await newSession(browser, server.baseUrl);
    try {
      await t.test('the login page leads to « Créer mon compte »; an empty form lists its errors', async () => {
        assert.equal(await visit(page, '/connexion'), 200);
        await clickAndWaitForLoad(page, page.getByRole('link', { name: 'Créer mon compte' }).first());
        assert.equal(pathOf(page.url()), '/inscription');
        await checkPage(page, tracker, { label: 'GET /inscription' });
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Créer mon compte' }));
        assert.equal(tracker.lastDoc?.status, 422);
        assert.ok((await page.locator('.error-summary li').count()) >= 8);
        assert.match(await page.locator('.error-summary').innerText(), /Saisissez votre numéro de sécurité sociale/);
        assert.equal(await page.locator('#password-erreur-2').count(), 0, 'one message per field');
        await checkPage(page, tracker, { label: 'POST /inscription with errors' });
      });

      await t.test('the strength meter follows the password as it is typed (JavaScript)', async () => {
        const meter = page.locator('#password-force');
        assert.equal(await meter.isHidden(), true, 'nothing to say before typing');
        await page.getByLabel('Mot de passe', { exact: true }).fill('court');
        await page.waitForFunction(() => !document.getElementById('password-force').hidden);
        assert.match(await meter.innerText(), /entre 12 et 128 caractères/);
        assert.equal(await page.locator('#password-force [aria-live="polite"]').count(), 1);
        await page.getByLabel('Mot de passe', { exact: true }).fill(NEWCOMER.password);
        await page.waitForFunction(() => /Robustesse estimée/.test(document.getElementById('password-force').textContent));
        await checkPage(page, tracker, { label: 'registration with the meter shown' });
        await page.getByLabel('Mot de passe', { exact: true }).fill('');
      });

      await t.test('the filled form answers the neutral page', async () => {
        await page.getByLabel('Numéro de sécurité sociale').fill(NEWCOMER.nir);
        await page.getByLabel('Date de naissance').fill(NEWCOMER.birthDate);
        await page.getByLabel('Numéro de série de la carte Vitale').fill(NEWCOMER.vitaleSerial);
        await page.getByLabel('IBAN du compte de vos remboursements').fill(NEWCOMER.iban);
        await page.getByLabel('Adresse e-mail').fill(NEWCOMER.email);
        await page.getByLabel('Numéro de téléphone mobile').fill(NEWCOMER.phone);
        await page.getByLabel('Mot de passe', { exact: true }).fill(NEWCOMER.password);
        await page.getByLabel('Confirmation du mot de passe').fill(NEWCOMER.password);
        await page.getByLabel(/J'accepte les conditions/).check();
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Créer mon compte' }));
        assert.equal(pathOf(page.url()), '/inscription/envoyee');
        assert.match(await page.locator('main').innerText(), /Si ces informations correspondent à votre dossier/);
        await checkPage(page, tracker, { label: 'registration sent' });
      });

      await t.test('the activation link from the mail opens a page; its button activates', async () => {
        const mail = await smtp.waitFor({ to: NEWCOMER.email, subject: 'Activez votre compte' });
        const link = linkIn(mail, '/inscription/activer/');
        assert.equal(await visit(page, link), 200);
        await checkPage(page, tracker, { label: 'activation page' });
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Activer mon compte' }));
        assert.equal(pathOf(page.url()), '/connexion');
        assert.match(await page.locator('main').innerText(), /Votre compte est activé/);
        await checkPage(page, tracker, { label: 'login page after activation' });
        const activated = await smtp.waitFor({ to: NEWCOMER.email, subject: 'Votre compte est activé' });
        assert.match(activated.text, /\/ce-n-etait-pas-moi\//);
      });

      await t.test('first login from this browser asks for the mailed code', async () => {
        await login(page, NEWCOMER.password);
        await confirmCode(page, tracker, 'first login');
        await clickAndWaitForLoad(page, logoutButton(page).first());
      });

      await t.test('five wrong passwords lock the account and a mail says how to unlock', async () => {
        for (let i = 0; i < 5; i += 1) await login(page, `Mauvais-Essai-${i}-Xyz`);
        assert.match(await page.locator('.error-summary').innerText(), /temporairement bloqué/);
        await checkPage(page, tracker, { label: 'locked login' });
        const lock = await smtp.waitFor({ to: NEWCOMER.email, subject: 'Votre compte est temporairement bloqué' });
        assert.match(lock.text, /\/mot-de-passe-oublie/);
        assert.match(lock.text, /\/ce-n-etait-pas-moi\//);
        await login(page, NEWCOMER.password);
        assert.match(await page.locator('.error-summary').innerText(), /temporairement bloqué/, 'even the right password waits for the lock');
      });

      await t.test('« Mot de passe oublié » with the reset link from the mail unlocks', async () => {
        await clickAndWaitForLoad(page, page.getByRole('link', { name: 'Mot de passe oublié ?', exact: true }));
        await page.getByLabel('Numéro de sécurité sociale').fill(NEWCOMER.nir);
        await page.getByLabel('Date de naissance').fill(NEWCOMER.birthDate);
        await page.getByLabel('Adresse e-mail').fill(NEWCOMER.email);
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Recevoir un lien' }));
        await checkPage(page, tracker, { label: 'reset requested' });
        const mail = await smtp.waitFor({ to: NEWCOMER.email, subject: 'Réinitialisation de votre mot de passe' });
        assert.equal(await visit(page, linkIn(mail, '/mot-de-passe-oublie/')), 200);
        await checkPage(page, tracker, { label: 'reset form' });
        await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(NEWCOMER.newPassword);
        await page.getByLabel('Confirmation du nouveau mot de passe', { exact: true }).fill(NEWCOMER.newPassword);
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }));
        assert.equal(pathOf(page.url()), '/connexion');
        await checkPage(page, tracker, { label: 'login page after reset' });
      });

      await t.test('the new password logs in, with a code again (the reset forgot trusted devices)', async () => {
        await login(page, NEWCOMER.newPassword);
        await confirmCode(page, tracker, 'login after reset');
      });

      await t.test('a new email address is confirmed through the link mailed to it', async () => {
        assert.equal(await visit(page, '/profil/email'), 200);
        await page.getByLabel('Nouvelle adresse e-mail').fill('n.petit@exemple.fr');
        await page.getByLabel('Mot de passe actuel').fill(NEWCOMER.newPassword);
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Recevoir le lien de confirmation' }));
        const notice = await smtp.waitFor({ to: NEWCOMER.email, subject: 'Changement de votre adresse e-mail demandé' });
        assert.match(notice.text, /\/ce-n-etait-pas-moi\//);
        const mail = await smtp.waitFor({ to: 'n.petit@exemple.fr', subject: 'Confirmez votre nouvelle adresse e-mail' });
        assert.equal(await visit(page, linkIn(mail, '/profil/email/confirmer/')), 200);
        await checkPage(page, tracker, { label: 'email confirmation page' });
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Confirmer cette adresse' }));
        assert.equal(pathOf(page.url()), '/profil/email/confirmee');
        await checkPage(page, tracker, { label: 'email confirmed' });
      });

      await t.test('« Ma messagerie »: check, send, read and reply, axe-clean', async () => {
        assert.equal(await visit(page, '/messagerie'), 200);
        await checkPage(page, tracker, { label: 'GET /messagerie (empty)' });
        await clickAndWaitForLoad(page, page.getByRole('link', { name: 'Nouveau message' }).first());
        await checkPage(page, tracker, { label: 'GET /messagerie/nouveau' });
        await page.getByLabel('Thème de votre demande').selectOption('remboursement.feuille_de_soins');
        await page.locator('#nature-demande_renseignements').check();
        await page.getByLabel('Sujet').fill('Feuille de soins du 3 novembre');
        await page.getByLabel('Votre message').fill('Bonjour, mon IBAN est FR76 3000 6000 0112 3456 7890 189.');
        await clickAndWaitForLoad(page, page.getByRole('button', { name: "Vérifier avant d'envoyer" }));
        assert.match(await page.locator('main').innerText(), /Réponse attendue au plus tard le/);
        assert.match(await page.locator('main').innerText(), /ne divulguez pas/i);
        await checkPage(page, tracker, { label: 'new message checked (date and warning)' });
        await clickAndWaitForLoad(page, page.getByRole('button', { name: /^Masquer/ }));
        assert.match(await page.locator('main').innerText(), /Les numéros sont masqués/);
        assert.doesNotMatch(await page.locator('main').innerText(), /3000 6000/);
        await checkPage(page, tracker, { label: 'new message checked, IBAN masked' });
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Envoyer le message' }).first());
        assert.match(await page.locator('main').innerText(), /Votre message est envoyé/);
        await checkPage(page, tracker, { label: 'thread after sending' });
        await page.getByLabel('Votre réponse').fill('Je précise : consultation du 3 novembre.');
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Envoyer la réponse' }));
        assert.match(await page.locator('main').innerText(), /consultation du 3 novembre\./);
        assert.equal(await visit(page, '/messagerie'), 200);
        await checkPage(page, tracker, { label: 'GET /messagerie (one thread)' });
      });
    } finally {
      await context.close();
    }
  });
});

describe('provisional codes, « Ce n\'était pas moi » and the conseiller pages', () => {
  test('code by post asked and refused when wrong; the not-me link protects; conseillers unlock and print, axe-clean', { timeout: 240_000 }, async (t) => {
    const member = await newSession(browser, server.baseUrl);
    const staff = await newSession(browser, server.baseUrl);
    const julien = { nir: '1 85 05 78 006 084 91', birthDate: '14/05/1985', email: 'julien.martin@exemple.fr' };
    try {
      await t.test('asking for a code by post: errors, then the neutral answer', async () => {
        const { page, tracker } = member;
        assert.equal(await visit(page, '/code-provisoire/demande'), 200);
        await checkPage(page, tracker, { label: 'GET /code-provisoire/demande' });
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Recevoir un code par courrier' }));
        assert.equal(tracker.lastDoc?.status, 422);
        await checkPage(page, tracker, { label: 'code request with errors' });
        await page.getByLabel('Numéro de sécurité sociale').fill(julien.nir);
        await page.getByLabel('Date de naissance').fill(julien.birthDate);
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Recevoir un code par courrier' }));
        assert.match(await page.locator('main').innerText(), /un code provisoire vous est envoyé par courrier/);
        await checkPage(page, tracker, { label: 'code requested' });
      });

      await t.test('a wrong code is refused with the one answer', async () => {
        const { page, tracker } = member;
        await clickAndWaitForLoad(page, page.getByRole('link', { name: "J'ai reçu mon code" }));
        await page.getByLabel('Numéro de sécurité sociale').fill(julien.nir);
        await page.getByLabel('Code provisoire').fill('AAAA-BBBB');
        await page.getByLabel('Mot de passe définitif').fill('Girafe-Parapluie-Violon-47');
        await page.getByLabel('Confirmation du mot de passe').fill('Girafe-Parapluie-Violon-47');
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Valider et accéder à mon compte' }));
        assert.equal(tracker.lastDoc?.status, 422);
        assert.match(await page.locator('.error-summary').innerText(), /ne correspondent pas/);
        await checkPage(page, tracker, { label: 'wrong provisional code' });
      });

      await t.test('the notice mail carries « Ce n\'était pas moi »; its page protects the account', async () => {
        const { page, tracker } = member;
        const mail = await smtp.waitFor({ to: julien.email, subject: 'Un code provisoire vous est envoyé par courrier' });
        const link = linkIn(mail, '/ce-n-etait-pas-moi/');
        assert.equal(await visit(page, link), 200);
        await checkPage(page, tracker, { label: 'not-me page' });
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Signaler et protéger mon compte' }));
        assert.match(await page.locator('h1').innerText(), /Votre signalement est enregistré/);
        await checkPage(page, tracker, { label: 'not-me done' });
        assert.equal(await visit(page, link), 410);
        await checkPage(page, tracker, { label: 'not-me link used (410)' });
      });

      await t.test('the supervisor sees the alert, opens the account and lifts the freeze', async () => {
        const { page, tracker } = staff;
        await loginStaff(page, tracker, 'superviseur');
        assert.match(pathOf(page.url()), /^\/agent\/?$/, `superviseur landed on ${page.url()}`);
        assert.equal(await visit(page, '/agent/alertes'), 200);
        await checkPage(page, tracker, { label: 'GET /agent/alertes' });
        await clickAndWaitForLoad(page, page.getByRole('link', { name: 'Julien MARTIN' }));
        assert.match(pathOf(page.url()), /^\/agent\/comptes\/[0-9a-f-]{36}$/);
        await checkPage(page, tracker, { label: 'conseiller account page' });
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Permettre de nouveau les changements bancaires' }));
        assert.match(await page.locator('main').innerText(), /de nouveau permis/);
        // « Ce n'était pas moi » neither suspends nor locks: only its alert is left to close
        // (no « Débloquer le compte » on an account with nothing locked).
        assert.equal(await page.getByRole('button', { name: 'Débloquer le compte' }).count(), 0);
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Clore les alertes' }));
        assert.match(await page.locator('main').innerText(), /Les alertes de l'assuré sont closes\./);
        assert.equal(await page.getByRole('button', { name: 'Clore les alertes' }).count(), 0);
        await checkPage(page, tracker, { label: 'account alerts closed' });
        assert.equal(await visit(page, '/agent/comptes'), 200);
        await checkPage(page, tracker, { label: 'GET /agent/comptes' });
      });

      await t.test('the search by NIR is posted: the NIR never shows in an address', async () => {
        const { page, tracker } = staff;
        // Someone of another fund (Bas-Rhin): the same answer as nobody, on a page of its own.
        await page.getByLabel('Numéro de sécurité sociale').fill('2 82 12 67 482 023 55');
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Rechercher par numéro' }));
        assert.equal(tracker.lastDoc?.status, 200);
        assert.equal(new URL(page.url()).search, '', `the search left something in the address: ${page.url()}`);
        assert.match(await page.locator('main').innerText(), /Aucun assuré de votre caisse ne correspond à ce numéro\./);
        await checkPage(page, tracker, { label: 'POST /agent/comptes (nobody)' });
        await page.getByLabel('Numéro de sécurité sociale').fill(julien.nir);
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Rechercher par numéro' }));
        assert.match(pathOf(page.url()), /^\/agent\/comptes\/[0-9a-f-]{36}$/);
        assert.equal(new URL(page.url()).search, '');
        await checkPage(page, tracker, { label: 'account found by NIR' });
      });

      await t.test('the search by name and birth date lists the fund\'s members, posted too', async () => {
        const { page, tracker } = staff;
        assert.equal(await visit(page, '/agent/comptes'), 200);
        await page.getByLabel('Nom de naissance ou d\'usage').fill('martin');
        await page.getByLabel('Date de naissance').fill('14/05/1985');
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Rechercher par nom' }));
        assert.equal(tracker.lastDoc?.status, 200);
        assert.equal(new URL(page.url()).search, '', `the search left something in the address: ${page.url()}`);
        assert.match(await page.locator('main').innerText(), /Un assuré de votre caisse correspond/);
        await checkPage(page, tracker, { label: 'POST /agent/comptes (by name)' });
        await clickAndWaitForLoad(page, page.getByRole('link', { name: 'Julien MARTIN' }));
        assert.match(pathOf(page.url()), /^\/agent\/comptes\/[0-9a-f-]{36}$/);
        assert.match(await page.locator('main').innerText(), /14 mai 1985/);
      });

      await t.test('the print queue makes a batch whose PDF downloads', async () => {
        const { page, tracker } = staff;
        assert.equal(await visit(page, '/agent/courriers'), 200);
        await checkPage(page, tracker, { label: 'GET /agent/courriers' });
        const download = page.waitForEvent('download');
        await page.getByRole('button', { name: /Préparer un lot/ }).click();
        const file = await download;
        assert.match(file.suggestedFilename(), /^courriers-[0-9a-f-]{36}\.pdf$/);
        assert.equal(await visit(page, '/agent/courriers'), 200);
        assert.equal(await page.getByRole('link', { name: /Télécharger le PDF/ }).count(), 1);
        await checkPage(page, tracker, { label: 'print queue with one batch' });
      });
    } finally {
      await member.context.close();
      await staff.context.close();
    }
  });
});
