// Sign-in: OpenID Connect authorization code flow with PKCE (S256) against the stack's issuer,
// discovered from {issuer}/.well-known/openid-configuration. The PKCE verifier, state and nonce
// sit in sessionStorage only between the redirect and the callback; the ID token (the API's JWT
// authorizer checks its aud = the console's client id; the API reads its email claims) is kept in
// memory and in sessionStorage (this tab only, gone when the tab closes), never in localStorage,
// a cookie or a URL. Signing out forgets all of it.

import { config } from './config.js';

const SESSION = 'wsl.session';
const PENDING = 'wsl.signin';

export class SignInError extends Error {}

let current = restore();

function restore() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION));
    return saved && saved.exp * 1000 > Date.now() ? saved : null;
  } catch {
    return null;
  }
}

/** The signed-in user ({idToken, exp, email, name}) or null; an expired session counts as none. */
export function session() {
  if (current && current.exp * 1000 <= Date.now()) {
    current = null;
    sessionStorage.removeItem(SESSION);
  }
  return current;
}

/** Forgets the session (tokens, pending sign-in, pending invitation) and shows the start page. */
export function signOut() {
  current = null;
  sessionStorage.clear();
  location.replace('/');
}

/** Forgets an expired or refused session without leaving the page. */
export function forget() {
  current = null;
  sessionStorage.removeItem(SESSION);
}

/** Sends the browser to the issuer's sign-in page; after it, the console returns to `returnTo`. */
export async function signIn(returnTo) {
  const discovery = await discover();
  const verifier = randomString(32);
  const pending = {
    verifier,
    state: randomString(16),
    nonce: randomString(16),
    returnTo: sameOriginPath(returnTo),
    tokenEndpoint: discovery.token_endpoint,
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await challenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * On the callback page: removes the code from the address bar at once, exchanges it (with the PKCE
 * verifier) for tokens, checks the ID token's issuer, audience, nonce and expiry, and returns
 * where to go next.
 */
export async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  history.replaceState(null, '', location.pathname);
  let pending;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING));
  } catch {
    pending = null;
  }
  sessionStorage.removeItem(PENDING);
  if (!pending || !params.get('state') || params.get('state') !== pending.state) {
    throw new SignInError('This sign-in was not started here or has already been used. Please sign in again.');
  }
  if (params.get('error')) {
    throw new SignInError(`The identity provider refused the sign-in: ${params.get('error_description') || params.get('error')}.`);
  }
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code') || '',
      redirect_uri: config.redirectUri,
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || typeof tokens.id_token !== 'string') {
    throw new SignInError(`The sign-in could not be completed: ${tokens.error_description || tokens.error || response.status}.`);
  }
  const claims = payload(tokens.id_token);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== config.issuer || !audiences.includes(config.clientId) || claims.nonce !== pending.nonce
      || !(claims.exp * 1000 > Date.now())) {
    throw new SignInError('The identity provider answered with a token that is not for this console. Please sign in again.');
  }
  current = {
    idToken: tokens.id_token,
    exp: claims.exp,
    email: claims.email || '',
    name: claims.name || claims.preferred_username || claims.email || '',
  };
  sessionStorage.setItem(SESSION, JSON.stringify(current));
  return pending.returnTo;
}

async function discover() {
  const base = config.issuer.replace(/\/+$/, '');
  const response = await fetch(`${base}/.well-known/openid-configuration`, { credentials: 'omit' });
  if (!response.ok) {
    throw new SignInError(`The identity provider's configuration could not be read (${response.status}).`);
  }
  const document = await response.json();
  if (document.issuer !== config.issuer || !document.authorization_endpoint || !document.token_endpoint) {
    throw new SignInError('The identity provider\'s configuration does not match this console\'s issuer.');
  }
  return document;
}

/** Only a path of this site may be returned to after sign-in. */
function sameOriginPath(path) {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') ? path : '/';
}

function randomString(bytes) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function challenge(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function base64url(bytes) {
  let binary = '';
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function payload(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new SignInError('The identity provider answered with a malformed token.');
  }
}
