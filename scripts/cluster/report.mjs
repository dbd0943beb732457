#!/usr/bin/env node
// The checks and the summary of scripts/cluster-test, once the mix is over. Node 20, built-in
// modules only (psql is run as a child process).
//
//   node scripts/cluster/report.mjs --run RUN_DIR --events EVENTS.jsonl --mails MAILS.jsonl \
//        --db postgres://…/caisse --mail-wait 120 --logs node1.log,node2.log,node3.log \
//        --haproxy-log haproxy.log --run-id ID
//
// Checks (any failure: exit 1):
//   sends      every send answered 201 is in the database exactly once (its marker in a
//              member's message body, on the database given: the new primary);
//   mails      the confirmation of each of those sends (« Votre message a bien été envoyé
//              (M-…) », mails/message_sent.txt, queued with the thread) is queued once in the
//              outbox and delivered by the SMTP sink at least once, waiting for it with a
//              bounded poll; duplicates are counted and printed, not failed;
//   sessions   the page sessions and API tokens made during the setup (before the faults)
//              answer 200 on every node, directly, after the faults; none was lost meanwhile;
//   5xx        no request answered 5xx (or failed without an answer) except those in flight
//              on the killed node when it was killed (or sent to it after the kill, before
//              HAProxy's check saw it down), or in flight during the primary switch; those are
//              listed apart, with time, route, status, node, body excerpt and what the node's
//              log and HAProxy's log said about that request id;
//   answers    no other unexpected answer (a 4xx, a redirect to the login page…).

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

function arg(name, fallback) {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const RUN = arg('run', '.');
const EVENTS = arg('events', path.join(RUN, 'events.jsonl'));
const MAILS = arg('mails', 'mails.jsonl');
const DB = arg('db', '');
const MAIL_WAIT_S = Number(arg('mail-wait', '120'));
const LOGS = arg('logs', '').split(',').filter(Boolean);
const HAPROXY_LOG = arg('haproxy-log', '');
const PSQL = arg('psql', 'psql');

const readLines = (file) => {
    try {
        return fs
            .readFileSync(file, 'utf8')
            .split('\n')
            .filter(Boolean)
            .flatMap((l) => {
                try {
                    return [JSON.parse(l)];
                } catch {
                    return [];
                }
            });
    } catch {
        return [];
    }
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line = '') => process.stdout.write(`${line}\n`);

let mix;
try {
    mix = JSON.parse(fs.readFileSync(path.join(RUN, 'mix.json'), 'utf8'));
} catch {
    say('report: the mix left no mix.json (it did not get through its setup): nothing to check');
    say('0 passed, 1 failed');
    process.exit(1);
}
const requests = readLines(path.join(RUN, 'requests.jsonl'));
const sends = readLines(path.join(RUN, 'sends.jsonl'));
const events = readLines(EVENTS);
let sessions = [];
try {
    sessions = JSON.parse(fs.readFileSync(path.join(RUN, 'sessions.json'), 'utf8'));
} catch {
    sessions = [];
}
const T0 = mix.ready || (requests[0] && requests[0].t0) || Date.now();
const rel = (t) => `t${t >= T0 ? '+' : '-'}${(Math.abs(t - T0) / 1000).toFixed(1)}s`;
const clock = (t) => new Date(t).toISOString().slice(11, 23);

function table(headers, rows) {
    const widths = headers.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
    const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
    say(`  ${line(headers)}`);
    say(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
    for (const r of rows) say(`  ${line(r)}`);
}

function psql(sql) {
    return execFileSync(PSQL, [DB, '-X', '-q', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
        encoding: 'utf8',
        timeout: 60_000,
    })
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'));
}

const checks = [];
const check = (name, ok, detail) => checks.push({ name, ok, detail });

// ------------------------------------------------------------------ events --

say('');
say('==== Events ====');
for (const e of events) {
    const { t, event, ...rest } = e;
    const extra = Object.entries(rest)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
    say(`  ${clock(t)} ${rel(t).padStart(9)}  ${event.padEnd(22)} ${extra}`);
}
const find = (name) => events.filter((e) => e.event === name);

// ------------------------------------------------------------------ requests --

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);
say('');
say(`==== Requests (${requests.length}; mix phase ${Math.round(((mix.mix_end || T0) - T0) / 1000)} s, ${mix.vus} virtual users) ====`);
const byRoute = new Map();
for (const r of requests) {
    const key = `${r.route}${r.target !== 'lb' ? '' : ''}`;
    if (!byRoute.has(key)) byRoute.set(key, []);
    byRoute.get(key).push(r);
}
const rows = [...byRoute]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([route, list]) => {
        const ms = list.map((r) => r.ms).sort((a, b) => a - b);
        const cls = (lo, hi) => list.filter((r) => r.status >= lo && r.status < hi).length;
        return [
            route,
            list.length,
            cls(200, 300),
            cls(300, 400),
            cls(400, 500),
            cls(500, 600),
            list.filter((r) => r.status === 0).length,
            list.filter((r) => r.unexpected).length,
            pct(ms, 50),
            pct(ms, 95),
            ms[ms.length - 1] || 0,
        ];
    });
table(['route', 'n', '2xx', '3xx', '4xx', '5xx', 'no answer', 'unexpected', 'p50 ms', 'p95 ms', 'max ms'], rows);

const viaLb = requests.filter((r) => r.target === 'lb');
const byNode = {};
for (const r of viaLb) byNode[r.node || '(none)'] = (byNode[r.node || '(none)'] || 0) + 1;
say('');
say(`  through the load balancer, by node (X-Caisse-Node): ${Object.entries(byNode)
    .sort()
    .map(([n, c]) => `${n} ${c}`)
    .join(', ')}`);

// ------------------------------------------------------------------ 5xx --

const kills = find('node_kill');
const switchStart = find('switch_start')[0];
const switchDone = find('switch_done')[0];
function classify(r) {
    for (const k of kills) {
        const at = Number(k.sent_at || k.t);
        const seenDown = find('node_down_in_lb').find((e) => e.node === k.node && e.t >= k.t);
        const downAt = seenDown ? seenDown.t : at;
        // No answer means no X-Caisse-Node: HAProxy closed the client's connection (a reused
        // connection to the dead node fails that way); its log, when it has a line, says where
        // the request went.
        const toKilled = r.node === k.node || (r.status === 0 && haproxyServer(r.request_id) !== 'other');
        if (!toKilled) continue;
        const how = r.status === 0 ? `no answer (HAProxy: ${haproxyServer(r.request_id) || 'no log line'})` : `${r.status} from HAProxy`;
        if (r.t0 <= at && r.t1 >= at) return `in flight on ${k.node} when it was killed; ${how}`;
        if (r.t0 > at && r.t0 <= downAt) {
            return `sent to ${k.node} after the kill, before HAProxy's check saw it down (${downAt - at} ms later); ${how}`;
        }
    }
    if (switchStart && r.t0 <= (switchDone ? switchDone.t : Infinity) && r.t1 >= switchStart.t) {
        return 'in flight during the primary switch';
    }
    return null;
}

// What the logs said about one request id (the mix sends its own x-request-id).
const logCache = new Map();
function logLines(file) {
    if (!logCache.has(file)) {
        try {
            logCache.set(file, fs.readFileSync(file, 'utf8').split('\n'));
        } catch {
            logCache.set(file, []);
        }
    }
    return logCache.get(file);
}
// The server HAProxy's log names for a request id: the killed node's name, 'other', or null.
function haproxyServer(requestId) {
    if (!HAPROXY_LOG || !requestId) return null;
    const line = logLines(HAPROXY_LOG).find((l) => l.includes(requestId));
    if (!line) return null;
    const m = / be_nodes(?:_live)?\/(\S+) /.exec(line);
    if (!m) return null;
    return kills.some((k) => k.node === m[1]) ? m[1] : 'other';
}

function causes(requestId) {
    if (!requestId) return [];
    const found = [];
    for (const file of LOGS) {
        for (const line of logLines(file)) {
            if (line.includes(requestId) && /WARN|ERROR|error|failed|panick/.test(line)) {
                found.push(`${path.basename(path.dirname(file))}: ${line.replace(/\x1b\[[0-9;]*m/g, '').slice(0, 400)}`);
            }
        }
    }
    if (HAPROXY_LOG) {
        const lines = logLines(HAPROXY_LOG).filter((l) => l.includes(requestId));
        for (const line of lines) found.push(`haproxy: ${line.slice(0, 300)}`);
        if (!lines.length) found.push('haproxy: no log line for this request id');
    }
    return found.slice(0, 6);
}

const failed = requests.filter((r) => r.status === 0 || r.status >= 500);
const explained = [];
const unexplained = [];
for (const r of failed) {
    const why = classify(r);
    (why ? explained : unexplained).push({ ...r, why });
}
function printFailures(list) {
    for (const r of list) {
        say(`  ${clock(r.t0)} ${rel(r.t0).padStart(9)} .. ${rel(r.t1)}  ${r.method} ${r.path}  -> ${r.status || r.error}  node=${r.node || '-'} vu=${r.vu} id=${r.request_id || '-'}`);
        if (r.why) say(`      why: ${r.why}`);
        if (r.excerpt) say(`      body: ${r.excerpt.slice(0, 200)}`);
        for (const c of causes(r.request_id)) say(`      log: ${c}`);
    }
}
say('');
say(`==== 5xx and requests without an answer: ${failed.length} ====`);
say(`  expected (in flight on the killed node or sent to it before HAProxy saw it down, or in flight during the primary switch): ${explained.length}`);
printFailures(explained);
say(`  NOT explained by a fault: ${unexplained.length}`);
printFailures(unexplained);
check(
    '5xx',
    unexplained.length === 0,
    `${failed.length} 5xx/no answer; ${explained.length} in flight at the kill or the switch; ${unexplained.length} unexplained`,
);

// Other unexpected answers.
const odd = requests.filter((r) => r.unexpected && r.status !== 0 && r.status < 500);
say('');
say(`==== Other unexpected answers: ${odd.length} ====`);
const oddByKind = new Map();
for (const r of odd) {
    const k = `${r.method} ${r.route} -> ${r.status}`;
    if (!oddByKind.has(k)) oddByKind.set(k, []);
    oddByKind.get(k).push(r);
}
for (const [k, list] of oddByKind) {
    say(`  ${list.length} x ${k}; first at ${rel(list[0].t0)} node=${list[0].node || '-'}: ${(list[0].excerpt || '').slice(0, 200)}`);
}
const badDownloads = sessions.reduce((n, s) => n + (s.bad_downloads || 0), 0);
if (badDownloads) say(`  ${badDownloads} attestation download(s) answered 200 without a PDF`);
check('answers', odd.length === 0 && badDownloads === 0, `${odd.length} unexpected non-5xx answer(s), ${badDownloads} attestation(s) not a PDF`);

// ------------------------------------------------------------------ sends --

say('');
say('==== Sends ====');
const created = sends.filter((s) => s.status === 201);
const notCreated = sends.filter((s) => s.status !== 201);
let inDb = new Map();
let dbOk = true;
try {
    const rowsDb = psql(
        `select substring(m.body from '\\[ct:[^]]+\\]') as marker, count(*), min(m.thread_id::text), max(m.thread_id::text)
           from messages m
          where m.author_kind = 'member' and m.body like '%[ct:${mix.run_id}:%'
          group by 1`,
    );
    inDb = new Map(rowsDb.map(([marker, n, tmin, tmax]) => [marker, { n: Number(n), tmin, tmax }]));
} catch (e) {
    dbOk = false;
    say(`  cannot query the database: ${e.message.split('\n')[0]}`);
}
let once = 0;
const missing = [];
const doubled = [];
const wrongThread = [];
for (const s of created) {
    const row = inDb.get(s.marker);
    if (!row) missing.push(s);
    else if (row.n > 1) doubled.push({ ...s, n: row.n });
    else {
        once++;
        if (row.tmin !== s.thread_id) wrongThread.push(s);
    }
}
const ambiguous = notCreated.map((s) => ({ ...s, n: inDb.get(s.marker)?.n || 0 }));
table(
    ['sends', 'count'],
    [
        ['attempted', sends.length],
        ['answered 201', created.length],
        ['  in the database once', once],
        ['  missing', missing.length],
        ['  more than once', doubled.length],
        ['  under another thread id', wrongThread.length],
        ['not answered 201', notCreated.length],
        ['  of which stored anyway (once)', ambiguous.filter((s) => s.n === 1).length],
        ['  of which stored twice or more', ambiguous.filter((s) => s.n > 1).length],
    ],
);
for (const s of missing) say(`  missing: ${s.marker} thread ${s.thread_id} (${rel(s.t0)}, node ${s.node})`);
for (const s of doubled) say(`  ${s.n} times: ${s.marker} (${rel(s.t0)}, node ${s.node})`);
for (const s of ambiguous) say(`  not 201: ${s.marker} -> ${s.status} at ${rel(s.t0)} node=${s.node || '-'}; in the database ${s.n} time(s); ${s.excerpt || ''}`.slice(0, 300));
check(
    'sends',
    dbOk && created.length > 0 && missing.length === 0 && doubled.length === 0 && wrongThread.length === 0 && ambiguous.every((s) => s.n <= 1),
    `${created.length} answered 201: ${once} once, ${missing.length} missing, ${doubled.length} duplicated (checked on ${DB.replace(/\/\/[^@]*@/, '//')})`,
);

// ------------------------------------------------------------------ mails --

say('');
say('==== Confirmation mails (« Votre message a bien été envoyé (M-…) ») ====');
const refs = new Map(created.map((s) => [s.reference, s]));
let outboxByRef = new Map();
try {
    const rowsOutbox = psql(
        `select substring(subject from 'M-[0-9A-Z-]+'), count(*), string_agg(id::text, ','), string_agg(status, ','), max(attempts)
           from outbox where subject like 'Votre message a bien%' group by 1`,
    );
    outboxByRef = new Map(rowsOutbox.map(([ref, n, ids, statuses, attempts]) => [ref, { n: Number(n), ids: ids.split(','), statuses, attempts: Number(attempts) }]));
} catch (e) {
    say(`  cannot read the outbox: ${e.message.split('\n')[0]}`);
}
function delivered() {
    const seen = new Map();
    for (const m of readLines(MAILS)) {
        const ref = /\((M-[0-9A-Z-]+)\)/.exec(m.subject || '');
        if (!ref || !refs.has(ref[1])) continue;
        if (!seen.has(ref[1])) seen.set(ref[1], []);
        seen.get(ref[1]).push(m);
    }
    return seen;
}
const waitStart = Date.now();
let seen = delivered();
while (seen.size < refs.size && Date.now() - waitStart < MAIL_WAIT_S * 1000) {
    await sleep(1000);
    seen = delivered();
}
const waited = Math.round((Date.now() - waitStart) / 1000);
const notQueued = [...refs.keys()].filter((r) => !outboxByRef.has(r));
const queuedTwice = [...refs.keys()].filter((r) => (outboxByRef.get(r)?.n || 0) > 1);
const lost = [...refs.keys()].filter((r) => !seen.has(r));
const dupes = [...seen].filter(([, list]) => list.length > 1);
const dupeExtra = dupes.reduce((s, [, list]) => s + list.length - 1, 0);
const retried = [...outboxByRef.values()].filter((o) => o.attempts > 1).length;
table(
    ['confirmations', 'count'],
    [
        ['sends answered 201', refs.size],
        ['queued in the outbox once', refs.size - notQueued.length - queuedTwice.length],
        ['  not queued', notQueued.length],
        ['  queued more than once', queuedTwice.length],
        ['  delivered after more than one attempt', retried],
        [`delivered to the sink (waited ${waited} s)`, seen.size],
        ['  lost', lost.length],
        ['  delivered more than once', dupes.length],
        ['  extra copies', dupeExtra],
    ],
);
for (const [ref, list] of dupes) {
    say(`  duplicate: ${ref} delivered ${list.length} times (message ids ${[...new Set(list.map((m) => m.message_id))].join(', ')}) at ${list.map((m) => m.received_at.slice(11, 23)).join(', ')}`);
}
for (const ref of lost.slice(0, 20)) {
    const o = outboxByRef.get(ref);
    say(`  lost: ${ref} thread ${refs.get(ref).thread_id}; outbox: ${o ? `${o.statuses} after ${o.attempts} attempt(s)` : 'no row'}`);
}
try {
    const status = psql('select status, count(*) from outbox group by 1 order by 1');
    say(`  outbox now: ${status.map(([s, n]) => `${s} ${n}`).join(', ')}`);
} catch {
    // already said above
}
const allMails = readLines(MAILS);
const bySubject = new Map();
for (const m of allMails) {
    const k = (m.subject || '').replace(/\(M-[^)]*\)/, '(M-…)');
    bySubject.set(k, (bySubject.get(k) || 0) + 1);
}
say(`  the sink recorded ${allMails.length} mail(s): ${[...bySubject].map(([k, n]) => `${n} « ${k} »`).join(', ')}`);
check(
    'mails',
    refs.size > 0 && lost.length === 0 && notQueued.length === 0 && queuedTwice.length === 0,
    `${seen.size}/${refs.size} confirmations delivered (${lost.length} lost, ${dupes.length} delivered more than once, ${dupeExtra} extra copies)`,
);

// ------------------------------------------------------------------ sessions --

say('');
say('==== Sessions made during the setup (before any fault), tried on every node after ====');
let sessionFailures = 0;
let lostDuringMix = 0;
const sessionRows = [];
for (const s of sessions) {
    const nodes = Object.keys(s.page);
    const setupOk = Object.values(s.cross_node_at_setup).every((st) => st === 200);
    const pageOk = Object.values(s.page).every((st) => st === 200);
    const apiOk = Object.values(s.api).every((st) => st === 200);
    if (!setupOk || !pageOk || !apiOk) sessionFailures++;
    lostDuringMix += s.session_lost_during_mix;
    sessionRows.push([
        `vu${s.vu} ${s.member}`,
        nodes.map((n) => s.cross_node_at_setup[n]).join('/'),
        nodes.map((n) => s.page[n]).join('/'),
        nodes.map((n) => s.api[n]).join('/'),
        s.session_lost_during_mix,
        s.errors.length,
    ]);
}
table(['virtual user', 'page at setup', 'page after', 'API token after', 'lost in mix', 'VU errors'], sessionRows);
for (const s of sessions) for (const e of s.errors.slice(0, 5)) say(`  vu${s.vu} error: ${e}`);
check(
    'sessions',
    sessions.length === mix.vus && sessionFailures === 0 && lostDuringMix === 0,
    `${sessions.length} setup sessions and tokens; ${sessionFailures} refused on some node; ${lostDuringMix} inbox pages sent to the login page during the mix`,
);

// ------------------------------------------------------------------ summary --

say('');
say('==== Checks ====');
for (const c of checks) say(`  ${c.ok ? 'PASS' : 'FAIL'}  ${c.name.padEnd(9)} ${c.detail}`);
const failedChecks = checks.filter((c) => !c.ok);
fs.writeFileSync(path.join(RUN, 'checks.json'), JSON.stringify({ checks, explained, unexplained }, null, 2));
say('');
say(`${checks.length - failedChecks.length} passed, ${failedChecks.length} failed`);
process.exit(failedChecks.length ? 1 : 0);
