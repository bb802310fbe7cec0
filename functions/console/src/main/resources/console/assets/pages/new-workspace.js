// Create a workspace; its creator becomes its first admin.

import { focusAfterRender, h, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { post, rememberWorkspace } from '../lib/api.js';
import { errorSummary } from '../components/error-summary.js';
import { textField } from '../components/field.js';

export function mount(main, { navigate, workspaces }) {
  const store = createStore({ name: '', error: null });
  let alive = true;

  const draw = (s) => {
    if (!alive) {
      return;
    }
    document.title = 'New Workspace – Users & Licenses';
    render(main,
      h('h1', null, 'New Workspace'),
      workspaces.length === 0 ? h('p', { class: 'lead' }, 'You are not a member of any workspace yet. Create one, '
        + 'or open the link in an invitation email you were sent.') : null,
      h('section', { class: 'card card--narrow', 'aria-labelledby': 'create-title' },
        h('h2', { id: 'create-title' }, 'Create a workspace'),
        h('form', {
          class: 'form', id: 'workspace-form', novalidate: true,
          onSubmit: (event) => {
            event.preventDefault();
            create();
          },
        },
        errorSummary('workspace-summary', s.error ? [{ field: 'workspace-name', message: s.error }] : []),
        textField({ id: 'workspace-name', label: 'Workspace name', value: s.name, error: s.error,
          hint: 'You become its first admin.', onInput: (v) => store.quietly({ name: v }) }),
        h('button', { class: 'button', type: 'submit', id: 'workspace-create' }, 'Create Workspace'))));
  };
  store.subscribe(draw);
  draw(store.state);

  async function create() {
    try {
      const created = await post('/workspaces', { name: store.state.name.trim() });
      rememberWorkspace({ id: created.id, name: created.name, memberId: created.you.memberId, role: created.you.role,
        permissions: created.you.permissions });
      navigate(`/?ws=${encodeURIComponent(created.id)}&view=members`);
    } catch (e) {
      focusAfterRender('workspace-summary');
      store.set({ error: e.detail });
    }
  }

  return () => {
    alive = false;
  };
}
