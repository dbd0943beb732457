// « S'identifier avec FranceConnect » and the advisors' login through the fund's provider, in
// the browser, against a real OpenID Connect provider (e2e/oidc/provider.mjs, the npm
// oidc-provider configured like FranceConnect v2): Julien MARTIN's first FranceConnect login
// matches his file and asks for his password once, then the dashboard; the logout ends both
// sessions; his second login goes straight in. A supervisor logs in through the staff provider
// with the role her group gives.
//
// Caisse's pages are checked by `checkPage` (axe-core included) at desktop width and at the
// phone's (390 px), where nothing may overflow sideways.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DEMO,
  checkBothWidths,
  clickAndWaitForLoad,
  freePort,
  launchBrowser,
  newSession,
  pathOf,
  startServer,
  visit,
} from '../lib/harness.mjs';
import { FC_CLIENT, STAFF_CLIENT, startProvider } from '../lib/oidc_provider.mjs';

let server;
let provider;
let browser;
let member;
let agent;

const skip = process.env.E2E_BASE_URL ? 'E2E_BASE_URL: this journey needs a server configured with its own identity provider' : false;

before(async () => {
  if (skip) return;
  const port = await freePort();
  provider = await startProvider(`http://127.0.0.1:${port}`);
  server = await startServer({
    sqlite: true,
    port,
    env: {
      CAISSE_NEW_DEVICE_CONFIRMATION: 'false',
      CAISSE_FRANCECONNECT_ISSUER: provider.issuer,
      CAISSE_FRANCECONNECT_CLIENT_ID: FC_CLIENT.id,
      CAISSE_FRANCECONNECT_CLIENT_SECRET: FC_CLIENT.secret,
      CAISSE_STAFF_OIDC_ISSUER: provider.issuer,
      CAISSE_STAFF_OIDC_CLIENT_ID: STAFF_CLIENT.id,
      CAISSE_STAFF_OIDC_CLIENT_SECRET: STAFF_CLIENT.secret,
      CAISSE_STAFF_OIDC_ROLES: 'caisse-superviseurs=superviseur,caisse-conseillers=conseiller',
      CAISSE_STAFF_OIDC_TEAMS: 'equipe-remboursements=prestations',
      CAISSE_STAFF_OIDC_FUND: '781',
      CAISSE_STAFF_OIDC_CREATE_STAFF: 'true',
      CAISSE_STAFF_OIDC_BREAK_GLASS: 'admin',
    },
  });
  browser = await launchBrowser();
}, { timeout: 180_000 });

after(async () => {
  for (const session of [member, agent]) await session?.context.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  await server?.stop();
  provider?.stop();
}, { timeout: 30_000 });

const flat = (text) => text.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();
const mainText = async (page) => flat(await page.locator('main').innerText());

/** At the provider's login page: types the login and continues. */
async function logInAtProvider(page, login) {
  assert.ok(page.url().startsWith(provider.issuer), `at the provider: ${page.url()}`);
  await page.getByLabel('Identifiant').fill(login);
  await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Continuer' }));
}

describe('FranceConnect and the staff provider', { skip }, () => {
  test('first FranceConnect login → proof → dashboard; logout from both; second login straight in; an advisor through the staff provider', { timeout: 300_000 }, async (t) => {
    member = await newSession(browser, server.baseUrl);
    const { page } = member;

    await t.test('the login page offers « S\'identifier avec FranceConnect »', async () => {
      assert.equal(await visit(page, '/connexion'), 200);
      await checkBothWidths(member, 'login with FranceConnect');
      assert.match(await mainText(page), /Qu'est-ce que FranceConnect \?/);
    });

    await t.test('first login: the file matches, the password proves it once, then the dashboard', async () => {
      await clickAndWaitForLoad(page, page.getByRole('button', { name: /S'identifier avec FranceConnect/ }));
      await logInAtProvider(page, 'julien.martin');
      assert.equal(pathOf(page.url()), '/connexion/franceconnect/lier');
      await checkBothWidths(member, 'FranceConnect proof');
      await page.getByLabel('Mot de passe de votre compte', { exact: true }).fill(DEMO.memberPassword);
      await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Confirmer avec mon mot de passe' }));
      assert.equal(pathOf(page.url()), '/');
      assert.match(await mainText(page), /Julien/);
      await checkBothWidths(member, 'dashboard after FranceConnect');
    });

    await t.test('« Mes connexions » shows the link', async () => {
      assert.equal(await visit(page, '/profil/connexions'), 200);
      assert.match(await mainText(page), /relié à votre identité FranceConnect/);
      await checkBothWidths(member, 'connections with FranceConnect');
    });

    await t.test('logout ends the portal session and FranceConnect\'s', async () => {
      await visit(page, '/');
      await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Se déconnecter' }).first());
      assert.ok(page.url().startsWith(provider.issuer), `FranceConnect's logout: ${page.url()}`);
      await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Se déconnecter de FranceConnect' }));
      assert.equal(pathOf(page.url()), '/deconnexion/franceconnect');
      assert.match(await mainText(page), /déconnecté de votre compte et de FranceConnect/);
      await checkBothWidths(member, 'logged out of FranceConnect');
      assert.equal(await visit(page, '/profil'), 200);
      assert.equal(pathOf(page.url()), '/connexion', 'the portal session is over');
    });

    await t.test('second login: straight to the dashboard', async () => {
      await visit(page, '/connexion');
      await clickAndWaitForLoad(page, page.getByRole('button', { name: /S'identifier avec FranceConnect/ }));
      await logInAtProvider(page, 'julien.martin');
      assert.equal(pathOf(page.url()), '/');
      assert.match(await mainText(page), /Julien/);
    });

    await t.test('an advisor logs in through the staff provider with the role of her group', async () => {
      agent = await newSession(browser, server.baseUrl);
      const staff = agent.page;
      assert.equal(await visit(staff, '/agent/connexion'), 200);
      await checkBothWidths(agent, 'staff login with the provider');
      await clickAndWaitForLoad(staff, staff.getByRole('button', { name: 'Se connecter avec le compte de la caisse' }));
      await logInAtProvider(staff, 'agent.superviseur');
      assert.equal(pathOf(staff.url()), '/agent');
      const text = await mainText(staff);
      assert.match(text, /Anne DURAND/);
      assert.match(text, /Superviseur/i);
      await checkBothWidths(agent, 'staff home after the provider');
    });
  });
});
