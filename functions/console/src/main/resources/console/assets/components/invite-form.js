// "Invite Users" (members:invite): name, email and, for an admin, the role; a refused invitation names
// the field it is about (or the button, for a limit on invitation emails) in an error summary.

import { focusAfterRender, h } from '../lib/dom.js';
import { post } from '../lib/api.js';
import { errorSummary } from './error-summary.js';
import { fieldError, selectField, textField } from './field.js';

const EMPTY = { name: '', email: '', role: 'MEMBER', errors: {}, summary: [] };

// A limit on invitation emails (429: this address's or this workspace's for today) belongs to the
// "Invite User" button itself: nothing in the fields is wrong, the detail says when to try again.
const FIELD_OF = { 'invalid-email': 'invite-email', 'member-exists': 'invite-email', 'invalid-name': 'invite-name',
  'unknown-role': 'invite-role', 'cannot-grant': 'invite-role', 'invalid-access': 'invite-role',
  'recipient-invitation-limit': 'invite-submit', 'workspace-invitation-limit': 'invite-submit' };

/** The form's part of the page state. */
export const inviteState = () => ({ invite: EMPTY });

/** @param ctx {store, base, reload: {members()}} */
export function inviteActions({ store, base, reload }) {
  return {
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
        store.set({ invite: EMPTY, status: `An invitation was sent to ${member.email}.` });
        focusAfterRender('invite-name');
        await reload.members();
      } catch (e) {
        const field = FIELD_OF[e.type] || 'invite-email';
        focusAfterRender('invite-summary');
        store.set({ invite: { ...store.state.invite, errors: { [field]: e.detail }, summary: [{ field, message: e.detail }] } });
      }
    },
  };
}

/**
 * @param state   {access, invite: {name, email, role, errors, summary}}
 * @param actions {typeInvite(field, value), invite()}
 */
export function inviteForm(state, actions) {
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
