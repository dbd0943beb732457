// The mail directory of the development transport: without an SMTP relay, the server writes
// each mail it delivers as ID.eml (and each SMS as ID.sms.txt) into a private directory.
// The tests read their mail there, as a developer would.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseMessage } from './smtp.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The mails of the directory: { file, mode, headers, subject, text }, oldest file name first. */
export function mailsIn(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return []; // not created yet
  }
  return names
    .filter((n) => n.endsWith('.eml'))
    .sort()
    .map((n) => {
      const file = path.join(dir, n);
      return { file, mode: statSync(file).mode & 0o777, ...parseMessage(readFileSync(file, 'latin1')) };
    });
}

/**
 * Waits until a mail to `to` whose subject is `subject` (a string or a RegExp) is in `dir`, and
 * returns the newest one. Polls every 100 ms for up to `timeoutMs`.
 */
export async function waitForMailFile(dir, { to, subject }, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  const matches = (m) => (m.headers.to || '').includes(to)
    && (subject instanceof RegExp ? subject.test(m.subject) : m.subject === subject);
  for (;;) {
    const found = mailsIn(dir).filter(matches);
    if (found.length) return found[found.length - 1];
    if (Date.now() > deadline) {
      const seen = mailsIn(dir).map((m) => `${m.headers.to}: ${m.subject}`).join('\n  ');
      throw new Error(`no mail to ${to} matching ${subject} in ${dir} within ${timeoutMs} ms; found:\n  ${seen}`);
    }
    await sleep(100);
  }
}
