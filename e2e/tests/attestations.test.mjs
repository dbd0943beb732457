// The attestation journey of issue 5, in the browser. A demo member (Sophie WEBER, Bas-Rhin:
// Alsace-Moselle) downloads her attestation de droits from « Mes attestations » with the page's
// own form and button (a real browser download): the whole family with the complementary
// mentions, then her daughter alone without them. The text of each PDF (pdftotext -layout) holds
// every field of domain.md §9.1 with the demo file's values, and `qpdf --check` passes. Then
// someone without an account checks it on /verifier: the QR code (decoded from the rendered
// page: the address of /verifier with the signed statement, opened as a phone would), the
// uploaded PDF, the printed code and the QR code's text are accepted (authentic, for whom, open today); the code with one character
// changed and the file with one byte of its signed statement changed are refused, and so are
// the PDF, the QR text and the code of an attestation issued by a second server whose signing
// key differs (same key id, another seed: the signature itself is what fails). Two more
// families show the other mentions: an ALD exemption (La Réunion) and the C2S (Corse-du-Sud).
// axe-core runs on every page visited.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import jsQR from 'jsqr';
import {
  DEMO,
  REPO_ROOT,
  checkPage,
  clickAndWaitForLoad,
  launchBrowser,
  newSession,
  pathOf,
  startServer,
  visit,
} from '../lib/harness.mjs';

const BIN = process.env.CAISSE_BIN || path.join(REPO_ROOT, 'target', 'debug', 'caisse');
// Both servers sign with a key of this id, each with its own seed.
const KEY_ID = 'e2e-2026';

// The demo families (caisse_core::demo) whose attestations are downloaded.
const WEBER = Object.freeze({
  nir: '2 82 12 67 482 023 55',
  insured: 'Sophie WEBER',
  lastName: 'WEBER',
  firstName: 'Sophie',
  birth: '21/12/1982',
  address: ['Madame Sophie WEBER', '8 quai des Bateliers', '67000 STRASBOURG'],
  fund: 'CPAM du Bas-Rhin',
  organisme: '01 671',
  child: { name: 'Emma WEBER', birth: '04/06/2012', rank: '02' },
});
const HOARAU = Object.freeze({ nir: '1 90 03 974 11 056 80', name: 'Kévin HOARAU', birth: '08/03/1990', fund: 'CGSS de La Réunion', organisme: '01 974' });
const ROSSI = Object.freeze({ nir: '2 93 12 2A 004 123 17', name: 'Camille ROSSI', birth: '02/12/1993', fund: 'CPAM de la Corse-du-Sud', organisme: '01 2A1' });

const CODE_RE = /\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b/;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

let serverA;
let serverB;
let browser;
let tmp;
// `caisse demo` sets the ALD's end and the C2S's period from the day it seeds on, in each
// fund's own legal time (La Réunion is ahead of Paris).
let seededAt;

/** A new signing key from the server's own command: `id:SEED`. */
function newSigningKey() {
  let out;
  try {
    out = execFileSync(BIN, ['admin', 'attestation-key', '--id', KEY_ID], { encoding: 'utf8', env: { ...process.env, RUST_LOG: 'error' } });
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error(`no server binary at ${BIN}: cargo build --locked -p caisse-server (or set CAISSE_BIN)`);
    throw e;
  }
  const entry = out.split('\n').map((l) => l.trim()).find((l) => l.startsWith(`${KEY_ID}:`));
  assert.ok(entry, `no key in the output of caisse admin attestation-key:\n${out}`);
  return entry;
}

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'caisse-e2e-attestations-'));
  const [keyA, keyB] = [newSigningKey(), newSigningKey()];
  assert.notEqual(keyA, keyB);
  const env = { CAISSE_NEW_DEVICE_CONFIRMATION: 'false' };
  [serverA, serverB] = await Promise.all([
    startServer({ sqlite: true, env: { ...env, CAISSE_ATTESTATION_SIGNING_KEYS: keyA } }),
    startServer({ sqlite: true, env: { ...env, CAISSE_ATTESTATION_SIGNING_KEYS: keyB } }),
  ]);
  seededAt = new Date();
  browser = await launchBrowser();
}, { timeout: 180_000 });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  await Promise.all([serverA?.stop(), serverB?.stop()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}, { timeout: 30_000 });

// ------------------------------------------------------------------ dates ----

/** The day of `at` (now by default) in `timeZone`, as a UTC midnight Date. */
function todayIn(timeZone, at = new Date()) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  );
  return new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
}
/** The day attestations are issued on: the server's calendar is Paris's. */
const parisToday = () => todayIn('Europe/Paris');
const addDays = (d, n) => new Date(d.getTime() + n * 86_400_000);
/** The day before the anniversary: the end of an attestation issued on `d` (open coverage). */
const yearEnd = (d) => addDays(new Date(Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), d.getUTCDate())), -1);
const numeric = (d) => `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
const longDate = (d) => `${d.getUTCDate() === 1 ? '1er' : d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;

// -------------------------------------------------------------------- PDF ----

/**
 * The text of a PDF, laid out (pdftotext -layout), no-break spaces made plain. Poppler 22 (Debian 12)
 * prints « Suspects object is wrong type (boolean) » for the `/MarkInfo << /Suspects false >>`
 * of every tagged PDF (its own bug: a false boolean is reported as the wrong type): not an error.
 */
function pdfText(file) {
  const r = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdftotext ${path.basename(file)} exited ${r.status}:\n${r.stderr}`);
  const noise = r.stderr.split('\n').filter((l) => l.trim() && !/Suspects object is wrong type \(boolean\)/.test(l));
  assert.deepEqual(noise, [], `pdftotext complained about ${path.basename(file)}`);
  return r.stdout.replace(/[\u00a0\u202f]/g, ' ');
}

/** The same text on one line, every run of white space one space: for sentences that wrap. */
const flat = (text) => text.replace(/\s+/g, ' ');

function assertQpdfCheck(file) {
  const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `qpdf --check ${path.basename(file)} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /No syntax or stream encoding errors found/);
}

function pdfPages(file) {
  const r = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdfinfo ${path.basename(file)} exited ${r.status}:\n${r.stderr}`);
  return Number(r.stdout.match(/^Pages:\s+(\d+)/m)?.[1]);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A regex source for `s` in a narrow column: any space may be a line break and an indent. */
const wrapping = (s) => escape(s).replace(/ /g, '\\s+');

/** Asserts `text` has a line matching every one of `cells`, in order (a table row). */
function assertRow(text, cells, what) {
  const re = new RegExp(cells.map((c) => (c instanceof RegExp ? c.source : escape(c))).join('\\s{2,}'));
  assert.ok(text.split('\n').some((line) => re.test(line)), `${what}: no line matching ${re} in:\n${text}`);
}

/**
 * Opens « Mes attestations », chooses the attestation de droits for `who` (a label), with or
 * without the mentions, and downloads it with the page's button. Returns the saved file.
 */
async function downloadAttestation(session, { who, mentions, name }) {
  const { page, tracker } = session;
  assert.equal(await visit(page, '/attestations'), 200);
  await checkPage(page, tracker, { label: `Mes attestations (${name})` });
  await page.getByRole('radio', { name: /^Attestation de droits/ }).check();
  await page.getByRole('radio', { name: who }).check();
  const box = page.getByLabel('Ajouter les mentions complémentaires');
  if (mentions) await box.check();
  else await box.uncheck();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: "Télécharger l'attestation (PDF)" }).click(),
  ]);
  assert.equal(await download.failure(), null, 'the download completed');
  assert.match(download.suggestedFilename(), /^attestation-droits-\d{4}-\d{2}-\d{2}\.pdf$/);
  const file = path.join(tmp, `${name}.pdf`);
  await download.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-');
  // The member stays on the form, which is still whole.
  assert.equal(pathOf(page.url()), '/attestations');
  return file;
}

/** Logs a demo member in through /connexion; both pages are checked (axe-core included). */
async function login(session, nir, who) {
  const { page, tracker } = session;
  assert.equal(await visit(page, '/connexion'), 200);
  await checkPage(page, tracker, { label: `${who}: /connexion` });
  const form = page.locator('form:has(input[name="nir"])');
  await form.locator('input[name="nir"]').fill(nir);
  await form.locator('input[name="password"]').fill(DEMO.memberPassword);
  await clickAndWaitForLoad(page, form.getByRole('button', { name: 'Se connecter' }));
  assert.equal(pathOf(page.url()), '/', `${who} is logged in`);
  await checkPage(page, tracker, { label: `${who}: home` });
}

/** The signed statement of a PDF, as its QR code holds it (also in the file's keywords). */
function sealedText(file) {
  const found = readFileSync(file, 'latin1').match(/CAISSE-ATT1:[A-Z2-7]+/);
  assert.ok(found, `no CAISSE-ATT1 text in ${path.basename(file)}`);
  return found[0];
}

/**
 * What the QR code drawn on the PDF's first page holds, read back from the picture like a
 * phone's camera does: the page rendered by pdftoppm (PPM, 200 dpi), decoded by jsQR.
 */
function qrContent(file) {
  const out = path.join(tmp, `${path.basename(file, '.pdf')}-qr`);
  execFileSync('pdftoppm', ['-r', '200', '-f', '1', '-l', '1', '-singlefile', file, out]);
  const ppm = readFileSync(`${out}.ppm`);
  // "P6\n<width> <height>\n255\n" then RGB bytes.
  const header = ppm.subarray(0, 64).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+255\s/);
  assert.ok(header, 'a binary PPM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const rgb = ppm.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i += 1, j += 3) {
    rgba[i * 4] = rgb[j];
    rgba[i * 4 + 1] = rgb[j + 1];
    rgba[i * 4 + 2] = rgb[j + 2];
    rgba[i * 4 + 3] = 255;
  }
  const code = jsQR(rgba, width, height, { inversionAttempts: 'dontInvert' });
  assert.ok(code, `a readable QR code on ${path.basename(file)}`);
  return code.data;
}

/** The short code printed on the attestation (same in the box and in « Attestation n° »). */
function printedCode(text) {
  const codes = [...new Set(flat(text).match(new RegExp(CODE_RE.source, 'g')) || [])];
  assert.equal(codes.length, 1, `one verification code on the attestation, found ${JSON.stringify(codes)}`);
  return codes[0];
}

/** The code with one character (the first of the second group) changed to another value. */
function oneCharacterChanged(code) {
  const i = 5;
  const next = CROCKFORD[(CROCKFORD.indexOf(code[i]) + 1) % CROCKFORD.length];
  return code.slice(0, i) + next + code.slice(i + 1);
}

/** The PDF with one character of its signed statement (CAISSE-ATT1:…, every copy) changed. */
function tamperedPdf(file) {
  const bytes = Buffer.from(readFileSync(file));
  const prefix = Buffer.from('CAISSE-ATT1:');
  let copies = 0;
  for (let at = bytes.indexOf(prefix); at >= 0; at = bytes.indexOf(prefix, at + 1)) {
    // Character 40 of the base 32 text: inside the signed payload (code and issue time).
    const i = at + prefix.length + 40;
    bytes[i] = bytes[i] === 0x41 ? 0x42 : 0x41; // 'A' ↔ another letter of the alphabet
    copies += 1;
  }
  assert.ok(copies >= 1, 'the PDF carries its signed statement in its metadata');
  const out = file.replace(/\.pdf$/, '-modifie.pdf');
  writeFileSync(out, bytes);
  return out;
}

// --------------------------------------------------------------- verifier ----

async function openVerifier(session, label) {
  const { page, tracker } = session;
  assert.equal(await visit(page, '/verifier'), 200);
  await checkPage(page, tracker, { label });
}

async function verifyFile(session, file, label) {
  const { page, tracker } = session;
  await openVerifier(session, `${label}: /verifier`);
  await page.getByLabel("Fichier de l'attestation").setInputFiles(file);
  await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Vérifier ce fichier' }));
  await checkPage(page, tracker, { label: `${label}: result` });
  return page.locator('main').innerText();
}

async function verifyCode(session, code, label) {
  const { page, tracker } = session;
  await openVerifier(session, `${label}: /verifier`);
  await page.getByLabel('Code de vérification').fill(code);
  await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Vérifier ce code' }));
  await checkPage(page, tracker, { label: `${label}: result` });
  return page.locator('main').innerText();
}

/** Opens the address a QR code holds, as a phone does: the verdict shows at once. */
async function verifyScanned(session, url, label) {
  const { page, tracker } = session;
  assert.equal(await visit(page, new URL(url).pathname + new URL(url).search), 200);
  await checkPage(page, tracker, { label });
  return page.locator('main').innerText();
}

async function verifyText(session, text, label) {
  const { page, tracker } = session;
  await openVerifier(session, `${label}: /verifier`);
  await page.getByLabel('Texte du code QR').fill(text);
  await clickAndWaitForLoad(page, page.getByRole('button', { name: 'Vérifier ce contenu' }));
  await checkPage(page, tracker, { label: `${label}: result` });
  return page.locator('main').innerText();
}

/**
 * The page says the attestation is authentic, whose it is, and that rights are open today. A file
 * is answered for the signed statement it holds, never for the whole file (`fromFile`).
 */
function assertAuthentic(main, { code, people, fromFile = false }) {
  if (fromFile) {
    assert.match(main, /La déclaration signée contenue dans ce fichier est authentique/, main);
    assert.match(main, /Seule cette déclaration signée est vérifiée, pas le reste du fichier/);
  } else {
    assert.match(main, /Cette attestation est authentique/, main);
  }
  assert.doesNotMatch(main, /n'est pas authentique/);
  assert.match(main, new RegExp(`Elle a été délivrée par ${WEBER.fund}`));
  assert.match(main, new RegExp(`Délivrée par\\s+${WEBER.fund} \\(code ${WEBER.organisme}\\)`));
  assert.match(main, new RegExp(`Code de vérification\\s+${code}`));
  assert.match(main, new RegExp(`Assuré\\(e\\)\\s+${WEBER.insured}`));
  assert.match(main, new RegExp(`Numéro de sécurité sociale\\s+${WEBER.nir}`));
  const today = parisToday();
  assert.match(main, new RegExp(`Période de validité\\s+du ${numeric(today)} au ${numeric(yearEnd(today))}`));
  assert.match(main, new RegExp(`Éditée le\\s+${numeric(today)} à \\d{1,2}\\sh\\s\\d{2}`), 'issue date and time (Paris)');
  assert.match(main, /Droits ouverts aujourd'hui\s+Oui/);
  for (const [name, birth, rank] of people) assert.match(main, new RegExp(`${name}\\s+${birth}\\s+${rank}`), `${name} is listed`);
}

function assertRefused(main) {
  assert.match(main, /Cette attestation n'est pas authentique/, main);
  assert.match(main, /Ne l'acceptez pas en l'état/);
  assert.doesNotMatch(main, /est authentique/);
  assert.doesNotMatch(main, new RegExp(WEBER.nir), 'a refused attestation shows nobody');
}

// ------------------------------------------------------------------ tests ----

describe('attestations: download, contents, verification', () => {
  test('family PDF with mentions → every §9.1 field, qpdf clean → /verifier accepts it, refuses one change and another key; axe-clean', { timeout: 300_000 }, async (t) => {
    const member = await newSession(browser, serverA.baseUrl);
    const visitor = await newSession(browser, serverA.baseUrl);
    const other = await newSession(browser, serverB.baseUrl);
    const today = parisToday();
    const period = `du ${numeric(today)} au ${numeric(yearEnd(today))}`;
    let familyPdf;
    let familyCode;
    let otherPdf;
    let otherCode;
    try {
      await t.test('Sophie WEBER downloads the whole family with the mentions', async () => {
        const { page, tracker } = member;
        await login(member, WEBER.nir, WEBER.insured);
        await clickAndWaitForLoad(page, page.getByRole('link', { name: 'Mes attestations' }).first());
        assert.equal(pathOf(page.url()), '/attestations');
        const form = await page.locator('main').innerText();
        assert.match(form, /Toute la famille\s+— Sophie WEBER, Emma WEBER/);
        assert.match(form, /Emma WEBER \(né\(e\) le 4 juin 2012, rang 02\)/);
        await checkPage(page, tracker, { label: 'Mes attestations' });
        familyPdf = await downloadAttestation(member, { who: /^Toute la famille/, mentions: true, name: 'famille-mentions' });
      });

      await t.test('its text holds every field of the attestation de droits; qpdf --check passes', async () => {
        assertQpdfCheck(familyPdf);
        assert.equal(pdfPages(familyPdf), 1, 'one A4 page');
        const text = pdfText(familyPdf);
        const line = flat(text);
        // The letterhead and the address window.
        assert.match(line, new RegExp(WEBER.fund));
        for (const l of WEBER.address) assert.match(line, new RegExp(l), `address line « ${l} »`);
        assert.match(line, /Attestation de droits à l’assurance maladie/);
        assert.match(line, new RegExp(`${WEBER.fund} atteste les droits à l’assurance maladie des personnes ci-dessous pour la période de validité indiquée, sauf changement de situation\\.`));
        // The insured person and the fund (a key–value table: one line each).
        assertRow(text, ['Nom', WEBER.lastName], 'birth name');
        assertRow(text, ['Prénom', WEBER.firstName], 'first name');
        assertRow(text, ['Date de naissance', WEBER.birth], 'birth date');
        assertRow(text, ['Numéro de sécurité sociale (NIR)', WEBER.nir], 'whole NIR');
        assertRow(text, ['Organisme de rattachement', `${WEBER.fund} (code ${WEBER.organisme})`], 'fund and its code');
        assertRow(text, ['Régime', 'Régime général (01)'], 'régime');
        assertRow(text, ['Code de gestion', '10'], 'code de gestion');
        assertRow(text, ['Période de validité', period], 'period of validity: a year from today');
        // The complementary mentions: Bas-Rhin is Alsace-Moselle; no C2S in this family.
        assertRow(text, ['Régime local d’Alsace-Moselle', 'oui, honoraires pris en charge à 90 %'], 'local regime');
        assertRow(text, ['Complémentaire santé solidaire', 'non'], 'C2S');
        // The beneficiaries, by rank, with the médecin traitant and the exemptions column.
        assert.match(line, /Bénéficiaires et exonérations du ticket modérateur/);
        assert.match(text, /^ *Nom et prénom +Né\(e\) le +Rang +Médecin traitant +Exonération *$/m, 'the table headers');
        assertRow(text, [WEBER.insured, WEBER.birth, '01', 'déclaré', 'aucune'], 'the insured person, rank 01');
        assertRow(text, [WEBER.child.name, WEBER.child.birth, WEBER.child.rank, 'déclaré', 'aucune'], 'the child, rank 02');
        assert.doesNotMatch(line, /éditée sans les mentions complémentaires/);
        // The verification box: where, the code, the issue date.
        familyCode = printedCode(text);
        assert.match(line, /Vérifier cette attestation/);
        assert.match(line, new RegExp(`sur https?://\\S+/verifier avec le code ${familyCode} ou en scannant ce code QR\\.`));
        assert.match(line, new RegExp(`Attestation n° ${familyCode}, éditée le ${longDate(today)}\\.`));
        // The signed statement, for programs, in the metadata (docs/attestation-format.md).
        assert.ok(sealedText(familyPdf).length > 100);
      });

      await t.test('a second download: Emma only, without the mentions', async () => {
        const file = await downloadAttestation(member, { who: /^Emma WEBER/, mentions: false, name: 'emma-sans-mentions' });
        assertQpdfCheck(file);
        const text = pdfText(file);
        const line = flat(text);
        // Still the insured person's attestation (her NIR covers the child).
        assertRow(text, ['Numéro de sécurité sociale (NIR)', WEBER.nir], 'whole NIR');
        assertRow(text, ['Nom', WEBER.lastName], 'the insured person');
        assertRow(text, ['Période de validité', period], 'period');
        assert.match(line, /Bénéficiaires/);
        assertRow(text, [WEBER.child.name, WEBER.child.birth, WEBER.child.rank, 'déclaré'], 'Emma, rank 02');
        assert.doesNotMatch(text.split('Bénéficiaires')[1], /Sophie WEBER\s{2,}21\/12\/1982/, 'only Emma is listed');
        // No health data at all.
        assert.doesNotMatch(line, /Exonération|Alsace-Moselle\s{2,}|honoraires pris en charge|aucune/);
        assert.match(line, /Attestation éditée sans les mentions complémentaires \(exonération du ticket modérateur, régime local d’Alsace-Moselle, Complémentaire santé solidaire\)/);
        assert.notEqual(printedCode(text), familyCode, 'each attestation has its own code');
      });

      await t.test('without an account, /verifier accepts the uploaded PDF: authentic, for whom, open today', async () => {
        const main = await verifyFile(visitor, familyPdf, 'genuine PDF');
        assertAuthentic(main, { code: familyCode, fromFile: true, people: [[WEBER.insured, WEBER.birth, '01'], [WEBER.child.name, WEBER.child.birth, '02']] });
        assert.doesNotMatch(main, /90 %|Alsace|quai des Bateliers/, 'the page shows no mention and no address');
      });

      await t.test('the code printed on the PDF is accepted', async () => {
        const main = await verifyCode(visitor, familyCode, 'printed code');
        assertAuthentic(main, { code: familyCode, people: [[WEBER.insured, WEBER.birth, '01'], [WEBER.child.name, WEBER.child.birth, '02']] });
      });

      await t.test('its QR code holds the verification address, which opens the verdict at once', async () => {
        const url = qrContent(familyPdf);
        // The server's public address, /verifier, and the signed statement of the keywords.
        assert.equal(url, `${serverA.baseUrl}/verifier?a=${sealedText(familyPdf)}`);
        const main = await verifyScanned(visitor, url, 'scanned QR code');
        assertAuthentic(main, { code: familyCode, people: [[WEBER.insured, WEBER.birth, '01'], [WEBER.child.name, WEBER.child.birth, '02']] });
        assert.match(main, /Ce que ce résultat veut dire/);
      });

      await t.test('the text of its QR code, pasted, is accepted, and so is the bare statement older QR codes hold', async () => {
        for (const [text, label] of [[qrContent(familyPdf), 'QR code address'], [sealedText(familyPdf), 'bare statement (older QR codes)']]) {
          const main = await verifyText(visitor, text, label);
          assertAuthentic(main, { code: familyCode, people: [[WEBER.insured, WEBER.birth, '01'], [WEBER.child.name, WEBER.child.birth, '02']] });
        }
      });

      await t.test('the code with one character changed is refused with a clear message', async () => {
        const { page } = visitor;
        const changed = oneCharacterChanged(familyCode);
        assert.notEqual(changed, familyCode);
        const main = await verifyCode(visitor, changed, 'code with one character changed');
        assert.equal(visitor.tracker.lastDoc?.status, 422);
        assert.match(main, /Ce code de vérification contient une erreur de saisie : vérifiez chaque caractère\./);
        assert.doesNotMatch(main, /est authentique/);
        assert.equal(await page.getByLabel('Code de vérification').inputValue(), changed, 'the typed code is kept to correct it');
      });

      await t.test('the PDF with one byte of its signed statement changed is refused', async () => {
        assertRefused(await verifyFile(visitor, tamperedPdf(familyPdf), 'tampered PDF'));
      });

      await t.test('a second server, signing with another key of the same id, issues an attestation', async () => {
        const keysA = await (await fetch(`${serverA.baseUrl}/.well-known/caisse-attestation-keys.json`)).json();
        const keysB = await (await fetch(`${serverB.baseUrl}/.well-known/caisse-attestation-keys.json`)).json();
        assert.equal(keysA.keys[0].kid, KEY_ID);
        assert.equal(keysB.keys[0].kid, KEY_ID);
        assert.notEqual(keysA.keys[0].x, keysB.keys[0].x, 'the two servers have different keys');
        await login(other, WEBER.nir, `${WEBER.insured} on the second server`);
        otherPdf = await downloadAttestation(other, { who: /^Toute la famille/, mentions: false, name: 'autre-cle' });
        assertQpdfCheck(otherPdf);
        otherCode = printedCode(pdfText(otherPdf));
        // Genuine where it was issued: what follows is about the key, not a broken file.
        const main = await verifyFile(other, otherPdf, 'other server, its own PDF');
        assert.match(main, /La déclaration signée contenue dans ce fichier est authentique/);
      });

      await t.test('the first server refuses the PDF, the QR text and the code signed with the other key', async () => {
        assertRefused(await verifyFile(visitor, otherPdf, 'PDF signed with another key'));
        assertRefused(await verifyText(visitor, sealedText(otherPdf), 'QR code text signed with another key'));
        // Its QR code's statement, opened on the first server.
        const scanned = new URL(qrContent(otherPdf));
        assert.equal(scanned.origin, serverB.baseUrl);
        assertRefused(await verifyScanned(visitor, `${serverA.baseUrl}${scanned.pathname}${scanned.search}`, 'QR code of another key'));
        // The short code is only a lookup key: the first server never issued this one.
        assertRefused(await verifyCode(visitor, otherCode, 'code of another server'));
      });

      await t.test('the mentions of the other families: an ALD (La Réunion), the C2S (Corse-du-Sud)', async () => {
        for (const person of [HOARAU, ROSSI]) {
          const session = await newSession(browser, serverA.baseUrl);
          try {
            await login(session, person.nir, person.name);
            const file = await downloadAttestation(session, { who: /^Toute la famille/, mentions: true, name: person.name });
            assertQpdfCheck(file);
            const text = pdfText(file);
            assertRow(text, ['Numéro de sécurité sociale (NIR)', person.nir], `${person.name}: NIR`);
            assertRow(text, ['Organisme de rattachement', `${person.fund} (code ${person.organisme})`], `${person.name}: fund`);
            assertRow(text, ['Régime local d’Alsace-Moselle', 'non'], `${person.name}: no local regime`);
            if (person === HOARAU) {
              // Seeded from 01/06/2023 for three years from the day the demo started.
              // The exemption cell wraps in the narrow column: its end is on the next line.
              const ald = new RegExp(`${person.name} +${person.birth} +01 +déclaré +${wrapping(`ALD à 100 %, du 01/06/2023 au ${numeric(addDays(todayIn('Indian/Reunion', seededAt), 3 * 365))}`)}`);
              assert.match(text, ald, 'the ALD exemption: nature, rate, period');
              assertRow(text, ['Complémentaire santé solidaire', 'non'], 'no C2S');
            } else {
              const from = addDays(todayIn('Europe/Paris', seededAt), -60);
              // The value may wrap in its column.
              const c2s = new RegExp(`Complémentaire santé solidaire +${wrapping(`sans participation financière, du ${numeric(from)} au ${numeric(addDays(from, 364))}`)}`);
              assert.match(text, c2s, 'the C2S: form and period');
              assertRow(text, [person.name, person.birth, '01', 'déclaré', 'aucune'], 'no exemption');
            }
          } finally {
            await session.context.close();
          }
        }
      });
    } finally {
      await member.context.close();
      await visitor.context.close();
      await other.context.close();
    }
  });
});
