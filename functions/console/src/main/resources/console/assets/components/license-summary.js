// The "Licenses" section's numbers: subscriptions (plan, seats, period, status) and the seat
// summary: seats, in use (legacy keys included), free, licensed members, legacy keys, members
// holding both, idle seats (as the daily job counted them). Pure: a function of the summary the API answered.

import { h } from '../lib/dom.js';
import { time } from '../lib/format.js';

/** @param actions {showIdle()} when the page can filter its member list to idle seats (optional) */
export function licenseSummary(summary, error, actions) {
  if (error) {
    return h('p', { class: 'field-error', role: 'alert' }, error);
  }
  if (!summary) {
    return h('p', { class: 'loading' }, 'Loading licenses…');
  }
  const stat = (label, value, id) => h('div', { class: 'stat' },
    h('dt', { class: 'stat__label' }, label), h('dd', { class: 'stat__value', id }, String(value)));
  return [
    summary.plans.length === 0
      ? h('p', null, 'The workspace has no subscription yet.')
      : h('table', { class: 'table', id: 'plans' },
        h('caption', { class: 'visually-hidden' }, 'Subscriptions'),
        h('thead', null, h('tr', null, ['Plan', 'Seats', 'Licensed', 'Period', 'Status'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, summary.plans.map((p) => h('tr', null,
          // The name is also the subscription's license group in SCIM ("Team (sub_…)").
          h('td', null, p.name || p.plan), h('td', null, String(p.seats)), h('td', null, String(p.licensed ?? '—')),
          h('td', null, time(p.periodStart, true), ' – ', time(p.periodEnd, true)),
          h('td', null, h('span', { class: ['badge', p.status === 'ACTIVE' ? 'badge--ok' : 'badge--muted'] }, p.status)))))),
    h('dl', { class: 'stats', 'aria-label': 'Seats' },
      stat('Seats', summary.seats, 'stat-seats'),
      stat('In use', summary.inUse, 'stat-in-use'),
      stat('Free', summary.free, 'stat-free'),
      stat('Licensed members', summary.licensed, 'stat-licensed'),
      stat('Legacy keys assigned', summary.legacyKeys.assigned, 'stat-keys-assigned'),
      stat('Legacy keys unassigned', summary.legacyKeys.unassigned, 'stat-keys-unassigned'),
      stat('Members holding both', summary.membersWithLicenseAndKey, 'stat-both'),
      summary.idle ? stat('Idle seats', summary.idle.count ?? '—', 'stat-idle') : null),
    summary.idle ? idleLine(summary.idle, actions) : null,
  ];
}

/** What "idle" means here, when it was counted (the daily job counts; the members list filter is live). */
function idleLine(idle, actions) {
  return h('div', { class: 'idle-line' },
    h('p', { class: 'hint', id: 'idle-note' }, `Idle: no activation for ${idle.days} days; `,
      idle.asOf ? ['counted ', time(idle.asOf), '.'] : 'not counted yet (the daily run counts them).'),
    actions?.showIdle ? h('button', { class: 'button button--secondary button--small', type: 'button', id: 'show-idle-seats',
      onClick: actions.showIdle }, 'Show idle seats') : null);
}
