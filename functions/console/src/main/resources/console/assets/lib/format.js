// Display formats: dates in the reader's locale, with the exact ISO time as a tooltip.

import { h } from './dom.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function time(iso, dateOnly = false) {
  if (!iso) {
    return '—';
  }
  const value = new Date(iso);
  return h('time', { datetime: iso, title: iso }, (dateOnly ? date : dateTime).format(value));
}
