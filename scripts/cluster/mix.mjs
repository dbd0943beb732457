#!/usr/bin/env node
// The load driver of scripts/cluster-test: N virtual users run a member-like mix through the
// load balancer for a given time, and every request is recorded. Node 20, built-in modules
// and fetch only.
//
//   node scripts/cluster/mix.mjs --base http://127.0.0.1:18080 --vus 6 --duration 70 \
//        --out RUN_DIR --mails MAILS.jsonl --nodes http://127.0.0.1:P1,http://…:P2,… \
//        --run-id ID
//
// Phases:
//   1. setup: each virtual user (VU) is one device of one of the demo members. It logs in
//      through the API (POST /api/v1/auth/login; the new-device code is read from the SMTP
//      sink's records, then confirmed with trust_device) and through the pages (/connexion,
//      /connexion/code with « faire confiance »). First logins of one member are serialised,
//      so each code mail read belongs to the login waiting for it. The page session is then
//      shown to every node directly (GET /messagerie must be 200 on each: a session made on
//      one node is honoured by the others). When every VU is set up, RUN_DIR/ready is written:
//      the orchestrator times its faults from it.
//   2. mix, for --duration seconds after ready: inbox pages (HTML, session cookie), a thread
//      page, the API's thread list and threads, message sends with a file (multipart; the
//      body carries a marker `[ct:RUN:vuN:K]` recorded with the 201's thread id and
//      reference), attestation downloads (PDF), the payments list, /api/v1/me, and logins
//      again (API with the device token; pages with the device cookie).
//   3. post-check: the setup sessions and tokens (made before any fault) are tried on every
//      node directly; the result goes to RUN_DIR/sessions.json.
//
// Output in RUN_DIR: requests.jsonl (one line a request: vu, phase, method, route, path,
// status, node (X-Caisse-Node set by HAProxy), t0, t1 (epoch ms), ms, error, excerpt for
// 5xx and unexpected answers), sends.jsonl (one line a send), sessions.json, mix.json (counts).
//
// Options for throughput measurements (scripts/bench-mix); none changes the defaults above:
//   --think-ms 0        closed loop: each VU starts its next action as soon as one ends
//   --warmup S          S seconds of the mix after setup before the measured window; RUN_DIR/
//                       measure holds the window's start (epoch ms), RUN_DIR/done its end
//   --no-records        no requests.jsonl / sends.jsonl lines (a lighter load generator)
//   --no-post-check     skip phase 3
//   --actions A=W,…     the actions and their weights (default: the mix above); thread_page
//                       and api_thread need threads the VU sent, else they run inbox_page
//                       and api_threads
//   --stats             at the end, print `mix-stats: {JSON}` (one line) and write
//                       RUN_DIR/stats.json: the measured window, the driver's own CPU seconds
//                       in it, counts per status, per node, per action and per route, with
//                       latency percentiles (ms)

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { randomUUID } from 'node:crypto';

// ------------------------------------------------------------------ arguments --

function arg(name, fallback) {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const BASE = arg('base', 'http://127.0.0.1:8080').replace(/\/$/, '');
const VUS = Number(arg('vus', '6'));
const DURATION_S = Number(arg('duration', '60'));
const OUT = arg('out', '.');
const MAILS = arg('mails', 'mails.jsonl');
const NODES = arg('nodes', '')
    .split(',')
    .filter(Boolean)
    .map((u) => u.replace(/\/$/, ''));
const RUN_ID = arg('run-id', String(Date.now()));
const THINK_MS = Number(arg('think-ms', '150'));
// Sends a member may make in the run: under the deployment's daily quota
// (CAISSE_MESSAGING_SENDS_PER_DAY, at most 1000), so that the quota never answers a send.
const SENDS_PER_MEMBER = Number(arg('sends-per-member', '900'));
const SETUP_TIMEOUT_S = Number(arg('setup-timeout', '120'));
const WARMUP_S = Number(arg('warmup', '0'));
const flag = (name) => process.argv.includes(`--${name}`);
const RECORDS = !flag('no-records');
const POST_CHECK = !flag('no-post-check');
const STATS = flag('stats');
const REQUEST_TIMEOUT_MS = 60_000;

// The demo members (caisse-core's demo.rs): NIR, password, email on file.
const MEMBERS = [
    { nir: '1 85 05 78 006 084 91', email: 'julien.martin@exemple.fr' },
    { nir: '2 93 12 2A 004 123 17', email: 'camille.rossi@exemple.fr' },
    { nir: '2 82 12 67 482 023 55', email: 'sophie.weber@exemple.fr' },
    { nir: '1 90 03 974 11 056 80', email: 'kevin.hoarau@exemple.fr' },
].map((m) => ({ ...m, password: 'Caisse-Demo-2026', sends: 0 }));

fs.mkdirSync(OUT, { recursive: true });
const requestsOut = fs.createWriteStream(path.join(OUT, 'requests.jsonl'), { flags: 'a' });
const sendsOut = fs.createWriteStream(path.join(OUT, 'sends.jsonl'), { flags: 'a' });

const log = (line) => process.stdout.write(`mix: ${line}\n`);
const writeRecord = (stream, record) => {
    if (RECORDS) stream.write(`${JSON.stringify(record)}\n`);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------- the files --

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
function crc32(buf) {
    let c = 0xffffffff;
    for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

// A small RGB PNG whose pixels depend on `seed`.
function tinyPng(seed) {
    const w = 16;
    const h = 16;
    const rows = [];
    for (let y = 0; y < h; y++) {
        const row = Buffer.alloc(1 + w * 3);
        for (let x = 0; x < w; x++) {
            row[1 + x * 3] = (x * 16 + seed) & 0xff;
            row[2 + x * 3] = (y * 16) & 0xff;
            row[3 + x * 3] = (seed * 7) & 0xff;
        }
        rows.push(row);
    }
    const chunk = (type, data) => {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(data.length);
        const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(crc32(body));
        return Buffer.concat([len, body, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(w, 0);
    ihdr.writeUInt32BE(h, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // RGB
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk('IHDR', ihdr),
        chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
        chunk('IEND', Buffer.alloc(0)),
    ]);
}

// A one-page PDF with a line of text, with a correct cross-reference table.
function tinyPdf(text) {
    const content = `BT /F1 12 Tf 20 100 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
    const objects = [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
        '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ];
    let pdf = '%PDF-1.4\n';
    const offsets = [];
    objects.forEach((body, i) => {
        offsets.push(Buffer.byteLength(pdf));
        pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    });
    const xref = Buffer.byteLength(pdf);
    pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
    pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(pdf, 'latin1');
}

// --------------------------------------------------------------- HTTP helpers --

let phase = 'setup';
const counts = { requests: 0, by_status: {}, network_errors: 0 };

// The measured window's figures (--stats): only requests and actions that start in it.
const stats = {
    start: Infinity, // epoch ms; set when the window opens
    cpu0: null, // process.cpuUsage() then
    routes: new Map(), // route → { statuses, ms: [] }
    actions: new Map(), // action → { ok, failed, ms: [] }
    nodes: {},
    by_status: {},
    unexpected: 0,
    requests: 0,
    sendsCreated: 0,
    sendsOverCap: 0, // sends made api_threads by --sends-per-member
    entry(map, key, make) {
        let e = map.get(key);
        if (!e) map.set(key, (e = make()));
        return e;
    },
    request(route, status, node, unexpected, t0, ms) {
        if (t0 < this.start) return;
        this.requests++;
        this.by_status[status] = (this.by_status[status] || 0) + 1;
        if (unexpected) this.unexpected++;
        if (node) this.nodes[node] = (this.nodes[node] || 0) + 1;
        const e = this.entry(this.routes, route, () => ({ statuses: {}, ms: [] }));
        e.statuses[status] = (e.statuses[status] || 0) + 1;
        e.ms.push(ms);
    },
    action(name, started, ok, ms) {
        if (started < this.start) return;
        const e = this.entry(this.actions, name, () => ({ ok: 0, failed: 0, ms: [] }));
        if (ok) e.ok++;
        else e.failed++;
        e.ms.push(ms);
    },
};

// Percentiles (nearest rank) of a list of ms, rounded to 0.1 ms.
function percentiles(values) {
    const sorted = Float64Array.from(values).sort();
    const at = (q) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 10) / 10 : null);
    const mean = sorted.length ? Math.round((sorted.reduce((a, b) => a + b, 0) / sorted.length) * 10) / 10 : null;
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), mean };
}

function statsSummary(end) {
    const seconds = (end - stats.start) / 1000;
    const perSecond = (n) => Math.round((n / seconds) * 10) / 10;
    const all = [];
    const routes = {};
    for (const [route, e] of [...stats.routes].sort((a, b) => b[1].ms.length - a[1].ms.length)) {
        for (const ms of e.ms) all.push(ms);
        routes[route] = { count: e.ms.length, statuses: e.statuses, ...percentiles(e.ms) };
    }
    const actions = {};
    for (const [name, e] of [...stats.actions].sort((a, b) => b[1].ms.length - a[1].ms.length)) {
        actions[name] = { count: e.ms.length, failed: e.failed, ...percentiles(e.ms) };
    }
    const cpu = process.cpuUsage(stats.cpu0); // this process's, in µs
    return {
        vus: VUS,
        think_ms: THINK_MS,
        window: { start: stats.start, end, seconds: Math.round(seconds * 1000) / 1000 },
        cpu_seconds: Math.round(cpu.user + cpu.system) / 1e6,
        requests: stats.requests,
        requests_per_s: perSecond(stats.requests),
        sends_created: stats.sendsCreated,
        sends_per_s: perSecond(stats.sendsCreated),
        sends_over_member_cap: stats.sendsOverCap,
        unexpected: stats.unexpected,
        by_status: stats.by_status,
        nodes: stats.nodes,
        latency_ms: percentiles(all),
        actions,
        routes,
    };
}

function excerptOf(text) {
    return (text || '').replace(/\s+/g, ' ').slice(0, 300);
}

// One recorded request. `expect` lists the statuses that are normal for it; anything else
// (and every 5xx) keeps an excerpt of the body. Returns {status, headers, text|buffer, node}.
async function request(vu, route, url, options = {}, expect = [200], timeoutMs = REQUEST_TIMEOUT_MS) {
    const method = options.method || 'GET';
    const t0 = Date.now();
    const p0 = performance.now();
    let status = 0;
    let node = null;
    let error = null;
    let text = null;
    let buffer = null;
    let headers = null;
    // Our own request id: the node's log lines and HAProxy's log carry it.
    const requestId = randomUUID();
    try {
        const response = await fetch(url, {
            redirect: 'manual',
            signal: AbortSignal.timeout(timeoutMs),
            ...options,
            headers: { ...(options.headers || {}), 'x-request-id': requestId },
        });
        status = response.status;
        headers = response.headers;
        node = response.headers.get('x-caisse-node');
        const type = response.headers.get('content-type') || '';
        if (/pdf|octet-stream|image\//.test(type)) {
            buffer = Buffer.from(await response.arrayBuffer());
        } else {
            text = await response.text();
        }
    } catch (e) {
        error = `${e.name}: ${e.cause?.code || e.cause?.message || e.message}`;
    }
    const t1 = Date.now();
    const unexpected = status === 0 || status >= 500 || !expect.includes(status);
    stats.request(route, status, node, unexpected, t0, performance.now() - p0);
    const entry = {
        vu,
        phase,
        method,
        route,
        path: url.replace(/^https?:\/\/[^/]+/, ''),
        target: url.startsWith(BASE) ? 'lb' : url.replace(/^(https?:\/\/[^/]+).*$/, '$1'),
        status,
        node,
        t0,
        t1,
        ms: t1 - t0,
        unexpected,
        request_id: requestId,
    };
    if (error) entry.error = error;
    if (unexpected && text !== null) entry.excerpt = excerptOf(text);
    writeRecord(requestsOut, entry);
    counts.requests++;
    counts.by_status[status] = (counts.by_status[status] || 0) + 1;
    if (status === 0) counts.network_errors++;
    return { status, headers, text, buffer, node, error };
}

// A small cookie jar: name → value, from Set-Cookie headers.
class Jar {
    constructor() {
        this.cookies = new Map();
    }
    take(headers) {
        if (!headers) return;
        for (const line of headers.getSetCookie()) {
            const [pair, ...attrs] = line.split(';');
            const eq = pair.indexOf('=');
            const name = pair.slice(0, eq).trim();
            const value = pair.slice(eq + 1).trim();
            const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()));
            if (expired || value === '') this.cookies.delete(name);
            else this.cookies.set(name, value);
        }
    }
    header() {
        return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    get(name) {
        return this.cookies.get(name);
    }
}

function csrfOf(html) {
    const m = /name="csrf_token" value="([^"]+)"/.exec(html || '');
    return m ? m[1] : null;
}

// ------------------------------------------------------------ login codes (mail) --

const usedCodeMails = new Set();

// The 6-digit code of the newest login-code mail to `email` received at or after `since`
// (epoch ms) and not used yet; polls the sink's records for up to `timeoutMs`.
async function codeFromMail(email, since, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        let lines = [];
        try {
            lines = fs.readFileSync(MAILS, 'utf8').split('\n');
        } catch {
            lines = [];
        }
        for (let i = lines.length - 1; i >= 0; i--) {
            if (!lines[i]) continue;
            let mail;
            try {
                mail = JSON.parse(lines[i]);
            } catch {
                continue;
            }
            if (Date.parse(mail.received_at) < since - 1000) break;
            if (!mail.rcpt_to.includes(email) || !/code de connexion/i.test(mail.subject)) continue;
            const key = `${mail.message_id}|${mail.received_at}`;
            if (usedCodeMails.has(key)) continue;
            const m = /^\s+(\d{6})\s*$/m.exec(mail.text);
            if (m) {
                usedCodeMails.add(key);
                return m[1];
            }
        }
        await sleep(200);
    }
    throw new Error(`no login code mailed to ${email} within ${timeoutMs} ms`);
}

// First logins of one member, one at a time (see the header).
const memberLocks = new Map();
async function withMemberLock(member, work) {
    const previous = memberLocks.get(member.nir) || Promise.resolve();
    let release;
    const mine = new Promise((resolve) => {
        release = resolve;
    });
    memberLocks.set(member.nir, previous.then(() => mine));
    await previous;
    try {
        return await work();
    } finally {
        release();
    }
}

// ------------------------------------------------------------------ logins --

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

async function apiLogin(vu, state) {
    const body = { nir: state.member.nir, password: state.member.password };
    if (state.deviceToken) body.device_token = state.deviceToken;
    const since = Date.now();
    const r = await request(
        vu,
        'POST /api/v1/auth/login',
        `${BASE}/api/v1/auth/login`,
        { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) },
        [200, 202],
    );
    if (r.status === 200) return JSON.parse(r.text).token;
    if (r.status !== 202) throw new Error(`API login answered ${r.status}`);
    const { challenge_id } = JSON.parse(r.text);
    const code = await codeFromMail(state.member.email, since);
    const c = await request(
        vu,
        'POST /api/v1/auth/login/confirm',
        `${BASE}/api/v1/auth/login/confirm`,
        {
            method: 'POST',
            headers: JSON_HEADERS,
            body: JSON.stringify({ challenge_id, code, trust_device: true }),
        },
    );
    if (c.status !== 200) throw new Error(`API code confirmation answered ${c.status}`);
    const answer = JSON.parse(c.text);
    if (answer.device_token) state.deviceToken = answer.device_token;
    return answer.token;
}

// The page login; returns the session cookie value. The jar keeps the device cookie.
async function pageLogin(vu, state) {
    const jar = new Jar();
    const device = state.jar?.get('caisse_device');
    if (device) jar.cookies.set('caisse_device', device);
    const form = await request(vu, 'GET /connexion', `${BASE}/connexion`, {
        headers: { cookie: jar.header() },
    });
    jar.take(form.headers);
    const csrf = csrfOf(form.text);
    if (form.status !== 200 || !csrf) throw new Error(`login page answered ${form.status}`);
    const since = Date.now();
    const posted = await request(
        vu,
        'POST /connexion',
        `${BASE}/connexion`,
        {
            method: 'POST',
            headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
                csrf_token: csrf,
                next: '/messagerie',
                nir: state.member.nir,
                password: state.member.password,
            }).toString(),
        },
        [303],
    );
    jar.take(posted.headers);
    const location = posted.headers?.get('location') || '';
    if (posted.status !== 303) throw new Error(`login form answered ${posted.status}`);
    if (location.startsWith('/connexion/code')) {
        const defi = new URL(location, BASE).searchParams.get('defi');
        const code = await codeFromMail(state.member.email, since);
        const confirmed = await request(
            vu,
            'POST /connexion/code',
            `${BASE}/connexion/code`,
            {
                method: 'POST',
                headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams({ csrf_token: csrf, defi, next: '/messagerie', code, confiance: 'oui' }).toString(),
            },
            [303],
        );
        if (confirmed.status !== 303) throw new Error(`code form answered ${confirmed.status}`);
        jar.take(confirmed.headers);
    }
    state.jar = jar;
    return jar.get('caisse_sid');
}

// ------------------------------------------------------------------ the mix --

const DEFAULT_ACTIONS = [
    ['inbox_page', 4],
    ['thread_page', 1],
    ['api_threads', 2],
    ['api_thread', 1],
    ['send', 3],
    ['attestation', 1],
    ['payments', 2],
    ['me', 1],
    ['api_relogin', 1],
    ['page_relogin', 1],
];
// --actions name=weight,…: another mix of the same actions (scripts/bench-mix runs each alone).
const ACTIONS = arg('actions', '')
    ? arg('actions', '')
          .split(',')
          .map((kv) => kv.split('='))
          .map(([name, w]) => {
              if (!DEFAULT_ACTIONS.some(([known]) => known === name)) throw new Error(`unknown action ${name}`);
              return [name, Number(w || 1)];
          })
    : DEFAULT_ACTIONS;
const TOTAL_WEIGHT = ACTIONS.reduce((s, [, w]) => s + w, 0);
function pick() {
    let r = Math.random() * TOTAL_WEIGHT;
    for (const [name, w] of ACTIONS) {
        r -= w;
        if (r < 0) return name;
    }
    return ACTIONS[0][0];
}

const bearer = (token) => ({ authorization: `Bearer ${token}`, accept: 'application/json' });
const sends = { attempted: 0, created: 0, other: 0 };

async function sendMessage(vu, state) {
    const n = ++state.sendCount;
    const marker = `[ct:${RUN_ID}:vu${vu}:${n}]`;
    const message = {
        recipient: 'caisse',
        objet: 'remboursement.feuille_de_soins',
        nature: 'demande_renseignements',
        subject: `Feuille de soins ${n} (test de charge)`,
        body: `Bonjour, je n'ai pas été remboursé de ma consultation. ${marker}`,
    };
    const form = new FormData();
    form.append('message', JSON.stringify(message));
    if (n % 2) {
        form.append('file', new Blob([tinyPng(vu * 31 + n)], { type: 'image/png' }), `photo-${n}.png`);
    } else {
        form.append('file', new Blob([tinyPdf(`Facture ${marker}`)], { type: 'application/pdf' }), `facture-${n}.pdf`);
    }
    sends.attempted++;
    const t0 = Date.now();
    const r = await request(
        vu,
        'POST /api/v1/messages',
        `${BASE}/api/v1/messages`,
        { method: 'POST', headers: bearer(state.token), body: form },
        [201],
    );
    const record = { vu, marker, member: state.member.email, status: r.status, node: r.node, t0, t1: Date.now() };
    if (r.status === 201) {
        const sent = JSON.parse(r.text);
        record.thread_id = sent.id;
        record.reference = sent.reference;
        state.threads.push({ id: sent.id, at: Date.now() });
        sends.created++;
        if (t0 >= stats.start) stats.sendsCreated++;
    } else {
        record.excerpt = excerptOf(r.text || r.error);
        sends.other++;
    }
    writeRecord(sendsOut, record);
}

// A thread sent by this VU at least two seconds ago (a read replica may lag behind), or none.
function olderThread(state) {
    const ready = state.threads.filter((t) => Date.now() - t.at > 2000);
    return ready.length ? ready[Math.floor(Math.random() * ready.length)].id : null;
}

async function act(vu, state, action) {
    const cookie = { cookie: state.jar.header() };
    switch (action) {
        case 'inbox_page': {
            const page = Math.random() < 0.8 ? '' : '?page=2';
            const r = await request(vu, 'GET /messagerie', `${BASE}/messagerie${page}`, { headers: cookie });
            if (r.status === 303) state.sessionLost++;
            break;
        }
        case 'thread_page': {
            const id = olderThread(state);
            if (!id) return act(vu, state, 'inbox_page');
            await request(vu, 'GET /messagerie/{id}', `${BASE}/messagerie/${id}`, { headers: cookie });
            break;
        }
        case 'api_threads':
            await request(vu, 'GET /api/v1/messages', `${BASE}/api/v1/messages`, { headers: bearer(state.token) });
            break;
        case 'api_thread': {
            const id = olderThread(state);
            if (!id) return act(vu, state, 'api_threads');
            await request(vu, 'GET /api/v1/messages/{id}', `${BASE}/api/v1/messages/${id}`, { headers: bearer(state.token) });
            break;
        }
        case 'send':
            if (state.member.sends >= SENDS_PER_MEMBER) {
                stats.sendsOverCap++;
                return act(vu, state, 'api_threads');
            }
            state.member.sends++;
            await sendMessage(vu, state);
            break;
        case 'attestation': {
            const r = await request(
                vu,
                'GET /api/v1/attestations/droits',
                `${BASE}/api/v1/attestations/droits?beneficiaire=famille&mentions=true`,
                { headers: bearer(state.token) },
            );
            if (r.status === 200 && !(r.buffer && r.buffer.subarray(0, 5).toString() === '%PDF-')) {
                state.badDownloads++;
            }
            break;
        }
        case 'payments':
            await request(vu, 'GET /api/v1/payments', `${BASE}/api/v1/payments`, { headers: bearer(state.token) });
            break;
        case 'me':
            await request(vu, 'GET /api/v1/me', `${BASE}/api/v1/me`, { headers: bearer(state.token) });
            break;
        case 'api_relogin': {
            const previous = state.token;
            state.token = await apiLogin(vu, state);
            if (previous !== state.setupToken) {
                await request(vu, 'POST /api/v1/auth/logout', `${BASE}/api/v1/auth/logout`, {
                    method: 'POST',
                    headers: bearer(previous),
                }, [204]);
            }
            break;
        }
        case 'page_relogin':
            await pageLogin(vu, state);
            break;
        default:
            throw new Error(`unknown action ${action}`);
    }
    return undefined;
}

// ------------------------------------------------------------------ main --

const states = [];
let deadline = 0;

async function setup(vu) {
    const state = {
        member: MEMBERS[vu % MEMBERS.length],
        sendCount: 0,
        threads: [],
        sessionLost: 0,
        badDownloads: 0,
        errors: [],
    };
    await withMemberLock(state.member, async () => {
        state.token = await apiLogin(vu, state);
        state.setupToken = state.token;
        state.setupCookie = await pageLogin(vu, state);
    });
    // The page session, as every node sees it directly.
    state.crossNode = {};
    for (const node of NODES) {
        const r = await request(vu, 'GET /messagerie (direct)', `${node}/messagerie`, {
            headers: { cookie: `caisse_sid=${state.setupCookie}` },
        });
        state.crossNode[node] = r.status;
    }
    states[vu] = state;
}

async function run(vu) {
    const state = states[vu];
    while (Date.now() < deadline) {
        const action = pick();
        const started = Date.now();
        const p0 = performance.now();
        try {
            await act(vu, state, action);
            stats.action(action, started, true, performance.now() - p0);
        } catch (e) {
            stats.action(action, started, false, performance.now() - p0);
            state.errors.push(`${new Date().toISOString()} ${action}: ${e.message}`);
            await sleep(500);
        }
        if (THINK_MS > 0) await sleep(Math.random() * THINK_MS * 2);
    }
}

async function postCheck() {
    phase = 'post';
    // The virtual users side by side: a node that cannot reach its database makes each
    // request wait for its pool's timeout.
    const one = async (vu) => {
        const state = states[vu];
        const result = { vu, member: state.member.email, cross_node_at_setup: state.crossNode, page: {}, api: {} };
        for (const node of NODES) {
            const page = await request(vu, 'GET /messagerie (direct)', `${node}/messagerie`, {
                headers: { cookie: `caisse_sid=${state.setupCookie}` },
            }, [200], 15_000);
            result.page[node] = page.status;
            const api = await request(vu, 'GET /api/v1/me (direct)', `${node}/api/v1/me`, {
                headers: bearer(state.setupToken),
            }, [200], 15_000);
            result.api[node] = api.status;
        }
        result.session_lost_during_mix = state.sessionLost;
        result.bad_downloads = state.badDownloads;
        result.errors = state.errors;
        return result;
    };
    return Promise.all(states.map((_, vu) => one(vu)));
}

async function main() {
    log(`${VUS} virtual users through ${BASE}, ${DURATION_S} s after setup (run ${RUN_ID})`);
    const started = Date.now();
    const setupDeadline = started + SETUP_TIMEOUT_S * 1000;
    const setups = Array.from({ length: VUS }, (_, vu) => setup(vu));
    const settled = await Promise.race([
        Promise.allSettled(setups),
        sleep(SETUP_TIMEOUT_S * 1000).then(() => null),
    ]);
    if (!settled || settled.some((s) => s.status === 'rejected')) {
        const reasons = settled ? settled.filter((s) => s.status === 'rejected').map((s) => s.reason?.message) : ['timeout'];
        log(`setup failed after ${Date.now() - started} ms: ${reasons.join('; ')}`);
        fs.writeFileSync(path.join(OUT, 'mix.json'), JSON.stringify({ ok: false, setup_failed: reasons }, null, 2));
        await new Promise((resolve) => requestsOut.end(resolve));
        process.exit(3);
    }
    void setupDeadline;
    const ready = Date.now();
    log(`setup done in ${ready - started} ms (API and page logins with mailed codes)`);
    fs.writeFileSync(path.join(OUT, 'ready'), `${ready}\n`);
    phase = 'mix';
    deadline = ready + (WARMUP_S + DURATION_S) * 1000;
    const openWindow = () => {
        const now = Date.now();
        if (STATS) {
            stats.start = now; // without --stats nothing is kept
            stats.cpu0 = process.cpuUsage();
        }
        fs.writeFileSync(path.join(OUT, 'measure'), `${now}\n`);
        if (WARMUP_S > 0) log(`warm-up done: the measured window opens (${DURATION_S} s)`);
    };
    if (WARMUP_S > 0) setTimeout(openWindow, WARMUP_S * 1000);
    else openWindow();
    let lastReport = ready;
    const ticker = setInterval(() => {
        const now = Date.now();
        log(`t+${Math.round((now - ready) / 1000)}s: ${counts.requests} requests, ${sends.created} sends answered 201, statuses ${JSON.stringify(counts.by_status)}`);
        lastReport = now;
    }, 10_000);
    await Promise.all(Array.from({ length: VUS }, (_, vu) => run(vu)));
    clearInterval(ticker);
    void lastReport;
    const mixEnd = Date.now();
    if (WARMUP_S > 0 || STATS) fs.writeFileSync(path.join(OUT, 'done'), `${mixEnd}\n`);
    log(`mix done: ${counts.requests} requests in ${Math.round((mixEnd - ready) / 1000)} s, ${sends.created}/${sends.attempted} sends answered 201`);
    const summary = () => JSON.stringify({ ok: true, run_id: RUN_ID, vus: VUS, started, ready, mix_end: mixEnd, counts, sends }, null, 2);
    fs.writeFileSync(path.join(OUT, 'mix.json'), summary());
    if (STATS) {
        const figures = statsSummary(mixEnd);
        const errors = states.flatMap((s) => s.errors);
        figures.vu_errors = errors.length;
        if (errors.length) figures.vu_errors_first = errors.slice(0, 5);
        fs.writeFileSync(path.join(OUT, 'stats.json'), JSON.stringify(figures, null, 2));
        process.stdout.write(`mix-stats: ${JSON.stringify(figures)}\n`);
    }
    if (POST_CHECK) {
        const sessions = await postCheck();
        fs.writeFileSync(path.join(OUT, 'sessions.json'), JSON.stringify(sessions, null, 2));
    }
    fs.writeFileSync(path.join(OUT, 'mix.json'), summary());
    await Promise.all([
        new Promise((resolve) => requestsOut.end(resolve)),
        new Promise((resolve) => sendsOut.end(resolve)),
    ]);
}

// Exit at once: idle keep-alive sockets and request timers would keep the loop alive.
main().then(
    () => process.exit(0),
    (e) => {
        log(`failed: ${e.stack || e}`);
        process.exit(1);
    },
);
