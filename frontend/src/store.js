// Tabs and run history, kept in the browser's localStorage (nothing leaves the browser).
const TABS = "cstograph.tabs.v1";
const HISTORY = "cstograph.history.v1";
const MAX_HISTORY = 50;

function read(key, fallback) {
  try {
    const value = JSON.parse(localStorage.getItem(key));
    return value == null ? fallback : value;
  } catch (_) {
    return fallback;
  }
}

function write(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch (_) { /* storage full or disabled */ }
}

let counter = 0;
export const newId = () => Date.now().toString(36) + "-" + (counter++).toString(36);

/** ``{tabs: [{id, title, query, example, params}], active}``, or a first tab holding ``defaultQuery``. */
export function loadTabs(defaultQuery) {
  const saved = read(TABS, null);
  if (saved && Array.isArray(saved.tabs) && saved.tabs.length) {
    const tabs = saved.tabs.filter((t) => t && typeof t.query === "string" && t.id);
    if (tabs.length) {
      return { tabs, active: tabs.some((t) => t.id === saved.active) ? saved.active : tabs[0].id };
    }
  }
  const first = { id: newId(), title: "Query 1", query: defaultQuery, example: null, params: {} };
  return { tabs: [first], active: first.id };
}

export const saveTabs = (state) => write(TABS, state);

export const loadHistory = () => read(HISTORY, []).filter((h) => h && typeof h.query === "string");

/** Add a run to the history (most recent first; the same query again moves to the top). */
export function addHistory(entry) {
  const rest = loadHistory().filter((h) => !(h.query === entry.query && h.example === entry.example
    && JSON.stringify(h.params || {}) === JSON.stringify(entry.params || {})));
  const history = [entry, ...rest].slice(0, MAX_HISTORY);
  write(HISTORY, history);
  return history;
}

export function clearHistory() {
  write(HISTORY, []);
  return [];
}
