// "Users & Licenses" (the seed's page): Licenses, Invite Users, Workspace Members. Rendering it
// takes one request per section's data, all at once: the members page, the license summary and,
// for those who manage them, the legacy keys (the caller's workspaces and access come from the
// one /me/workspaces request the app makes per page load); for admins also the preview of the
// reclaim policy's next run (issue 21). The member list can show only idle seats, and exports as CSV.
// Each section is a component owning its part of the state and its actions; this page composes them
// and reloads one section's data when another's action changes it (ctx.reload).

import { h, render } from '../lib/dom.js';
import { createStore } from '../lib/store.js';
import { can, enc, get } from '../lib/api.js';
import { licenseSummary } from '../components/license-summary.js';
import { formFrom, seatPolicy, seatPolicyActions, seatPolicyState } from '../components/seat-policy.js';
import { usageChart } from '../components/usage-chart.js';
import { legacyKeys, legacyKeysActions, legacyKeysState } from '../components/legacy-keys.js';
import { inviteActions, inviteForm, inviteState } from '../components/invite-form.js';
import { memberList, memberListActions, memberListState } from '../components/member-list.js';
import { memberActions, memberRowState } from '../components/member-actions.js';

export function mount(main, { workspace }) {
  const base = `/workspaces/${enc(workspace.id)}`;
  const managesKeys = can(workspace, 'legacy-keys:manage');
  const isAdmin = workspace.role === 'ADMIN';
  // Usage over time is for those who hand out seats (the API answers 403 to anyone else).
  const seesUsage = can(workspace, 'licenses:assign');
  const store = createStore({
    access: workspace, summary: null, summaryError: null, usage: null, usageError: null, status: '',
    ...memberListState(), ...memberRowState(), ...inviteState(), ...seatPolicyState(), ...legacyKeysState(managesKeys),
  });
  let alive = true;
  let marked = false;
  const names = {};
  const reload = {};
  const ctx = { store, base, workspace, names, reload };
  const list = memberListActions(ctx);
  const policy = seatPolicyActions(ctx);
  const keys = legacyKeysActions(ctx);
  const actions = { ...list, ...memberActions(ctx), ...inviteActions(ctx), ...policy, ...keys };
  reload.members = list.reloadPage;
  reload.summary = loadSummary;
  reload.keys = () => (managesKeys ? keys.loadKeys() : null);

  const draw = (state) => {
    if (!alive) {
      return;
    }
    document.title = `Users & Licenses – ${workspace.name}`;
    const mayInvite = can(state.access, 'members:invite');
    render(main,
      h('h1', null, 'Users & Licenses', h('span', { class: 'h1__context' }, workspace.name)),
      h('p', { class: 'status', role: 'status', id: 'status' }, state.status),
      h('div', { class: ['layout', mayInvite ? 'layout--pair' : null] },
        mayInvite ? inviteForm(state, actions) : null,
        h('section', { class: 'card', 'aria-labelledby': 'licenses-title' },
          h('h2', { id: 'licenses-title' }, 'Licenses'),
          licenseSummary(state.summary, state.summaryError, { showIdle: actions.showIdle }))),
      seesUsage ? h('section', { class: 'card', 'aria-labelledby': 'usage-title' },
        h('h2', { id: 'usage-title' }, 'Usage over the last 90 days'),
        usageChart(state.usage, state.usageError)) : null,
      memberList(state, actions),
      isAdmin ? seatPolicy(state, actions) : null,
      managesKeys ? legacyKeys(state, names, actions) : null);
    if (!marked && state.members) {
      marked = true;
      performance.mark('wsl:members-rendered');
    }
  };

  async function loadSummary() {
    try {
      const summary = await get(`${base}/licenses`);
      // The policy form starts from what is stored, and keeps what the admin is changing.
      store.set((s) => ({ summary, summaryError: null, policyForm: formFrom(summary.seatPolicy, s.policyForm) }));
    } catch (e) {
      store.set({ summaryError: e.detail });
    }
  }

  async function loadUsage() {
    try {
      store.set({ usage: await get(`${base}/usage?days=90`), usageError: null });
    } catch (e) {
      store.set({ usageError: e.detail });
    }
  }

  store.subscribe(draw);
  draw(store.state);
  list.loadPage(null, 0, [null]);
  loadSummary();
  reload.keys();
  if (isAdmin) {
    policy.loadPreview(null);
  }
  if (seesUsage) {
    loadUsage();
  }

  return () => {
    alive = false;
  };
}
