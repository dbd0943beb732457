// Starts the test OpenID Connect provider (oidc/provider.mjs, the npm oidc-provider configured
// like FranceConnect v2 and like a fund's staff provider) for a portal at `rp`. Resolves to
// { issuer, stop() } once it has announced its issuer.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { E2E_DIR } from './harness.mjs';

export const FC_CLIENT = Object.freeze({ id: 'caisse-fc', secret: 'caisse-fc-secret-for-tests-only-0123456789' });
export const STAFF_CLIENT = Object.freeze({ id: 'caisse-agents', secret: 'caisse-agents-secret-for-tests-only-0123456' });

export function startProvider(rp) {
  const child = spawn(process.execPath, [path.join(E2E_DIR, 'oidc', 'provider.mjs'), '--port', '0', '--rp', rp], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the test provider exited (${code}) before announcing itself`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const { issuer } = JSON.parse(line);
      resolve({
        issuer,
        stop: () => {
          child.stdin.end();
          child.kill('SIGTERM');
        },
      });
    });
  });
}
