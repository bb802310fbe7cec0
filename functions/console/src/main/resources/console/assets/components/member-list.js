// "Workspace Members": the member list a page at a time (Previous / Next page), filtered to idle seats
// or including removed members, exported as CSV; the table and its rows are member-table.js.

import { focusAfterRender, h } from '../lib/dom.js';
import { can, get } from '../lib/api.js';
import { exportCsv } from '../lib/csv-export.js';
import { fieldError } from './field.js';
import { memberTable } from './member-table.js';

export const PAGE_SIZE = 25;

/** The list's part of the page state. */
export const memberListState = () => ({
  members: null, membersError: null, nextCursor: null, cursors: [null], pageIndex: 0, showRemoved: false,
  idleOnly: false, idleDays: null, exporting: null, exportError: null,
});

/** The filter of the list as query parameters (idle seats only, or removed members too). */
function filter(state) {
  const query = new URLSearchParams();
  if (state.idleOnly) {
    query.set('idle', 'true');
  } else if (state.showRemoved) {
    query.set('includeRemoved', 'true');
  }
  return query;
}

/**
 * @param ctx {store, base, workspace, names (memberId → name, filled in here)}
 * @return the list's actions; loadPage(cursor, pageIndex, cursors) loads a page, reloadPage() the current one
 */
export function memberListActions({ store, base, workspace, names }) {
  async function loadPage(cursor, pageIndex, cursors) {
    const query = filter(store.state);
    query.set('limit', String(PAGE_SIZE));
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
  const actions = {
    loadPage,
    reloadPage: () => loadPage(store.state.cursors[store.state.pageIndex], store.state.pageIndex, store.state.cursors),
    toggleShowRemoved(on) {
      store.set({ showRemoved: on, expanded: null });
      loadPage(null, 0, [null]);
    },
    toggleIdleOnly(on) {
      store.set({ idleOnly: on, expanded: null });
      loadPage(null, 0, [null]);
    },
    showIdle() {
      focusAfterRender('show-idle');
      actions.toggleIdleOnly(true);
    },
    async exportMembers() {
      const s = store.state;
      const query = filter(s);
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
    nextPage() {
      const s = store.state;
      if (s.nextCursor) {
        loadPage(s.nextCursor, s.pageIndex + 1, [...s.cursors.slice(0, s.pageIndex + 1), s.nextCursor]);
      }
    },
    previousPage() {
      const s = store.state;
      if (s.pageIndex > 0) {
        loadPage(s.cursors[s.pageIndex - 1], s.pageIndex - 1, s.cursors);
      }
    },
  };
  return actions;
}

/**
 * @param state   the page state (the list's part, access, summary, keys and the rows' drafts and errors)
 * @param actions the list's actions and the rows' (member-actions.js)
 */
export function memberList(state, actions) {
  const mayAssign = can(state.access, 'licenses:assign');
  const blocked = mayAssign && state.summary && !state.summary.canAssign;
  return h('section', { class: 'card', 'aria-labelledby': 'members-title' },
    h('div', { class: 'card__header' },
      h('h2', { id: 'members-title' }, 'Workspace Members'),
      h('div', { class: 'card__tools' },
        toggle('show-idle', 'Show Idle Seats Only', state.idleOnly, false, actions.toggleIdleOnly),
        toggle('show-removed', 'Show Removed', state.showRemoved && !state.idleOnly, state.idleOnly,
          actions.toggleShowRemoved),
        h('button', { class: 'button button--secondary button--small', type: 'button', id: 'export-members',
          disabled: Boolean(state.exporting), 'aria-describedby': state.exportError ? 'export-members-error' : null,
          onClick: actions.exportMembers }, 'Export CSV'))),
    state.exporting ? h('p', { class: 'loading', role: 'status' }, state.exporting) : null,
    fieldError('export-members', state.exportError),
    state.idleOnly ? h('p', { class: 'hint', id: 'idle-filter-note' }, `Members whose license had no activation for `
      + `${state.idleDays ?? state.summary?.idle?.days ?? 30} days, longest idle first.`) : null,
    blocked ? h('p', { class: 'notice', id: 'assign-reason' }, state.summary.reason) : null,
    state.membersError ? h('p', { class: 'field-error', role: 'alert' }, state.membersError) : null,
    state.members === null ? h('p', { class: 'loading' }, 'Loading members…') : memberTable(state, mayAssign, blocked, actions),
    pager(state, actions));
}

function toggle(id, label, checked, disabled, onToggle) {
  return h('div', { class: 'switch' },
    h('input', { class: 'switch__input', type: 'checkbox', role: 'switch', id, checked, disabled,
      onChange: (event) => onToggle(event.target.checked) }),
    h('label', { class: 'switch__label', for: id }, label));
}

function pager(state, actions) {
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

/** A workspace name as part of a file name. */
function fileSafe(name) {
  return String(name).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'workspace';
}
