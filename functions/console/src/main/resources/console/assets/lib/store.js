// One store per page: the page's whole state, replaced (never mutated) by set(), which notifies
// the page to render again. quietly() records what the user types without re-rendering, so the
// next render shows the same value.

export function createStore(initial) {
  let state = initial;
  const listeners = new Set();
  return {
    get state() {
      return state;
    },
    set(patch) {
      const change = typeof patch === 'function' ? patch(state) : patch;
      state = { ...state, ...change };
      for (const listener of listeners) {
        listener(state);
      }
    },
    quietly(patch) {
      state = { ...state, ...patch };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
