// The page invitation links open: {AppBaseUrl}/accept-invitation#token=…. The token is taken from
// the fragment (which never reaches a server), kept in sessionStorage across the sign-in
// redirect, and removed from the address bar at once. After sign-in the person accepts; the
// API checks that their verified email is the invited one.

import { h, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { forget, session, signIn } from '../lib/auth.js';
import { myWorkspaces, post, rememberWorkspace } from '../lib/api.js';

const KEY = 'wsl.invitation';

export function mount(main, { navigate }) {
  const fragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fragment) {
    sessionStorage.setItem(KEY, fragment);
    history.replaceState(null, '', location.pathname);
  }
  const store = createStore({ token: sessionStorage.getItem(KEY), error: null, busy: false });
  let alive = true;

  const draw = (s) => {
    if (!alive) {
      return;
    }
    const me = session();
    document.title = 'Accept Invitation – Users & Licenses';
    render(main,
      h('h1', null, 'Accept Invitation'),
      h('section', { class: 'card card--narrow', 'aria-labelledby': 'accept-title' },
        h('h2', { id: 'accept-title' }, me ? `Signed in as ${me.email}` : 'You have been invited to a workspace'),
        !s.token ? h('p', null, 'This page opens from the link in an invitation email, and that link is incomplete or '
          + 'has been used here already. Open the link from the email again.')
          : me ? [
            h('p', null, 'Accept the invitation to join the workspace with this account. The invitation must have '
              + 'been sent to this email address.'),
            s.error ? h('p', { class: 'field-error', id: 'accept-error', role: 'alert' }, s.error) : null,
            h('div', { class: 'actions' },
              h('button', { class: 'button', type: 'button', id: 'accept', 'aria-describedby': s.error ? 'accept-error' : null,
                onClick: accept }, 'Accept Invitation'),
              s.error ? h('button', { class: 'button button--secondary', type: 'button', id: 'accept-other-account',
                onClick: () => {
                  forget();
                  signIn('/accept-invitation');
                } }, 'Sign in with another account') : null)]
            : [
              h('p', null, 'Sign in (or create an account) with the email address the invitation was sent to, then accept it.'),
              h('button', { class: 'button', type: 'button', id: 'accept-sign-in',
                onClick: () => signIn('/accept-invitation').catch((e) => store.set({ error: e.message })) },
              'Sign in to Accept'),
              s.error ? h('p', { class: 'field-error', role: 'alert' }, s.error) : null]));
  };
  store.subscribe(draw);
  draw(store.state);

  async function accept() {
    if (store.state.busy) {
      return;
    }
    store.set({ busy: true, error: null });
    try {
      const accepted = await post('/invitations/accept', { token: store.state.token });
      sessionStorage.removeItem(KEY);
      // The list of one's workspaces is an index that may lag a moment behind the acceptance.
      let workspace = null;
      for (let i = 0; i < 5 && !workspace; i++) {
        workspace = (await myWorkspaces(true)).find((w) => w.id === accepted.workspaceId);
        if (!workspace) {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      if (!workspace) {
        rememberWorkspace({ id: accepted.workspaceId, name: 'New workspace', memberId: accepted.memberId,
          role: accepted.role, permissions: [] });
      }
      navigate(`/?ws=${encodeURIComponent(accepted.workspaceId)}&view=members`);
    } catch (e) {
      if (e.status === 404 || e.status === 410) {
        sessionStorage.removeItem(KEY);
      }
      store.set({ busy: false, error: e.detail });
    }
  }

  return () => {
    alive = false;
  };
}
