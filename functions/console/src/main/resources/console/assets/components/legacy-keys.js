// Legacy API keys (for holders of legacy-keys:manage): the imported keys, masked, with their
// holder and last activation; import (one per line), unassign (give to nobody: the key still
// holds a seat) and delete (with a confirmation). Assigning a key to a member is done in the
// member's details.

import { focusAfterRender, h, idPart } from '../lib/dom.js';
import { ApiError, del, enc, get, post, put } from '../lib/api.js';
import { time } from '../lib/format.js';
import { errorSummary } from './error-summary.js';
import { fieldError, textArea } from './field.js';

/** The keys' part of the page state; keys stay undefined (never loaded) for whom does not manage them. */
export const legacyKeysState = (manages) => ({
  keys: manages ? null : undefined, keysError: null, importForm: { text: '', error: null }, keyErrors: {},
  confirmDeleteKey: null,
});

/**
 * @param ctx {store, base, reload: {members(), summary()}}
 * @return the keys' actions; loadKeys() (re)loads the list
 */
export function legacyKeysActions({ store, base, reload }) {
  const keys = `${base}/legacy-keys`;
  const loadKeys = async () => {
    try {
      store.set({ keys: (await get(keys)).items, keysError: null });
    } catch (e) {
      store.set({ keys: [], keysError: e.detail });
    }
  };
  const keyError = (k, message) => store.set((s) => ({ keyErrors: { ...s.keyErrors, [k.id]: message } }));
  return {
    loadKeys,
    typeImport(text) {
      store.quietly({ importForm: { ...store.state.importForm, text } });
    },
    async importKeys() {
      const typed = store.state.importForm.text.split(/\s+/).map((k) => k.trim()).filter(Boolean);
      try {
        if (typed.length === 0) {
          throw new ApiError(0, 'empty', 'Enter at least one legacy key.');
        }
        const imported = await post(keys, { keys: typed.map((key) => ({ key })) });
        store.set({ importForm: { text: '', error: null },
          status: `${imported.items.length} legacy key${imported.items.length === 1 ? ' was' : 's were'} imported.` });
      } catch (e) {
        focusAfterRender('import-keys-summary');
        store.set({ importForm: { ...store.state.importForm, error: e.detail } });
      }
      await Promise.all([loadKeys(), reload.summary()]);
    },
    async unassignKey(k) {
      keyError(k, null);
      try {
        await put(`${keys}/${enc(k.id)}/assignee`, { memberId: null });
        store.set({ status: `${k.masked} is assigned to nobody now; it still holds a seat.` });
      } catch (e) {
        keyError(k, e.detail);
      }
      await Promise.all([loadKeys(), reload.summary(), reload.members()]);
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
        await del(`${keys}/${enc(k.id)}`);
        focusAfterRender('import-keys');
        store.set({ status: `${k.masked} was deleted.` });
      } catch (e) {
        keyError(k, e.detail);
      }
      await Promise.all([loadKeys(), reload.summary(), reload.members()]);
    },
  };
}

/**
 * @param state   {keys, keysError, importForm: {text, error}, keyErrors, confirmDeleteKey}
 * @param names   memberId → display name (of the members loaded so far)
 * @param actions {importKeys, typeImport, unassignKey, askDeleteKey, deleteKey, cancelDeleteKey}
 */
export function legacyKeys(state, names, actions) {
  const form = state.importForm;
  return h('section', { class: 'card', 'aria-labelledby': 'legacy-keys-title' },
    h('h2', { id: 'legacy-keys-title' }, 'Legacy API Keys'),
    h('p', { class: 'hint' }, 'Keys from before auth tokens, imported for the migration. Assign a key to a member in the '
      + 'member\'s details; once they hold a license and use their auth token, delete it.'),
    h('div', { class: 'split' }, h('div', { class: 'split__main' },
    state.keysError ? h('p', { class: 'field-error', role: 'alert' }, state.keysError) : null,
    state.keys === null ? h('p', { class: 'loading' }, 'Loading legacy keys…')
      : state.keys.length === 0 ? h('p', null, 'No legacy keys have been imported.')
        : h('table', { class: 'table', id: 'legacy-keys' },
          h('caption', { class: 'visually-hidden' }, 'Legacy API keys'),
          h('thead', null, h('tr', null,
            ['Key', 'Assigned to', 'Last activation', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, state.keys.map((k) => keyRow(k, state, names, actions))))),
    h('form', {
      class: 'form split__side', id: 'import-keys-form', novalidate: true,
      onSubmit: (event) => {
        event.preventDefault();
        actions.importKeys();
      },
    },
    errorSummary('import-keys-summary', form.error ? [{ field: 'import-keys', message: form.error }] : []),
    textArea({
      id: 'import-keys', label: 'Legacy keys to import', rows: 3, value: form.text, error: form.error,
      hint: 'One key per line (up to 20): 8 to 64 letters, digits, - or _. Stored hashed and shown masked; '
        + 'each holds a seat until it is deleted.',
      onInput: actions.typeImport,
    }),
    h('button', { class: 'button', type: 'submit', id: 'import-keys-submit' }, 'Import Keys'))));
}

function keyRow(k, state, names, actions) {
  const id = idPart(k.id);
  const error = state.keyErrors[k.id];
  const confirming = state.confirmDeleteKey === k.id;
  return h('tr', { id: `key-${id}` },
    h('td', null, h('code', null, k.masked)),
    h('td', null, k.assignee ? (names[k.assignee] || 'a member') : 'Nobody'),
    h('td', null, k.lastActivation ? time(k.lastActivation.at) : 'Never'),
    h('td', null,
      confirming
        ? h('div', { class: 'confirm', role: 'group', 'aria-labelledby': `key-confirm-${id}` },
          h('p', { id: `key-confirm-${id}` }, `Delete ${k.masked}? It stops activating at once and frees its seat.`),
          h('button', { class: 'button button--warning button--small', type: 'button', id: `key-delete-confirm-${id}`,
            onClick: () => actions.deleteKey(k) }, 'Confirm Delete'),
          h('button', { class: 'button button--secondary button--small', type: 'button',
            onClick: () => actions.cancelDeleteKey(k) }, 'Cancel'))
        : h('div', { class: 'actions' },
          k.assignee ? h('button', { class: 'button button--secondary button--small', type: 'button',
            id: `key-unassign-${id}`, 'aria-label': `Unassign legacy key ${k.masked}`,
            onClick: () => actions.unassignKey(k) }, 'Unassign') : null,
          h('button', { class: 'button button--warning button--small', type: 'button', id: `key-delete-${id}`,
            'aria-label': `Delete legacy key ${k.masked}`, onClick: () => actions.askDeleteKey(k) }, 'Delete')),
      fieldError(`key-${id}`, error)));
}
