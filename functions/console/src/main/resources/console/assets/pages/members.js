// "Users & Licenses" (the seed's page): Licenses, Invite Users, Workspace Members. Rendering it
// takes one request per section's data, all at once: the members page, the license summary and,
// for those who manage them, the legacy keys (the caller's workspaces and access come from the
// one /me/workspaces request the app makes per page load); for admins also the preview of the
// reclaim policy's next run (issue 21). The member list can show only idle seats, and exports as CSV.

import { focusAfterRender, h, idPart, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { ApiError, can, del, enc, get, post, put } from '../lib/api.js';
import { time } from '../lib/format.js';
import { errorSummary } from '../components/error-summary.js';
import { fieldError, selectField, textField } from '../components/field.js';
import { licenseSummary } from '../components/license-summary.js';
import { seatPolicy } from '../components/seat-policy.js';
import { exportCsv } from '../lib/csv-export.js';
import { usageChart } from '../components/usage-chart.js';
import { legacyKeys } from '../components/legacy-keys.js';
import { memberDetails, roleText } from '../components/member-details.js';

export const PAGE_SIZE = 25;

export function mount(main, { workspace }) {
  const ws = workspace.id;
  const base = `/workspaces/${enc(ws)}`;
  const managesKeys = can(workspace, 'legacy-keys:manage');
  const isAdmin = workspace.role === 'ADMIN';
  // Usage over time is for those who hand out seats (the API answers 403 to anyone else).
  const seesUsage = can(workspace, 'licenses:assign');
  const store = createStore({
    access: workspace,
    members: null, membersError: null, nextCursor: null, cursors: [null], pageIndex: 0, showRemoved: false,
    idleOnly: false, idleDays: null, exporting: null, exportError: null,
    policyForm: null, preview: null, previewError: null,
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
      isAdmin ? seatPolicy(state, actions) : null,
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
    if (state.idleOnly) {
      query.set('idle', 'true');
    } else if (state.showRemoved) {
      query.set('includeRemoved', 'true');
    }
    if (cursor) {
      query.set('cursor', cursor);
    }
    try {
      const page = await get(`${base}/members?${query}`);
      page.items.forEach((m) => { names[m.id] = m.name; });
      store.set({ members: page.items, nextCursor: page.nextCursor || null, pageIndex, cursors, membersError: null,
        idleDays: page.idleDays ?? null });
    } catch (e) {
      store.set({ membersError: e.detail, members: store.state.members || [] });
    }
  }

  const reloadMembers = () => loadMembers(store.state.cursors[store.state.pageIndex], store.state.pageIndex,
    store.state.cursors);

  async function loadSummary() {
    try {
      const summary = await get(`${base}/licenses`);
      const p = summary.seatPolicy;
      // The policy form starts from what is stored, and keeps what the admin is changing.
      store.set((s) => ({ summary, summaryError: null, policyForm: s.policyForm && !s.policyForm.saved ? s.policyForm
        : p && { idleDays: p.idleDays, reclaim: p.reclaim, reclaimDays: p.reclaimDays, error: null } }));
    } catch (e) {
      store.set({ summaryError: e.detail });
    }
  }

  async function loadPreview(cursor) {
    if (!isAdmin) {
      return;
    }
    try {
      const page = await get(`${base}/seat-policy/reclaim-preview?limit=${PAGE_SIZE}${cursor ? `&cursor=${enc(cursor)}` : ''}`);
      store.set((s) => ({ previewError: null,
        preview: cursor && s.preview ? { ...page, items: [...s.preview.items, ...page.items] } : page }));
    } catch (e) {
      store.set({ previewError: e.detail });
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
    toggleIdleOnly(on) {
      store.set({ idleOnly: on, expanded: null });
      loadMembers(null, 0, [null]);
    },
    showIdle() {
      focusAfterRender('show-idle');
      actions.toggleIdleOnly(true);
    },
    async exportMembers() {
      const s = store.state;
      const query = new URLSearchParams();
      if (s.idleOnly) {
        query.set('idle', 'true');
      } else if (s.showRemoved) {
        query.set('includeRemoved', 'true');
      }
      store.set({ exporting: 'Exporting…', exportError: null });
      try {
        const rows = await exportCsv(`${base}/members${query.size ? `?${query}` : ''}`,
          `${s.idleOnly ? 'idle-seats' : 'members'}-${fileSafe(workspace.name)}.csv`,
          (pages, n) => store.set({ exporting: `Exporting… ${n} rows` }));
        store.set({ exporting: null, status: `Exported ${rows} member${rows === 1 ? '' : 's'} as CSV.` });
      } catch (e) {
        store.set({ exporting: null, exportError: e.detail });
      }
    },
    typePolicy(field, value) {
      store.set((s) => ({ policyForm: { ...s.policyForm, [field]: value, error: null, saved: false } }));
    },
    async savePolicy() {
      const form = store.state.policyForm;
      try {
        await put(`${base}/seat-policy`, { idleDays: form.idleDays, reclaim: form.reclaim, reclaimDays: form.reclaimDays });
        store.set({ policyForm: { ...form, error: null, saved: true }, status: form.reclaim
          ? `Seats idle for ${form.reclaimDays} days are reclaimed now; a seat is idle after ${form.idleDays} days.`
          : `Reclaim is off; a seat is idle after ${form.idleDays} days.` });
      } catch (e) {
        focusAfterRender('policy-submit');
        store.set({ policyForm: { ...form, error: e.detail } });
      }
      await Promise.all([loadSummary(), loadPreview(null), store.state.idleOnly ? reloadMembers() : null]);
    },
    morePreview() {
      if (store.state.preview?.nextCursor) {
        loadPreview(store.state.preview.nextCursor);
      }
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
      licenseSummary(state.summary, state.summaryError, { showIdle: actions.showIdle }));
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
        h('div', { class: 'card__tools' },
          h('div', { class: 'switch' },
            h('input', { class: 'switch__input', type: 'checkbox', role: 'switch', id: 'show-idle',
              checked: state.idleOnly, onChange: (event) => actions.toggleIdleOnly(event.target.checked) }),
            h('label', { class: 'switch__label', for: 'show-idle' }, 'Show Idle Seats Only')),
          h('div', { class: 'switch' },
            h('input', { class: 'switch__input', type: 'checkbox', role: 'switch', id: 'show-removed',
              checked: state.showRemoved && !state.idleOnly, disabled: state.idleOnly,
              onChange: (event) => actions.toggleShowRemoved(event.target.checked) }),
            h('label', { class: 'switch__label', for: 'show-removed' }, 'Show Removed')),
          h('button', { class: 'button button--secondary button--small', type: 'button', id: 'export-members',
            disabled: Boolean(state.exporting), 'aria-describedby': state.exportError ? 'export-members-error' : null,
            onClick: actions.exportMembers }, 'Export CSV'))),
      state.exporting ? h('p', { class: 'loading', role: 'status' }, state.exporting) : null,
      fieldError('export-members', state.exportError),
      state.idleOnly ? h('p', { class: 'hint', id: 'idle-filter-note' }, `Members whose license had no activation for `
        + `${state.idleDays ?? state.summary?.idle?.days ?? 30} days, longest idle first.`) : null,
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
        ? h('tr', null, h('td', { colspan: '7' }, state.idleOnly ? 'No idle seats.'
          : state.showRemoved ? 'No members.' : 'No members (removed ones are hidden).'))
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
      h('td', null, m.lastActivation ? time(m.lastActivation.at) : '—', idleBadge(m, state)))];
    if (open) {
      rows.push(h('tr', { class: 'details-row' }, h('td', { colspan: '7' }, memberDetails(m, state, actions))));
    }
    return rows;
  }

  /** "Idle for N days" for a license idle by the workspace's idle days. */
  function idleBadge(m, state) {
    const threshold = state.idleDays ?? state.summary?.idle?.days;
    if (!m.licensed || m.idleDays === undefined || threshold === undefined || m.idleDays < threshold) {
      return null;
    }
    return h('span', { class: ['badge', 'badge--idle'] }, `idle for ${m.idleDays} day${m.idleDays === 1 ? '' : 's'}`);
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
  loadPreview(null);
  loadUsage();

  return () => {
    alive = false;
  };
}

/** A workspace name as part of a file name. */
function fileSafe(name) {
  return String(name).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'workspace';
}
