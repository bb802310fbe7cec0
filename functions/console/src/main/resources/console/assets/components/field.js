// A form field: a real <label>, an optional hint, the error message right above the control
// (referenced by aria-describedby, with aria-invalid), then the control.

import { h } from '../lib/dom.js';

export function fieldError(id, message) {
  return message ? h('p', { class: 'field-error', id: `${id}-error` },
    h('span', { class: 'visually-hidden' }, 'Error: '), message) : null;
}

function describedBy(id, hint, error) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || null;
}

/** A text input. onInput(value) records typing (without re-rendering). */
export function textField({ id, label, hint, value, error, type = 'text', autocomplete, onInput, spellcheck }) {
  return h('div', { class: ['field', error && 'field--error'] },
    h('label', { class: 'field__label', for: id }, label),
    hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, hint) : null,
    fieldError(id, error),
    h('input', {
      class: 'input', id, name: id, type, value: value ?? '', autocomplete: autocomplete || 'off',
      spellcheck: spellcheck === false ? 'false' : null,
      'aria-describedby': describedBy(id, hint, error), 'aria-invalid': error ? 'true' : null,
      onInput: (event) => onInput?.(event.target.value),
    }));
}

export function textArea({ id, label, hint, value, error, rows = 4, onInput }) {
  return h('div', { class: ['field', error && 'field--error'] },
    h('label', { class: 'field__label', for: id }, label),
    hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, hint) : null,
    fieldError(id, error),
    h('textarea', {
      class: 'input', id, name: id, rows, spellcheck: 'false', value: value ?? '',
      'aria-describedby': describedBy(id, hint, error), 'aria-invalid': error ? 'true' : null,
      onInput: (event) => onInput?.(event.target.value),
    }));
}

/** options: [[value, label]] */
export function selectField({ id, label, hint, value, error, options, onChange }) {
  return h('div', { class: ['field', error && 'field--error'] },
    h('label', { class: 'field__label', for: id }, label),
    hint ? h('p', { class: 'field__hint', id: `${id}-hint` }, hint) : null,
    fieldError(id, error),
    h('select', {
      class: 'select', id, name: id, value,
      'aria-describedby': describedBy(id, hint, error), 'aria-invalid': error ? 'true' : null,
      onChange: (event) => onChange?.(event.target.value),
    }, options.map(([v, text]) => h('option', { value: v }, text))));
}
