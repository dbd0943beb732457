// Helpers for the Caisse browser tests: start/stop the demo server, launch
// Debian's Chromium through playwright-core (no browser download), track
// console errors and CSP violations, run axe-core, log in.
//
// Environment:
//   CAISSE_BIN        server binary (default: <repo>/target/debug/caisse)
//   E2E_DATABASE_URL  PostgreSQL URL handed to the server as DATABASE_URL;
//                     unset: the server uses SQLite in its temporary data dir
//   E2E_BASE_URL      test an already running server instead of starting one
//   E2E_MAIL_DIR      with E2E_BASE_URL: that server's mail directory (CAISSE_MAIL_DIR), for
//                     the tests that read mail; unset, they are skipped
//   CHROMIUM_PATH     browser executable (default: /usr/bin/chromium)
//   E2E_ARTIFACTS     where the screenshots (screens/) and server.log go (default: e2e/test-results)

import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const E2E_DIR = path.resolve(here, '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..');
export const ARTIFACTS = process.env.E2E_ARTIFACTS || path.join(E2E_DIR, 'test-results');

export const DEMO = Object.freeze({
  memberNir: '185057800608491',
  memberNirSpaced: '1 85 05 78 006 084 91',
  memberPassword: 'Caisse-Demo-2026',
  staffPassword: 'Agent-Demo-2026',
  // The fixed, published TOTP secrets of the demo staff (caisse_core::demo).
  staffTotpSecrets: Object.freeze({
    conseiller: 'CONSEILLERDEMOCAISSEDEUXMILLESIX',
    superviseur: 'SUPERVISEURDEMOCAISSEDEUXMILLE26',
    admin: 'ADMINDEMOCAISSEDEUXMILLEVINGTSIX',
  }),
});

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- server ----

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function tail(text, lines = 80) {
  return text.split('\n').slice(-lines).join('\n');
}

/**
 * Starts `caisse demo` on a free loopback port and waits for GET /readyz = 200
 * (up to 60 s). Returns { baseUrl, output(), stop(), mailDir }. `env` adds variables; `sqlite`
 * forces a server of its own on SQLite (ignoring E2E_DATABASE_URL and E2E_BASE_URL); `port`
 * chooses its port (a test that must know its address before it starts, e.g. to register it
 * at an identity provider).
 */
export async function startServer({ readyTimeoutMs = 60_000, env: extraEnv = {}, sqlite = false, port: chosenPort } = {}) {
  if (process.env.E2E_BASE_URL && !sqlite) {
    const baseUrl = process.env.E2E_BASE_URL.replace(/\/+$/, '');
    return { baseUrl, external: true, output: () => '', stop: async () => ({ code: 0 }), admin: null, mailDir: process.env.E2E_MAIL_DIR || null };
  }
  const bin = process.env.CAISSE_BIN || path.join(REPO_ROOT, 'target', 'debug', 'caisse');
  const port = chosenPort ?? (await freePort());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'caisse-e2e-'));
  // Without SMTP the server writes the mail it delivers here (the development transport).
  const mailDir = path.join(dataDir, 'courriels');
  // The suite's servers share one PostgreSQL database, so they share one login budget per
  // address, as the nodes of a cluster do (docs/operations.md); the suite logs in from
  // 127.0.0.1 far more than 20 times a minute.
  const env = {
    ...process.env,
    CAISSE_LISTEN: `127.0.0.1:${port}`,
    CAISSE_DATA_DIR: dataDir,
    CAISSE_MAIL_DIR: mailDir,
    CAISSE_RATE_LIMIT_LOGINS_PER_MINUTE: '1000',
  };
  delete env.DATABASE_URL;
  if (process.env.E2E_DATABASE_URL && !sqlite) env.DATABASE_URL = process.env.E2E_DATABASE_URL;
  Object.assign(env, extraEnv);
  if (!env.RUST_LOG) env.RUST_LOG = 'info';

  let out = '';
  const child = spawn(bin, ['demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  let exited = null;
  let spawnError = null;
  const exitPromise = new Promise((resolve) => {
    child.on('error', (e) => { spawnError = e; exited = { code: null, signal: null }; resolve(exited); });
    child.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); });
  });
  const saveLog = () => {
    try {
      resetArtifacts();
      writeFileSync(path.join(ARTIFACTS, 'server.log'), out);
    } catch { /* best effort */ }
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const db = env.DATABASE_URL ? env.DATABASE_URL.replace(/\/\/[^@/]*@/, '//…@') : `SQLite in ${dataDir}`;
  const started = Date.now();
  let lastProblem = 'no answer yet';
  while (Date.now() - started < readyTimeoutMs) {
    if (exited) {
      saveLog();
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(
        `${bin} demo exited before it was ready (${spawnError ? spawnError.message : `code ${exited.code}, signal ${exited.signal}`}).\n` +
          (spawnError?.code === 'ENOENT' ? 'Build it first: cargo build --locked -p caisse-server (or set CAISSE_BIN).\n' : '') +
          `--- server output ---\n${tail(out)}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) break;
      lastProblem = `GET /readyz answered ${res.status}`;
    } catch (e) {
      lastProblem = `GET /readyz: ${e.cause?.code || e.message}`;
    }
    await sleep(250);
  }
  if (Date.now() - started >= readyTimeoutMs) {
    child.kill('SIGKILL');
    await exitPromise;
    saveLog();
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`server not ready after ${readyTimeoutMs / 1000} s (${lastProblem}).\n--- server output ---\n${tail(out)}`);
  }
  console.log(`# caisse demo ready at ${baseUrl} in ${Date.now() - started} ms (database: ${db})`);

  /**
   * Runs `caisse admin ARGS…` on the demo's database (the same DATA_DIR and DATABASE_URL);
   * `stdin` is written to its standard input. Resolves to { code, stdout, stderr }.
   */
  function admin(args, { stdin = '' } = {}) {
    const adminEnv = { ...env, DATABASE_URL: env.DATABASE_URL || `sqlite://${path.join(dataDir, 'demo.sqlite')}` };
    return new Promise((resolve, reject) => {
      const proc = spawn(bin, ['admin', ...args], { env: adminEnv, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (d) => { stdout += d; });
      proc.stderr.on('data', (d) => { stderr += d; });
      proc.on('error', reject);
      proc.on('exit', (code) => resolve({ code, stdout, stderr }));
      proc.stdin.end(stdin);
    });
  }

  let stopped = null;
  /** SIGTERM, then wait up to `graceMs` for the exit; SIGKILL after that. */
  async function stop({ graceMs = 10_000 } = {}) {
    if (stopped) return stopped;
    const t0 = Date.now();
    if (!exited) child.kill('SIGTERM');
    const res = await Promise.race([exitPromise, sleep(graceMs).then(() => null)]);
    if (!res) {
      child.kill('SIGKILL');
      await exitPromise;
    }
    saveLog();
    rmSync(dataDir, { recursive: true, force: true });
    stopped = { ...exited, graceful: !!res, ms: Date.now() - t0 };
    return stopped;
  }
  return { baseUrl, external: false, output: () => out, stop, admin, pid: child.pid, mailDir: env.CAISSE_SMTP_URL ? null : env.CAISSE_MAIL_DIR };
}

// --------------------------------------------------------------- browser ----

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Launches Debian's Chromium with a fresh temporary profile. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

export const MOBILE = Object.freeze({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

/**
 * A fresh browser context (no cookies) with console/CSP tracking on each page.
 * Returns { context, page, tracker }.
 */
export async function newSession(browser, baseUrl, contextOptions = {}) {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'fr-FR', ...contextOptions });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(
        `CSP violation: ${e.effectiveDirective || e.violatedDirective} blocked ${e.blockedURI || '(inline)'}` +
          (e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : '') + (e.disposition === 'report' ? ' [report-only]' : ''),
      );
    });
  });
  const page = await context.newPage();
  const tracker = trackPage(page);
  return { context, page, tracker };
}

/** Records console errors, CSP messages, page errors and main-frame document statuses. */
export function trackPage(page) {
  const tracker = { problems: [], docStatus: new Map(), lastDoc: null };
  page.on('response', (res) => {
    const req = res.request();
    if (req.isNavigationRequest() && res.frame() === page.mainFrame()) {
      tracker.docStatus.set(res.url(), res.status());
      tracker.lastDoc = { url: res.url(), status: res.status(), method: req.method() };
    }
  });
  page.on('console', (msg) => {
    const text = msg.text();
    const loc = msg.location()?.url || '';
    const isCsp = /Content[- ]Security[- ]Policy/i.test(text);
    if (msg.type() !== 'error' && !isCsp) return;
    // The document itself answered 4xx/5xx (e.g. the 404 or 403 page under test):
    // Chromium logs that as an error; the tests check those statuses themselves.
    if (/^Failed to load resource: the server responded with a status of \d+/.test(text) && (tracker.docStatus.get(loc) ?? 0) >= 400) return;
    tracker.problems.push(`console ${msg.type()}: ${text}${loc ? ` (${loc})` : ''} [on ${page.url()}]`);
  });
  page.on('pageerror', (err) => tracker.problems.push(`uncaught exception: ${err.message} [on ${page.url()}]`));
  return tracker;
}

// ------------------------------------------------------------------- axe ----

let axeSource = null;
function axeScript() {
  if (!axeSource) axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Runs axe-core in the page (injected through CDP, so the page's CSP does not apply). */
export async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(axeScript());
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' >>> '), summary: (n.failureSummary || '').split('\n').slice(0, 3).join(' ').trim() })),
    }));
  }, AXE_TAGS);
}

export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes.slice(0, 8).map((n) => `      - ${n.target}${n.summary ? `  (${n.summary})` : ''}`);
      if (v.nodes.length > 8) nodes.push(`      … and ${v.nodes.length - 8} more`);
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/**
 * Empties the artifacts directory (screenshots, server.log) of the previous run, once per run:
 * `node --test` runs each test file in a child process of its own, so the files of one run
 * share their parent's pid, written in a marker; the first file of a run to call this (every
 * checkPage does) empties the directory, the others keep what earlier files saved.
 */
export function resetArtifacts() {
  const marker = path.join(ARTIFACTS, '.run');
  const run = String(process.ppid);
  try {
    if (readFileSync(marker, 'utf8') === run) return;
  } catch { /* no marker: a new run */ }
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(marker, run);
}

function slug(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/^https?:\/\/[^/]+/, '').replace(/[^a-zA-Z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 80) || 'root';
}

/** Throws (once, listing everything) if the tracker recorded console errors or CSP violations. */
export async function assertNoConsoleProblems(page, tracker, label = page.url()) {
  let csp = [];
  try {
    csp = await page.evaluate(() => (window.__cspViolations || []).splice(0));
  } catch { /* page closed or navigating */ }
  const problems = [...tracker.problems.splice(0), ...csp.map((c) => `${c} [on ${page.url()}]`)];
  if (problems.length) throw new Error(`${label}: console errors / CSP violations:\n  ${problems.join('\n  ')}`);
}

// The widths every page is checked at: the session's (desktop, 1280 px by default) and the
// phone's (MOBILE, 390 px). A session that is already phone-sized is checked once.
const SCREENS = () => path.join(ARTIFACTS, 'screens');
const shotNames = new Map();
const testFile = path.basename(process.argv[1] || '', '.test.mjs').replace(/[^a-zA-Z0-9]+/g, '_');

/** `<test file>-<label>`, made unique within the run of that file (a label used twice gets -2). */
function screenSlug(label) {
  const base = `${testFile ? `${testFile}-` : ''}${slug(label)}`;
  const n = (shotNames.get(base) || 0) + 1;
  shotNames.set(base, n);
  return n === 1 ? base : `${base}-${n}`;
}

const twoFrames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** Checks the page as laid out now: axe-core, nothing wider than the viewport; saves a full-page screenshot. */
async function checkLayout(page, { width, shot, axe }) {
  const problems = [];
  if (axe) {
    const violations = await runAxe(page);
    if (violations.length) problems.push(`${width}: axe-core: ${violations.length} violation(s):\n${formatViolations(violations)}`);
  }
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  if (scroll > inner) {
    const culprits = await page.evaluate((limit) => {
      // The outermost elements whose right edge passes the viewport: where to look first.
      const out = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right <= limit + 0.5 || (el.parentElement && el.parentElement.getBoundingClientRect().right > limit + 0.5)) continue;
        const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls} (right edge ${Math.round(r.right)}px)`);
        if (out.length >= 5) break;
      }
      return out;
    }, inner);
    problems.push(`${width}: the page is ${scroll}px wide in a ${inner}px viewport${culprits.length ? `; wider: ${culprits.join(', ')}` : ''}`);
  }
  try {
    await page.screenshot({ path: shot, fullPage: true });
  } catch (e) {
    problems.push(`${width}: no screenshot (${e.message.split('\n')[0]})`);
  }
  return problems;
}

/**
 * The checks every page gets, at the session's width (desktop) and again at the phone's
 * (MOBILE, 390 px): lang="fr", exactly one h1, a <title>, axe-core clean (AXE_TAGS) at each
 * width, the document no wider than the viewport at each width, no console errors or CSP
 * violations. A full-page screenshot of each width is kept in test-results/screens/
 * (<file>-<label>-desktop.png, -mobile.png) for a person to review. The desktop viewport is
 * restored afterwards. Collects every problem and throws one error listing them all.
 */
export async function checkPage(page, tracker, { label = page.url(), axe = true } = {}) {
  await page.waitForLoadState('load');
  resetArtifacts();
  const problems = [];
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    h1: Array.from(document.querySelectorAll('h1')).map((h) => h.textContent.trim().replace(/\s+/g, ' ')),
    title: document.title.trim(),
  }));
  if (facts.lang !== 'fr') problems.push(`<html lang> is ${JSON.stringify(facts.lang)}, expected "fr"`);
  if (facts.h1.length !== 1) problems.push(`expected exactly one <h1>, found ${facts.h1.length}${facts.h1.length ? `: ${JSON.stringify(facts.h1)}` : ''}`);
  if (!facts.title) problems.push('empty <title>');

  mkdirSync(SCREENS(), { recursive: true });
  const base = path.join(SCREENS(), screenSlug(label));
  const shots = [];
  const desktop = page.viewportSize();
  if (!desktop || desktop.width <= MOBILE.viewport.width) {
    shots.push(`${base}-mobile.png`);
    problems.push(...(await checkLayout(page, { width: 'mobile', shot: shots[0], axe })));
  } else {
    shots.push(`${base}-desktop.png`, `${base}-mobile.png`);
    problems.push(...(await checkLayout(page, { width: `desktop ${desktop.width}px`, shot: shots[0], axe })));
    await page.setViewportSize(MOBILE.viewport);
    try {
      await twoFrames(page);
      problems.push(...(await checkLayout(page, { width: `mobile ${MOBILE.viewport.width}px`, shot: shots[1], axe })));
    } finally {
      await page.setViewportSize(desktop);
      await twoFrames(page).catch(() => {});
    }
  }
  try {
    await assertNoConsoleProblems(page, tracker, label);
  } catch (e) {
    problems.push(e.message.replace(/^[^:]*: /, ''));
  }
  if (problems.length) {
    const where = shots.map((s) => path.relative(process.cwd(), s)).join(', ');
    throw new Error(`${label} (${page.url()}):\n- ${problems.join('\n- ')}\n(screenshots: ${where})`);
  }
  return facts;
}

/** page.goto that returns the final status (after redirects). */
export async function visit(page, url) {
  const res = await page.goto(url, { waitUntil: 'load' });
  return res ? res.status() : 0;
}

/** Clicks and waits for the resulting document to load (form submissions). */
export async function clickAndWaitForLoad(page, locator) {
  await Promise.all([page.waitForEvent('load', { timeout: 20_000 }), locator.click()]);
}

// ------------------------------------------------------------------- TOTP ----

/** Bytes of an RFC 4648 base32 string (case, spaces and padding ignored). */
export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export const TOTP_STEP_SECONDS = 30;

/** The current RFC 6238 time step (30 s) of this machine's clock, the server's too. */
export function totpStep(unixMs = Date.now()) {
  return Math.floor(unixMs / 1000 / TOTP_STEP_SECONDS);
}

/** The 6-digit RFC 6238 code (HMAC-SHA-1, RFC 4226 dynamic truncation) of a time step. */
export function totpCode(base32Secret, step = totpStep()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(base32Secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

// The server accepts a code once: remember the last step used per secret, so two logins within
// 30 s use the next step's code (accepted one step early) or wait for it.
const lastStepUsed = new Map();

/** A code of `secret` the server has not seen yet; waits for the next step when needed. */
export async function freshTotpCode(secret) {
  for (;;) {
    const now = totpStep();
    const last = lastStepUsed.get(secret) ?? -Infinity;
    const step = Math.max(now, last + 1);
    if (step <= now + 1) {
      lastStepUsed.set(secret, step);
      return totpCode(secret, step);
    }
    await sleep(1000);
  }
}

// ------------------------------------------------------------------ login ----

export async function loginMember(page, tracker, { nir = DEMO.memberNir, password = DEMO.memberPassword } = {}) {
  const status = await visit(page, '/connexion');
  if (status !== 200) throw new Error(`GET /connexion answered ${status}`);
  const form = page.locator('form:has(input[name="nir"])');
  await form.locator('input[name="nir"]').fill(nir);
  await form.locator('input[name="password"]').fill(password);
  await clickAndWaitForLoad(page, form.getByRole('button', { name: 'Se connecter' }));
  return tracker.lastDoc;
}

/**
 * Logs a staff user in: the password, then on /agent/connexion/code the code computed from
 * `secret` (the demo secret of `login` by default). `checkCodePage(page)` runs on the code
 * page before it is filled (e.g. axe). Returns the last document (the page after the code).
 */
export async function loginStaff(page, tracker, login, password = DEMO.staffPassword, { secret = DEMO.staffTotpSecrets[login], checkCodePage } = {}) {
  const status = await visit(page, '/agent/connexion');
  if (status !== 200) throw new Error(`GET /agent/connexion answered ${status}`);
  const form = page.locator('form:has(input[name="login"])');
  await form.locator('input[name="login"]').fill(login);
  await form.locator('input[name="password"]').fill(password);
  await clickAndWaitForLoad(page, form.getByRole('button', { name: 'Se connecter' }));
  if (pathOf(page.url()) !== '/agent/connexion/code') return tracker.lastDoc;
  if (!secret) throw new Error(`no TOTP secret known for ${login}`);
  if (checkCodePage) await checkCodePage(page);
  for (let attempt = 1; ; attempt++) {
    await page.getByLabel('Code à 6 chiffres').fill(await freshTotpCode(secret));
    await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Valider le code' }));
    const used = pathOf(page.url()) === '/agent/connexion/code' && /déjà servi/.test(await page.locator('main').innerText());
    // Another client of the same server used this step's code: the next one will do.
    if (!used || attempt >= 2) return tracker.lastDoc;
    lastStepUsed.set(secret, totpStep());
  }
}

export function logoutButton(page) {
  return page.getByRole('button', { name: 'Se déconnecter' });
}

export function pathOf(url) {
  return new URL(url).pathname;
}

/** Kept for the tests that call it: `checkPage` itself checks both widths. */
export async function checkBothWidths(session, label) {
  return checkPage(session.page, session.tracker, { label });
}
