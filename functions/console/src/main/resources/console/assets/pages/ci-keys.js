// CI keys of a workspace (ci-keys:manage): create (the key is shown once, here, and kept nowhere
// else), the list with its creators, last use and activations per month, rotate (a new key shown once; the old
// one stops at once or keeps working for a chosen overlap, shown in its row with "End now"), revoke with a
// confirmation. A key whose creator is no longer an admin is marked: it keeps working (it is the workspace's),
// and revoking it is at hand in its row.

import { focusAfterRender, h, idPart, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { del, enc, get, post } from '../lib/api.js';
import { time } from '../lib/format.js';
import { errorSummary } from '../components/error-summary.js';
import { fieldError, textField } from '../components/field.js';
import { overlapChoice, overlapNotice, overlapStatus } from '../components/overlap.js';

export function mount(main, { workspace }) {
  const base = `/workspaces/${enc(workspace.id)}/ci-keys`;
  const store = createStore({ keys: null, error: null, name: '', formError: null, created: null, confirm: null,
    rotating: null, overlapHours: '0', rowErrors: {}, status: '' });
  let alive = true;

  const draw = (s) => {
    if (!alive) {
      return;
    }
    document.title = `CI Keys – ${workspace.name}`;
    render(main,
      h('h1', null, 'CI Keys', h('span', { class: 'h1__context' }, workspace.name)),
      h('p', { class: 'status', role: 'status', id: 'status' }, s.status),
      h('p', { class: 'lead' }, 'CI keys belong to the workspace, not to a person, and are the only credential '
        + 'that activates LocalStack in CI. Set one as LOCALSTACK_AUTH_TOKEN in your pipeline\'s secrets. A key whose '
        + 'creator is no longer an admin keeps working and is marked: revoke it if nobody vouches for it any more.'),
      h('div', { class: 'layout' },
        h('div', { class: 'layout__side' }, createSection(s)),
        h('div', { class: 'layout__main' }, listSection(s))));
  };
  store.subscribe(draw);
  draw(store.state);

  async function load() {
    try {
      store.set({ keys: (await get(base)).items, error: null });
    } catch (e) {
      store.set({ keys: [], error: e.detail });
    }
  }
  load();

  async function create() {
    try {
      const created = await post(base, { name: store.state.name.trim() });
      focusAfterRender('new-ci-key-title');
      store.set({ created, name: '', formError: null, status: `The CI key "${created.name}" was created.` });
    } catch (e) {
      focusAfterRender('ci-key-summary');
      store.set({ formError: e.detail });
    }
    await load();
  }

  async function rotate(k) {
    const hours = Number(store.state.overlapHours);
    store.set((s) => ({ rotating: null, rowErrors: { ...s.rowErrors, [`${k.id}-rotate`]: null } }));
    try {
      const rotated = await post(`${base}/${enc(k.id)}/rotate`, hours > 0 ? { overlapHours: hours } : undefined);
      focusAfterRender('new-ci-key-title');
      store.set({ created: rotated, overlapHours: '0',
        status: `The CI key "${k.name}" has a new key. ${overlapStatus(rotated.previous, 'key')}` });
    } catch (e) {
      focusAfterRender(`rotate-${idPart(k.id)}`);
      store.set((s) => ({ rowErrors: { ...s.rowErrors, [`${k.id}-rotate`]: e.detail } }));
    }
    await load();
  }

  async function endOverlap(k) {
    store.set((s) => ({ rowErrors: { ...s.rowErrors, [`${k.id}-end`]: null } }));
    try {
      await del(`${base}/${enc(k.id)}/previous`);
      focusAfterRender(`rotate-${idPart(k.id)}`);
      store.set({ status: `The old key of "${k.name}" no longer works.` });
    } catch (e) {
      store.set((s) => ({ rowErrors: { ...s.rowErrors, [`${k.id}-end`]: e.detail } }));
    }
    await load();
  }

  async function revoke(k) {
    store.set((s) => ({ confirm: null, rowErrors: { ...s.rowErrors, [k.id]: null } }));
    try {
      await del(`${base}/${enc(k.id)}`);
      store.set({ status: `The CI key "${k.name}" was revoked; it no longer activates.` });
    } catch (e) {
      store.set((s) => ({ rowErrors: { ...s.rowErrors, [k.id]: e.detail } }));
    }
    focusAfterRender('ci-key-name');
    await load();
  }

  function createSection(s) {
    return h('section', { class: 'card', 'aria-labelledby': 'create-ci-key-title' },
      h('h2', { id: 'create-ci-key-title' }, 'Create a CI key'),
      s.created ? createdPanel(s.created) : null,
      h('form', {
        class: 'form', id: 'ci-key-form', novalidate: true,
        onSubmit: (event) => {
          event.preventDefault();
          create();
        },
      },
      errorSummary('ci-key-summary', s.formError ? [{ field: 'ci-key-name', message: s.formError }] : []),
      textField({ id: 'ci-key-name', label: 'Name', hint: 'Where it is used, e.g. "GitHub Actions".', value: s.name,
        error: s.formError, onInput: (v) => store.quietly({ name: v }) }),
      h('button', { class: 'button', type: 'submit', id: 'ci-key-create' }, 'Create CI Key')));
  }

  function createdPanel(created) {
    return h('div', { class: 'panel panel--secret', role: 'region', 'aria-labelledby': 'new-ci-key-title' },
      h('h3', { id: 'new-ci-key-title', tabindex: '-1' },
        created.rotatedAt ? `New key for the CI key "${created.name}"` : `New CI key "${created.name}"`),
      h('p', null, 'Copy it now: this is the only time it is shown. Only its hash is stored.'),
      h('p', null, h('code', { class: 'secret', id: 'new-ci-key' }, created.key)),
      h('div', { class: 'actions' },
        h('button', { class: 'button button--secondary', type: 'button', id: 'new-ci-key-copy',
          onClick: () => navigator.clipboard.writeText(created.key).then(
            () => store.set({ status: 'The CI key was copied to the clipboard.' }),
            () => store.set({ status: 'Copying is not allowed here; select the key and copy it.' })) }, 'Copy Key'),
        h('button', { class: 'button button--secondary', type: 'button', id: 'new-ci-key-done',
          onClick: () => {
            focusAfterRender('ci-key-name');
            store.set({ created: null });
          } }, 'Done')));
  }

  function listSection(s) {
    return h('section', { class: 'card', 'aria-labelledby': 'ci-keys-title' },
      h('h2', { id: 'ci-keys-title' }, 'CI keys of the workspace'),
      s.error ? h('p', { class: 'field-error', role: 'alert' }, s.error) : null,
      s.keys === null ? h('p', { class: 'loading' }, 'Loading CI keys…')
        : s.keys.length === 0 ? h('p', null, 'No CI keys yet.')
          : h('table', { class: 'table', id: 'ci-keys' },
            h('caption', { class: 'visually-hidden' }, 'CI keys'),
            h('thead', null, h('tr', null, ['Name', 'Key', 'Created', 'Created by', 'Status', 'Last use', 'Activations per month', 'Actions']
              .map((c) => h('th', { scope: 'col' }, c)))),
            h('tbody', null, s.keys.map((k) => [row(k, s), k.previous ? overlapRow(k, s) : null]))));
  }

  function creator(k) {
    const c = k.creator;
    if (!c) {
      return '—';
    }
    const who = c.name && c.email ? `${c.name} (${c.email})` : c.email || c.name || 'an unknown account';
    const mark = !c.noLongerAdmin ? null
      : h('span', { class: 'badge badge--warning', id: `ci-key-mark-${idPart(k.id)}` },
        c.status === 'REMOVED' ? 'No longer a member' : 'Not an admin now');
    return [who, mark ? ' ' : null, mark];
  }

  function row(k, s) {
    const id = idPart(k.id);
    const months = Object.entries(k.lastActivation?.activationsPerMonth || {}).sort().reverse().slice(0, 3);
    return h('tr', { id: `ci-key-${id}`, class: k.previous ? 'has-overlap' : null },
      h('th', { scope: 'row' }, k.name),
      h('td', null, h('code', null, k.hint)),
      h('td', null, time(k.createdAt)),
      h('td', { id: `ci-key-creator-${id}` }, creator(k)),
      h('td', null, h('span', { class: ['badge', k.status === 'ACTIVE' ? 'badge--ok' : 'badge--muted'] }, k.status)),
      h('td', null, k.lastActivation?.at ? time(k.lastActivation.at) : 'Never'),
      h('td', null, months.length ? months.map(([month, n]) => `${month}: ${n}`).join(', ') : '—'),
      h('td', null,
        k.status !== 'ACTIVE' ? null
          : s.rotating === k.id ? rotateConfirm(k, id, s)
            : s.confirm === k.id
              ? h('div', { class: 'confirm', role: 'group', 'aria-labelledby': `revoke-q-${id}` },
                h('p', { id: `revoke-q-${id}` }, `Revoke "${k.name}"? Pipelines using it stop activating at once.`
                  + (k.creator?.noLongerAdmin ? ' Its creator is no longer an admin of this workspace.' : '')),
                h('button', { class: 'button button--warning button--small', type: 'button', id: `revoke-confirm-${id}`,
                  onClick: () => revoke(k) }, 'Confirm Revoke'),
                h('button', { class: 'button button--secondary button--small', type: 'button',
                  onClick: () => {
                    focusAfterRender(`revoke-${id}`);
                    store.set({ confirm: null });
                  } }, 'Cancel'))
              : h('div', { class: 'actions' },
                h('button', { class: 'button button--secondary button--small', type: 'button', id: `rotate-${id}`,
                  'aria-label': `Rotate CI key ${k.name}`, onClick: () => {
                    focusAfterRender(`overlap-${id}`);
                    store.set({ rotating: k.id, confirm: null, overlapHours: '0' });
                  } }, 'Rotate'),
                h('button', { class: 'button button--warning button--small', type: 'button', id: `revoke-${id}`,
                  'aria-label': `Revoke CI key ${k.name}`, onClick: () => {
                    focusAfterRender(`revoke-confirm-${id}`);
                    store.set({ confirm: k.id, rotating: null });
                  } }, 'Revoke')),
        fieldError(`rotate-${id}`, s.rowErrors[`${k.id}-rotate`]),
        fieldError(`revoke-${id}`, s.rowErrors[k.id])));
  }

  // The old key of a rotation's overlap, in a row of its own under the key's: until when it works, "End now".
  function overlapRow(k, s) {
    const id = idPart(k.id);
    return h('tr', { class: 'overlap-row', id: `ci-key-overlap-row-${id}` },
      h('td', { colspan: '8' }, overlapNotice({ id: `ci-key-overlap-${id}`, what: 'key', previous: k.previous,
        label: `End now: stop the old key of ${k.name}`, onEnd: () => endOverlap(k),
        error: s.rowErrors[`${k.id}-end`] })));
  }

  function rotateConfirm(k, id, s) {
    return h('div', { class: 'confirm', role: 'group', 'aria-labelledby': `rotate-q-${id}` },
      h('p', { id: `rotate-q-${id}` }, `Rotate "${k.name}"? It gets a new key, shown once.`),
      overlapChoice({ id: `overlap-${id}`, what: 'key', value: s.overlapHours,
        onChange: (v) => store.quietly({ overlapHours: v }) }),
      h('button', { class: 'button button--warning button--small', type: 'button', id: `rotate-confirm-${id}`,
        onClick: () => rotate(k) }, 'Confirm Rotation'),
      h('button', { class: 'button button--secondary button--small', type: 'button',
        onClick: () => {
          focusAfterRender(`rotate-${id}`);
          store.set({ rotating: null });
        } }, 'Cancel'));
  }

  return () => {
    alive = false;
  };
}
