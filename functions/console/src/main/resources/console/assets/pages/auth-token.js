// The signed-in user's personal auth token: masked until revealed, copy, rotate (after a
// confirmation that offers to keep the old token working for a while, and otherwise says it stops at
// once), and the old token of such an overlap with "End now". The token is held in this page's memory
// only; leaving the page or signing out forgets it.

import { focusAfterRender, h, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { del, get, post, put } from '../lib/api.js';
import { time } from '../lib/format.js';
import { fieldError } from '../components/field.js';
import { overlapChoice, overlapNotice, overlapStatus } from '../components/overlap.js';

export function mount(main) {
  const store = createStore({ token: null, missing: false, error: null, revealed: false, confirm: false,
    rotateError: null, status: '', choice: null, picked: null, choiceError: null, overlapHours: '0', endError: null });
  let alive = true;

  const draw = (s) => {
    if (!alive) {
      return;
    }
    document.title = 'Auth Token – Users & Licenses';
    render(main,
      h('h1', null, 'Auth Token'),
      h('p', { class: 'status', role: 'status', id: 'status' }, s.status),
      h('section', { class: 'card card--narrow', 'aria-labelledby': 'token-title' },
        h('h2', { id: 'token-title' }, 'Your personal auth token'),
        h('p', null, 'LocalStack activates the license assigned to you with this token. Set it as ',
          h('code', null, 'LOCALSTACK_AUTH_TOKEN'), ' on your machine. Rotating it changes nothing about your licenses.'),
        s.error ? h('p', { class: 'field-error', role: 'alert' }, s.error) : null,
        s.missing ? h('p', null, 'You get a personal auth token when you create or join your first workspace.') : null,
        s.token ? tokenPanel(s) : (!s.error && !s.missing ? h('p', { class: 'loading' }, 'Loading your token…') : null)),
      s.choice && s.choice.items.length ? choiceSection(s) : null);
  };
  store.subscribe(draw);
  draw(store.state);

  get('/me/auth-token/workspaces').then((choice) => store.set({ choice, picked: choice.chosen }), () => {});
  get('/me/auth-token').then((token) => store.set({ token }), (e) => {
    if (e.status === 404) {
      store.set({ missing: true });
    } else {
      store.set({ error: e.detail });
    }
  });

  async function rotate() {
    const hours = Number(store.state.overlapHours);
    store.set({ confirm: false, rotateError: null });
    try {
      const token = await post('/me/auth-token/rotate', hours > 0 ? { overlapHours: hours } : undefined);
      focusAfterRender('token-reveal');
      store.set({ token, revealed: false, overlapHours: '0',
        status: `Your auth token was rotated. ${overlapStatus(token.previous, 'token')}` });
    } catch (e) {
      focusAfterRender('token-rotate');
      store.set({ rotateError: e.detail });
    }
  }

  async function endOverlap() {
    store.set({ endError: null });
    try {
      await del('/me/auth-token/previous');
      const token = await get('/me/auth-token');
      focusAfterRender('token-rotate');
      store.set({ token, status: 'Your old auth token no longer works.' });
    } catch (e) {
      store.set({ endError: e.detail });
    }
  }

  // Where the token activates when several workspaces license it: the user's choice, which no workspace changes.
  async function choose(event) {
    event.preventDefault();
    store.set({ choiceError: null });
    try {
      const choice = await put('/me/auth-token/workspace', { workspaceId: store.state.picked });
      const name = choice.items.find((w) => w.chosen)?.name;
      store.set({ choice, picked: choice.chosen, status: `Your auth token now activates in ${name}.` });
      focusAfterRender('status');
    } catch (e) {
      store.set({ choiceError: e.detail });
      focusAfterRender('token-workspace-save');
    }
  }

  function choiceSection(s) {
    const c = s.choice;
    const nameOf = (id) => c.items.find((w) => w.id === id)?.name;
    return h('section', { class: 'card card--narrow', 'aria-labelledby': 'token-workspace-title' },
      h('h2', { id: 'token-workspace-title' }, 'Where your token activates'),
      h('p', null, 'When more than one workspace gives you a license, LocalStack activates the one in the workspace '
        + 'you choose here. Until you choose, it is the first workspace you joined yourself. No workspace can change '
        + 'this for you.'),
      h('p', { id: 'token-activates-in' }, c.activatesIn
        ? ['Activations go to ', h('strong', null, nameOf(c.activatesIn) || c.activatesIn), '.']
        : 'No workspace gives you a license yet.'),
      h('form', { novalidate: true, onSubmit: choose },
        h('fieldset', { class: 'field', 'aria-describedby': s.choiceError ? 'token-workspace-save-error' : null },
          h('legend', { class: 'field__label' }, 'Activate in'),
          c.items.map((w) => h('div', { class: 'radio' },
            h('input', { type: 'radio', name: 'token-workspace', id: `token-workspace-${w.id}`, value: w.id,
              checked: s.picked === w.id, onChange: () => store.quietly({ picked: w.id }) }),
            h('label', { for: `token-workspace-${w.id}` }, w.name, ' ',
              h('span', { class: ['badge', w.licensed ? 'badge--license' : 'badge--muted'] },
                w.licensed ? 'Licensed' : 'No license'))))),
        fieldError('token-workspace-save', s.choiceError),
        h('button', { class: 'button', type: 'submit', id: 'token-workspace-save' }, 'Save Choice')));
  }

  function tokenPanel(s) {
    return [
      h('p', { class: 'token' },
        h('code', { class: 'secret', id: 'auth-token-value', 'aria-label': s.revealed ? 'Auth token' : 'Auth token, hidden' },
          s.revealed ? s.token.token : `${s.token.hint} (hidden)`)),
      h('p', { class: 'hint' }, 'Issued ', time(s.token.issuedAt), '.'),
      s.token.previous ? overlapNotice({ id: 'token-overlap', what: 'token', previous: s.token.previous,
        label: 'End now: stop your old auth token', onEnd: endOverlap, error: s.endError }) : null,
      h('div', { class: 'actions' },
        h('button', { class: 'button button--secondary', type: 'button', id: 'token-reveal', 'aria-pressed': s.revealed,
          onClick: () => store.set({ revealed: !s.revealed }) }, 'Reveal Token'),
        h('button', { class: 'button button--secondary', type: 'button', id: 'token-copy',
          onClick: () => navigator.clipboard.writeText(s.token.token).then(
            () => store.set({ status: 'Your auth token was copied to the clipboard.' }),
            () => store.set({ status: 'Copying is not allowed here; reveal the token and copy it.' })) }, 'Copy Token'),
        s.confirm ? null : h('button', { class: 'button button--warning', type: 'button', id: 'token-rotate',
          onClick: () => {
            focusAfterRender('token-rotate-confirm');
            store.set({ confirm: true });
          } }, 'Rotate Token')),
      s.confirm ? h('div', { class: 'confirm', role: 'group', 'aria-labelledby': 'rotate-q' },
        h('p', { id: 'rotate-q' }, 'Rotate your auth token? Unless you keep it working for a while, the current '
          + 'token stops working at once: every machine and script that uses it needs the new one. Your licenses '
          + 'stay as they are.'),
        overlapChoice({ id: 'token-overlap-hours', what: 'token', value: s.overlapHours,
          onChange: (v) => store.quietly({ overlapHours: v }) }),
        h('button', { class: 'button button--warning', type: 'button', id: 'token-rotate-confirm', onClick: rotate },
          'Confirm Rotation'),
        h('button', { class: 'button button--secondary', type: 'button', id: 'token-rotate-cancel',
          onClick: () => {
            focusAfterRender('token-rotate');
            store.set({ confirm: false });
          } }, 'Cancel')) : null,
      fieldError('token-rotate', s.rotateError),
    ];
  }

  return () => {
    alive = false;
  };
}
