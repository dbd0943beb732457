// A small SMTP server for the browser tests: it accepts every message the portal sends
// (plain SMTP, no authentication), decodes subject and body, and lets a test wait for the
// mail it expects. Real SMTP on a real socket, so the portal's outbox worker and its SMTP
// adapter are part of what the tests exercise.

import net from 'node:net';

/** Decodes RFC 2047 encoded words (=?utf-8?B?...?= / =?utf-8?Q?...?=). */
function decodeWords(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset, enc, text) => {
      if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    });
}

function decodeQuotedPrintable(text) {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** The value of parameter `name` of a header (`filename="x.ics"`), or ''. */
function headerParam(value, name) {
  const m = (value || '').match(new RegExp(`(?:^|;)\\s*${name}\\*?=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i'));
  return m ? decodeWords(m[1] ?? m[2] ?? '') : '';
}

/** The parts between the delimiters of `boundary` (RFC 2046), preamble and epilogue left out. */
function splitMultipart(body, boundary) {
  const delimiter = `--${boundary}`;
  const parts = [];
  let rest = body;
  let start = rest.indexOf(delimiter);
  while (start >= 0) {
    rest = rest.slice(start + delimiter.length);
    if (rest.startsWith('--')) break; // the closing delimiter
    const next = rest.indexOf(`\r\n${delimiter}`);
    const part = next >= 0 ? rest.slice(0, next) : rest;
    parts.push(part.replace(/^[ \t]*\r\n/, ''));
    start = next >= 0 ? next + 2 : -1;
  }
  return parts;
}

/**
 * Parses one message (headers, blank line, body) into { headers, subject, text, parts }.
 * `text` is the body decoded, or for a multipart message its first text/plain part that is
 * not an attachment; `parts` lists the leaves of a multipart message as
 * { headers, contentType, filename, text } (empty for a single-part one).
 */
export function parseMessage(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split + 4) : '';
  const headers = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const contentType = headers['content-type'] || 'text/plain';
  const filename = headerParam(headers['content-disposition'], 'filename') || headerParam(contentType, 'name');
  const subject = decodeWords(headers.subject || '');
  const boundary = /^multipart\//i.test(contentType) ? headerParam(contentType, 'boundary') : '';
  if (boundary) {
    const parts = splitMultipart(body, boundary)
      .map(parseMessage)
      .flatMap((p) => (p.parts.length ? p.parts : [{ headers: p.headers, contentType: p.contentType, filename: p.filename, text: p.text }]));
    const plain = parts.find((p) => /^text\/plain/i.test(p.contentType) && !/attachment/i.test(p.headers['content-disposition'] || ''));
    return { headers, subject, text: plain ? plain.text : '', parts, contentType, filename };
  }
  const encoding = (headers['content-transfer-encoding'] || '7bit').toLowerCase();
  let text;
  if (encoding === 'base64') text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (encoding === 'quoted-printable') text = decodeQuotedPrintable(body);
  else text = Buffer.from(body, 'latin1').toString('utf8');
  return { headers, subject, text: text.replace(/\r\n/g, '\n'), parts: [], contentType, filename };
}

/**
 * Starts the server on a free loopback port. Returns { port, messages, waitFor, close }.
 * `waitFor({ to, subject }, timeoutMs)` resolves with the first message not yet returned whose
 * recipient contains `to` and whose subject matches `subject` (a string or a RegExp).
 */
export async function startSmtpSink() {
  const messages = [];
  const taken = new Set();
  const waiters = [];
  const sockets = new Set();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = Buffer.alloc(0);
    let inData = false;
    let envelope = { from: '', to: [] };
    const reply = (line) => socket.write(`${line}\r\n`);
    reply('220 sink.test ESMTP');
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const raw = buffer.slice(0, end).toString('latin1').replace(/^\.\./gm, '.');
          buffer = buffer.slice(end + 5);
          inData = false;
          const message = { ...parseMessage(raw), from: envelope.from, to: envelope.to.join(', ') };
          messages.push(message);
          envelope = { from: '', to: [] };
          reply('250 2.0.0 accepted');
          for (const w of [...waiters]) w.check();
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol).toString('latin1');
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8');
        else if (verb === 'HELO') reply('250 sink.test');
        else if (verb === 'MAIL') { envelope.from = line.replace(/^MAIL FROM:\s*/i, ''); reply('250 2.1.0 ok'); }
        else if (verb === 'RCPT') { envelope.to.push(line.replace(/^RCPT TO:\s*/i, '').replace(/[<>]/g, '')); reply('250 2.1.5 ok'); }
        else if (verb === 'DATA') { inData = true; reply('354 end with <CRLF>.<CRLF>'); }
        else if (verb === 'RSET') { envelope = { from: '', to: [] }; reply('250 2.0.0 ok'); }
        else if (verb === 'NOOP') reply('250 2.0.0 ok');
        else if (verb === 'QUIT') { reply('221 2.0.0 bye'); socket.end(); return; }
        else reply('502 5.5.2 not implemented');
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  function waitFor({ to, subject }, timeoutMs = 20_000) {
    return new Promise((resolve, reject) => {
      const waiter = {
        check() {
          const index = messages.findIndex((m, i) => !taken.has(i) && m.to.includes(to)
            && (subject instanceof RegExp ? subject.test(m.subject) : m.subject === subject));
          if (index < 0) return false;
          taken.add(index);
          clearTimeout(waiter.timer);
          waiters.splice(waiters.indexOf(waiter), 1);
          resolve(messages[index]);
          return true;
        },
      };
      waiters.push(waiter);
      waiter.timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        const seen = messages.map((m) => `${m.to}: ${m.subject}`).join('\n  ');
        reject(new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms; received:\n  ${seen}`));
      }, timeoutMs);
      waiter.check();
    });
  }

  async function close() {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  }

  return { port, messages, waitFor, close };
}
