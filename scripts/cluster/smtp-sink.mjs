#!/usr/bin/env node
// A local SMTP sink for scripts/cluster-test: accepts every mail on 127.0.0.1 and records
// it, one JSON object a line, in the file given by --out (appended, so a sink stopped and
// started again keeps one record). Node's `net` module only; no TLS, no AUTH.
//
//   node scripts/cluster/smtp-sink.mjs --port 2525 --out /tmp/x/mails.jsonl
//
// It speaks what the portal's SMTP transport (lettre) and a person with `nc` need: EHLO,
// HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT (and VRFY, HELP answered politely). The 250 that
// accepts a message is sent only once its record is written (appendFileSync), so a message
// the client saw accepted is on disk. Each record holds:
//   {received_at, session, mail_from, rcpt_to, message_id, subject, text, size}
// where `text` is the decoded text/plain content (quoted-printable and base64 undone,
// multipart walked) and `subject` is decoded from RFC 2047 words.
// SIGTERM or SIGINT: stop listening, drop open connections, exit 0.

import net from 'node:net';
import fs from 'node:fs';

function arg(name, fallback) {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const port = Number(arg('port', '2525'));
const host = arg('host', '127.0.0.1');
const out = arg('out', 'mails.jsonl');
const maxBytes = 30 * 1024 * 1024;

// ---------------------------------------------------------------- MIME decoding --

function decodeQuotedPrintable(text) {
    const bytes = [];
    const soft = text.replace(/=\r?\n/g, '');
    for (let i = 0; i < soft.length; i++) {
        const c = soft[i];
        if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
            bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
            i += 2;
        } else {
            for (const b of Buffer.from(c, 'latin1')) bytes.push(b);
        }
    }
    return Buffer.from(bytes).toString('utf8');
}

function decodeBody(raw, encoding) {
    switch ((encoding || '').trim().toLowerCase()) {
        case 'base64':
            return Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8');
        case 'quoted-printable':
            return decodeQuotedPrintable(raw);
        default:
            return Buffer.from(raw, 'latin1').toString('utf8');
    }
}

// RFC 2047 encoded words, folded or not.
function decodeWords(value) {
    return value
        .replace(/\?=\s+=\?/g, '?==?')
        .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, _charset, kind, data) => {
            if (kind.toLowerCase() === 'b') return Buffer.from(data, 'base64').toString('utf8');
            const qp = data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => `%${h}`);
            try {
                return decodeURIComponent(qp);
            } catch {
                return qp;
            }
        });
}

// Splits a part (latin1 string) into its headers (lower-cased names, unfolded) and body.
function splitPart(raw) {
    const cut = raw.search(/\r?\n\r?\n/);
    const head = cut < 0 ? raw : raw.slice(0, cut);
    const body = cut < 0 ? '' : raw.slice(cut).replace(/^\r?\n\r?\n/, '');
    const headers = {};
    for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { headers, body };
}

// The text/plain content of a part, walking multiparts.
function textOf(part) {
    const type = part.headers['content-type'] || 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type);
    if (/^multipart\//i.test(type) && boundary) {
        const texts = [];
        for (const chunk of part.body.split(`--${boundary[1]}`).slice(1)) {
            if (chunk.startsWith('--')) break;
            texts.push(textOf(splitPart(chunk.replace(/^\r?\n/, ''))));
        }
        return texts.filter(Boolean).join('\n');
    }
    if (/^text\/plain/i.test(type)) return decodeBody(part.body, part.headers['content-transfer-encoding']);
    return '';
}

function record(session, envelope, data) {
    const raw = data.toString('latin1');
    const top = splitPart(raw);
    const entry = {
        received_at: new Date().toISOString(),
        session,
        mail_from: envelope.from,
        rcpt_to: envelope.to,
        message_id: (top.headers['message-id'] || '').replace(/[<>]/g, ''),
        subject: decodeWords(top.headers.subject || ''),
        text: textOf(top),
        size: data.length,
    };
    fs.appendFileSync(out, `${JSON.stringify(entry)}\n`);
    return entry;
}

// ----------------------------------------------------------------- SMTP server --

const sockets = new Set();
let sessions = 0;
let accepted = 0;

const server = net.createServer((socket) => {
    sockets.add(socket);
    const session = ++sessions;
    let buffer = Buffer.alloc(0);
    let inData = false;
    let dataChunks = [];
    let dataSize = 0;
    let envelope = { from: null, to: [] };
    const reply = (line) => {
        if (!socket.destroyed) socket.write(`${line}\r\n`);
    };
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
    reply(`220 ${host} caisse cluster-test SMTP sink ready`);

    function command(line) {
        const verb = line.split(' ')[0].toUpperCase();
        const rest = line.slice(verb.length).trim();
        switch (verb) {
            case 'EHLO':
                envelope = { from: null, to: [] };
                reply(`250-${host} greets ${rest || 'you'}`);
                reply('250-8BITMIME');
                reply('250-SMTPUTF8');
                reply(`250 SIZE ${maxBytes}`);
                break;
            case 'HELO':
                envelope = { from: null, to: [] };
                reply(`250 ${host}`);
                break;
            case 'MAIL': {
                const m = /^FROM:\s*<([^>]*)>/i.exec(rest);
                if (!m) return reply('501 5.5.4 Syntax: MAIL FROM:<address>');
                envelope = { from: m[1], to: [] };
                reply('250 2.1.0 OK');
                break;
            }
            case 'RCPT': {
                const m = /^TO:\s*<([^>]+)>/i.exec(rest);
                if (!m) return reply('501 5.5.4 Syntax: RCPT TO:<address>');
                if (envelope.from === null) return reply('503 5.5.1 MAIL first');
                envelope.to.push(m[1]);
                reply('250 2.1.5 OK');
                break;
            }
            case 'DATA':
                if (envelope.from === null || envelope.to.length === 0) return reply('503 5.5.1 RCPT first');
                inData = true;
                dataChunks = [];
                dataSize = 0;
                reply('354 End data with <CR><LF>.<CR><LF>');
                break;
            case 'RSET':
                envelope = { from: null, to: [] };
                reply('250 2.0.0 OK');
                break;
            case 'NOOP':
                reply('250 2.0.0 OK');
                break;
            case 'VRFY':
                reply('252 2.1.5 Cannot VRFY, send some mail');
                break;
            case 'HELP':
                reply('214 EHLO HELO MAIL RCPT DATA RSET NOOP QUIT');
                break;
            case 'QUIT':
                reply('221 2.0.0 Bye');
                socket.end();
                break;
            case '':
                reply('500 5.5.2 Empty command');
                break;
            default:
                reply('502 5.5.2 Command not implemented');
        }
    }

    function endOfData() {
        inData = false;
        // Undo dot-stuffing line by line.
        const body = Buffer.concat(dataChunks)
            .toString('latin1')
            .split('\r\n')
            .map((l) => (l.startsWith('.') ? l.slice(1) : l))
            .join('\r\n');
        const data = Buffer.from(body, 'latin1');
        if (dataSize > maxBytes) {
            reply('552 5.3.4 Message too big');
        } else {
            try {
                record(session, envelope, data);
                accepted++;
                reply(`250 2.0.0 OK queued as ${session}.${accepted}`);
            } catch (error) {
                process.stderr.write(`smtp-sink: cannot record a message: ${error}\n`);
                reply('451 4.3.0 Cannot record the message');
            }
        }
        envelope = { from: null, to: [] };
    }

    socket.on('data', (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
            if (inData) {
                // The terminating line may come split across chunks: search the whole buffer.
                const end = buffer.indexOf('\r\n.\r\n');
                const atStart = buffer.length >= 3 && buffer.subarray(0, 3).toString() === '.\r\n' && dataChunks.length === 0;
                if (atStart) {
                    buffer = buffer.subarray(3);
                    endOfData();
                    continue;
                }
                if (end < 0) {
                    // Keep the last 4 bytes: they may start the terminator.
                    if (buffer.length > 4) {
                        const keep = buffer.subarray(buffer.length - 4);
                        dataChunks.push(buffer.subarray(0, buffer.length - 4));
                        dataSize += buffer.length - 4;
                        buffer = Buffer.from(keep);
                    }
                    return;
                }
                dataChunks.push(buffer.subarray(0, end));
                dataSize += end;
                buffer = buffer.subarray(end + 5);
                endOfData();
                continue;
            }
            const nl = buffer.indexOf('\n');
            if (nl < 0) {
                if (buffer.length > 4096) {
                    reply('500 5.5.2 Line too long');
                    socket.destroy();
                }
                return;
            }
            const line = buffer.subarray(0, nl).toString('utf8').replace(/\r$/, '');
            buffer = buffer.subarray(nl + 1);
            command(line);
        }
    });
});

function stop(signal) {
    server.close();
    for (const socket of sockets) socket.destroy();
    process.stdout.write(`smtp-sink: ${signal}, stopped after ${accepted} message(s)\n`);
    process.exit(0);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

server.on('error', (error) => {
    process.stderr.write(`smtp-sink: ${error.message}\n`);
    process.exit(1);
});
server.listen(port, host, () => {
    process.stdout.write(`smtp-sink: listening on ${host}:${port}, recording to ${out}\n`);
});
