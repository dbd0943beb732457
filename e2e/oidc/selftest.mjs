// Self-test of the test OpenID Connect provider (provider.mjs): full authorization code flows
// with PKCE over plain http, test modes, key rotation and RP-initiated logout.
// Run: node e2e/oidc/selftest.mjs   (exit code 0 on success)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import * as jose from 'jose';

const HERE = dirname(fileURLToPath(import.meta.url));
const RP = 'http://127.0.0.1:9';

const CLIENTS = {
  fc: {
    id: 'caisse-fc',
    secret: 'caisse-fc-secret-for-tests-only-0123456789',
    auth: 'post',
    redirect: `${RP}/connexion/franceconnect/retour`,
    alg: 'ES256',
  },
  fcRs: {
    id: 'caisse-fc-rs256',
    secret: 'caisse-fc-rs256-secret-for-tests-only-012345',
    auth: 'post',
    redirect: `${RP}/connexion/franceconnect/retour`,
    alg: 'RS256',
  },
  agents: {
    id: 'caisse-agents',
    secret: 'caisse-agents-secret-for-tests-only-0123456',
    auth: 'basic',
    redirect: `${RP}/agent/connexion/oidc/retour`,
    alg: 'RS256',
  },
};
const FC_SCOPE = 'openid given_name family_name birthdate gender birthplace birthcountry email';
const AGENTS_SCOPE = 'openid profile email groups';
const FC_ID_TOKEN_CLAIMS = ['acr', 'amr', 'aud', 'auth_time', 'exp', 'iat', 'iss', 'nonce', 'sid', 'sub'];

let passed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    console.log(`not ok - ${name}`);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Start the provider
// ---------------------------------------------------------------------------------------------

const child = spawn(process.execPath, [join(HERE, 'provider.mjs'), '--port', '0', '--rp', RP], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const stdoutLines = [];
const lines = createInterface({ input: child.stdout });
const firstLine = new Promise((resolve, reject) => {
  lines.on('line', (line) => {
    stdoutLines.push(line);
    if (stdoutLines.length === 1) resolve(line);
  });
  child.once('exit', (code) => reject(new Error(`provider exited early (${code})`)));
  setTimeout(() => reject(new Error('provider did not announce itself within 15 s')), 15000).unref();
});
const announced = JSON.parse(await firstLine);
const ISSUER = announced.issuer;

// ---------------------------------------------------------------------------------------------
// HTTP helpers: manual redirects and a hand-made cookie jar
// ---------------------------------------------------------------------------------------------

class Jar {
  #cookies = new Map();

  store(res) {
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attrs] = header.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expires = attrs.find((a) => /^expires=/i.test(a));
      const expired = value === '' || (expires && Date.parse(expires.slice(8)) <= Date.now())
        || attrs.some((a) => /^max-age=(0|-)/i.test(a));
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header() {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  names() {
    return [...this.#cookies.keys()];
  }
}

async function request(jar, url, { method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(new URL(url, ISSUER), {
    method,
    redirect: 'manual',
    headers: { ...(jar && jar.header() ? { cookie: jar.header() } : {}), ...headers },
    body,
  });
  if (jar) jar.store(res);
  return res;
}

const form = (obj) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(obj).toString(),
});

async function postJson(path, obj) {
  return request(null, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(obj),
  });
}

async function setMode(obj) {
  const res = await postJson('/__test/mode', obj);
  assert.equal(res.status, 204, `POST /__test/mode ${JSON.stringify(obj)}`);
}

const random = (n = 32) => randomBytes(n).toString('base64url');

function decode(jwt) {
  const [h, p, s] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
    signature: s,
  };
}

async function jwks() {
  const res = await request(null, '/jwks');
  assert.equal(res.status, 200);
  return res.json();
}

// Full authorization code flow with PKCE S256. Returns tokens and the values sent.
async function flow(client, login, scope, { jar = new Jar() } = {}) {
  const state = random();
  const nonce = random();
  const verifier = random(48);
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({
    client_id: client.id,
    redirect_uri: client.redirect,
    response_type: 'code',
    scope,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    acr_values: 'eidas1',
  });
  let res = await request(jar, `/auth?${query}`);
  assert.equal(res.status, 303, 'authorization endpoint redirects');
  let location = res.headers.get('location');

  if (new URL(location, ISSUER).pathname.startsWith('/interaction/')) {
    res = await request(jar, location);
  }
  if (res.status === 303 && new URL(location, ISSUER).pathname.startsWith('/interaction/')) {
    // Consent interaction (already logged in): granted automatically, back to the resume URL.
    location = res.headers.get('location');
    res = await request(jar, location);
    assert.equal(res.status, 303, 'resume redirects to the client');
    location = res.headers.get('location');
  } else if (new URL(location, ISSUER).pathname.startsWith('/interaction/')) {
    assert.equal(res.status, 200, 'interaction page');
    const html = await res.text();
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /<main>/);
    assert.match(html, /<h1>Connexion au fournisseur d'identité de test<\/h1>/);
    assert.match(html, /<label for="login">Identifiant<\/label>/);
    assert.match(html, /<input type="text" id="login" name="login"/);
    assert.match(html, /<button type="submit">Continuer<\/button>/);
    const action = /<form method="post" action="([^"]+)">/.exec(html)[1];
    assert.equal(action, `${new URL(location, ISSUER).pathname}/login`);

    res = await request(jar, action, { method: 'POST', ...form({ login: 'personne.inconnue' }) });
    assert.equal(res.status, 200, 'unknown login shows the page again');
    assert.match(await res.text(), /Identifiant inconnu/);

    res = await request(jar, action, { method: 'POST', ...form({ login }) });
    assert.equal(res.status, 303, 'login redirects (resume)');
    location = res.headers.get('location');
    res = await request(jar, location);
    assert.equal(res.status, 303, 'resume redirects to the client');
    location = res.headers.get('location');
  }

  assert.ok(location.startsWith(`${client.redirect}?`), `redirected to the client: ${location}`);
  const back = new URL(location);
  assert.equal(back.searchParams.get('state'), state);
  assert.equal(back.searchParams.get('iss'), ISSUER);
  const code = back.searchParams.get('code');
  assert.ok(code);

  const tokenParams = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirect,
    code_verifier: verifier,
  };
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.auth === 'post') {
    Object.assign(tokenParams, { client_id: client.id, client_secret: client.secret });
  } else {
    const enc = (s) => encodeURIComponent(s);
    headers.authorization = `Basic ${Buffer.from(`${enc(client.id)}:${enc(client.secret)}`).toString('base64')}`;
  }
  res = await request(null, '/token', { method: 'POST', headers, body: new URLSearchParams(tokenParams).toString() });
  const tokens = await res.json();
  assert.equal(res.status, 200, `token endpoint: ${JSON.stringify(tokens)}`);
  assert.equal(tokens.token_type, 'Bearer');
  assert.ok(tokens.id_token && tokens.access_token);
  return { tokens, state, nonce, jar };
}

async function userinfo(accessToken) {
  const res = await request(null, '/me', { headers: { authorization: `Bearer ${accessToken}` } });
  assert.equal(res.status, 200, 'userinfo');
  return { type: res.headers.get('content-type'), body: await res.text() };
}

async function verifyWithJwks(jwt, alg, keySet) {
  const set = jose.createLocalJWKSet(keySet ?? await jwks());
  return jose.jwtVerify(jwt, set, { issuer: ISSUER, algorithms: [alg] });
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

try {
  await step('announcement line and discovery', async () => {
    assert.match(ISSUER, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(ISSUER, `http://127.0.0.1:${announced.port}`);
    const res = await request(null, '/.well-known/openid-configuration');
    assert.equal(res.status, 200);
    const d = await res.json();
    assert.equal(d.issuer, ISSUER);
    assert.equal(d.end_session_endpoint, `${ISSUER}/session/end`);
    assert.equal(d.revocation_endpoint, `${ISSUER}/token/revocation`);
    assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(d.acr_values_supported, ['eidas1', 'eidas2', 'eidas3']);
    for (const s of ['identite_pivot', 'birth', 'profile', 'groups', 'birthplace']) assert.ok(d.scopes_supported.includes(s), s);
    const h = await request(null, '/__test/health');
    assert.equal(h.status, 200);
    assert.equal(await h.text(), 'ok');
    const k = await jwks();
    assert.equal(k.keys.length, 2);
    assert.deepEqual(k.keys.map((x) => x.alg).sort(), ['ES256', 'RS256']);
    assert.ok(k.keys.every((x) => x.d === undefined), 'no private parts published');
  });

  await step('PKCE is required', async () => {
    const q = new URLSearchParams({
      client_id: 'caisse-fc', redirect_uri: CLIENTS.fc.redirect, response_type: 'code', scope: 'openid', state: random(), nonce: random(),
    });
    const res = await request(null, `/auth?${q}`);
    assert.equal(res.status, 303);
    const loc = new URL(res.headers.get('location'));
    assert.equal(loc.searchParams.get('error'), 'invalid_request');
    assert.match(loc.searchParams.get('error_description'), /PKCE/);
  });

  let fcLogin;
  await step('caisse-fc: code flow as julien.martin, ES256 ID token and JWT userinfo', async () => {
    fcLogin = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    const { tokens, nonce } = fcLogin;
    const { payload, protectedHeader } = await verifyWithJwks(tokens.id_token, 'ES256');
    assert.equal(protectedHeader.alg, 'ES256');
    assert.equal(payload.aud, 'caisse-fc');
    assert.equal(payload.acr, 'eidas1');
    assert.deepEqual(payload.amr, ['pwd']);
    assert.equal(payload.nonce, nonce);
    assert.match(payload.sub, /^[0-9a-f]{64}v1$/);
    assert.deepEqual(Object.keys(payload).sort(), FC_ID_TOKEN_CLAIMS);

    const ui = await userinfo(tokens.access_token);
    assert.match(ui.type, /^application\/jwt/);
    const verified = await verifyWithJwks(ui.body, 'ES256');
    const c = verified.payload;
    assert.equal(verified.protectedHeader.alg, 'ES256');
    assert.equal(c.sub, payload.sub);
    assert.equal(c.given_name, 'Julien Pierre');
    assert.equal(c.family_name, 'MARTIN');
    assert.equal(c.birthdate, '1985-05-14');
    assert.equal(c.gender, 'male');
    assert.equal(c.birthplace, '78006');
    assert.equal(c.birthcountry, '99100');
    assert.equal(c.email, 'julien.martin@exemple.fr');
    assert.equal(c.preferred_username, undefined, 'not requested');
    assert.equal(c.groups, undefined, 'not requested');
  });

  await step('caisse-fc-rs256: RS256 ID token and userinfo; born abroad has birthplace ""', async () => {
    const { tokens } = await flow(CLIENTS.fcRs, 'amina.benali', 'openid identite_pivot email');
    const { payload } = await verifyWithJwks(tokens.id_token, 'RS256');
    assert.deepEqual(Object.keys(payload).sort(), FC_ID_TOKEN_CLAIMS);
    const ui = await userinfo(tokens.access_token);
    assert.match(ui.type, /^application\/jwt/);
    const { payload: c } = await verifyWithJwks(ui.body, 'RS256');
    assert.equal(c.birthplace, '');
    assert.equal(c.birthcountry, '99350');
    assert.equal(c.given_name, 'Amina');
  });

  await step('caisse-agents: agent.superviseur, RS256 ID token with groups, plain JSON userinfo', async () => {
    const { tokens } = await flow(CLIENTS.agents, 'agent.superviseur', AGENTS_SCOPE);
    const { payload } = await verifyWithJwks(tokens.id_token, 'RS256');
    assert.equal(payload.aud, 'caisse-agents');
    assert.equal(payload.preferred_username, 'a.durand');
    assert.equal(payload.email, 'a.durand@cpam.example');
    assert.equal(payload.name, 'Anne DURAND');
    assert.deepEqual(payload.groups, ['caisse-superviseurs', 'equipe-remboursements']);
    const ui = await userinfo(tokens.access_token);
    assert.match(ui.type, /^application\/json/);
    const c = JSON.parse(ui.body);
    assert.deepEqual(c.groups, ['caisse-superviseurs', 'equipe-remboursements']);
    assert.equal(c.preferred_username, 'a.durand');
  });

  await step('POST /__test/accounts adds an account usable at once', async () => {
    const res = await postJson('/__test/accounts', {
      login: 'nouveau.compte',
      sub: `${'a'.repeat(64)}v1`,
      claims: { given_name: 'Nouveau', family_name: 'COMPTE', birthdate: '2000-01-01', gender: 'female', birthplace: '75056', birthcountry: '99100', email: 'n@exemple.fr' },
      groups: [],
    });
    assert.equal(res.status, 204);
    const { tokens } = await flow(CLIENTS.fc, 'nouveau.compte', FC_SCOPE);
    const { payload } = await verifyWithJwks(tokens.id_token, 'ES256');
    assert.equal(payload.sub, `${'a'.repeat(64)}v1`);
    const { payload: c } = await verifyWithJwks((await userinfo(tokens.access_token)).body, 'ES256');
    assert.equal(c.family_name, 'COMPTE');
  });

  const original = await jwks();
  const originalKids = new Set(original.keys.map((k) => k.kid));

  await step('mode unknown_key', async () => {
    await setMode({ id_token: 'unknown_key' });
    const { tokens } = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    const { header, payload } = decode(tokens.id_token);
    assert.equal(header.alg, 'ES256');
    assert.ok(header.kid && !originalKids.has(header.kid), 'kid not in JWKS');
    assert.equal(payload.acr, 'eidas1');
    await assert.rejects(verifyWithJwks(tokens.id_token, 'ES256'));
  });

  await step('mode alg_none', async () => {
    await setMode({ id_token: 'alg_none' });
    const { tokens, nonce } = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    const { header, payload, signature } = decode(tokens.id_token);
    assert.equal(header.alg, 'none');
    assert.equal(signature, '');
    assert.ok(tokens.id_token.endsWith('.'));
    assert.equal(payload.nonce, nonce);
  });

  await step('mode hs256', async () => {
    await setMode({ id_token: 'hs256' });
    const { tokens } = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    assert.equal(decode(tokens.id_token).header.alg, 'HS256');
    const { payload } = await jose.jwtVerify(tokens.id_token, new TextEncoder().encode(CLIENTS.fc.secret), { algorithms: ['HS256'] });
    assert.equal(payload.acr, 'eidas1');
  });

  await step('mode expired', async () => {
    await setMode({ id_token: 'expired' });
    const { tokens } = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    const now = Math.floor(Date.now() / 1000);
    const { payload } = decode(tokens.id_token);
    assert.ok(payload.exp < now, 'exp in the past');
    assert.ok(payload.iat <= now - 3500, 'iat one hour back');
    await jose.compactVerify(tokens.id_token, jose.createLocalJWKSet(original)); // real key
    await assert.rejects(verifyWithJwks(tokens.id_token, 'ES256'), { code: 'ERR_JWT_EXPIRED' });
  });

  await step('mode acr_low', async () => {
    await setMode({ id_token: 'acr_low' });
    const { tokens } = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    const { payload } = await verifyWithJwks(tokens.id_token, 'ES256');
    assert.equal(payload.acr, 'eidas0');
  });

  await step('mode no_nonce', async () => {
    await setMode({ id_token: 'no_nonce' });
    const { tokens } = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    const { payload } = await verifyWithJwks(tokens.id_token, 'ES256');
    assert.equal(payload.nonce, undefined);
    assert.equal(payload.acr, 'eidas1');
  });

  await step('mode reset and userinfo unsigned', async () => {
    await setMode({});
    await setMode({ userinfo: 'unsigned' });
    const { tokens, nonce } = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    const { payload } = await verifyWithJwks(tokens.id_token, 'ES256');
    assert.equal(payload.nonce, nonce);
    const ui = await userinfo(tokens.access_token);
    assert.match(ui.type, /^application\/json/);
    const c = JSON.parse(ui.body);
    assert.equal(c.family_name, 'MARTIN');
    assert.equal(c.sub, payload.sub);
    await setMode({});
    const again = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    assert.match((await userinfo(again.tokens.access_token)).type, /^application\/jwt/);
  });

  await step('unknown mode is refused', async () => {
    const res = await postJson('/__test/mode', { id_token: 'nimporte' });
    assert.equal(res.status, 400);
  });

  await step('mode rotated: new key published and used, and it stays', async () => {
    await setMode({ id_token: 'rotated' });
    const rotated = await jwks();
    assert.equal(rotated.keys.length, 4);
    const newKids = rotated.keys.map((k) => k.kid).filter((kid) => !originalKids.has(kid));
    assert.equal(newKids.length, 2);

    const { tokens } = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    const { protectedHeader } = await verifyWithJwks(tokens.id_token, 'ES256', rotated);
    assert.ok(newKids.includes(protectedHeader.kid), 'ID token signed with the new key');
    await assert.rejects(verifyWithJwks(tokens.id_token, 'ES256', original));
    const ui = await userinfo(tokens.access_token);
    const v = await verifyWithJwks(ui.body, 'ES256', rotated);
    assert.ok(newKids.includes(v.protectedHeader.kid), 'userinfo signed with the new key');

    await setMode({});
    assert.equal((await jwks()).keys.length, 4);
    const after = await flow(CLIENTS.fcRs, 'julien.martin', FC_SCOPE);
    assert.ok(newKids.includes(decode(after.tokens.id_token).header.kid), 'still rotated after reset');
    await setMode({ id_token: 'acr_low' });
    const low = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    const lv = await verifyWithJwks(low.tokens.id_token, 'ES256', rotated);
    assert.ok(newKids.includes(lv.protectedHeader.kid));
    assert.equal(lv.payload.acr, 'eidas0');
    await setMode({});
  });

  await step('revocation endpoint', async () => {
    const { tokens } = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE);
    const res = await request(null, '/token/revocation', {
      method: 'POST',
      ...form({ token: tokens.access_token, client_id: CLIENTS.fc.id, client_secret: CLIENTS.fc.secret }),
    });
    assert.equal(res.status, 200);
    const ui = await request(null, '/me', { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(ui.status, 401);
  });

  await step('consent interaction for new scopes is granted automatically', async () => {
    const jar = new Jar();
    const first = await flow(CLIENTS.fc, 'sophie.weber', 'openid email', { jar });
    const { payload } = await verifyWithJwks(first.tokens.id_token, 'ES256');
    const second = await flow(CLIENTS.fc, 'sophie.weber', FC_SCOPE, { jar });
    const v = await verifyWithJwks(second.tokens.id_token, 'ES256');
    assert.equal(v.payload.sub, payload.sub);
    const { payload: c } = await verifyWithJwks((await userinfo(second.tokens.access_token)).body, 'ES256');
    assert.equal(c.birthplace, '67482');
    assert.equal(c.given_name, 'Sophie Marie');
  });

  await step('RP-initiated logout with confirm page', async () => {
    const jar = new Jar();
    const { tokens } = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE, { jar });
    // The provider session is live: a second authorization needs no login.
    const second = await flow(CLIENTS.fc, 'julien.martin', FC_SCOPE, { jar });
    assert.ok(second.tokens.id_token);

    const state = random();
    const q = new URLSearchParams({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: `${RP}/deconnexion/franceconnect`,
      state,
    });
    let res = await request(jar, `/session/end?${q}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /<button type="submit" name="logout" value="yes">Se déconnecter de FranceConnect<\/button>/);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)">/.exec(html)[1];
    assert.equal(action, `${ISSUER}/session/end/confirm`);
    const xsrf = /<input type="hidden" name="xsrf" value="([^"]+)"\/>/.exec(html)[1];
    res = await request(jar, action, { method: 'POST', ...form({ xsrf, logout: 'yes' }) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${RP}/deconnexion/franceconnect?state=${state}`);

    // Session ended: a new authorization asks to log in again.
    const q2 = new URLSearchParams({
      client_id: 'caisse-fc', redirect_uri: CLIENTS.fc.redirect, response_type: 'code', scope: 'openid', state: random(), nonce: random(), code_challenge: random(), code_challenge_method: 'S256',
    });
    res = await request(jar, `/auth?${q2}`);
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location'), /^\/interaction\//);
  });

  await step('logout without a provider session: French auto-submitted page, then redirect', async () => {
    const { tokens } = await flow(CLIENTS.agents, 'agent.conseiller', AGENTS_SCOPE);
    const jar = new Jar(); // a browser without the provider session
    const state = random();
    const q = new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: `${RP}/agent/connexion`, state });
    let res = await request(jar, `/session/end?${q}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<html lang="fr">/);
    assert.match(html, /<h1>Déconnexion en cours<\/h1>/);
    const xsrf = /<input type="hidden" name="xsrf" value="([^"]+)"\/>/.exec(html)[1];
    assert.match(html, /<input type="hidden" name="logout" value="yes"\/>/);
    res = await request(jar, '/session/end/confirm', { method: 'POST', ...form({ xsrf, logout: 'yes' }) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `${RP}/agent/connexion?state=${state}`);
  });

  await step('stdout carried exactly one line; provider exits when stdin closes', async () => {
    assert.equal(stdoutLines.length, 1);
    const exited = once(child, 'exit');
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    const [code] = await exited;
    clearTimeout(timer);
    assert.equal(code, 0);
  });

  console.log(`\nall ${passed} checks passed`);
} catch (err) {
  console.error(err);
  child.kill('SIGTERM');
  process.exitCode = 1;
}
