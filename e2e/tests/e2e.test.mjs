// Browser tests of the Caisse portal (node --test + playwright-core + axe-core).
// One demo server and one Chromium for the whole file; each test gets a fresh
// browser context (no cookies). Run: `cd e2e && npm test` (see lib/harness.mjs
// for the environment variables).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DEMO,
  MOBILE,
  assertNoConsoleProblems,
  checkPage,
  clickAndWaitForLoad,
  launchBrowser,
  loginMember,
  freshTotpCode,
  loginStaff,
  logoutButton,
  newSession,
  pathOf,
  resetArtifacts,
  startServer,
  totpCode,
  totpStep,
  visit,
} from '../lib/harness.mjs';
import { waitForMailFile } from '../lib/mail_dir.mjs';

let server;
let browser;
let base;
const openContexts = new Set();

before(async () => {
  resetArtifacts();
  server = await startServer();
  base = server.baseUrl;
  browser = await launchBrowser();
}, { timeout: 120_000 });

after(async () => {
  for (const c of openContexts) await c.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (server) await server.stop(); // no-op if the shutdown test already stopped it
}, { timeout: 30_000 });

async function session(options) {
  const s = await newSession(browser, base, options);
  openContexts.add(s.context);
  return s;
}
async function done(s) {
  openContexts.delete(s.context);
  await s.context.close();
}

const FOOTER_LINKS = ['/accessibilite', '/mentions-legales', '/donnees-personnelles', '/agent/connexion'];
const MEMBER_NAV = [
  { name: 'Accueil', path: '/' },
  { name: 'Mes paiements', path: '/paiements' },
  { name: 'Mes démarches', path: '/demarches' },
  { name: 'Ma messagerie', path: '/messagerie' },
  { name: 'Mes attestations', path: '/attestations' },
  { name: 'Mon profil', path: '/profil' },
];
// The NIR as people write it: 1 85 05 78 006 084 91 (any kind of space).
const NIR_FORMATTED = /1\s85\s05\s78\s006\s084\s91/;

/** Same-origin links (without #fragment) inside header, nav and footer. */
async function layoutLinks(page) {
  const hrefs = await page.$$eval('header a[href], nav a[href], footer a[href]', (as) => as.map((a) => a.href));
  const origin = new URL(base).origin;
  const out = new Set();
  for (const h of hrefs) {
    let u;
    try { u = new URL(h); } catch { continue; }
    if (u.origin !== origin) continue;
    u.hash = '';
    out.add(u.pathname + u.search);
  }
  return [...out];
}

describe('anonymous visitor', () => {
  test('crawl of the header, navigation and footer links: 200, lang="fr", one h1, axe-clean, no console errors', { timeout: 180_000 }, async (t) => {
    const s = await session();
    try {
      const queue = ['/'];
      const seen = new Set(queue);
      const failures = [];
      while (queue.length && seen.size <= 40) {
        const path = queue.shift();
        await t.test(`page ${path}`, async () => {
          const status = await visit(s.page, path);
          const type = s.tracker.lastDoc ? (await s.page.evaluate(() => document.contentType)) : '';
          if (status !== 200) {
            failures.push(path);
            assert.fail(`GET ${path} answered ${status} (landed on ${s.page.url()})`);
          }
          if (type && type !== 'text/html') return; // a download: status only
          for (const l of await layoutLinks(s.page)) {
            if (!seen.has(l)) { seen.add(l); queue.push(l); }
          }
          try {
            await checkPage(s.page, s.tracker, { label: `GET ${path}` });
          } catch (e) {
            failures.push(path);
            throw e;
          }
        });
      }
      t.diagnostic(`visited ${seen.size} page(s): ${[...seen].join(' ')}`);
      assert.ok(seen.size >= 5, `expected at least 5 linked pages, found ${[...seen].join(', ')}`);
      assert.deepEqual(failures, [], 'pages with failures (see the subtests above)');
    } finally {
      await done(s);
    }
  });

  test('home page footer links to the legal pages and the staff login', { timeout: 120_000 }, async () => {
    const s = await session();
    try {
      assert.equal(await visit(s.page, '/'), 200);
      const footer = await s.page.$$eval('footer a[href]', (as) => as.map((a) => new URL(a.href).pathname));
      for (const p of FOOTER_LINKS) assert.ok(footer.includes(p), `footer has no link to ${p} (it has: ${footer.join(', ')})`);
      const nav = s.page.locator('header, nav').getByRole('link', { name: 'Accueil' });
      assert.ok((await nav.count()) >= 1, 'no « Accueil » link in the header/navigation');
      await assertNoConsoleProblems(s.page, s.tracker);
    } finally {
      await done(s);
    }
  });

  test('a missing page answers 404 with a French, axe-clean page', { timeout: 120_000 }, async () => {
    const s = await session();
    try {
      const status = await visit(s.page, '/nexiste-pas');
      assert.equal(status, 404, `GET /nexiste-pas answered ${status}`);
      await checkPage(s.page, s.tracker, { label: '404 page /nexiste-pas' });
      const text = await s.page.locator('body').innerText();
      assert.match(text, /introuvable|n.existe pas|n.existe plus|non trouvée|page inconnue/i, `404 page text does not look French:\n${text.slice(0, 400)}`);
    } finally {
      await done(s);
    }
  });

  test('/healthz, /readyz and /metrics', { timeout: 120_000 }, async () => {
    for (const p of ['/healthz', '/readyz']) {
      const res = await fetch(base + p);
      assert.equal(res.status, 200, `GET ${p} answered ${res.status}`);
    }
    const res = await fetch(base + '/metrics');
    assert.equal(res.status, 200, `GET /metrics answered ${res.status}`);
    assert.match(res.headers.get('content-type') || '', /^text\/plain/, 'GET /metrics content type');
    const body = await res.text();
    assert.match(body, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?\s+[-+0-9.eEInfNa]+(\s+\d+)?$/m, `no Prometheus sample in /metrics:\n${body.slice(0, 300)}`);
  });
});

describe('member journey', () => {
  test('wrong password shows an error, axe-clean; then login, every page of the navigation, profile, logout', { timeout: 120_000 }, async (t) => {
    const s = await session();
    const { page, tracker } = s;
    try {
      await t.test('login page is axe-clean', async () => {
        assert.equal(await visit(page, '/connexion'), 200);
        await checkPage(page, tracker, { label: 'GET /connexion' });
      });

      await t.test('wrong password: error message, still logged out, axe-clean', async () => {
        const doc = await loginMember(page, tracker, { password: 'Mauvais-Mot-De-Passe-1' });
        assert.ok(doc && doc.status < 500, `login with a wrong password answered ${doc?.status}`);
        assert.equal(await logoutButton(page).count(), 0, 'a wrong password logged the member in');
        const error = page.locator('[role="alert"], .alert, .erreur, .error, .error-message, [aria-invalid="true"]');
        const text = await page.locator('main').innerText().catch(() => page.locator('body').innerText());
        assert.ok(
          (await error.count()) > 0 || /incorrect|invalide|erron|échou|ne correspond/i.test(text),
          `no visible error message after a wrong password on ${page.url()}:\n${text.slice(0, 400)}`,
        );
        await checkPage(page, tracker, { label: 'login with a wrong password' });
      });

      await t.test('login with the demo member lands on the dashboard', async () => {
        const doc = await loginMember(page, tracker);
        assert.equal(doc?.status, 200, `after login the page answered ${doc?.status} (${doc?.url})`);
        assert.equal(pathOf(page.url()), '/', `after login the member landed on ${page.url()}`);
        assert.ok((await logoutButton(page).count()) >= 1, 'no « Se déconnecter » button after login');
        await checkPage(page, tracker, { label: 'member dashboard /' });
      });

      for (const { name, path } of MEMBER_NAV) {
        await t.test(`navigation « ${name} » → ${path}`, async () => {
          assert.equal(await visit(page, '/'), 200);
          // A count may follow the name (« Mes démarches 1 attend votre action »).
          const link = page.locator('nav').getByRole('link', { name: new RegExp(`^${name}(\\s|$)`) });
          assert.ok((await link.count()) >= 1, `no « ${name} » link in the navigation`);
          const href = await link.first().getAttribute('href');
          assert.equal(new URL(href, base).pathname, path, `« ${name} » links to ${href}`);
          const status = await visit(page, path);
          assert.equal(status, 200, `GET ${path} answered ${status} (landed on ${page.url()})`);
          assert.equal(pathOf(page.url()), path, `GET ${path} landed on ${page.url()}`);
          await checkPage(page, tracker, { label: `member GET ${path}` });
        });
      }

      await t.test('profile shows the NIR formatted', async () => {
        assert.equal(await visit(page, '/profil'), 200);
        const text = await page.locator('main').innerText();
        assert.match(text, NIR_FORMATTED, `/profil does not show « 1 85 05 78 006 084 91 »:\n${text.slice(0, 600)}`);
      });

      await t.test('logout', async () => {
        assert.equal(await visit(page, '/'), 200);
        await clickAndWaitForLoad(page, logoutButton(page).first());
        assert.equal(await logoutButton(page).count(), 0, `still logged in after « Se déconnecter » (${page.url()})`);
        await checkPage(page, tracker, { label: 'page after logout' });
        await visit(page, '/profil');
        const text = await page.locator('body').innerText();
        assert.doesNotMatch(text, NIR_FORMATTED, '/profil still shows the NIR after logout');
        assert.equal(await logoutButton(page).count(), 0, `/profil after logout shows a logged-in page (${page.url()})`);
        await assertNoConsoleProblems(page, tracker);
      });
    } finally {
      await done(s);
    }
  });
});

describe('staff journey', () => {
  test('admin: outbox list and one message are axe-clean', { timeout: 120_000 }, async (t) => {
    const s = await session();
    const { page, tracker } = s;
    try {
      await t.test('staff login page is axe-clean', async () => {
        assert.equal(await visit(page, '/agent/connexion'), 200);
        await checkPage(page, tracker, { label: 'GET /agent/connexion' });
      });
      await t.test('admin logs in with the password then the code, and lands on /agent', async () => {
        const doc = await loginStaff(page, tracker, 'admin', undefined, {
          checkCodePage: (p) => checkPage(p, tracker, { label: 'GET /agent/connexion/code' }),
        });
        assert.equal(doc?.status, 200, `after login the page answered ${doc?.status} (${doc?.url})`);
        assert.match(pathOf(page.url()), /^\/agent\/?$/, `admin landed on ${page.url()}`);
        await checkPage(page, tracker, { label: 'admin GET /agent' });
      });
      let messageHref;
      await t.test('« Boîte d\'envoi » lists at least one message', async () => {
        const link = page.getByRole('link', { name: /Boîte d.envoi/ });
        assert.ok((await link.count()) >= 1, 'no « Boîte d\'envoi » link on /agent for admin');
        assert.equal(new URL(await link.first().getAttribute('href'), base).pathname, '/admin/outbox');
        await clickAndWaitForLoad(page, link.first());
        assert.equal(tracker.lastDoc?.status, 200, `GET /admin/outbox answered ${tracker.lastDoc?.status}`);
        assert.equal(pathOf(page.url()), '/admin/outbox');
        await checkPage(page, tracker, { label: 'admin GET /admin/outbox' });
        const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => a.href));
        messageHref = hrefs.find((h) => /^\/admin\/outbox\/[^/]+$/.test(new URL(h).pathname));
        assert.ok(messageHref, `no link to /admin/outbox/<id> on the outbox page (the demo should have queued a mail); links: ${hrefs.join(', ')}`);
      });
      await t.test('one outbox message page', { skip: false }, async () => {
        assert.ok(messageHref, 'no message link found in the previous step');
        const status = await visit(page, messageHref);
        assert.equal(status, 200, `GET ${messageHref} answered ${status}`);
        await checkPage(page, tracker, { label: `admin GET ${pathOf(messageHref)}` });
      });
    } finally {
      await done(s);
    }
  });

  test('conseiller: no access to /admin/outbox (403, French, axe-clean)', { timeout: 120_000 }, async (t) => {
    const s = await session();
    const { page, tracker } = s;
    try {
      await t.test('conseiller logs in and lands on /agent', async () => {
        const doc = await loginStaff(page, tracker, 'conseiller');
        assert.equal(doc?.status, 200, `after login the page answered ${doc?.status} (${doc?.url})`);
        assert.match(pathOf(page.url()), /^\/agent\/?$/, `conseiller landed on ${page.url()}`);
        await checkPage(page, tracker, { label: 'conseiller GET /agent' });
      });
      await t.test('no link to /admin/outbox on /agent', async () => {
        const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => new URL(a.href).pathname));
        assert.ok(!hrefs.some((h) => h.startsWith('/admin/outbox')), 'the conseiller is shown a link to /admin/outbox');
      });
      await t.test('GET /admin/outbox answers 403 with an axe-clean French page', async () => {
        const status = await visit(page, '/admin/outbox');
        assert.equal(status, 403, `GET /admin/outbox as conseiller answered ${status} (landed on ${page.url()})`);
        await checkPage(page, tracker, { label: 'conseiller GET /admin/outbox (403)' });
      });
    } finally {
      await done(s);
    }
  });
});

/** Six digits that are not a code `secret` gives around now. */
function wrongCode(secret) {
  const near = [-1, 0, 1].map((d) => totpCode(secret, totpStep() + d));
  return ['000000', '111111', '222222'].find((c) => !near.includes(c));
}

describe('staff second factor', () => {
  const RECRUIT = { login: 'e2e.recrue', password: 'Recrue-E2E-Agent-2026' };

  test('a new staff account configures its authenticator app, then logs in with codes (axe-clean)', { timeout: 120_000 }, async (t) => {
    if (!server.admin) {
      t.skip('E2E_BASE_URL: no access to the server\'s database to create a staff account');
      return;
    }
    const created = await server.admin(
      ['staff', 'create', '--login', RECRUIT.login, '--name', 'Recrue E2E', '--role', 'conseiller', '--caisse', '751', '--password-stdin'],
      { stdin: `${RECRUIT.password}\n` },
    );
    assert.equal(created.code, 0, `caisse admin staff create failed:\n${created.stderr}`);
    const s = await session();
    const { page, tracker } = s;
    let key;
    try {
      await t.test('the right password leads to the enrolment page, axe-clean', async () => {
        assert.equal(await visit(page, '/agent/connexion'), 200);
        const form = page.locator('form:has(input[name="login"])');
        await form.locator('input[name="login"]').fill(RECRUIT.login);
        await form.locator('input[name="password"]').fill(RECRUIT.password);
        await clickAndWaitForLoad(page, form.getByRole('button', { name: 'Se connecter' }));
        assert.equal(pathOf(page.url()), '/agent/connexion/enrolement', `landed on ${page.url()}`);
        await checkPage(page, tracker, { label: 'GET /agent/connexion/enrolement' });
      });
      await t.test('the QR code loads as an image with a text alternative, and the key is written out', async () => {
        const qr = page.locator('img.totp-qr');
        assert.equal(await qr.count(), 1);
        assert.ok((await qr.evaluate((img) => img.complete && img.naturalWidth > 0)), 'the QR code image did not load');
        assert.match(await qr.getAttribute('alt'), /QR code/);
        key = (await page.locator('.totp-key code').innerText()).trim();
        assert.match(key, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, `key as shown: ${key}`);
        const uri = await page.getByRole('link', { name: 'Ouvrez le lien de configuration' }).getAttribute('href');
        assert.ok(uri.startsWith('otpauth://totp/') && uri.includes(`secret=${key.replace(/ /g, '')}`), uri);
        await assertNoConsoleProblems(page, tracker, 'enrolment page (QR image)');
      });
      await t.test('a wrong first code is refused, axe-clean; the right one opens /agent', async () => {
        await page.getByLabel('Code affiché par l\'application').fill(wrongCode(key));
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Activer et me connecter' }));
        assert.equal(pathOf(page.url()), '/agent/connexion/enrolement');
        assert.match(await page.locator('.error-summary').innerText(), /pas le bon/);
        await checkPage(page, tracker, { label: 'enrolment page with a wrong code' });
        await page.getByLabel('Code affiché par l\'application').fill(await freshTotpCode(key));
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Activer et me connecter' }));
        assert.match(pathOf(page.url()), /^\/agent\/?$/, `after the first code: ${page.url()}`);
        await checkPage(page, tracker, { label: 'recruit GET /agent' });
      });
      await t.test('next login asks for the code; a wrong one is refused, axe-clean', async () => {
        await clickAndWaitForLoad(page, logoutButton(page).first());
        assert.equal(await visit(page, '/agent/connexion'), 200);
        const form = page.locator('form:has(input[name="login"])');
        await form.locator('input[name="login"]').fill(RECRUIT.login);
        await form.locator('input[name="password"]').fill(RECRUIT.password);
        await clickAndWaitForLoad(page, form.getByRole('button', { name: 'Se connecter' }));
        assert.equal(pathOf(page.url()), '/agent/connexion/code', `landed on ${page.url()}`);
        await page.getByLabel('Code à 6 chiffres').fill(wrongCode(key));
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Valider le code' }));
        assert.match(await page.locator('.error-summary').innerText(), /pas le bon/);
        await checkPage(page, tracker, { label: 'code page with a wrong code' });
        await page.getByLabel('Code à 6 chiffres').fill(await freshTotpCode(key));
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Valider le code' }));
        assert.match(pathOf(page.url()), /^\/agent\/?$/, `after the code: ${page.url()}`);
      });
    } finally {
      await done(s);
    }
  });
});

/**
 * The « Menu » toggle hides the navigation links until pressed. Works with a
 * <button aria-expanded aria-controls> or a <details><summary>Menu</summary>.
 */
async function checkMenu(page, tracker, label, mustShow) {
  let toggle = page.getByRole('button', { name: 'Menu', exact: true });
  if ((await toggle.count()) === 0) toggle = page.locator('summary', { hasText: /^\s*Menu\s*$/ });
  assert.ok((await toggle.count()) >= 1, `${label}: no « Menu » button`);
  toggle = toggle.first();
  assert.ok(await toggle.isVisible(), `${label}: the « Menu » button is not visible at 390×844`);
  const isSummary = await toggle.evaluate((el) => el.tagName === 'SUMMARY');
  const controls = await toggle.getAttribute('aria-controls');
  let target;
  let targetName;
  if (isSummary) {
    target = toggle.locator('xpath=..');
    targetName = 'the <details> of « Menu »';
  } else if (controls) {
    target = page.locator(`[id="${controls}"]`);
    targetName = `#${controls}`;
  } else {
    target = toggle.locator('xpath=ancestor::nav[1]');
    targetName = 'the <nav> around « Menu »';
  }
  const links = target.getByRole('link', { includeHidden: true });
  const n = await links.count();
  assert.ok(n >= 1, `${label}: ${targetName} has no links`);
  const visibleBefore = await Promise.all(Array.from({ length: n }, (_, i) => links.nth(i).isVisible()));
  assert.ok(visibleBefore.every((v) => !v), `${label}: ${visibleBefore.filter(Boolean).length} of ${n} link(s) of ${targetName} are visible before « Menu » is pressed`);
  if (!isSummary) {
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false', `${label}: aria-expanded of « Menu » before the click`);
  }
  await toggle.click();
  // Until the first link shows (CSS transitions), not a fixed time; the checks below say what
  // is wrong if it never does.
  await links.first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
  if (isSummary) {
    assert.ok(await target.evaluate((d) => d.open), `${label}: the <details> did not open`);
  } else {
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true', `${label}: aria-expanded of « Menu » after the click`);
  }
  const visibleAfter = await Promise.all(Array.from({ length: n }, (_, i) => links.nth(i).isVisible()));
  assert.ok(visibleAfter.every(Boolean), `${label}: after « Menu », ${visibleAfter.filter((v) => !v).length} of ${n} link(s) of ${targetName} are still hidden`);
  if (mustShow) {
    const l = target.getByRole('link', { name: mustShow, exact: true });
    assert.ok((await l.count()) >= 1 && (await l.first().isVisible()), `${label}: « ${mustShow} » is not visible in the opened menu`);
  }
  await checkPage(page, tracker, { label: `${label}, menu open` });
}

describe('mobile viewport 390×844', () => {
  test('home and member dashboard are axe-clean and the « Menu » works', { timeout: 120_000 }, async (t) => {
    const s = await session(MOBILE);
    const { page, tracker } = s;
    try {
      await t.test('home page', async () => {
        assert.equal(await visit(page, '/'), 200);
        await checkPage(page, tracker, { label: 'mobile GET /' });
        await checkMenu(page, tracker, 'mobile home', 'Accueil');
      });
      await t.test('member dashboard (login with the NIR written with spaces)', async () => {
        const doc = await loginMember(page, tracker, { nir: DEMO.memberNirSpaced });
        assert.equal(doc?.status, 200, `after login the page answered ${doc?.status} (${doc?.url})`);
        assert.equal(pathOf(page.url()), '/', `after login with the spaced NIR the member landed on ${page.url()}`);
        // On phones « Se déconnecter » ends the closed « Menu ».
        const logout = page.getByRole('button', { name: 'Se déconnecter', includeHidden: true });
        assert.ok((await logout.count()) >= 1, 'the NIR written with spaces was not accepted');
        await checkPage(page, tracker, { label: 'mobile member dashboard /' });
        await checkMenu(page, tracker, 'mobile member dashboard', 'Mes paiements');
      });
    } finally {
      await done(s);
    }
  });
});

/** The header's visible boxes: brand, the « Menu » toggle, the account's visible controls. */
async function headerBoxes(page) {
  return page.evaluate(() => {
    const visible = (e) => e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const box = (e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; };
    const brand = document.querySelector('header .brand');
    const summary = [...document.querySelectorAll('header summary')].find(visible);
    const account = [...document.querySelectorAll('header .account a, header .account button')].filter(visible);
    return { brand: box(brand), others: [summary, ...account].filter(Boolean).map(box) };
  });
}

describe('header and home (issue 20)', () => {
  test('visitors get the public menu and « Créer mon compte », staff pages no member menu, one header row at 390 px', { timeout: 120_000 }, async (t) => {
    for (const [label, options] of [['1280 px', {}], ['390 px', MOBILE]]) {
      const s = await session(options);
      const { page, tracker } = s;
      try {
        await t.test(`${label}: public menu, « Créer mon compte », tel: link`, async () => {
          assert.equal(await visit(page, '/'), 200);
          const header = page.locator('header');
          assert.equal(await header.locator('a[href="/inscription"]').count(), 1, 'no « Créer mon compte » in the header');
          assert.equal(await header.locator('a[href="/paiements"], a[href="/messagerie"]').count(), 0, 'the member menu is shown to a visitor');
          assert.ok((await header.locator('a[href="/verifier"]').count()) >= 1, 'no « Vérifier une attestation » in the public menu');
          assert.equal(await page.locator('footer a[href="tel:3646"]').innerText(), '36 46');
          const { brand, others } = await headerBoxes(page);
          for (const o of others) {
            assert.ok(o.top < brand.bottom && o.bottom > brand.top, `${label}: a header control is not on the brand's row`);
          }
          await checkPage(page, tracker, { label: `${label} public home` });
        });
        await t.test(`${label}: /agent/connexion shows no member or public menu`, async () => {
          assert.equal(await visit(page, '/agent/connexion'), 200);
          assert.equal(await page.locator('header nav').count(), 0, 'a menu on the staff login page');
          assert.equal(await page.locator('header a[href="/paiements"], header a[href="/inscription"]').count(), 0);
        });
      } finally {
        await done(s);
      }
    }
  });

  test('the member home leads with what to do; the menu carries the counts', { timeout: 120_000 }, async (t) => {
    const s = await session(MOBILE);
    const { page, tracker } = s;
    try {
      await loginMember(page, tracker);
      await t.test('« À faire » comes first, the service cards are gone', async () => {
        const text = await page.locator('main').innerText();
        assert.match(text, /À faire/);
        assert.ok(text.indexOf('À faire') < text.indexOf('Mon dernier paiement'), 'the tasks are not first');
        assert.doesNotMatch(text, /Mes services/);
        assert.ok(await page.getByRole('button', { name: 'Télécharger mon attestation de droits (PDF)' }).isVisible());
        await checkPage(page, tracker, { label: 'member home with tasks (390 px)' });
      });
      await t.test('the draft of the demo shows as a count on « Mes démarches »', async () => {
        // The demo leaves Julien a draft to finish.
        assert.match(await page.locator('main').innerText(), /dossiers? attend/);
        await page.locator('summary', { hasText: /^\s*Menu\s*$/ }).first().click();
        const link = page.locator('header details').getByRole('link', { name: /^Mes démarches \d+ attendent? votre action$/ });
        assert.ok(await link.isVisible(), 'no count on « Mes démarches »');
        const { brand, others } = await headerBoxes(page);
        for (const o of others) {
          assert.ok(o.top < brand.bottom && o.bottom > brand.top, 'the « Menu » toggle is not on the brand\'s row');
        }
      });
    } finally {
      await done(s);
    }
  });
});

// Sophie WEBER, not the member the other tests log in with: her password changes here, and
// the tests share one server.
const RESET_MEMBER = Object.freeze({
  nir: '2 82 12 67 482 023 55',
  birthDate: '21/12/1982',
  email: 'sophie.weber@exemple.fr',
  newPassword: 'Girafe-Parapluie-Violon-47',
});

/** The paths of the outbox messages to `recipient` with `subject` on the admin's outbox page. */
async function outboxMessage(page, tracker, recipient, subject) {
  assert.equal(await visit(page, '/admin/outbox'), 200);
  await checkPage(page, tracker, { label: `admin GET /admin/outbox (${subject})` });
  // Newest first: the first matching row is the newest mail.
  const row = page.locator('tbody tr').filter({ hasText: recipient }).filter({ hasText: subject }).first();
  assert.equal(await row.count(), 1, `no « ${subject} » to ${recipient} in the outbox`);
  await clickAndWaitForLoad(page, row.getByRole('link'));
  assert.equal(tracker.lastDoc?.status, 200);
  await checkPage(page, tracker, { label: `admin GET /admin/outbox/<${subject}>` });
  return page.locator('.mail-body').innerText();
}

describe('password recovery', () => {
  test('« Mot de passe oublié » → mail received → new password → login, never in another fund\'s outbox; axe-clean throughout', { timeout: 180_000 }, async (t) => {
    if (!server.mailDir) {
      t.skip('no mail directory for that server (set E2E_MAIL_DIR)');
      return;
    }
    const member = await session();
    const admin = await session();
    let linkPath;
    try {
      await t.test('the login page links to the recovery form', async () => {
        const { page, tracker } = member;
        assert.equal(await visit(page, '/connexion'), 200);
        const link = page.getByRole('link', { name: 'Mot de passe oublié ?' });
        assert.equal(await link.count(), 1, 'no « Mot de passe oublié ? » link on /connexion');
        await clickAndWaitForLoad(page, link);
        assert.equal(pathOf(page.url()), '/mot-de-passe-oublie');
        await checkPage(page, tracker, { label: 'GET /mot-de-passe-oublie' });
      });

      await t.test('an empty form lists its errors, axe-clean', async () => {
        const { page, tracker } = member;
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Recevoir un lien' }));
        assert.equal(tracker.lastDoc?.status, 422);
        assert.equal(await page.locator('.error-summary li').count(), 3, 'three errors expected in the summary');
        await checkPage(page, tracker, { label: 'POST /mot-de-passe-oublie with errors' });
      });

      await t.test('NIR + birth date + email: the same neutral answer as always', async () => {
        const { page, tracker } = member;
        await page.getByLabel('Numéro de sécurité sociale').fill(RESET_MEMBER.nir);
        await page.getByLabel('Date de naissance').fill(RESET_MEMBER.birthDate);
        await page.getByLabel('Adresse e-mail').fill(RESET_MEMBER.email);
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Recevoir un lien' }));
        assert.equal(tracker.lastDoc?.status, 200);
        const text = await page.locator('main').innerText();
        assert.match(text, /Si ces informations correspondent à un compte, vous allez recevoir un e-mail contenant un lien valable une heure\./);
        await checkPage(page, tracker, { label: 'reset requested' });
      });

      await t.test('the member receives the mail with the link, in a file only the server\'s user reads', async () => {
        const mail = await waitForMailFile(server.mailDir, { to: RESET_MEMBER.email, subject: 'Réinitialisation de votre mot de passe' });
        assert.equal(mail.mode, 0o600, `mail file mode ${mail.mode.toString(8)}`);
        assert.match(mail.text, /valable une heure/);
        const url = mail.text.match(/https?:\/\/\S+\/mot-de-passe-oublie\/[A-Za-z0-9_-]{43}/);
        assert.ok(url, `no reset link in the mail:\n${mail.text}`);
        linkPath = new URL(url[0]).pathname;
      });

      await t.test('the outbox of another fund\'s administrator does not list the mail', async () => {
        // Sophie WEBER is a member of the Bas-Rhin fund; the demo administrator is the Yvelines'.
        // (Masked links and codes on the outbox pages: the new-device journey and the HTTP suite.)
        const { page, tracker } = admin;
        const doc = await loginStaff(page, tracker, 'admin');
        assert.equal(doc?.status, 200, `admin login answered ${doc?.status}`);
        assert.equal(await visit(page, '/admin/outbox'), 200);
        await checkPage(page, tracker, { label: 'admin GET /admin/outbox (another fund\'s reset)' });
        assert.equal(await page.locator('tbody tr').filter({ hasText: RESET_MEMBER.email }).count(), 0,
          `the Yvelines administrator sees the mail of a Bas-Rhin member`);
      });

      await t.test('the link opens the form; a weak password is refused with an explanation, axe-clean', async () => {
        const { page, tracker } = member;
        assert.ok(linkPath, 'no link found in the previous step');
        assert.equal(await visit(page, linkPath), 200);
        await checkPage(page, tracker, { label: 'GET /mot-de-passe-oublie/<token>' });
        assert.equal(await page.locator('input[autocomplete="new-password"]').count(), 2);
        await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('Aaaaaaaaaaa1');
        await page.getByLabel('Confirmation du nouveau mot de passe', { exact: true }).fill('Aaaaaaaaaaa1');
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }));
        assert.equal(tracker.lastDoc?.status, 422);
        assert.match(await page.locator('.error-summary').innerText(), /trop facile à deviner/);
        await checkPage(page, tracker, { label: 'weak new password refused' });
      });

      await t.test('a strong password is saved; the login page says so; the member logs in with it', async () => {
        const { page, tracker } = member;
        await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(RESET_MEMBER.newPassword);
        await page.getByLabel('Confirmation du nouveau mot de passe', { exact: true }).fill(RESET_MEMBER.newPassword);
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }));
        assert.equal(pathOf(page.url()), '/connexion');
        assert.match(await page.locator('main').innerText(), /Votre mot de passe a été modifié\. Connectez-vous avec votre nouveau mot de passe\./);
        await checkPage(page, tracker, { label: 'login page after the reset' });
        const doc = await loginMember(page, tracker, { nir: RESET_MEMBER.nir, password: RESET_MEMBER.newPassword });
        assert.equal(doc?.status, 200, `login with the new password answered ${doc?.status}`);
        assert.equal(pathOf(page.url()), '/', `after login with the new password the member landed on ${page.url()}`);
        assert.ok((await logoutButton(page).count()) >= 1, 'the new password did not log the member in');
        await checkPage(page, tracker, { label: 'dashboard after the reset' });
      });

      await t.test('the used link now answers 410 with a French, axe-clean page', async () => {
        const { page, tracker } = member;
        assert.equal(await visit(page, linkPath), 410);
        assert.match(await page.locator('h1').innerText(), /Lien déjà utilisé/);
        await checkPage(page, tracker, { label: 'used reset link (410)' });
      });
    } finally {
      await done(member);
      await done(admin);
    }
  });
});

// Camille ROSSI: no other test logs in with her, so her profile can change here.
const PROFILE_MEMBER = Object.freeze({ nir: '293122A004123', password: DEMO.memberPassword });
const PROFILE_PAGES = [
  '/profil/mot-de-passe',
  '/profil/email',
  '/profil/mobile',
  '/profil/adresse',
  '/profil/coordonnees-bancaires',
  '/profil/notifications',
  '/profil/connexions',
  '/profil/cloture',
];

describe('« Mon profil »', () => {
  test('every profile page, a refused form, a pending bank change and a code page are axe-clean', { timeout: 180_000 }, async (t) => {
    const s = await session();
    const { page, tracker } = s;
    try {
      await t.test('login and /profil', async () => {
        const doc = await loginMember(page, tracker, PROFILE_MEMBER);
        assert.equal(doc?.status, 200, `after login the page answered ${doc?.status} (${doc?.url})`);
        assert.equal(await visit(page, '/profil'), 200);
        await checkPage(page, tracker, { label: 'GET /profil' });
        const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => new URL(a.href).pathname));
        for (const p of PROFILE_PAGES) assert.ok(hrefs.includes(p), `/profil has no link to ${p}`);
      });

      for (const path of PROFILE_PAGES) {
        await t.test(`GET ${path}`, async () => {
          assert.equal(await visit(page, path), 200, `GET ${path}`);
          await checkPage(page, tracker, { label: `GET ${path}` });
        });
      }

      await t.test('the address form with errors lists them and stays axe-clean', async () => {
        assert.equal(await visit(page, '/profil/adresse'), 200);
        await page.getByLabel('Numéro et voie').fill('');
        await page.getByLabel('Code postal').fill('123');
        await page.getByLabel('Mot de passe actuel').fill('Pas-Le-Bon-2026');
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Enregistrer la nouvelle adresse' }));
        assert.equal(tracker.lastDoc?.status, 422);
        assert.equal(await page.locator('.error-summary li').count(), 2, 'two errors expected in the summary');
        await checkPage(page, tracker, { label: 'POST /profil/adresse with errors' });
      });

      await t.test('new bank details wait; the pending change shows with its cancel button', async () => {
        assert.equal(await visit(page, '/profil/coordonnees-bancaires'), 200);
        await page.getByLabel('Nouvel IBAN').fill('FR76 1027 8010 0000 0123 4567 891');
        await page.getByLabel('Mot de passe actuel').fill(PROFILE_MEMBER.password);
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Enregistrer les nouvelles coordonnées' }));
        assert.equal(pathOf(page.url()), '/profil');
        assert.match(await page.locator('main').innerText(), /Changement de coordonnées bancaires en attente/);
        await checkPage(page, tracker, { label: '/profil with a pending bank change' });
        assert.equal(await visit(page, '/profil/coordonnees-bancaires'), 200);
        await checkPage(page, tracker, { label: 'GET /profil/coordonnees-bancaires with a pending change' });
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Annuler ce changement' }));
        assert.match(await page.locator('main').innerText(), /Le changement de coordonnées bancaires est annulé/);
      });

      await t.test('a new mobile number leads to the SMS code page', async () => {
        assert.equal(await visit(page, '/profil/mobile'), 200);
        await page.getByLabel('Nouveau numéro de mobile').fill('06 98 76 54 00');
        await page.getByLabel('Mot de passe actuel').fill(PROFILE_MEMBER.password);
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Recevoir un code par SMS' }));
        assert.equal(pathOf(page.url()), '/profil/mobile/code');
        await checkPage(page, tracker, { label: 'GET /profil/mobile/code' });
      });

      await t.test('a dead email confirmation link answers 410 at once', async () => {
        assert.equal(await visit(page, '/profil/email/confirmer/lien-inconnu'), 410);
        await checkPage(page, tracker, { label: 'unusable email link (410)' });
      });
    } finally {
      await done(s);
    }
  });
});

describe('server', () => {
  test('stops within 10 s of SIGTERM', { skip: process.env.E2E_BASE_URL ? 'E2E_BASE_URL: not our server' : false }, async () => {
    const r = await server.stop({ graceMs: 10_000 });
    assert.ok(r.graceful, `the server did not exit within 10 s of SIGTERM (killed after ${r.ms} ms)`);
    assert.equal(r.code, 0, `the server exited with code ${r.code} signal ${r.signal} after SIGTERM (${r.ms} ms)`);
  });
});

// ------------------------------------------------------ new-device code ----

describe('new-device confirmation', () => {
  test('password → code page → code received by mail (masked in the outbox) → trusted device → no code next time, axe-clean', { timeout: 180_000 }, async (t) => {
    // A server of its own with the confirmation on (the shared demo server has it off).
    const confirming = await startServer({ sqlite: true, env: { CAISSE_NEW_DEVICE_CONFIRMATION: 'true' } });
    const member = await newSession(browser, confirming.baseUrl);
    const admin = await newSession(browser, confirming.baseUrl);
    openContexts.add(member.context);
    openContexts.add(admin.context);
    let code;
    try {
      await t.test('the right password leads to the code page, not to the account', async () => {
        const { page, tracker } = member;
        const doc = await loginMember(page, tracker);
        assert.equal(doc?.status, 200);
        assert.equal(pathOf(page.url()), '/connexion/code');
        assert.match(await page.locator('h1').innerText(), /Confirmez votre connexion/);
        await checkPage(page, tracker, { label: 'GET /connexion/code' });
      });

      await t.test('a wrong code is refused with an explanation, axe-clean', async () => {
        const { page, tracker } = member;
        await page.getByLabel('Code reçu par e-mail').fill('000000');
        await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Valider le code' }));
        // 000000 could be the real code once in a million runs; then the login simply succeeds.
        if (pathOf(page.url()) === '/connexion/code') {
          assert.match(await page.locator('.error-summary').innerText(), /pas le bon/);
          await checkPage(page, tracker, { label: 'wrong login code' });
        }
      });

      await t.test('the member receives the code by mail; the outbox shows it masked', async () => {
        const mail = await waitForMailFile(confirming.mailDir, { to: 'julien.martin@exemple.fr', subject: 'Votre code de connexion' });
        code = mail.text.match(/\b\d{6}\b/)?.[0];
        assert.ok(code, `no code in the mail:\n${mail.text}`);
        const { page, tracker } = admin;
        await loginStaff(page, tracker, 'admin');
        const body = await outboxMessage(page, tracker, 'julien.martin@exemple.fr', 'Votre code de connexion');
        assert.match(body, /\[code masqué\]/);
        assert.ok(!body.includes(code), `the code is readable in the outbox:\n${body}`);
      });

      await t.test('the right code, device trusted: the member lands on the dashboard', async () => {
        const { page, tracker } = member;
        if (pathOf(page.url()) === '/connexion/code') {
          await page.getByLabel('Code reçu par e-mail').fill(code);
          await page.getByLabel('Faire confiance à cet appareil').check();
          await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Valider le code' }));
        }
        assert.equal(pathOf(page.url()), '/');
        assert.ok((await logoutButton(page).count()) >= 1, 'not logged in after the code');
        await checkPage(page, tracker, { label: 'dashboard after the code' });
      });

      await t.test('after logging out, the trusted browser logs in without a code', async () => {
        const { page, tracker } = member;
        await clickAndWaitForLoad(page, logoutButton(page).first());
        await loginMember(page, tracker);
        assert.equal(pathOf(page.url()), '/', 'the code was asked again on a trusted device');
      });
    } finally {
      openContexts.delete(member.context);
      openContexts.delete(admin.context);
      await member.context.close().catch(() => {});
      await admin.context.close().catch(() => {});
      await confirming.stop();
    }
  });
});
