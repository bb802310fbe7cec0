// "Idle Seats and Reclaim" (admins): the seat policy (after how many days without an activation a seat is idle;
// the opt-in reclaim of seats idle for 30, 60 or 90 days) and what the next scheduled run would do with the idle
// seats. The view is a function of the page's state and the actions, which load the preview and save the policy.

import { focusAfterRender, h, idPart } from '../lib/dom.js';
import { enc, get, put } from '../lib/api.js';
import { time } from '../lib/format.js';
import { fieldError, selectField } from './field.js';

const DAYS = [['30', '30 days'], ['60', '60 days'], ['90', '90 days']];
const PREVIEW_PAGE = 25;

/** The policy's part of the page state (the form starts from the summary's seatPolicy: formFrom). */
export const seatPolicyState = () => ({ policyForm: null, preview: null, previewError: null });

/** The form for the stored policy p, unless the admin is changing the one they have (form, not saved yet). */
export function formFrom(p, form) {
  return form && !form.saved ? form : p && { idleDays: p.idleDays, reclaim: p.reclaim, reclaimDays: p.reclaimDays, error: null };
}

/**
 * @param ctx {store, base, reload: {summary(), members()}}
 * @return the policy's actions; loadPreview(cursor) loads (more of) the preview of the next run
 */
export function seatPolicyActions({ store, base, reload }) {
  async function loadPreview(cursor) {
    try {
      const page = await get(`${base}/seat-policy/reclaim-preview?limit=${PREVIEW_PAGE}${cursor ? `&cursor=${enc(cursor)}` : ''}`);
      store.set((s) => ({ previewError: null,
        preview: cursor && s.preview ? { ...page, items: [...s.preview.items, ...page.items] } : page }));
    } catch (e) {
      store.set({ previewError: e.detail });
    }
  }
  return {
    loadPreview,
    typePolicy(field, value) {
      store.set((s) => ({ policyForm: { ...s.policyForm, [field]: value, error: null, saved: false } }));
    },
    async savePolicy() {
      const form = store.state.policyForm;
      try {
        await put(`${base}/seat-policy`, { idleDays: form.idleDays, reclaim: form.reclaim, reclaimDays: form.reclaimDays });
        store.set({ policyForm: { ...form, error: null, saved: true }, status: form.reclaim
          ? `Seats idle for ${form.reclaimDays} days are reclaimed now; a seat is idle after ${form.idleDays} days.`
          : `Reclaim is off; a seat is idle after ${form.idleDays} days.` });
      } catch (e) {
        focusAfterRender('policy-submit');
        store.set({ policyForm: { ...form, error: e.detail } });
      }
      await Promise.all([reload.summary(), loadPreview(null), store.state.idleOnly ? reload.members() : null]);
    },
    morePreview() {
      if (store.state.preview?.nextCursor) {
        loadPreview(store.state.preview.nextCursor);
      }
    },
  };
}

/**
 * @param state   {summary, policyForm: {idleDays, reclaim, reclaimDays, error}, preview, previewError}
 * @param actions {typePolicy(field, value), savePolicy(), morePreview()}
 */
export function seatPolicy(state, actions) {
  const form = state.policyForm;
  const policy = state.summary?.seatPolicy;
  if (!policy || !form) {
    return null;
  }
  return h('section', { class: 'card', 'aria-labelledby': 'seat-policy-title' },
    h('h2', { id: 'seat-policy-title' }, 'Idle Seats and Reclaim'),
    h('div', { class: 'split' },
      h('div', { class: 'split__main' },
        h('h3', { id: 'preview-title' }, 'The next run'),
        preview(state, actions)),
      h('form', {
        class: 'form split__side', id: 'seat-policy-form', novalidate: true,
        onSubmit: (event) => {
          event.preventDefault();
          actions.savePolicy();
        },
      },
      selectField({ id: 'idle-days', label: 'A seat is idle after', value: String(form.idleDays),
        hint: 'Days without an activation of its license. The Licenses section counts idle seats once a day.',
        options: DAYS, onChange: (v) => actions.typePolicy('idleDays', Number(v)) }),
      h('div', { class: 'choice' },
        h('input', { class: 'choice__input', type: 'checkbox', id: 'reclaim-on', checked: form.reclaim,
          'aria-describedby': 'reclaim-on-hint', onChange: (event) => actions.typePolicy('reclaim', event.target.checked) }),
        h('label', { for: 'reclaim-on', class: 'field__label' }, 'Reclaim idle seats'),
        h('p', { class: 'choice__hint', id: 'reclaim-on-hint' }, `Off by default. Holders are told ${policy.noticeDays}`
          + ' days before by email and keep their license if they activate; admins get a digest of each run. '
          + 'Legacy keys are never reclaimed.')),
      selectField({ id: 'reclaim-days', label: 'Reclaim seats idle for', value: String(form.reclaimDays),
        options: DAYS, onChange: (v) => actions.typePolicy('reclaimDays', Number(v)) }),
      h('button', { class: 'button', type: 'submit', id: 'policy-submit',
        'aria-describedby': form.error ? 'policy-submit-error' : null }, 'Save Policy'),
      fieldError('policy-submit', form.error),
      policy.changedBy ? h('p', { class: 'hint' }, 'Last changed by ', policy.changedBy, ', ', time(policy.changedAt), '.')
        : null)));
}

function preview(state, actions) {
  if (state.previewError) {
    return h('p', { class: 'field-error', role: 'alert' }, state.previewError);
  }
  const p = state.preview;
  if (!p) {
    return h('p', { class: 'loading' }, 'Loading the preview…');
  }
  const count = (action) => p.items.filter((i) => i.action === action).length;
  const lead = p.policy.reclaim
    ? h('p', { id: 'preview-lead' }, 'At ', time(p.runAt), ` the policy (reclaim seats idle for ${p.policy.reclaimDays} days) would:`)
    : h('p', { class: 'notice', id: 'preview-lead' }, 'Reclaim is off: the next run reclaims nothing. With it on (seats idle for ',
      `${p.policy.reclaimDays} days), at `, time(p.runAt), ' it would:');
  return [
    lead,
    h('ul', { class: 'facts-row', id: 'preview-counts' },
      h('li', null, `reclaim ${count('RECLAIM')}`), h('li', null, `tell ${count('NOTICE')} holder${count('NOTICE') === 1 ? '' : 's'}`),
      h('li', null, `wait for ${count('WAIT')} deadline${count('WAIT') === 1 ? '' : 's'}`)),
    p.items.length === 0 ? h('p', null, 'No license is idle long enough for the policy.')
      : h('table', { class: 'table', id: 'reclaim-preview' },
        h('caption', { class: 'visually-hidden' }, 'What the next run would do'),
        h('thead', null, h('tr', null, ['Name', 'Email', 'Idle since', 'Idle days', 'Next run']
          .map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, p.items.map((i) => h('tr', { id: `preview-${idPart(i.memberId)}` },
          h('td', null, i.name), h('td', null, i.email), h('td', null, time(i.idleSince, true)),
          h('td', null, String(i.idleDays)), h('td', null, action(i)))))),
    p.nextCursor ? h('button', { class: 'button button--secondary button--small', type: 'button', id: 'preview-more',
      onClick: actions.morePreview }, 'Show more') : null,
  ];
}

function action(i) {
  switch (i.action) {
    case 'RECLAIM':
      return h('strong', null, 'Reclaim');
    case 'NOTICE':
      return ['Tell the holder; reclaim on ', time(i.deadline, true)];
    case 'WAIT':
      return ['Told; reclaim on ', time(i.deadline, true)];
    default:
      return `Keep: ${i.why}`;
  }
}
