// Calls to the API on this origin with the signed-in user's ID token. A refusal becomes an
// ApiError carrying the problem's `detail` (RFC 9457), which the page shows next to the control
// that caused it. A 401 means the session is over: the app is told and asks to sign in again.

import { forget, session } from './auth.js';

export class ApiError extends Error {
  constructor(status, type, detail) {
    super(detail);
    this.status = status;
    this.type = type;
    this.detail = detail;
  }
}

export const SESSION_ENDED = 'wsl:session-ended';

/**
 * A request with the signed-in user's ID token; a 401 (or no session) ends the session, a network failure is an
 * ApiError. Answers the response as it came.
 */
async function authorized(method, path, headers, body) {
  const token = session()?.idToken;
  if (!token) {
    window.dispatchEvent(new Event(SESSION_ENDED));
    throw new ApiError(401, 'signed-out', 'You are signed out. Please sign in again.');
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { ...headers, authorization: `Bearer ${token}` },
      body,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'network', 'The service could not be reached. Check your connection and try again.');
  }
  if (response.status === 401) {
    forget();
    window.dispatchEvent(new Event(SESSION_ENDED));
    throw new ApiError(401, 'unauthorized', 'Your session has ended. Please sign in again.');
  }
  return response;
}

/** The problem document of a refusal as an ApiError (its `detail` is what the page shows). */
async function refusal(response, otherwise) {
  const answer = await response.json().catch(() => null);
  const type = answer && typeof answer.type === 'string' ? answer.type.replace('urn:problem:wsl:', '') : 'error';
  const detail = answer && (answer.detail || answer.message);
  return new ApiError(response.status, type, detail || otherwise);
}

export async function call(method, path, body) {
  const response = await authorized(method, path, body === undefined ? {} : { 'content-type': 'application/json' },
    body === undefined ? undefined : JSON.stringify(body));
  if (response.status === 204) {
    return null;
  }
  if (!response.ok) {
    throw await refusal(response, `The request failed (${response.status}).`);
  }
  return response.json().catch(() => null);
}

/**
 * One page of a CSV export: its text and the path of the next page (the Link header's rel="next"), or null
 * after the last. A refusal is an ApiError like call()'s.
 */
export async function getCsvPage(path) {
  const response = await authorized('GET', path, { accept: 'text/csv' }, undefined);
  if (!response.ok) {
    throw await refusal(response, `The export failed (${response.status}).`);
  }
  const link = /<([^>]+)>\s*;\s*rel="next"/.exec(response.headers.get('link') || '');
  return { text: await response.text(), next: link ? link[1] : null };
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const put = (path, body) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);

/** Whether the caller's access in a workspace allows a permission (ADMIN allows everything). */
export function can(access, permission) {
  return Boolean(access) && (access.role === 'ADMIN' || (access.permissions || []).includes(permission));
}

export const PERMISSIONS = Object.freeze([
  ['members:invite', 'Invite members and resend invitations'],
  ['members:remove', 'Remove members'],
  ['members:permissions', 'Change members\' access'],
  ['licenses:assign', 'Assign and unassign licenses'],
  ['legacy-keys:manage', 'Import, assign and delete legacy keys'],
  ['ci-keys:manage', 'Create and revoke CI keys'],
  ['audit:read', 'Read the audit log'],
]);

let workspaces = null;

/** The caller's workspaces with their access ({id, name, memberId, role, permissions}); one request per page load. */
export function myWorkspaces(refresh = false) {
  if (!workspaces || refresh) {
    workspaces = get('/me/workspaces').then((answer) => answer.items).catch((e) => {
      workspaces = null;
      throw e;
    });
  }
  return workspaces;
}

/** Adds or replaces a workspace the caller just created or joined (the list index may lag a moment). */
export function rememberWorkspace(entry) {
  const known = workspaces;
  workspaces = (known || Promise.resolve([])).catch(() => []).then((items) =>
    [...items.filter((w) => w.id !== entry.id), entry]);
}

export const enc = encodeURIComponent;
