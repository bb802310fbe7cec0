// What can be done to one member from their row and their details: open the details, assign or unassign
// a license, change their access or legacy key, resend the invitation, allow provisioning again, remove
// them (after a confirmation). An error stays beside the control it is about (rowErrors).

import { focusAfterRender, idPart } from '../lib/dom.js';
import { del, enc, post, put } from '../lib/api.js';

/** The rows' part of the page state: the open member, drafts of their access and key, errors by control. */
export const memberRowState = () => ({ expanded: null, rowErrors: {}, confirmRemove: null, accessDrafts: {}, keyDrafts: {} });

/** @param ctx {store, base, reload: {members(), summary(), keys()}} */
export function memberActions({ store, base, reload }) {
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
  const member = (m) => `${base}/members/${enc(m.id)}`;

  return {
    toggle(m) {
      store.set((s) => ({ expanded: s.expanded === m.id ? null : m.id, confirmRemove: null }));
    },
    async assign(m) {
      if (await attempt(m.id, 'license', () => post(`${member(m)}/license`))) {
        store.set({ status: `${m.name} now holds a license.` });
      }
      await Promise.all([reload.members(), reload.summary()]);
    },
    async unassign(m) {
      if (await attempt(m.id, 'license', () => del(`${member(m)}/license`))) {
        store.set({ status: `The license of ${m.name} was unassigned.` });
        focusAfterRender(`assign-${idPart(m.id)}`);
      }
      await Promise.all([reload.members(), reload.summary()]);
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
      if (await attempt(m.id, 'access', () => put(`${member(m)}/access`, body))) {
        store.set((s) => {
          const drafts = { ...s.accessDrafts };
          delete drafts[m.id];
          return { accessDrafts: drafts, status: `The access of ${m.name} was saved.` };
        });
        await reload.members();
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
      await Promise.all([reload.members(), reload.summary(), reload.keys()]);
    },
    async resend(m) {
      if (await attempt(m.id, 'resend', () => post(`${member(m)}/invitation`), `resend-${idPart(m.id)}`)) {
        store.set({ status: `A new invitation was sent to ${m.email}; earlier links no longer work.` });
        await reload.members();
      }
    },
    async allowProvisioning(m) {
      if (await attempt(m.id, 'allowProvisioning', () => post(`${member(m)}/allow-provisioning`))) {
        focusAfterRender(`toggle-${idPart(m.id)}`);
        store.set({ status: `The identity provider may provision ${m.name} again.` });
        await reload.members();
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
      if (await attempt(m.id, 'remove', () => del(member(m)), `toggle-${idPart(m.id)}`)) {
        focusAfterRender(`toggle-${idPart(m.id)}`);
        store.set({ status: `${m.name} was removed from the workspace.`, expanded: store.state.showRemoved ? m.id : null });
        if (!store.state.showRemoved) {
          focusAfterRender('show-removed');
        }
      }
      await Promise.all([reload.members(), reload.summary(), reload.keys()]);
    },
  };
}
