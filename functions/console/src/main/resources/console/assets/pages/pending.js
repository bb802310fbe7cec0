// Memberships an identity provider created for the signed-in person's email in workspaces that have not
// verified that email's domain: the console asks at sign-in. The person sees the workspace's name and who set
// up the identity provider that provisioned them, and joins only by choosing Join; Decline removes it.
// Until they join, the workspace is in none of their lists and learns nothing of their sign-ins.

import { focusAfterRender, h, idPart, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { enc, get, myWorkspaces, post, rememberWorkspace } from '../lib/api.js';
import { time } from '../lib/format.js';
import { fieldError } from '../components/field.js';

export function mount(main, { onPendingChange }) {
  const store = createStore({ items: null, loadError: null, rowErrors: {}, busy: null, status: '' });
  let alive = true;

  const draw = (s) => {
    if (!alive) {
      return;
    }
    document.title = 'Workspaces asking you to join – Users & Licenses';
    render(main,
      h('h1', null, 'Workspaces asking you to join'),
      h('p', { class: 'status', role: 'status', id: 'status' }, s.status),
      h('p', { class: 'lead' }, 'An identity provider added your email to these workspaces. You are not a member '
        + 'until you choose Join: until then the workspace cannot give you a license, does not appear in your '
        + 'workspaces, and is not told when you sign in. Join only workspaces you expect.'),
      s.loadError ? h('p', { class: 'field-error', role: 'alert' }, s.loadError) : null,
      s.items === null ? h('p', { class: 'loading' }, 'Loading…')
        : s.items.length === 0 ? h('p', { id: 'no-pending' }, 'Nothing is waiting for your answer. ',
          h('a', { href: '/' }, 'Continue to your workspaces'), '.')
          : h('ul', { class: 'changes', id: 'pending' }, s.items.map((p) => prompt(p, s))));
  };
  store.subscribe(draw);
  draw(store.state);

  async function load() {
    try {
      const items = (await get('/me/pending-memberships')).items;
      store.set({ items, loadError: null });
      onPendingChange?.(items.length);
    } catch (e) {
      store.set({ items: [], loadError: e.detail });
    }
  }
  load();

  async function answer(p, verb) {
    const id = idPart(p.workspaceId);
    store.set((s) => ({ busy: p.workspaceId, rowErrors: { ...s.rowErrors, [p.workspaceId]: null } }));
    try {
      const joined = await post(`/me/pending-memberships/${enc(p.workspaceId)}/${verb}`);
      if (verb === 'join') {
        await myWorkspaces(true).catch(() => []);
        rememberWorkspace(joined);
        store.set({ status: `You joined ${p.workspaceName}.` });
      } else {
        store.set({ status: `You declined ${p.workspaceName}; the membership was removed.` });
      }
      focusAfterRender('status');
    } catch (e) {
      store.set((s) => ({ rowErrors: { ...s.rowErrors, [p.workspaceId]: e.detail } }));
      focusAfterRender(`pending-join-${id}`);
    }
    store.set({ busy: null });
    await load();
  }

  function prompt(p, s) {
    const id = idPart(p.workspaceId);
    const who = p.provisionedBy.setUpBy
      ? ['the identity provider of this workspace, set up by its admin ', h('strong', null, p.provisionedBy.setUpBy)]
      : ['the identity provider of this workspace'];
    return h('li', { class: 'change', id: `pending-${id}`, 'aria-labelledby': `pending-title-${id}` },
      h('h2', { id: `pending-title-${id}`, class: 'change__title' }, p.workspaceName),
      h('p', null, 'You were added by ', ...who, p.provisionedAt ? [' on ', time(p.provisionedAt)] : null, '.'),
      h('div', { class: 'actions' },
        h('button', { class: 'button button--small', type: 'button', id: `pending-join-${id}`,
          'aria-label': `Join ${p.workspaceName}`, disabled: s.busy === p.workspaceId,
          onClick: () => answer(p, 'join') }, 'Join'),
        h('button', { class: 'button button--secondary button--small', type: 'button', id: `pending-decline-${id}`,
          'aria-label': `Decline ${p.workspaceName}`, disabled: s.busy === p.workspaceId,
          onClick: () => answer(p, 'decline') }, 'Decline')),
      fieldError(`pending-join-${id}`, s.rowErrors[p.workspaceId]));
  }

  return () => {
    alive = false;
  };
}
