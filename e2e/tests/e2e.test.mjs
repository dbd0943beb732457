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
  loginStaff,
  logoutButton,
  newSession,
  pathOf,
  resetArtifacts,
  startServer,
  visit,
} from '../lib/harness.mjs';

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
          const link = page.locator('nav').getByRole('link', { name, exact: true });
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
      await t.test('admin logs in and lands on /agent', async () => {
        const doc = await loginStaff(page, tracker, 'admin');
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
  await page.waitForTimeout(300); // CSS transitions
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
        assert.ok((await logoutButton(page).count()) >= 1, 'the NIR written with spaces was not accepted');
        await checkPage(page, tracker, { label: 'mobile member dashboard /' });
        await checkMenu(page, tracker, 'mobile member dashboard', 'Mes paiements');
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
