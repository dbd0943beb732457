// The local card payment provider (`caisse dev payment-emulator`) the journeys that pay a debt
// start beside their server, with the payment settings both share.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, freePort } from './harness.mjs';

const BIN = process.env.CAISSE_BIN || path.join(REPO_ROOT, 'target', 'debug', 'caisse');

/** The merchant and the shared secret of the portal and the emulator. */
export const PAYMENT = Object.freeze({
  CAISSE_PAYMENT_PROVIDER_MERCHANT_ID: 'CGSS974-E2E',
  CAISSE_PAYMENT_PROVIDER_SECRET: 'e2e-shared-secret-of-the-fund',
});

/** The fund's account shown for transfers. */
export const FUND_ACCOUNT = Object.freeze({
  CAISSE_PAYMENT_ACCOUNT_IBAN: 'FR76 1751 5900 0008 7654 3210 957',
  CAISSE_PAYMENT_ACCOUNT_BIC: 'BDFEFRPP',
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `caisse dev payment-emulator` and waits until its page answers. */
export async function startEmulator() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/payer`;
  // The same payment settings as the portal's.
  const child = spawn(BIN, ['dev', 'payment-emulator', '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, ...PAYMENT, CAISSE_PAYMENT_PROVIDER_URL: url, RUST_LOG: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  let exited = false;
  child.on('exit', () => { exited = true; });
  for (let i = 0; i < 120 && !exited; i += 1) {
    try {
      // An unsigned request is refused: the emulator is up.
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 400) return { url, child, output: () => out };
    } catch { /* not yet */ }
    await sleep(250);
  }
  child.kill('SIGKILL');
  throw new Error(`the payment emulator did not start:\n${out}`);
}

/** The portal's settings for the emulator started at `emulatorUrl`. */
export function paymentEnv(emulatorUrl) {
  return { ...PAYMENT, ...FUND_ACCOUNT, CAISSE_PAYMENT_PROVIDER_URL: emulatorUrl };
}
