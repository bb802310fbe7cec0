// A member's details, opened by clicking the member: state and invitation delivery, their access
// (a predefined role or advanced permissions), their legacy key, "Resend Invitation",
// "Remove User from Workspace", and for a member a person removed, who removed them and
// "Allow Provisioning Again" (the identity provider cannot bring them back until then). Only what the caller may do is offered: a non-admin cannot grant
// ADMIN or permissions they lack, change an admin or their own access, or remove an admin.

import { h, idPart } from '../lib/dom.js';
import { can, PERMISSIONS } from '../lib/api.js';
import { time } from '../lib/format.js';
import { fieldError } from './field.js';

/**
 * @param m       the member (as listed)
 * @param state   the members page state (access, keys, drafts, errors, confirmRemove)
 * @param actions {toggleAccessMode, togglePermission, saveAccess, chooseKey, saveKey, resend, askRemove, remove, cancelRemove,
 *                allowProvisioning}
 */
export function memberDetails(m, state, actions) {
  const id = idPart(m.id);
  const me = state.access;
  const callerIsAdmin = me.role === 'ADMIN';
  const self = m.id === me.memberId;
  const errors = state.rowErrors[m.id] || {};
  // The API lets a non-admin resend to, or change the access of, only a member whose access they could
  // grant: not an admin, and no permission the caller lacks (the form would send those back, checked).
  const grantable = callerIsAdmin || (m.role !== 'ADMIN' && (m.permissions || []).every((p) => can(me, p)));
  const changeable = m.status !== 'REMOVED' && can(me, 'members:permissions') && grantable && (callerIsAdmin || !self);
  const removable = m.status !== 'REMOVED' && can(me, 'members:remove') && (callerIsAdmin || m.role !== 'ADMIN');
  // A removed member is invited again as a Member (coming back starts from nothing): anyone who may invite may.
  const resendable = ((m.status === 'INVITED' && grantable) || m.status === 'REMOVED') && can(me, 'members:invite');
  const sticks = m.status === 'REMOVED' && Boolean(m.removal?.sticks);
  const allowable = sticks && can(me, 'members:remove') && (callerIsAdmin || m.role !== 'ADMIN');
  const keyManaged = m.status !== 'REMOVED' && can(me, 'legacy-keys:manage') && state.keys !== null;

  return h('div', { class: 'details', id: `details-${id}`, role: 'region', 'aria-label': `Details of ${m.name}` },
    h('dl', { class: 'facts' },
      fact('Email', m.email),
      fact('Status', m.status),
      fact('Invited', time(m.invitedAt)),
      m.acceptedAt ? fact('Joined', time(m.acceptedAt)) : null,
      m.removedAt ? fact('Removed', m.removal?.by
        ? [time(m.removedAt), ` by ${m.removal.by === 'scim' ? 'the identity provider' : m.removal.by}`] : time(m.removedAt)) : null,
      m.removal && !m.removal.sticks ? fact('Identity provider', 'May provision them again') : null,
      m.invitation ? fact('Invitation email', deliveryText(m.invitation)) : null,
      m.invitation ? fact('Invitation expires', time(m.invitation.expiresAt)) : null,
      m.lastActivation ? fact('Last activation',
        [time(m.lastActivation.at), ` on ${m.lastActivation.machineId || 'an unknown machine'}`]) : null),
    h('div', { class: 'details__columns' },
      changeable ? accessForm(m, id, state, actions, errors.access) : h('p', null, `Access: ${roleText(m)}.`),
      keyManaged ? keyForm(m, id, state, actions, errors.key) : null),
    sticks ? h('p', { class: 'notice', id: `removal-sticks-${id}` }, `${m.name} was removed by a person: the identity `
      + 'provider cannot bring them back on its own. Invite them again, or allow provisioning again to let the identity '
      + 'provider add them (as a Member, holding nothing).') : null,
    h('div', { class: 'actions details__actions' },
      resendable ? h('button', { class: 'button button--secondary', type: 'button', id: `resend-${id}`,
        'aria-describedby': errors.resend ? `resend-${id}-error` : null,
        onClick: () => actions.resend(m) }, 'Resend Invitation') : null,
      allowable ? h('button', { class: 'button button--secondary', type: 'button', id: `allow-provisioning-${id}`,
        onClick: () => actions.allowProvisioning(m) }, 'Allow Provisioning Again') : null,
      removable && state.confirmRemove !== m.id ? h('button', { class: 'button button--warning', type: 'button',
        id: `remove-${id}`, onClick: () => actions.askRemove(m) }, 'Remove User from Workspace') : null),
    fieldError(`resend-${id}`, errors.resend),
    fieldError(`allow-provisioning-${id}`, errors.allowProvisioning),
    removable && state.confirmRemove === m.id ? h('div', { class: 'confirm', role: 'group', 'aria-labelledby': `remove-q-${id}` },
      h('p', { id: `remove-q-${id}` }, `Remove ${m.name} from the workspace? Their license seat is freed and their `
        + 'legacy key deleted at once; nothing they hold activates this workspace\'s licenses afterwards.'),
      h('button', { class: 'button button--warning', type: 'button', id: `remove-confirm-${id}`,
        onClick: () => actions.remove(m) }, 'Confirm Removal'),
      h('button', { class: 'button button--secondary', type: 'button', id: `remove-cancel-${id}`,
        onClick: () => actions.cancelRemove(m) }, 'Cancel')) : null,
    fieldError(`remove-${id}`, errors.remove));
}

export function roleText(m) {
  if (m.role === 'ADMIN') {
    return 'Admin';
  }
  const n = (m.permissions || []).length;
  return n === 0 ? 'Member' : `Member + ${n} permission${n === 1 ? '' : 's'}`;
}

function deliveryText(invitation) {
  const words = { PENDING: 'being sent', SENT: 'sent', FAILED: 'failed, retrying', DEAD: 'could not be delivered' };
  const text = words[invitation.delivery] || invitation.delivery;
  return invitation.attempts > 1 ? `${text} (${invitation.attempts} attempts)` : text;
}

function fact(label, value) {
  return h('div', { class: 'fact' }, h('dt', null, label), h('dd', null, value));
}

function accessForm(m, id, state, actions, error) {
  const me = state.access;
  const callerIsAdmin = me.role === 'ADMIN';
  const draft = state.accessDrafts[m.id] || {
    mode: m.role === 'ADMIN' ? 'ADMIN' : (m.permissions || []).length ? 'ADVANCED' : 'MEMBER',
    permissions: m.permissions || [],
  };
  const radio = (mode, label, hint, enabled) => h('div', { class: 'choice' },
    h('input', { type: 'radio', class: 'choice__input', id: `access-${mode}-${id}`, name: `access-${id}`, value: mode,
      checked: draft.mode === mode, disabled: !enabled, 'aria-describedby': `access-${mode}-${id}-hint`,
      onChange: () => actions.toggleAccessMode(m, mode) }),
    h('label', { class: 'choice__label', for: `access-${mode}-${id}` }, label),
    h('p', { class: 'choice__hint', id: `access-${mode}-${id}-hint` }, hint));
  return h('form', {
    class: 'form', id: `access-form-${id}`, novalidate: true,
    onSubmit: (event) => {
      event.preventDefault();
      actions.saveAccess(m);
    },
  },
  h('fieldset', { class: 'fieldset', 'aria-describedby': error ? `access-${id}-error` : null },
    h('legend', { class: 'fieldset__legend' }, `Access of ${m.name}`),
    fieldError(`access-${id}`, error),
    radio('ADMIN', 'Admin', 'Every permission, including granting Admin.', callerIsAdmin),
    radio('MEMBER', 'Member', 'Sees the workspace, its members and the license summary.', true),
    radio('ADVANCED', 'Advanced permissions', 'Member plus the permissions chosen below.', true),
    draft.mode === 'ADVANCED' ? h('div', { class: 'choices choices--nested' },
      PERMISSIONS.map(([permission, label]) => {
        const pid = `perm-${permission.replace(':', '-')}-${id}`;
        return h('div', { class: 'choice' },
          h('input', { type: 'checkbox', class: 'choice__input', id: pid, value: permission,
            checked: draft.permissions.includes(permission),
            disabled: !callerIsAdmin && !can(me, permission),
            onChange: (event) => actions.togglePermission(m, permission, event.target.checked) }),
          h('label', { class: 'choice__label', for: pid }, `${label} (${permission})`));
      })) : null),
  h('button', { class: 'button', type: 'submit', id: `access-save-${id}` }, 'Save Access'));
}

function keyForm(m, id, state, actions, error) {
  const choice = state.keyDrafts[m.id] ?? (m.legacyKeyId || '');
  const options = [['', 'No legacy key']];
  for (const k of state.keys) {
    if (k.id === m.legacyKeyId || !k.assignee) {
      options.push([k.id, k.id === m.legacyKeyId ? `${k.masked} (assigned)` : k.masked]);
    }
  }
  return h('form', {
    class: 'form', id: `key-form-${id}`, novalidate: true,
    onSubmit: (event) => {
      event.preventDefault();
      actions.saveKey(m);
    },
  },
  h('div', { class: ['field', error && 'field--error'] },
    h('label', { class: 'field__label', for: `key-select-${id}` }, `Legacy key of ${m.name}`),
    fieldError(`key-select-${id}`, error),
    h('select', { class: 'select', id: `key-select-${id}`, value: choice,
      'aria-describedby': error ? `key-select-${id}-error` : null,
      onChange: (event) => actions.chooseKey(m, event.target.value) },
    options.map(([v, label]) => h('option', { value: v }, label)))),
  h('button', { class: 'button button--secondary', type: 'submit', id: `key-save-${id}` }, 'Save Legacy Key'));
}
