// The table of "Workspace Members": a row per member (name opening their details, email, status, role,
// license with assign / unassign, legacy key, last activation and how long the seat is idle). Pure: a
// function of the page's state and its actions.

import { h, idPart } from '../lib/dom.js';
import { time } from '../lib/format.js';
import { fieldError } from './field.js';
import { memberDetails, roleText } from './member-details.js';

const COLUMNS = ['Name', 'Email', 'Status', 'Role', 'License', 'Legacy key', 'Last activation'];

/**
 * @param state     {members, idleOnly, showRemoved, idleDays, summary, keys, expanded, rowErrors, …}
 * @param mayAssign whether the caller may assign licenses
 * @param blocked   whether the pool has no seat to assign (the summary's reason says why)
 * @param actions   {toggle, assign, unassign} and memberDetails' actions
 */
export function memberTable(state, mayAssign, blocked, actions) {
  const keyById = Object.fromEntries((state.keys || []).map((k) => [k.id, k]));
  return h('table', { class: 'table table--members', id: 'members' },
    h('caption', { class: 'visually-hidden' }, 'Workspace members'),
    h('thead', null, h('tr', null, COLUMNS.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, state.members.length === 0
      ? h('tr', null, h('td', { colspan: '7' }, state.idleOnly ? 'No idle seats.'
        : state.showRemoved ? 'No members.' : 'No members (removed ones are hidden).'))
      : state.members.map((m) => memberRows(m, state, { mayAssign, blocked, keyById, actions }))));
}

function memberRows(m, state, { mayAssign, blocked, keyById, actions }) {
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
    h('td', null, licenseCell(m, id, mayAssign, blocked, actions), fieldError(`license-${id}`, error)),
    h('td', null, m.legacyKeyId ? h('code', null, key ? key.masked : 'legacy key') : '—'),
    h('td', null, m.lastActivation ? time(m.lastActivation.at) : '—', idleBadge(m, state)))];
  if (open) {
    rows.push(h('tr', { class: 'details-row' }, h('td', { colspan: '7' }, memberDetails(m, state, actions))));
  }
  return rows;
}

/** INVITED, ACTIVE, REMOVED; "PROVISIONED" for a member an identity provider created who has not signed in yet. */
function statusBadge(m) {
  return m.provisioning?.awaitingSignIn
    ? h('span', { class: ['badge', 'badge--invited'], title: 'Created by the identity provider; active at their first sign-in' },
      'PROVISIONED')
    : h('span', { class: ['badge', `badge--${m.status.toLowerCase()}`] }, m.status);
}

/** "Idle for N days" for a license idle by the workspace's idle days. */
function idleBadge(m, state) {
  const threshold = state.idleDays ?? state.summary?.idle?.days;
  if (!m.licensed || m.idleDays === undefined || threshold === undefined || m.idleDays < threshold) {
    return null;
  }
  return h('span', { class: ['badge', 'badge--idle'] }, `idle for ${m.idleDays} day${m.idleDays === 1 ? '' : 's'}`);
}

function licenseCell(m, id, mayAssign, blocked, actions) {
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
