// The audit log of a workspace (audit:read): every change, newest first, page by page; "Export CSV" saves all
// of it as one file (the API's CSV pages, followed one after the other).

import { h, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { enc, get } from '../lib/api.js';
import { time } from '../lib/format.js';
import { exportCsv } from '../lib/csv-export.js';
import { fieldError } from '../components/field.js';

export function mount(main, { workspace }) {
  const base = `/workspaces/${enc(workspace.id)}/audit`;
  const store = createStore({ entries: null, next: null, error: null, exporting: null, exportError: null, status: '' });
  let alive = true;

  const draw = (s) => {
    if (!alive) {
      return;
    }
    document.title = `Audit Log – ${workspace.name}`;
    render(main,
      h('h1', null, 'Audit Log', h('span', { class: 'h1__context' }, workspace.name)),
      h('p', { class: 'status', role: 'status', id: 'status' }, s.status),
      h('section', { class: 'card', 'aria-labelledby': 'audit-title' },
        h('div', { class: 'card__header' },
          h('h2', { id: 'audit-title', class: 'visually-hidden' }, 'Changes, newest first'),
          h('button', { class: 'button button--secondary button--small', type: 'button', id: 'export-audit',
            disabled: Boolean(s.exporting), 'aria-describedby': s.exportError ? 'export-audit-error' : null,
            onClick: exportAll }, 'Export CSV')),
        s.exporting ? h('p', { class: 'loading' }, s.exporting) : null,
        fieldError('export-audit', s.exportError),
        s.error ? h('p', { class: 'field-error', role: 'alert' }, s.error) : null,
        s.entries === null ? h('p', { class: 'loading' }, 'Loading the audit log…')
          : s.entries.length === 0 ? h('p', null, 'Nothing has been recorded yet.')
            : h('table', { class: 'table', id: 'audit' },
              h('caption', { class: 'visually-hidden' }, 'Audit log, newest first'),
              h('thead', null, h('tr', null, ['When', 'Who', 'What', 'Target', 'Details']
                .map((c) => h('th', { scope: 'col' }, c)))),
              h('tbody', null, s.entries.map((e) => h('tr', null,
                h('td', null, time(e.at)),
                h('td', null, e.actor?.email || e.actor?.id || '—'),
                h('td', null, h('code', null, e.action)),
                h('td', null, h('code', null, e.target || '')),
                h('td', null, details(e.details)))))),
        s.next ? h('button', { class: 'button button--secondary', type: 'button', id: 'audit-more',
          onClick: () => load(s.next) }, 'Show older entries') : null));
  };
  async function exportAll() {
    store.set({ exporting: 'Exporting…', exportError: null });
    try {
      const rows = await exportCsv(base, `audit-${workspace.id}.csv`,
        (pages, n) => store.set({ exporting: `Exporting… ${n} entries` }));
      store.set({ exporting: null, status: `Exported ${rows} audit entr${rows === 1 ? 'y' : 'ies'} as CSV.` });
    } catch (e) {
      store.set({ exporting: null, exportError: e.detail });
    }
  }

  store.subscribe(draw);
  draw(store.state);

  async function load(cursor) {
    try {
      const page = await get(`${base}?limit=50${cursor ? `&cursor=${enc(cursor)}` : ''}`);
      store.set((s) => ({ entries: [...(cursor ? s.entries : []), ...page.items], next: page.nextCursor || null, error: null }));
    } catch (e) {
      store.set((s) => ({ entries: s.entries || [], error: e.detail }));
    }
  }
  load(null);

  return () => {
    alive = false;
  };
}

function details(map) {
  const entries = Object.entries(map || {}).filter(([, v]) => v !== '');
  return entries.length === 0 ? '' : h('dl', { class: 'inline-facts' },
    entries.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}
