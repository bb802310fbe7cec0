// SCIM provisioning of a workspace (admins only): the base URL and the token an identity provider
// needs (created or regenerated here, shown once, kept nowhere else), the token's hint and last use,
// revoking it, why it stopped (its creator was removed or lost ADMIN) with a new one at hand, and the
// changes the guards held for an admin to confirm or discard.

import { focusAfterRender, h, idPart, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { del, enc, get, post } from '../lib/api.js';
import { time } from '../lib/format.js';
import { fieldError } from '../components/field.js';

export function mount(main, { workspace }) {
  const base = `/workspaces/${enc(workspace.id)}/scim`;
  const scimUrl = `${location.origin}/scim/v2`;
  const store = createStore({ token: undefined, created: null, confirm: null, tokenError: null, changes: null,
    changesError: null, rowErrors: {}, confirmChange: null, status: '' });
  let alive = true;

  const draw = (s) => {
    if (!alive) {
      return;
    }
    document.title = `Provisioning – ${workspace.name}`;
    render(main,
      h('h1', null, 'Provisioning (SCIM)', h('span', { class: 'h1__context' }, workspace.name)),
      h('p', { class: 'status', role: 'status', id: 'status' }, s.status),
      h('p', { class: 'lead' }, 'Your identity provider (Okta, Microsoft Entra ID) creates and removes members, '
        + 'sets roles through the Admins group and gives licenses through each subscription\'s group. It needs '
        + 'the base URL and the token below.'),
      h('div', { class: 'layout' },
        h('div', { class: 'layout__side' }, tokenSection(s)),
        h('div', { class: 'layout__main' }, changesSection(s))));
  };
  store.subscribe(draw);
  draw(store.state);

  async function loadToken() {
    try {
      store.set({ token: await get(`${base}/token`), tokenError: null });
    } catch (e) {
      store.set(e.status === 404 ? { token: null, tokenError: null } : { token: null, tokenError: e.detail });
    }
  }

  async function loadChanges() {
    try {
      store.set({ changes: (await get(`${base}/changes`)).items, changesError: null });
    } catch (e) {
      store.set({ changes: [], changesError: e.detail });
    }
  }
  loadToken();
  loadChanges();

  async function regenerate() {
    store.set({ confirm: null });
    try {
      const created = await post(`${base}/token`);
      focusAfterRender('new-scim-token-title');
      store.set({ created, tokenError: null, status: 'A new SCIM token was created; any earlier one stopped working.' });
    } catch (e) {
      store.set({ tokenError: e.detail });
    }
    await loadToken();
  }

  async function revoke() {
    store.set({ confirm: null });
    try {
      await del(`${base}/token`);
      focusAfterRender('scim-token-create');
      store.set({ created: null, status: 'The SCIM token was revoked; the identity provider is refused from now on.' });
    } catch (e) {
      store.set({ tokenError: e.detail });
    }
    await loadToken();
  }

  async function close(change, verb) {
    const id = idPart(change.id);
    store.set((s) => ({ confirmChange: null, rowErrors: { ...s.rowErrors, [change.id]: null } }));
    try {
      const result = await post(`${base}/changes/${enc(change.id)}/${verb}`);
      const done = verb === 'confirm'
        ? `The change to ${change.groupName} was applied: ${result.removed} taken out, ${result.added} put in`
          + (Object.keys(result.notApplied).length ? `; ${Object.keys(result.notApplied).length} could not be changed.` : '.')
        : `The change to ${change.groupName} was discarded; nothing of it was applied.`;
      focusAfterRender('changes-title');
      store.set({ status: done });
    } catch (e) {
      focusAfterRender(`change-${verb}-${id}`);
      store.set((s) => ({ rowErrors: { ...s.rowErrors, [change.id]: e.detail } }));
    }
    await loadChanges();
  }

  function tokenSection(s) {
    const t = s.token;
    const stopped = t && t.status === 'STOPPED' ? t.stopped : null;
    return h('section', { class: 'card', 'aria-labelledby': 'scim-token-title' },
      h('h2', { id: 'scim-token-title' }, 'Connect an identity provider'),
      h('dl', { class: 'inline-facts' },
        h('dt', null, 'SCIM base URL'), h('dd', null, h('code', { id: 'scim-base-url' }, scimUrl)),
        h('dt', null, 'Token'), h('dd', { id: 'scim-token-hint' }, t === undefined ? 'Loading…' : t ? h('code', null, t.hint) : 'None yet'),
        t ? [h('dt', null, 'Created'), h('dd', null, time(t.createdAt), t.createdByEmail ? ` by ${t.createdByEmail}` : ''),
          h('dt', null, 'Status'), h('dd', { id: 'scim-token-status' }, stopped ? 'Stopped' : 'Working'),
          h('dt', null, 'Last used'), h('dd', { id: 'scim-token-last-use' }, t.lastUsedAt ? [time(t.lastUsedAt), ' (to the hour)'] : 'Never')] : null),
      stopped ? stoppedNotice(stopped) : null,
      s.created ? createdPanel(s.created) : null,
      s.tokenError ? h('p', { class: 'field-error', role: 'alert', id: 'scim-token-error' }, s.tokenError) : null,
      s.confirm === 'regenerate'
        ? confirmBox('regenerate', 'Regenerate the SCIM token? The current token stops working at once; paste the new '
          + 'one into your identity provider.', 'Confirm Regenerate', regenerate)
        : s.confirm === 'revoke'
          ? confirmBox('revoke', 'Revoke the SCIM token? Your identity provider is refused from its next request.',
            'Confirm Revoke', revoke)
          : h('div', { class: 'actions' },
            t && !stopped ? h('button', { class: 'button', type: 'button', id: 'scim-token-regenerate', onClick: () => {
              focusAfterRender('confirm-regenerate');
              store.set({ confirm: 'regenerate' });
            } }, 'Regenerate SCIM Token')
              : h('button', { class: 'button', type: 'button', id: 'scim-token-create', onClick: regenerate },
                stopped ? 'Create a New SCIM Token' : 'Create SCIM Token'),
            t && !stopped ? h('button', { class: 'button button--warning', type: 'button', id: 'scim-token-revoke', onClick: () => {
              focusAfterRender('confirm-revoke');
              store.set({ confirm: 'revoke' });
            } }, 'Revoke SCIM Token') : null));
  }

  // A token carries its creator's authority: it stopped when they were removed or lost ADMIN.
  function stoppedNotice(stopped) {
    const why = stopped.reason === 'creator-removed'
      ? `${stopped.creator} was removed from the workspace`
      : `${stopped.creator} is no longer an admin`;
    return h('div', { class: 'notice', role: 'alert', id: 'scim-token-stopped' },
      h('p', null, h('strong', null, 'This token stopped working'), ` because ${why}, at `, time(stopped.at),
        stopped.by && stopped.by !== stopped.creator ? ` (changed by ${stopped.by === 'scim' ? 'the identity provider' : stopped.by})` : '',
        '. A SCIM token carries the authority of the admin who created it.'),
      h('p', null, 'Your identity provider is refused until you create a new token and paste it into its SCIM settings.'));
  }

  function confirmBox(kind, question, label, action) {
    return h('div', { class: 'confirm', role: 'group', 'aria-labelledby': `confirm-q-${kind}` },
      h('p', { id: `confirm-q-${kind}` }, question),
      h('button', { class: 'button button--warning button--small', type: 'button', id: `confirm-${kind}`, onClick: action },
        label),
      h('button', { class: 'button button--secondary button--small', type: 'button', onClick: () => {
        focusAfterRender(kind === 'revoke' ? 'scim-token-revoke' : 'scim-token-regenerate');
        store.set({ confirm: null });
      } }, 'Cancel'));
  }

  function createdPanel(created) {
    return h('div', { class: 'panel panel--secret', role: 'region', 'aria-labelledby': 'new-scim-token-title' },
      h('h3', { id: 'new-scim-token-title', tabindex: '-1' }, 'New SCIM token'),
      h('p', null, 'Copy it now into your identity provider with the base URL: this is the only time it is shown. '
        + 'Only its hash is stored.'),
      h('p', null, h('code', { class: 'secret', id: 'new-scim-token' }, created.token)),
      h('div', { class: 'actions' },
        h('button', { class: 'button button--secondary', type: 'button', id: 'new-scim-token-copy',
          onClick: () => navigator.clipboard.writeText(created.token).then(
            () => store.set({ status: 'The SCIM token was copied to the clipboard.' }),
            () => store.set({ status: 'Copying is not allowed here; select the token and copy it.' })) }, 'Copy Token'),
        h('button', { class: 'button button--secondary', type: 'button', id: 'new-scim-token-done',
          onClick: () => {
            focusAfterRender('scim-token-regenerate');
            store.set({ created: null });
          } }, 'Done')));
  }

  function changesSection(s) {
    return h('section', { class: 'card', 'aria-labelledby': 'changes-title' },
      h('h2', { id: 'changes-title', tabindex: '-1' }, 'Pending changes'),
      h('p', null, 'A single request from the identity provider that would take licenses or memberships from many '
        + 'members at once (an empty or truncated group pushed by mistake), or ADMIN from more than one admin at once '
        + 'or from a second within an hour, is held here instead of applied.'),
      s.changesError ? h('p', { class: 'field-error', role: 'alert' }, s.changesError) : null,
      s.changes === null ? h('p', { class: 'loading' }, 'Loading pending changes…')
        : s.changes.length === 0 ? h('p', { id: 'no-changes' }, 'No pending changes.')
          : h('ul', { class: 'changes', id: 'changes' }, s.changes.map((c) => change(c, s))));
  }

  function change(c, s) {
    const id = idPart(c.id);
    const takes = c.groupId.startsWith('license_') ? `take the license of ${c.remove.length} member${c.remove.length === 1 ? '' : 's'}`
      : c.groupId === 'members' ? `remove ${c.remove.length} member${c.remove.length === 1 ? '' : 's'} from the workspace`
        : `take ${c.remove.length} member${c.remove.length === 1 ? '' : 's'} out of ${c.groupName}`;
    const summary = `${c.groupName}: would ${takes}` + (c.add.length ? ` and put ${c.add.length} in` : '');
    return h('li', { class: 'change', id: `change-${id}`, 'aria-labelledby': `change-title-${id}` },
      h('h3', { id: `change-title-${id}` }, summary),
      h('p', null, 'Sent by the identity provider ', time(c.requestedAt), `: ${c.request}.`),
      s.confirmChange === c.id
        ? h('div', { class: 'confirm', role: 'group', 'aria-labelledby': `apply-q-${id}` },
          h('p', { id: `apply-q-${id}` }, `Apply it in full? This will ${takes}.`),
          h('button', { class: 'button button--warning button--small', type: 'button', id: `change-confirm-${id}`,
            onClick: () => close(c, 'confirm') }, 'Apply Change'),
          h('button', { class: 'button button--secondary button--small', type: 'button', onClick: () => {
            focusAfterRender(`change-apply-${id}`);
            store.set({ confirmChange: null });
          } }, 'Cancel'))
        : h('div', { class: 'actions' },
          h('button', { class: 'button button--warning button--small', type: 'button', id: `change-apply-${id}`,
            'aria-label': `Confirm change: ${summary}`, onClick: () => {
              focusAfterRender(`change-confirm-${id}`);
              store.set({ confirmChange: c.id });
            } }, 'Confirm Change'),
          h('button', { class: 'button button--secondary button--small', type: 'button', id: `change-discard-${id}`,
            'aria-label': `Discard change: ${summary}`, onClick: () => close(c, 'discard') }, 'Discard Change')),
      fieldError(`change-apply-${id}`, s.rowErrors[c.id]));
  }

  return () => {
    alive = false;
  };
}
