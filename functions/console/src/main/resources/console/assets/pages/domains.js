// Email domains of a workspace (admins only): add a domain, publish the TXT record it shows, verify it.
// People an identity provider provisions with an email of a verified domain join at their first sign-in;
// everyone else is asked first. A domain is checked again daily and lapses 7 days after its record is gone.

import { focusAfterRender, h, idPart, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { del, enc, get, post } from '../lib/api.js';
import { time } from '../lib/format.js';
import { errorSummary } from '../components/error-summary.js';
import { fieldError, textField } from '../components/field.js';

const STATUS = { VERIFIED: ['Verified', 'badge--ok'], PENDING: ['Not verified', 'badge--invited'],
  LAPSED: ['Lapsed', 'badge--removed'] };

export function mount(main, { workspace }) {
  const base = `/workspaces/${enc(workspace.id)}/domains`;
  const store = createStore({ domains: null, loadError: null, name: '', addError: null, rowErrors: {},
    confirmRemove: null, busy: null, status: '' });
  let alive = true;

  const draw = (s) => {
    if (!alive) {
      return;
    }
    document.title = `Domains – ${workspace.name}`;
    render(main,
      h('h1', null, 'Domains', h('span', { class: 'h1__context' }, workspace.name)),
      h('p', { class: 'status', role: 'status', id: 'status' }, s.status),
      h('p', { class: 'lead' }, 'People your identity provider provisions with an email of a verified domain join '
        + 'at their first sign-in. Anyone else it provisions is asked whether to join. Verify a domain by publishing '
        + 'a DNS TXT record; it is checked again every day, and stops being verified 7 days after the record is gone.'),
      h('div', { class: 'layout' },
        h('div', { class: 'layout__side' }, addSection(s)),
        h('div', { class: 'layout__main' }, listSection(s))));
  };
  store.subscribe(draw);
  draw(store.state);

  async function load() {
    try {
      store.set({ domains: (await get(base)).items, loadError: null });
    } catch (e) {
      store.set({ domains: [], loadError: e.detail });
    }
  }
  load();

  async function add(event) {
    event.preventDefault();
    const name = store.state.name.trim();
    store.set({ addError: null });
    try {
      const added = await post(base, { domain: name });
      store.set({ name: '', status: `${added.domain} was added. Publish its TXT record, then verify it.` });
      focusAfterRender(`domain-${idPart(added.domain)}`);
    } catch (e) {
      store.set({ addError: e.detail });
      focusAfterRender('add-domain-errors');
    }
    await load();
  }

  async function verify(d) {
    store.set((s) => ({ busy: d.domain, rowErrors: { ...s.rowErrors, [d.domain]: null } }));
    try {
      const checked = await post(`${base}/${enc(d.domain)}/verify`);
      store.set({ status: `${checked.domain}: ${checked.detail}` });
    } catch (e) {
      store.set((s) => ({ rowErrors: { ...s.rowErrors, [d.domain]: e.detail } }));
    }
    store.set({ busy: null });
    focusAfterRender(`domain-verify-${idPart(d.domain)}`);
    await load();
  }

  async function remove(d) {
    store.set({ confirmRemove: null });
    try {
      await del(`${base}/${enc(d.domain)}`);
      store.set({ status: `${d.domain} was removed. People of it are asked before they join from now on.` });
      focusAfterRender('domains-title');
    } catch (e) {
      store.set((s) => ({ rowErrors: { ...s.rowErrors, [d.domain]: e.detail } }));
    }
    await load();
  }

  function addSection(s) {
    return h('section', { class: 'card', 'aria-labelledby': 'add-domain-title' },
      h('h2', { id: 'add-domain-title' }, 'Add a domain'),
      errorSummary('add-domain-errors', s.addError ? [{ field: 'domain-name', message: s.addError }] : []),
      h('form', { novalidate: true, onSubmit: add },
        textField({ id: 'domain-name', label: 'Domain', hint: 'For example example.com (an internationalised domain in '
          + 'its xn-- form).', value: s.name, error: s.addError, spellcheck: false,
        onInput: (value) => store.quietly({ name: value }) }),
        h('button', { class: 'button', type: 'submit', id: 'add-domain' }, 'Add Domain')));
  }

  function listSection(s) {
    return h('section', { class: 'card', 'aria-labelledby': 'domains-title' },
      h('h2', { id: 'domains-title', tabindex: '-1' }, 'Your domains'),
      s.loadError ? h('p', { class: 'field-error', role: 'alert' }, s.loadError) : null,
      s.domains === null ? h('p', { class: 'loading' }, 'Loading domains…')
        : s.domains.length === 0 ? h('p', { id: 'no-domains' }, 'No domains yet.')
          : h('ul', { class: 'changes', id: 'domains' }, s.domains.map((d) => domain(d, s))));
  }

  function domain(d, s) {
    const id = idPart(d.domain);
    const [label, badge] = STATUS[d.status] || [d.status, 'badge--muted'];
    return h('li', { class: 'change', id: `domain-${id}`, tabindex: '-1', 'aria-labelledby': `domain-title-${id}` },
      h('h3', { id: `domain-title-${id}` }, d.domain, ' ', h('span', { class: ['badge', badge] }, label)),
      h('dl', { class: 'inline-facts' },
        h('dt', null, 'Record type'), h('dd', null, d.record.type),
        h('dt', null, 'Name'), h('dd', null, h('code', { id: `domain-record-name-${id}` }, d.record.name)),
        h('dt', null, 'Value'), h('dd', null, h('code', { id: `domain-record-value-${id}` }, d.record.value)),
        d.verifiedAt ? [h('dt', null, 'Verified'), h('dd', null, time(d.verifiedAt))] : null,
        d.lapsesAt ? [h('dt', null, 'Lapses'), h('dd', null, time(d.lapsesAt), ' unless the record is seen again')] : null,
        h('dt', null, 'Last check'), h('dd', null, d.checkedAt ? time(d.checkedAt) : 'Never'),
        h('dt', null, 'Added by'), h('dd', null, d.addedBy || '—')),
      h('p', { id: `domain-detail-${id}` }, d.detail),
      s.confirmRemove === d.domain
        ? h('div', { class: 'confirm', role: 'group', 'aria-labelledby': `remove-q-${id}` },
          h('p', { id: `remove-q-${id}` }, `Remove ${d.domain}? People of it that your identity provider provisions `
            + 'are asked before they join from then on.'),
          h('button', { class: 'button button--warning button--small', type: 'button', id: `domain-remove-confirm-${id}`,
            onClick: () => remove(d) }, 'Confirm Remove'),
          h('button', { class: 'button button--secondary button--small', type: 'button', onClick: () => {
            focusAfterRender(`domain-remove-${id}`);
            store.set({ confirmRemove: null });
          } }, 'Cancel'))
        : h('div', { class: 'actions' },
          h('button', { class: 'button button--small', type: 'button', id: `domain-verify-${id}`,
            'aria-label': `Verify ${d.domain}`, disabled: s.busy === d.domain, onClick: () => verify(d) },
          s.busy === d.domain ? 'Checking…' : 'Verify'),
          h('button', { class: 'button button--secondary button--small', type: 'button', id: `domain-remove-${id}`,
            'aria-label': `Remove ${d.domain}`, onClick: () => {
              focusAfterRender(`domain-remove-confirm-${id}`);
              store.set({ confirmRemove: d.domain });
            } }, 'Remove')),
      fieldError(`domain-verify-${id}`, s.rowErrors[d.domain]));
  }

  return () => {
    alive = false;
  };
}
