// Test OpenID Connect provider for Caisse, configured like FranceConnect v2 (and like a
// Keycloak-style staff identity provider for the `caisse-agents` client).
//
// Usage:
//   node e2e/oidc/provider.mjs --port 0 --rp http://127.0.0.1:8080 [--rp ...] [--accounts path.json]
//
// Prints exactly one JSON line on stdout once listening: {"issuer":"http://127.0.0.1:PORT","port":PORT}
// Logs go to stderr. Exits when stdin closes and on SIGTERM/SIGINT.
// See README.md in this folder for the control endpoints and the test modes.

import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import * as jose from 'jose';

// stdout carries exactly one line (the JSON announcement): route every console output to stderr.
for (const level of ['log', 'info', 'debug']) {
  console[level] = (...args) => console.error(...args);
}
// Keep stderr quiet: drop oidc-provider's known, expected start-up warnings (Node 20 runtime,
// in-memory adapter), which are irrelevant for a throw-away test provider.
const warn = console.warn.bind(console);
console.warn = (...args) => {
  const text = String(args[0] ?? '');
  if (/oidc-provider WARNING: (Unsupported runtime|a quick start development-only in-memory adapter)/.test(text)) return;
  warn(...args);
};
// Imported only now, after the console set-up above (it warns at import time).
const { default: Provider } = await import('oidc-provider');

const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    rp: { type: 'string', multiple: true, default: [] },
    accounts: { type: 'string' },
  },
  strict: true,
});

const port = Number.parseInt(args.port, 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port: ${args.port}`);
  process.exit(2);
}
if (args.rp.length === 0) {
  console.error('at least one --rp base URL is required');
  process.exit(2);
}
const rpBases = args.rp.map((rp) => {
  const url = new URL(rp);
  return url.href.replace(/\/+$/, '');
});

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

function subFor(login) {
  return `${createHash('sha256').update(login).digest('hex')}v1`;
}

function normalizeAccount(raw) {
  if (!raw || typeof raw !== 'object' || typeof raw.login !== 'string' || raw.login === '') {
    throw new TypeError('account must be an object with a non-empty "login"');
  }
  const sub = raw.sub ?? subFor(raw.login);
  if (typeof sub !== 'string' || sub === '') throw new TypeError('"sub" must be a non-empty string');
  const claims = raw.claims ?? {};
  if (typeof claims !== 'object' || Array.isArray(claims)) throw new TypeError('"claims" must be an object');
  const groups = raw.groups ?? [];
  if (!Array.isArray(groups)) throw new TypeError('"groups" must be an array');
  return { login: raw.login, sub, claims: { ...claims }, groups: [...groups] };
}

const accountsByLogin = new Map();

function putAccount(raw) {
  const account = normalizeAccount(raw);
  // Replacing an account by login: also drop any other account holding the same sub.
  for (const [login, existing] of accountsByLogin) {
    if (existing.sub === account.sub && login !== account.login) accountsByLogin.delete(login);
  }
  accountsByLogin.set(account.login, account);
  return account;
}

function findBySub(sub) {
  for (const account of accountsByLogin.values()) {
    if (account.sub === sub) return account;
  }
  return undefined;
}

const accountsPath = args.accounts ?? join(HERE, 'accounts.json');
for (const raw of JSON.parse(readFileSync(accountsPath, 'utf8'))) putAccount(raw);

// ---------------------------------------------------------------------------------------------
// Keys: generated here so that the test modes can re-sign tokens with the real private keys.
// The "next" keys are in the provider's keystore from the start (so that an id_token_hint signed
// with them is accepted by end_session) but are hidden from the published JWKS until `rotated`.
// ---------------------------------------------------------------------------------------------

async function makeKey(alg, kid) {
  const options = alg === 'ES256' ? { extractable: true } : { extractable: true, modulusLength: 2048 };
  const { privateKey } = await jose.generateKeyPair(alg, options);
  const jwk = await jose.exportJWK(privateKey);
  return { ...jwk, kid, alg, use: 'sig' };
}

const shortId = () => randomBytes(6).toString('hex');
const keys = {
  current: {
    ES256: await makeKey('ES256', `es256-${shortId()}`),
    RS256: await makeKey('RS256', `rs256-${shortId()}`),
  },
  next: {
    ES256: await makeKey('ES256', `es256-${shortId()}`),
    RS256: await makeKey('RS256', `rs256-${shortId()}`),
  },
};
const hiddenKids = new Set([keys.next.ES256.kid, keys.next.RS256.kid]);

// ---------------------------------------------------------------------------------------------
// Test modes
// ---------------------------------------------------------------------------------------------

const ID_TOKEN_MODES = new Set(['unknown_key', 'alg_none', 'hs256', 'expired', 'acr_low', 'no_nonce', 'rotated']);
const USERINFO_MODES = new Set(['unsigned', 'signed']);
const mode = { idToken: null, userinfo: null, rotated: false };

function signingJwk(alg) {
  return mode.rotated ? keys.next[alg] : keys.current[alg];
}

// ---------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------

const FC_SCOPE = 'openid given_name family_name birthdate gender birthplace birthcountry email preferred_username profile birth identite_pivot';

const clients = [
  {
    client_id: 'caisse-fc',
    client_secret: 'caisse-fc-secret-for-tests-only-0123456789',
    client_name: 'Caisse (FranceConnect, ES256)',
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'ES256',
    userinfo_signed_response_alg: 'ES256',
    redirect_uris: rpBases.map((rp) => `${rp}/connexion/franceconnect/retour`),
    post_logout_redirect_uris: rpBases.map((rp) => `${rp}/deconnexion/franceconnect`),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    scope: FC_SCOPE,
  },
  {
    client_id: 'caisse-fc-rs256',
    client_secret: 'caisse-fc-rs256-secret-for-tests-only-012345',
    client_name: 'Caisse (FranceConnect, RS256)',
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256',
    redirect_uris: rpBases.map((rp) => `${rp}/connexion/franceconnect/retour`),
    post_logout_redirect_uris: rpBases.map((rp) => `${rp}/deconnexion/franceconnect`),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    scope: FC_SCOPE,
  },
  {
    client_id: 'caisse-agents',
    client_secret: 'caisse-agents-secret-for-tests-only-0123456',
    client_name: 'Caisse (agents)',
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
    redirect_uris: rpBases.map((rp) => `${rp}/agent/connexion/oidc/retour`),
    post_logout_redirect_uris: rpBases.map((rp) => `${rp}/agent/connexion`),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    scope: 'openid profile email groups preferred_username',
  },
];
const secretsByClient = new Map(clients.map((c) => [c.client_id, c.client_secret]));
// Clients whose ID token carries the identity claims too (Keycloak-like). The FranceConnect-like
// clients only get sub/acr/amr/nonce/sid/auth_time/iss/aud/exp/iat in the ID token.
const CLAIMS_IN_ID_TOKEN = new Set(['caisse-agents']);

// ---------------------------------------------------------------------------------------------
// HTML (French, user-facing)
// ---------------------------------------------------------------------------------------------

function esc(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:32rem;padding:0 1rem;color:#161616}
label{display:block;margin:.5rem 0 .25rem}input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}
button{margin-top:1rem;font-size:1rem;padding:.5rem 1rem;background:#000091;color:#fff;border:0;cursor:pointer}
.erreur{color:#b34000;border-left:4px solid #b34000;padding-left:.5rem}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function loginPage(uid, { error, login = '' } = {}) {
  const errorHtml = error
    ? `<p class="erreur" id="erreur-identifiant" role="alert">${esc(error)}</p>\n`
    : '';
  const describedBy = error ? ' aria-describedby="erreur-identifiant" aria-invalid="true"' : '';
  return page('Connexion au fournisseur d\'identité de test', `<h1>Connexion au fournisseur d'identité de test</h1>
<p>Fournisseur d'identité de test : saisissez l'identifiant d'un compte de test.</p>
${errorHtml}<form method="post" action="/interaction/${esc(uid)}/login">
<label for="login">Identifiant</label>
<input type="text" id="login" name="login" value="${esc(login)}" autocomplete="username" required${describedBy}>
<button type="submit">Continuer</button>
</form>`);
}

// ---------------------------------------------------------------------------------------------
// Provider configuration
// ---------------------------------------------------------------------------------------------

const claimScopes = {
  // acr/amr/auth_time are authentication facts, always in the ID token (as FranceConnect does).
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  given_name: ['given_name'],
  family_name: ['family_name'],
  birthdate: ['birthdate'],
  gender: ['gender'],
  birthplace: ['birthplace'],
  birthcountry: ['birthcountry'],
  email: ['email'],
  preferred_username: ['preferred_username'],
  // `name` is only held by the staff accounts (Keycloak's profile scope carries it).
  profile: ['family_name', 'given_name', 'preferred_username', 'gender', 'birthdate', 'name'],
  birth: ['birthplace', 'birthcountry'],
  identite_pivot: ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'],
  groups: ['groups'],
};

const configuration = {
  clients,
  jwks: { keys: [keys.current.ES256, keys.current.RS256, keys.next.ES256, keys.next.RS256] },
  cookies: {
    keys: [randomBytes(32).toString('hex')],
    long: { httpOnly: true, sameSite: 'lax' },
    short: { httpOnly: true, sameSite: 'lax' },
  },
  claims: {
    acr: null,
    amr: null,
    sid: null,
    auth_time: null,
    iss: null,
    ...claimScopes,
  },
  scopes: Object.keys(claimScopes),
  acrValues: ['eidas1', 'eidas2', 'eidas3'],
  responseTypes: ['code'],
  // Claims requested by scope are filtered per client in findAccount (see CLAIMS_IN_ID_TOKEN).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    userinfo: { enabled: true },
    jwtUserinfo: { enabled: true },
    revocation: {
      enabled: true,
      // A client may only revoke its own tokens.
      allowedPolicy: async (ctx, client, token) => token.clientId === client.clientId,
    },
    introspection: { enabled: false },
    pushedAuthorizationRequests: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        const withButton = form.replace(
          '</form>',
          '<button type="submit" name="logout" value="yes">Se déconnecter de FranceConnect</button></form>',
        );
        ctx.type = 'html';
        ctx.body = page('Déconnexion', `<h1>Déconnexion</h1>
<p>Voulez-vous vous déconnecter du fournisseur d'identité de test ?</p>
${withButton}`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.type = 'html';
        ctx.body = page('Déconnexion réussie', '<h1>Déconnexion réussie</h1>\n<p>Vous êtes déconnecté du fournisseur d\'identité de test.</p>');
      },
    },
  },
  enabledJWA: {
    idTokenSigningAlgValues: ['ES256', 'RS256'],
    userinfoSigningAlgValues: ['ES256', 'RS256'],
  },
  interactions: {
    url: (ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  async findAccount(ctx, id) {
    const account = findBySub(id);
    if (!account) return undefined;
    const clientId = ctx?.oidc?.client?.clientId;
    return {
      accountId: account.sub,
      async claims(use) {
        if (use === 'id_token' && !CLAIMS_IN_ID_TOKEN.has(clientId)) {
          return { sub: account.sub };
        }
        return { ...account.claims, groups: account.groups, sub: account.sub };
      },
    };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    const details = Object.entries(out).map(([k, v]) => `<li><code>${esc(k)}</code> : ${esc(v)}</li>`).join('');
    ctx.body = page('Erreur', `<h1>Une erreur est survenue</h1>\n<ul>${details}</ul>`);
  },
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    IdToken: 600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  clientBasedCORS: () => true,
};

// Listen first: the issuer contains the port, which is only known once bound (--port 0).
const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve);
});
const actualPort = server.address().port;
const issuer = `http://127.0.0.1:${actualPort}`;

const provider = new Provider(issuer, configuration);
// FranceConnect v2 puts `sid` in every ID token; oidc-provider only does it for clients with
// back-channel logout (session required), so always include it.
provider.Client.prototype.includeSid = function includeSid() { return true; };
provider.on('server_error', (ctx, err) => console.error('oidc-provider server_error:', err));

// ---------------------------------------------------------------------------------------------
// Helpers for the middlewares
// ---------------------------------------------------------------------------------------------

async function readBody(ctx, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += chunk.length;
    if (size > limit) ctx.throw(413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(ctx) {
  const text = await readBody(ctx);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    ctx.throw(400, 'invalid JSON');
  }
  return undefined;
}

function isLoopback(address = '') {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function decodeJws(jws) {
  const [h, p] = jws.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
  };
}

async function signWith(payload, header, jwk) {
  const key = await jose.importJWK(jwk, jwk.alg);
  return new jose.CompactSign(Buffer.from(JSON.stringify(payload)))
    .setProtectedHeader({ ...header, alg: jwk.alg, kid: jwk.kid })
    .sign(key);
}

async function transformIdToken(idToken, clientId) {
  const { header, payload } = decodeJws(idToken);
  const alg = header.alg;
  switch (mode.idToken) {
    case 'unknown_key': {
      const jwk = await makeKey(alg, `inconnue-${shortId()}`);
      return signWith(payload, header, jwk);
    }
    case 'alg_none': {
      const { kid, ...rest } = header;
      const h = Buffer.from(JSON.stringify({ ...rest, alg: 'none' })).toString('base64url');
      const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${h}.${p}.`;
    }
    case 'hs256': {
      const { kid, ...rest } = header;
      const secret = new TextEncoder().encode(secretsByClient.get(clientId));
      return new jose.CompactSign(Buffer.from(JSON.stringify(payload)))
        .setProtectedHeader({ ...rest, alg: 'HS256' })
        .sign(secret);
    }
    case 'expired':
      return signWith({ ...payload, iat: payload.iat - 3600, exp: payload.exp - 3600 }, header, signingJwk(alg));
    case 'acr_low':
      return signWith({ ...payload, acr: 'eidas0' }, header, signingJwk(alg));
    case 'no_nonce': {
      const { nonce, ...rest } = payload;
      return signWith(rest, header, signingJwk(alg));
    }
    default:
      if (mode.rotated) return signWith(payload, header, signingJwk(alg));
      return idToken;
  }
}

// ---------------------------------------------------------------------------------------------
// Middlewares: test control endpoints, interactions, token/userinfo/JWKS interception
// ---------------------------------------------------------------------------------------------

// Browsers ask every site for its icon: answer with no content rather than a 404 (which a
// browser test would count as a console error).
provider.use(async (ctx, next) => {
  if (ctx.path !== '/favicon.ico') return next();
  ctx.status = 204;
  return undefined;
});

provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/__test/')) return next();
  if (!isLoopback(ctx.req.socket.remoteAddress)) ctx.throw(403);

  if (ctx.path === '/__test/health' && ctx.method === 'GET') {
    ctx.type = 'text/plain';
    ctx.body = 'ok';
    return undefined;
  }
  if (ctx.path === '/__test/accounts' && ctx.method === 'POST') {
    const body = await readJson(ctx);
    try {
      putAccount(body);
    } catch (err) {
      ctx.throw(400, err.message);
    }
    ctx.status = 204;
    return undefined;
  }
  if (ctx.path === '/__test/mode' && ctx.method === 'POST') {
    const body = await readJson(ctx);
    if (!body || typeof body !== 'object' || Array.isArray(body)) ctx.throw(400, 'expected a JSON object');
    const idTokenMode = body.id_token ?? null;
    const userinfoMode = body.userinfo ?? null;
    if (idTokenMode !== null && !ID_TOKEN_MODES.has(idTokenMode)) ctx.throw(400, `unknown id_token mode: ${idTokenMode}`);
    if (userinfoMode !== null && !USERINFO_MODES.has(userinfoMode)) ctx.throw(400, `unknown userinfo mode: ${userinfoMode}`);
    if (idTokenMode === 'rotated') {
      mode.rotated = true; // permanent: a real key rotation
      mode.idToken = null;
    } else {
      mode.idToken = idTokenMode;
    }
    mode.userinfo = userinfoMode === 'signed' ? null : userinfoMode;
    ctx.status = 204;
    return undefined;
  }
  ctx.throw(404);
  return undefined;
});

provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
  if (!match) return next();
  ctx.set('cache-control', 'no-store');

  let details;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (err) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = page('Erreur', `<h1>Session de connexion introuvable ou expirée</h1>\n<p>${esc(err.message)}</p>`);
    return undefined;
  }
  const { uid, prompt, params } = details;
  if (uid !== match[1]) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = page('Erreur', '<h1>Session de connexion invalide</h1>');
    return undefined;
  }

  async function grantAll(accountId) {
    let grant;
    if (details.grantId) grant = await provider.Grant.find(details.grantId);
    if (!grant) grant = new provider.Grant({ accountId, clientId: params.client_id });
    if (params.scope) grant.addOIDCScope(params.scope);
    const missing = prompt.details || {};
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    if (missing.missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
    }
    if (params.claims) {
      try {
        const requested = JSON.parse(params.claims);
        const names = new Set([...Object.keys(requested.id_token || {}), ...Object.keys(requested.userinfo || {})]);
        if (names.size) grant.addOIDCClaims([...names]);
      } catch {
        // ignore malformed claims parameter (oidc-provider already validated it)
      }
    }
    return grant.save();
  }

  if (ctx.method === 'GET' && !match[2]) {
    if (prompt.name === 'login') {
      ctx.type = 'html';
      ctx.body = loginPage(uid);
      return undefined;
    }
    // Any later prompt (consent): granted automatically.
    const grantId = await grantAll(details.session.accountId);
    const to = await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    ctx.status = 303;
    ctx.redirect(to);
    return undefined;
  }

  if (ctx.method === 'POST' && match[2]) {
    const form = new URLSearchParams(await readBody(ctx));
    const login = (form.get('login') || '').trim();
    const account = accountsByLogin.get(login);
    if (!account) {
      ctx.status = 200;
      ctx.type = 'html';
      ctx.body = loginPage(uid, { error: 'Identifiant inconnu. Vérifiez la saisie et réessayez.', login });
      return undefined;
    }
    const grantId = await grantAll(account.sub);
    const result = {
      login: { accountId: account.sub, acr: 'eidas1', amr: ['pwd'] },
      consent: { grantId },
    };
    const to = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(to);
    return undefined;
  }

  ctx.throw(405);
  return undefined;
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.status !== 200) return;

  if (ctx.path === '/token' && ctx.body && typeof ctx.body === 'object' && typeof ctx.body.id_token === 'string') {
    const clientId = ctx.oidc?.client?.clientId;
    ctx.body = { ...ctx.body, id_token: await transformIdToken(ctx.body.id_token, clientId) };
    return;
  }

  if (ctx.path === '/me' && typeof ctx.body === 'string' && /^application\/jwt/.test(ctx.type)) {
    const { header, payload } = decodeJws(ctx.body);
    if (mode.userinfo === 'unsigned') {
      const { iss, aud, exp, iat, ...claims } = payload;
      ctx.type = 'application/json';
      ctx.body = claims;
    } else if (mode.rotated) {
      ctx.body = await signWith(payload, header, signingJwk(header.alg));
    }
    return;
  }

  // Logout without a provider session: oidc-provider answers with its own auto-submitted page
  // (English, no lang). Make it French and accessible like the other pages.
  if (ctx.path === '/session/end' && typeof ctx.body === 'string' && ctx.body.includes('<title>Submitting Callback</title>')) {
    ctx.body = ctx.body
      .replace('<html>', '<html lang="fr">')
      .replace('<title>Submitting Callback</title>', '<meta charset="utf-8">\n  <title>Déconnexion en cours</title>')
      .replace('<body>', '<body>\n<main>\n<h1>Déconnexion en cours</h1>')
      .replace('</body>', '</main>\n</body>')
      .replace("Your browser does not support JavaScript or you've disabled it.<br/>", 'JavaScript est désactivé : cliquez sur le bouton pour continuer.<br/>')
      .replace('<button autofocus type="submit">Continue</button>', '<button autofocus type="submit">Continuer</button>');
    return;
  }

  if (ctx.path === '/jwks' && ctx.body && Array.isArray(ctx.body.keys)) {
    ctx.body = { keys: ctx.body.keys.filter((k) => mode.rotated || !hiddenKids.has(k.kid)) };
  }
});

// ---------------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------------

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer, port: actualPort })}\n`);

function shutdown() {
  server.close();
  server.closeAllConnections?.();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.on('error', shutdown);
process.stdin.resume();
