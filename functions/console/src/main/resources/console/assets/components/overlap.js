// Rotation with an overlap (issue 21): the choice of how long the old credential keeps working when a new one
// is issued (none by default: what a leak needs), and the notice of an old one that still works, with "End now".
// Shared by the Auth Token and CI Keys pages.

import { h } from '../lib/dom.js';
import { time } from '../lib/format.js';
import { fieldError, selectField } from './field.js';

/** The overlaps offered, in hours (the API takes 0 to 168). */
export const OVERLAP_CHOICES = [
  ['0', 'No: it stops working at once'],
  ['1', 'For 1 hour'],
  ['24', 'For 24 hours'],
  ['168', 'For 7 days'],
];

/** The select for the overlap: `what` names the credential ("token", "key"). */
export function overlapChoice({ id, what, value, onChange }) {
  return selectField({ id, label: `Keep the old ${what} working`, value,
    hint: `Machines and pipelines can move to the new ${what} meanwhile; both work until then. Choose "No" after a leak.`,
    options: OVERLAP_CHOICES, onChange });
}

/** What a rotation's answer says about the old credential, for the status line. */
export function overlapStatus(previous, what) {
  if (!previous) {
    return `The old ${what} no longer works.`;
  }
  return `The old ${what} keeps working until ${new Date(previous.until).toLocaleString()}.`;
}

/**
 * The old credential that still works: its hint, until when, and "End now" (stops it at once).
 *
 * @param label the accessible name of the button, naming what it ends
 */
export function overlapNotice({ id, what, previous, onEnd, error, label }) {
  return h('div', { class: 'overlap', id: `${id}-notice`, role: 'group', 'aria-labelledby': `${id}-text` },
    h('p', { id: `${id}-text` }, `The old ${what} `, h('code', null, previous.hint), ' keeps working until ',
      time(previous.until), '.'),
    h('button', { class: 'button button--warning button--small', type: 'button', id: `${id}-end`,
      'aria-label': label, onClick: onEnd }, 'End now'),
    fieldError(`${id}-end`, error));
}
