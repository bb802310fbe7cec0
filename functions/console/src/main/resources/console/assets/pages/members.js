// "Users & Licenses" (the seed's page): Licenses, Invite Users, Workspace Members. Rendering it
// takes one request per section's data, all at once: the members page, the license summary and,
// for those who manage them, the legacy keys (the caller's workspaces and access come from the
// one /me/workspaces request the app makes per page load).

import { focusAfterRender, h, idPart, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { ApiError, can, del, enc, get, post, put } from '../lib/api.js';
import { time } from '../lib/format.js';
import { errorSummary } from '../components/error-summary.js';
import { fieldError, selectField, textField } from '../components/field.js';
import { licenseSummary } from '../components/license-summary.js';
import { usageChart } from '../components/usage-chart.js';
import { legacyKeys } from '../components/legacy-keys.js';
import { memberDetails, roleText } from '../components/member-details.js';

export const PAGE_SIZE = 25;

export function mount(main, { workspace }) {
  const ws = workspace.id;
  const base = `/workspaces/${enc(ws)}`;
  const managesKeys = can(workspace, 'legacy-keys:manage');
  // Usage over time is for those who hand out seats (the API answers 403 to anyone else).
  const seesUsage = can(workspace, 'licenses:assign');
  const store = createStore({
    access: workspace,
    members: null, membersError: null, nextCursor: null, cursors: [null], pageIndex: 0, showRemoved: false,
    summary: null, summaryError: null,
    usage: null, usageError: null,
    keys: managesKeys ? null : undefined, keysError: null,
    expanded: null, rowErrors: {}, confirmRemove: null, accessDrafts: {}, keyDrafts: {},
    invite: { name: '', email: '', role: 'MEMBER', errors: {}, summary: [] },
    importForm: { text: '', error: null }, keyErrors: {}, confirmDeleteKey: null,
    status: '',
  });
  let alive = true;
  let marked = false;
  const names = {};

  const draw = (state) => {
    if (!alive) {
      return;
    }
    document.title = `Users & Licenses – ${workspace.name}`;
    render(main,
      h('h1', null, 'Users & Licenses', h('span', { class: 'h1__context' }, workspace.name)),
      h('p', { class: 'status', role: 'status', id: 'status' }, state.status),
      h('div', { class: ['layout', can(state.access, 'members:invite') ? 'layout--pair' : null] },
        can(state.access, 'members:invite') ? inviteSection(state) : null,
        licensesSection(state)),
      seesUsage ? usageSection(state) : null,
      membersSection(state),
      managesKeys ? legacyKeys(state, names, actions) : null);
    if (!marked && state.members) {
      marked = true;
      performance.mark('wsl:members-rendered');
    }
  };
  // ---------------------------------------------------------------- loading

  async function loadMembers(cursor, pageIndex, cursors) {
    const state = store.state;
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (state.showRemoved) {
      query.set('includeRemoved', 'true');
    }
    if (cursor) {
      query.set('cursor', cursor);
    }
    try {
      const page = await get(`${base}/members?${query}`);
      page.items.forEach((m) => { names[m.id] = m.name; });
      store.set({ members: page.items, nextCursor: page.nextCursor || null, pageIndex, cursors, membersError: null });
    } catch (e) {
      store.set({ membersError: e.detail, members: store.state.members || [] });
    }
  }

  const reloadMembers = () => loadMembers(store.state.cursors[store.state.pageIndex], store.state.pageIndex,
    store.state.cursors);

  async function loadSummary() {
    try {
      store.set({ summary: await get(`${base}/licenses`), summaryError: null });
    } catch (e) {
      store.set({ summaryError: e.detail });
    }
  }

  async function loadUsage() {
    if (!seesUsage) {
      return;
    }
    try {
      store.set({ usage: await get(`${base}/usage?days=90`), usageError: null });
    } catch (e) {
      store.set({ usageError: e.detail });
    }
  }

  async function loadKeys() {
    if (!managesKeys) {
      return;
    }
    try {
      store.set({ keys: (await get(`${base}/legacy-keys`)).items, keysError: null });
    } catch (e) {
      store.set({ keys: [], keysError: e.detail });
    }
  }

  // ---------------------------------------------------------------- actions

  const setRowError = (memberId, control, message) => store.set((s) => ({
    rowErrors: { ...s.rowErrors, [memberId]: { ...(s.rowErrors[memberId] || {}), [control]: message } },
  }));
  const clearRowErrors = (memberId) => store.set((s) => ({ rowErrors: { ...s.rowErrors, [memberId]: {} } }));

  async function attempt(memberId, control, work, focusOnError) {
    clearRowErrors(memberId);
    try {
      await work();
      return true;
    } catch (e) {
      if (focusOnError) {
        focusAfterRender(focusOnError);
      }
      setRowError(memberId, control, e.detail);
      return false;
    }
  }

  const actions = {
    toggle(m) {
      store.set((s) => ({ expanded: s.expanded === m.id ? null : m.id, confirmRemove: null }));
    },
    async assign(m) {
      if (await attempt(m.id, 'license', () => post(`${base}/members/${enc(m.id)}/license`))) {
        store.set({ status: `${m.name} now holds a license.` });
      }
      await Promise.all([reloadMembers(), loadSummary()]);
    },
    async unassign(m) {
      if (await attempt(m.id, 'license', () => del(`${base}/members/${enc(m.id)}/license`))) {
        store.set({ status: `The license of ${m.name} was unassigned.` });
        focusAfterRender(`assign-${idPart(m.id)}`);
      }
      await Promise.all([reloadMembers(), loadSummary()]);
    },
    toggleShowRemoved(on) {
      store.set({ showRemoved: on, expanded: null });
      loadMembers(null, 0, [null]);
    },
    nextPage() {
      const s = store.state;
      if (s.nextCursor) {
        const cursors = [...s.cursors.slice(0, s.pageIndex + 1), s.nextCursor];
        loadMembers(s.nextCursor, s.pageIndex + 1, cursors);
      }
    },
    previousPage() {
      const s = store.state;
      if (s.pageIndex > 0) {
        loadMembers(s.cursors[s.pageIndex - 1], s.pageIndex - 1, s.cursors);
      }
    },
    toggleAccessMode(m, mode) {
      const current = store.state.accessDrafts[m.id] || { permissions: m.permissions || [] };
      store.set((s) => ({ accessDrafts: { ...s.accessDrafts, [m.id]: { ...current, mode } } }));
    },
    togglePermission(m, permission, on) {
      const current = store.state.accessDrafts[m.id] || { mode: 'ADVANCED', permissions: m.permissions || [] };
      const permissions = on ? [...new Set([...current.permissions, permission])]
        : current.permissions.filter((p) => p !== permission);
      store.quietly({ accessDrafts: { ...store.state.accessDrafts, [m.id]: { ...current, permissions } } });
    },
    async saveAccess(m) {
      const draft = store.state.accessDrafts[m.id];
      if (!draft) {
        return;
      }
      const body = draft.mode === 'ADMIN' ? { role: 'ADMIN' }
        : { role: 'MEMBER', permissions: draft.mode === 'ADVANCED' ? draft.permissions : [] };
      if (await attempt(m.id, 'access', () => put(`${base}/members/${enc(m.id)}/access`, body))) {
        store.set((s) => {
          const drafts = { ...s.accessDrafts };
          delete drafts[m.id];
          return { accessDrafts: drafts, status: `The access of ${m.name} was saved.` };
        });
        await reloadMembers();
      }
    },
    chooseKey(m, keyId) {
      store.quietly({ keyDrafts: { ...store.state.keyDrafts, [m.id]: keyId } });
    },
    async saveKey(m) {
      const choice = store.state.keyDrafts[m.id] ?? (m.legacyKeyId || '');
      if (choice === (m.legacyKeyId || '')) {
        return;
      }
      // One call: giving a member another key releases theirs in the same change (seat-neutral, never half done).
      const ok = await attempt(m.id, 'key', () => (choice
        ? put(`${base}/legacy-keys/${enc(choice)}/assignee`, { memberId: m.id })
        : put(`${base}/legacy-keys/${enc(m.legacyKeyId)}/assignee`, { memberId: null })));
      if (ok) {
        store.set({ status: choice ? `The legacy key was assigned to ${m.name}.` : `${m.name} holds no legacy key now.` });
      }
      await Promise.all([reloadMembers(), loadSummary(), loadKeys()]);
    },
    async resend(m) {
      if (await attempt(m.id, 'resend', () => post(`${base}/members/${enc(m.id)}/invitation`),
        `resend-${idPart(m.id)}`)) {
        store.set({ status: `A new invitation was sent to ${m.email}; earlier links no longer work.` });
        await reloadMembers();
      }
    },
    async allowProvisioning(m) {
      if (await attempt(m.id, 'allowProvisioning', () => post(`${base}/members/${enc(m.id)}/allow-provisioning`))) {
        focusAfterRender(`toggle-${idPart(m.id)}`);
        store.set({ status: `The identity provider may provision ${m.name} again.` });
        await reloadMembers();
      }
    },
    askRemove(m) {
      focusAfterRender(`remove-confirm-${idPart(m.id)}`);
      store.set({ confirmRemove: m.id });
    },
    cancelRemove(m) {
      focusAfterRender(`remove-${idPart(m.id)}`);
      store.set({ confirmRemove: null });
    },
    async remove(m) {
      store.set({ confirmRemove: null });
      if (await attempt(m.id, 'remove', () => del(`${base}/members/${enc(m.id)}`), `toggle-${idPart(m.id)}`)) {
        focusAfterRender(`toggle-${idPart(m.id)}`);
        store.set({ status: `${m.name} was removed from the workspace.`, expanded: store.state.showRemoved ? m.id : null });
        if (!store.state.showRemoved) {
          focusAfterRender('show-removed');
        }
      }
      await Promise.all([reloadMembers(), loadSummary(), loadKeys()]);
    },
    typeInvite(field, value) {
      store.quietly({ invite: { ...store.state.invite, [field]: value } });
    },
    async invite() {
      const form = store.state.invite;
      try {
        const body = { name: form.name.trim(), email: form.email.trim() };
        if (form.role === 'ADMIN') {
          body.role = 'ADMIN';
        }
        const member = await post(`${base}/members`, body);
        store.set({
          invite: { name: '', email: '', role: 'MEMBER', errors: {}, summary: [] },
          status: `An invitation was sent to ${member.email}.`,
        });
        focusAfterRender('invite-name');
        await reloadMembers();
      } catch (e) {
        // A limit on invitation emails (429: this address's or this workspace's for today) belongs to the
        // "Invite User" button itself: nothing in the fields is wrong, the detail says when to try again.
        const field = { 'invalid-email': 'invite-email', 'member-exists': 'invite-email', 'invalid-name': 'invite-name',
          'unknown-role': 'invite-role', 'cannot-grant': 'invite-role', 'invalid-access': 'invite-role',
          'recipient-invitation-limit': 'invite-submit', 'workspace-invitation-limit': 'invite-submit' }[e.type]
          || 'invite-email';
        focusAfterRender('invite-summary');
        store.set({ invite: { ...store.state.invite, errors: { [field]: e.detail }, summary: [{ field, message: e.detail }] } });
      }
    },
    typeImport(text) {
      store.quietly({ importForm: { ...store.state.importForm, text } });
    },
    async importKeys() {
      const keys = store.state.importForm.text.split(/\s+/).map((k) => k.trim()).filter(Boolean);
      try {
        if (keys.length === 0) {
          throw new ApiError(0, 'empty', 'Enter at least one legacy key.');
        }
        const imported = await post(`${base}/legacy-keys`, { keys: keys.map((key) => ({ key })) });
        store.set({ importForm: { text: '', error: null },
          status: `${imported.items.length} legacy key${imported.items.length === 1 ? ' was' : 's were'} imported.` });
      } catch (e) {
        focusAfterRender('import-keys-summary');
        store.set({ importForm: { ...store.state.importForm, error: e.detail } });
      }
      await Promise.all([loadKeys(), loadSummary()]);
    },
    async unassignKey(k) {
      store.set((s) => ({ keyErrors: { ...s.keyErrors, [k.id]: null } }));
      try {
        await put(`${base}/legacy-keys/${enc(k.id)}/assignee`, { memberId: null });
        store.set({ status: `${k.masked} is assigned to nobody now; it still holds a seat.` });
      } catch (e) {
        store.set((s) => ({ keyErrors: { ...s.keyErrors, [k.id]: e.detail } }));
      }
      await Promise.all([loadKeys(), loadSummary(), reloadMembers()]);
    },
    askDeleteKey(k) {
      focusAfterRender(`key-delete-confirm-${idPart(k.id)}`);
      store.set({ confirmDeleteKey: k.id });
    },
    cancelDeleteKey(k) {
      focusAfterRender(`key-delete-${idPart(k.id)}`);
      store.set({ confirmDeleteKey: null });
    },
    async deleteKey(k) {
      store.set({ confirmDeleteKey: null });
      try {
        await del(`${base}/legacy-keys/${enc(k.id)}`);
        focusAfterRender('import-keys');
        store.set({ status: `${k.masked} was deleted.` });
      } catch (e) {
        store.set((s) => ({ keyErrors: { ...s.keyErrors, [k.id]: e.detail } }));
      }
      await Promise.all([loadKeys(), loadSummary(), reloadMembers()]);
    },
  };

  // ---------------------------------------------------------------- sections

  function licensesSection(state) {
    return h('section', { class: 'card', 'aria-labelledby': 'licenses-title' },
      h('h2', { id: 'licenses-title' }, 'Licenses'),
      licenseSummary(state.summary, state.summaryError));
  }

  function usageSection(state) {
    return h('section', { class: 'card', 'aria-labelledby': 'usage-title' },
      h('h2', { id: 'usage-title' }, 'Usage over the last 90 days'),
      usageChart(state.usage, state.usageError));
  }

  function inviteSection(state) {
    const form = state.invite;
    const adminMayBeGranted = state.access.role === 'ADMIN';
    return h('section', { class: 'card', 'aria-labelledby': 'invite-title' },
      h('h2', { id: 'invite-title' }, 'Invite Users'),
      h('p', { class: 'hint' }, 'New and existing users are invited the same way. The name is shown until '
        + 'the person has an account; then their username is.'),
      h('form', {
        class: 'form', id: 'invite-form', novalidate: true,
        onSubmit: (event) => {
          event.preventDefault();
          actions.invite();
        },
      },
      errorSummary('invite-summary', form.summary),
      textField({ id: 'invite-name', label: 'Name', value: form.name, error: form.errors['invite-name'],
        autocomplete: 'off', onInput: (v) => actions.typeInvite('name', v) }),
      textField({ id: 'invite-email', label: 'Email address', type: 'email', value: form.email, spellcheck: false,
        error: form.errors['invite-email'], onInput: (v) => actions.typeInvite('email', v) }),
      adminMayBeGranted ? selectField({ id: 'invite-role', label: 'Role', value: form.role,
        error: form.errors['invite-role'], options: [['MEMBER', 'Member'], ['ADMIN', 'Admin']],
        onChange: (v) => actions.typeInvite('role', v) }) : null,
      h('button', { class: 'button', type: 'submit', id: 'invite-submit',
        'aria-describedby': form.errors['invite-submit'] ? 'invite-submit-error' : null }, 'Invite User'),
      fieldError('invite-submit', form.errors['invite-submit'])));
  }

  function membersSection(state) {
    const mayAssign = can(state.access, 'licenses:assign');
    const blocked = mayAssign && state.summary && !state.summary.canAssign;
    return h('section', { class: 'card', 'aria-labelledby': 'members-title' },
      h('div', { class: 'card__header' },
        h('h2', { id: 'members-title' }, 'Workspace Members'),
        h('div', { class: 'switch' },
          h('input', { class: 'switch__input', type: 'checkbox', role: 'switch', id: 'show-removed',
            checked: state.showRemoved, onChange: (event) => actions.toggleShowRemoved(event.target.checked) }),
          h('label', { class: 'switch__label', for: 'show-removed' }, 'Show Removed'))),
      blocked ? h('p', { class: 'notice', id: 'assign-reason' }, state.summary.reason) : null,
      state.membersError ? h('p', { class: 'field-error', role: 'alert' }, state.membersError) : null,
      state.members === null ? h('p', { class: 'loading' }, 'Loading members…') : membersTable(state, mayAssign, blocked),
      pager(state));
  }

  function membersTable(state, mayAssign, blocked) {
    const keyById = Object.fromEntries((state.keys || []).map((k) => [k.id, k]));
    return h('table', { class: 'table table--members', id: 'members' },
      h('caption', { class: 'visually-hidden' }, 'Workspace members'),
      h('thead', null, h('tr', null,
        ['Name', 'Email', 'Status', 'Role', 'License', 'Legacy key', 'Last activation']
          .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, state.members.length === 0
        ? h('tr', null, h('td', { colspan: '7' }, state.showRemoved ? 'No members.' : 'No members (removed ones are hidden).'))
        : state.members.map((m) => memberRows(m, state, mayAssign, blocked, keyById))));
  }

  /** INVITED, ACTIVE, REMOVED; "PROVISIONED" for a member an identity provider created who has not signed in yet. */
  function statusBadge(m) {
    return m.provisioning?.awaitingSignIn
      ? h('span', { class: ['badge', 'badge--invited'], title: 'Created by the identity provider; active at their first sign-in' },
        'PROVISIONED')
      : h('span', { class: ['badge', `badge--${m.status.toLowerCase()}`] }, m.status);
  }

  function memberRows(m, state, mayAssign, blocked, keyById) {
    const id = idPart(m.id);
    const open = state.expanded === m.id;
    const error = (state.rowErrors[m.id] || {}).license;
    const key = m.legacyKeyId ? keyById[m.legacyKeyId] : null;
    const rows = [h('tr', { class: ['member', m.status === 'REMOVED' && 'member--removed'], id: `member-${id}` },
      h('th', { scope: 'row' },
        h('button', { class: 'link-button', type: 'button', id: `toggle-${id}`, 'aria-expanded': open,
          'aria-controls': open ? `details-${id}` : null, onClick: () => actions.toggle(m) }, m.name)),
      h('td', null, m.email),
      h('td', null, statusBadge(m)),
      h('td', null, roleText(m)),
      h('td', null, licenseCell(m, id, mayAssign, blocked), fieldError(`license-${id}`, error)),
      h('td', null, m.legacyKeyId ? h('code', null, key ? key.masked : 'legacy key') : '—'),
      h('td', null, m.lastActivation ? time(m.lastActivation.at) : '—'))];
    if (open) {
      rows.push(h('tr', { class: 'details-row' }, h('td', { colspan: '7' }, memberDetails(m, state, actions))));
    }
    return rows;
  }

  function licenseCell(m, id, mayAssign, blocked) {
    if (m.licensed) {
      return h('span', { class: 'badge badge--license' }, 'License',
        mayAssign ? h('button', { class: 'badge__remove', type: 'button', id: `unassign-${id}`,
          'aria-label': `Unassign license from ${m.name}`, title: `Unassign license from ${m.name}`,
          onClick: () => actions.unassign(m) }, '×') : null);
    }
    if (!mayAssign || m.status === 'REMOVED') {
      return '—';
    }
    // A legacy-key holder's license takes no seat (their key holds it): never blocked by a full pool.
    const blockedHere = Boolean(blocked) && !m.legacyKeyId;
    return h('button', { class: 'button button--small', type: 'button', id: `assign-${id}`,
      disabled: blockedHere, 'aria-describedby': blockedHere ? 'assign-reason' : null,
      onClick: () => actions.assign(m) }, 'Assign License');
  }

  function pager(state) {
    if (!state.members || (state.pageIndex === 0 && !state.nextCursor)) {
      return null;
    }
    return h('nav', { class: 'pager', 'aria-label': 'Member pages' },
      h('button', { class: 'button button--secondary button--small', type: 'button', id: 'page-previous',
        disabled: state.pageIndex === 0, onClick: actions.previousPage }, 'Previous page'),
      h('span', { class: 'pager__position' }, `Page ${state.pageIndex + 1}`),
      h('button', { class: 'button button--secondary button--small', type: 'button', id: 'page-next',
        disabled: !state.nextCursor, onClick: actions.nextPage }, 'Next page'));
  }

  store.subscribe(draw);
  draw(store.state);
  loadMembers(null, 0, [null]);
  loadSummary();
  loadKeys();
  loadUsage();

  return () => {
    alive = false;
  };
}
