// A tiny render helper: h() builds elements, render() swaps a container's content and keeps the
// keyboard focus where it was (by element id), so that a page can re-render from its store after
// every change, as a pure function of the state, without losing the user's place.

let pendingFocus = null;

/**
 * h('button', {class: 'primary', onClick: f, 'aria-expanded': false}, 'Text', child, [more])
 * Attributes: false/null/undefined leave an attribute out (aria-* attributes render "false");
 * on* functions become event listeners; `value` and `checked` are set as properties.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  let value;
  if (props) {
    for (const [key, v] of Object.entries(props)) {
      if (key.startsWith('aria-') && v !== null && v !== undefined) {
        el.setAttribute(key, String(v));
      } else if (v === null || v === undefined || v === false) {
        continue;
      } else if (key.startsWith('on') && typeof v === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), v);
      } else if (key === 'class') {
        el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      } else if (key === 'value') {
        value = v;
      } else if (key === 'checked') {
        el.checked = true;
      } else {
        el.setAttribute(key, v === true ? '' : String(v));
      }
    }
  }
  append(el, children);
  if (value !== undefined) {
    el.value = value; // after the children: a <select> needs its options first
  }
  return el;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(parent, child);
    } else if (child instanceof Node) {
      parent.appendChild(child);
    } else {
      parent.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Moves the focus to the element with this id after the next render (e.g. an error summary). */
export function focusAfterRender(id) {
  pendingFocus = id;
}

/** Replaces the container's children; the focused element (matched by id) keeps the focus. */
export function render(container, ...content) {
  const active = document.activeElement;
  const focusedId = active && active !== document.body && container.contains(active) ? active.id : null;
  let selection = null;
  if (focusedId) {
    try {
      selection = [active.selectionStart, active.selectionEnd];
    } catch {
      selection = null; // inputs without a text selection (checkbox, select)
    }
  }
  const fragment = document.createDocumentFragment();
  append(fragment, content);
  container.replaceChildren(fragment);
  const wanted = pendingFocus ?? focusedId;
  pendingFocus = null;
  const target = wanted ? document.getElementById(wanted) : null;
  if (target) {
    target.focus({ preventScroll: wanted === focusedId });
    if (wanted === focusedId && selection && selection[0] !== null) {
      try {
        target.setSelectionRange(selection[0], selection[1]);
      } catch {
        // not a text input any more
      }
    }
  }
}

/** A stable, valid id fragment from any string (member ids, key ids). */
export function idPart(value) {
  return String(value).replace(/[^A-Za-z0-9_-]/g, '_');
}
