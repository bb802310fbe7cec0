// SCIM provisioning of a workspace (admins only): the base URL and the token an identity provider
// needs (created or regenerated here, shown once, kept nowhere else), the token's hint and last use,
// revoking it, why it stopped (its creator was removed or lost ADMIN) with a new one at hand, the groups
// the identity provider created with what each is mapped to (Admins, Members, a subscription's license, or
// nothing), and the changes the guards held for an admin to confirm or discard.

import { focusAfterRender, h, idPart, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { del, enc, get, post, put } from '../lib/api.js';
import { time } from '../lib/format.js';
import { fieldError } from '../components/field.js';

export function mount(main, { workspace }) {
  const base = `/workspaces/${enc(workspace.id)}/scim`;
  const scimUrl = `${location.origin}/scim/v2`;
  const store = createStore({ token: undefined, created: null, confirm: null, tokenError: null, changes: null,
    changesError: null, rowErrors: {}, confirmChange: null, status: '', groups: null, targets: [], groupsError: null,
    choices: {}, groupErrors: {}, savingGroup: null });
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
        h('div', { class: 'layout__main' }, groupsSection(s), changesSection(s))));
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
  async function loadGroups() {
    try {
      const answer = await get(`${base}/groups?limit=100`);
      store.set({ groups: answer.items, targets: answer.targets, groupsError: null });
    } catch (e) {
      store.set({ groups: [], groupsError: e.detail });
    }
  }
  loadToken();
  loadGroups();
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
      // A closed mapping change answers the group's held error beside its row.
      store.set((s) => ({ status: done, groupErrors: { ...s.groupErrors, [change.groupId]: null } }));
    } catch (e) {
      focusAfterRender(`change-${verb}-${id}`);
      store.set((s) => ({ rowErrors: { ...s.rowErrors, [change.id]: e.detail } }));
    }
    // A confirmed mapping changes its group too.
    await Promise.all([loadChanges(), loadGroups()]);
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

  // A mapping's value in the form: none, admins, members, or license:<subscription id>.
  const valueOf = (target, subscriptionId) => (!target ? 'none' : target === 'license' ? `license:${subscriptionId}` : target);

  async function saveMapping(group) {
    const id = idPart(group.id);
    const value = store.state.choices[group.id] ?? valueOf(group.target, group.subscriptionId);
    const body = value.startsWith('license:') ? { target: 'license', subscriptionId: value.slice('license:'.length) }
      : { target: value };
    store.set((s) => ({ savingGroup: group.id, groupErrors: { ...s.groupErrors, [group.id]: null } }));
    try {
      const result = await put(`${base}/groups/${enc(group.id)}/mapping`, body);
      const to = result.group.targetName ? `mapped to ${result.group.targetName}` : 'not mapped: it has no effect';
      const skipped = Object.keys(result.notApplied).length;
      focusAfterRender('groups-title');
      store.set((s) => ({ savingGroup: null, choices: { ...s.choices, [group.id]: undefined },
        status: `${group.displayName} is ${to}: ${result.added} member${result.added === 1 ? '' : 's'} given it, `
          + `${result.removed} lost what it gave` + (skipped ? `; ${skipped} could not be changed (${
            [...new Set(Object.values(result.notApplied))].join('; ')}).` : '.') }));
    } catch (e) {
      focusAfterRender(`group-save-${id}`);
      store.set((s) => ({ savingGroup: null, groupErrors: { ...s.groupErrors, [group.id]: e.detail } }));
    }
    await Promise.all([loadGroups(), loadChanges()]);
  }

  function groupsSection(s) {
    return h('section', { class: 'card', 'aria-labelledby': 'groups-title' },
      h('h2', { id: 'groups-title', tabindex: '-1' }, 'Groups from your identity provider'),
      h('p', null, 'Groups your identity provider created here. A group has no effect until you map it: then its '
        + 'members get what the target gives (the ADMIN role, membership, or a license of one subscription), as '
        + 'members of that group would, and lose it when taken out. Seat limits and the guard below still apply.'),
      s.groupsError ? h('p', { class: 'field-error', role: 'alert' }, s.groupsError) : null,
      s.groups === null ? h('p', { class: 'loading' }, 'Loading groups…')
        : s.groups.length === 0 ? h('p', { id: 'no-groups' }, 'Your identity provider has created no groups yet.')
          : h('table', { class: 'table', id: 'idp-groups' },
            h('caption', { class: 'visually-hidden' }, 'Groups from your identity provider and what each is mapped to'),
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Group'), h('th', { scope: 'col' }, 'Members'),
              h('th', { scope: 'col' }, 'Mapped to'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Save')))),
            h('tbody', null, s.groups.map((g) => groupRow(g, s)))));
  }

  function groupRow(g, s) {
    const id = idPart(g.id);
    const current = valueOf(g.target, g.subscriptionId);
    const chosen = s.choices[g.id] ?? current;
    return h('tr', { id: `group-${id}` },
      h('th', { scope: 'row' }, h('span', { id: `group-name-${id}` }, g.displayName),
        g.externalId ? h('span', { class: 'hint' }, ` ${g.externalId}`) : null),
      h('td', null, String(g.members)),
      h('td', null,
        h('label', { class: 'visually-hidden', for: `group-target-${id}` }, `What ${g.displayName} is mapped to`),
        h('select', { id: `group-target-${id}`, value: chosen, 'aria-describedby': `group-state-${id}`,
          onChange: (e) => store.set((st) => ({ choices: { ...st.choices, [g.id]: e.target.value } })) },
        h('option', { value: 'none' }, 'Not mapped (no effect)'),
        s.targets.map((t) => h('option', { value: valueOf(t.target, t.subscriptionId) },
          t.target === 'license' ? `License: ${t.name}` : t.name))),
        h('p', { class: 'hint', id: `group-state-${id}` }, g.targetName ? `Now: ${g.targetName}` : 'Now: no effect'),
        fieldError(`group-save-${id}`, s.groupErrors[g.id])),
      h('td', null, h('button', { class: 'button button--small', type: 'button', id: `group-save-${id}`,
        disabled: chosen === current || s.savingGroup === g.id, 'aria-label': `Save mapping of ${g.displayName}`,
        onClick: () => saveMapping(g) }, s.savingGroup === g.id ? 'Saving…' : 'Save Mapping')));
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
    const takes = c.mapTo ? `take what the group gives from ${c.remove.length} member${c.remove.length === 1 ? '' : 's'} `
        + `and map it to ${c.mapTo === 'none' ? 'nothing' : c.mapTo}`
      : c.groupId.startsWith('license_') ? `take the license of ${c.remove.length} member${c.remove.length === 1 ? '' : 's'}`
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
