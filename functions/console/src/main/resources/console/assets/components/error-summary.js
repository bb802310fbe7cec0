// The error summary (after GOV.UK Frontend's): a list of what went wrong at the top of a form,
// each linking to its field, which takes the focus when the form is refused so that a screen
// reader announces it. The same messages also appear next to each field.

import { h } from '../lib/dom.js';

/** @param errors [{field: id of the control, message}] */
export function errorSummary(id, errors) {
  if (!errors || errors.length === 0) {
    return null;
  }
  return h('div', { class: 'error-summary', id, tabindex: '-1', 'aria-labelledby': `${id}-title` },
    h('h3', { class: 'error-summary__title', id: `${id}-title` }, 'There is a problem'),
    h('ul', { class: 'error-summary__list' }, errors.map((e) =>
      h('li', null, h('a', {
        href: `#${e.field}`,
        onClick: (event) => {
          event.preventDefault();
          document.getElementById(e.field)?.focus();
        },
      }, e.message)))));
}
