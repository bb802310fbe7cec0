// The console's entry point: which page to show for the address, the banner (workspace switcher,
// sections, sign-out), and in-page navigation (links to this site are followed without reloading).
// Pages live in pages/; each mounts into <main> with a store of its own and may unmount.

import { h, render } from './lib/dom.js';
import { completeSignIn, session, signIn, signOut } from './lib/auth.js';
import { can, get, myWorkspaces, post, rememberWorkspace, SESSION_ENDED } from './lib/api.js';
import * as acceptPage from './pages/accept.js';
import * as auditPage from './pages/audit.js';
import * as authTokenPage from './pages/auth-token.js';
import * as ciKeysPage from './pages/ci-keys.js';
import * as domainsPage from './pages/domains.js';
import * as membersPage from './pages/members.js';
import * as newWorkspacePage from './pages/new-workspace.js';
import * as pendingPage from './pages/pending.js';
import * as scimPage from './pages/scim.js';

const banner = document.getElementById('banner');
// How many memberships wait for the signed-in person's Join or Decline (asked at sign-in); null: not known.
let pendingCount = null;
const main = document.getElementById('main');
let unmount = null;
let shown = null;

/** Goes to a path of this site without reloading the page. */
export function navigate(path, { replace = false } = {}) {
  history[replace ? 'replaceState' : 'pushState'](null, '', path);
  shown = null; // following a link to the page shown reloads it
  route(!replace);
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey
      || event.altKey || link.target) {
    return;
  }
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || (url.pathname !== '/' && url.pathname !== '/accept-invitation')) {
    return;
  }
  if (url.pathname === location.pathname && url.search === location.search && url.hash) {
    return; // a link within the page (skip link, error summary)
  }
  event.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', () => route(true));
window.addEventListener(SESSION_ENDED, () => sessionEnded());

route(false);

async function route(moveFocus) {
  const key = location.pathname + location.search;
  if (key === shown) {
    return; // only the fragment changed
  }
  shown = key;
  if (unmount) {
    unmount();
    unmount = null;
  }
  try {
    await show(moveFocus);
  } catch (error) {
    if (error.status === 401) {
      return; // the API refused the session: the "session ended" page, with "Sign in again", is shown already
    }
    problemPage('Something went wrong', error.message || String(error));
  }
}

async function show(moveFocus) {
  if (location.pathname === '/oidc/callback') {
    await callback();
    return;
  }
  if (location.pathname === '/accept-invitation') {
    renderBanner(null, null);
    mount(acceptPage, { signIn: () => signIn('/accept-invitation'), navigate }, moveFocus);
    return;
  }
  if (!session()) {
    renderBanner(null, null);
    signedOut();
    return;
  }
  const params = new URLSearchParams(location.search);
  const view = params.get('view') || 'members';
  if (view === 'pending') {
    const workspaces = await myWorkspaces();
    renderBanner(workspaces, null, view);
    mount(pendingPage, { navigate, onPendingChange: (n) => {
      pendingCount = n;
      // The banner follows: the count, and a workspace just joined in the switcher.
      myWorkspaces().then((now) => renderBanner(now, null, view), () => {});
    } }, moveFocus);
    return;
  }
  if (view === 'auth-token' || view === 'new-workspace') {
    const workspaces = await myWorkspaces();
    renderBanner(workspaces, null, view);
    mount(view === 'auth-token' ? authTokenPage : newWorkspacePage, { navigate, workspaces }, moveFocus);
    return;
  }
  const workspaces = await myWorkspaces();
  const id = params.get('ws');
  if (!id) {
    if (workspaces.length === 0) {
      navigate('/?view=new-workspace', { replace: true });
    } else {
      navigate(`/?ws=${encodeURIComponent(workspaces[0].id)}&view=members`, { replace: true });
    }
    return;
  }
  const workspace = workspaces.find((w) => w.id === id);
  renderBanner(workspaces, workspace, view);
  if (!workspace) {
    problemPage('Workspace not found', 'No workspace with this id exists that you are an active member of.');
    return;
  }
  const page = { members: membersPage, 'ci-keys': ciKeysPage, audit: auditPage,
    scim: workspace.role === 'ADMIN' ? scimPage : null,
    domains: workspace.role === 'ADMIN' ? domainsPage : null }[view];
  if (!page) {
    problemPage('Page not found', 'There is no such page in the console.');
    return;
  }
  mount(page, { navigate, workspace, workspaces }, moveFocus);
}

function mount(page, context, moveFocus) {
  unmount = page.mount(main, context) || null;
  if (moveFocus) {
    main.querySelector('h1')?.setAttribute('tabindex', '-1');
    main.querySelector('h1')?.focus();
  }
}

async function callback() {
  renderBanner(null, null);
  document.title = 'Signing in – Users & Licenses';
  render(main, h('h1', null, 'Signing in…'));
  try {
    const next = await completeSignIn();
    // Memberships identity providers created for this verified email become active with this sign-in.
    // The list of workspaces is read from an index that may lag a moment: add the claimed ones to it.
    const claimed = await post('/me/provisioned/claim').then((answer) => answer.items, () => []);
    if (claimed.length) {
      await myWorkspaces(true).catch(() => []);
      claimed.forEach(rememberWorkspace);
    }
    // Any other provisioned membership waits for the person's answer: ask now (issue 17, consent).
    const pending = await get('/me/pending-memberships').then((answer) => answer.items, () => []);
    pendingCount = pending.length;
    navigate(pending.length ? '/?view=pending' : next, { replace: true });
  } catch (error) {
    problemPage('Sign-in failed', error.message, true);
  }
}

function signedOut() {
  document.title = 'Sign in – Users & Licenses';
  let failure = null;
  const draw = () => render(main,
    h('h1', null, 'Users & Licenses'),
    h('p', { class: 'lead' }, 'Invite people to your workspace, give them roles and licenses, and manage '
      + 'legacy API keys, CI keys and your personal auth token.'),
    failure ? h('p', { class: 'field-error', role: 'alert' }, failure) : null,
    h('button', {
      class: 'button', id: 'sign-in', type: 'button',
      onClick: () => signIn(location.pathname + location.search).catch((e) => {
        failure = e.message;
        draw();
      }),
    }, 'Sign in'));
  draw();
}

function sessionEnded() {
  if (unmount) {
    unmount();
    unmount = null;
  }
  shown = null;
  renderBanner(null, null);
  document.title = 'Session ended – Users & Licenses';
  render(main,
    h('h1', { tabindex: '-1', id: 'session-ended' }, 'Your session has ended'),
    h('p', null, 'Sign in again to continue where you were.'),
    h('button', { class: 'button', type: 'button', onClick: () => signIn(location.pathname + location.search) },
      'Sign in again'));
  document.getElementById('session-ended')?.focus();
}

function problemPage(title, message, offerSignIn = false) {
  document.title = `${title} – Users & Licenses`;
  render(main,
    h('h1', null, title),
    h('p', { role: 'alert' }, message),
    offerSignIn
      ? h('button', { class: 'button', type: 'button', onClick: () => signIn('/') }, 'Sign in again')
      : h('p', null, h('a', { href: '/' }, 'Go to the start page')));
}

function renderBanner(workspaces, current, view) {
  const me = session();
  const link = (href, text, active) => h('li', null,
    h('a', { href, class: 'nav__link', 'aria-current': active ? 'page' : null }, text));
  const base = current ? `/?ws=${encodeURIComponent(current.id)}` : null;
  render(banner, h('div', { class: 'banner__inner' },
    h('a', { class: 'banner__title', href: '/' }, 'Users & Licenses'),
    me && workspaces ? switcher(workspaces, current) : null,
    me ? h('nav', { class: 'nav', 'aria-label': 'Sections' }, h('ul', { class: 'nav__list' },
      base ? link(`${base}&view=members`, 'Members & Licenses', view === 'members') : null,
      base && can(current, 'ci-keys:manage') ? link(`${base}&view=ci-keys`, 'CI Keys', view === 'ci-keys') : null,
      base && can(current, 'audit:read') ? link(`${base}&view=audit`, 'Audit Log', view === 'audit') : null,
      base && current.role === 'ADMIN' ? link(`${base}&view=scim`, 'Provisioning', view === 'scim') : null,
      base && current.role === 'ADMIN' ? link(`${base}&view=domains`, 'Domains', view === 'domains') : null,
      pendingCount ? link('/?view=pending', `Asked to Join (${pendingCount})`, view === 'pending') : null,
      link('/?view=auth-token', 'Auth Token', view === 'auth-token'),
      link('/?view=new-workspace', 'New Workspace', view === 'new-workspace'))) : null,
    me ? h('div', { class: 'banner__user' },
      h('span', { class: 'banner__email' }, me.email),
      h('button', { class: 'button button--secondary button--small', type: 'button', id: 'sign-out', onClick: signOut },
        'Sign out')) : null));
}

function switcher(workspaces, current) {
  if (workspaces.length === 0) {
    return null;
  }
  return h('form', {
    class: 'switcher',
    onSubmit: (event) => {
      event.preventDefault();
      const id = new FormData(event.target).get('workspace');
      navigate(`/?ws=${encodeURIComponent(id)}&view=members`);
    },
  },
  h('label', { class: 'switcher__label', for: 'workspace-switcher' }, 'Workspace'),
  h('select', { class: 'select', id: 'workspace-switcher', name: 'workspace', value: current ? current.id : workspaces[0].id },
    workspaces.map((w) => h('option', { value: w.id }, w.name))),
  h('button', { class: 'button button--secondary button--small', type: 'submit' }, 'Switch'));
}
