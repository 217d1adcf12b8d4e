// The reader's answers to the exercises, kept in this browser only (localStorage): nothing is
// sent anywhere. `{ 'figure/id': { correct, answer, at } }`.
const STORE = 'weight-init:answers';

/** The answers kept in this browser. */
export function saved() {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

/** Keeps one answer, and tells the page (`weight-init:progress` on the document). */
export function save(name, record) {
  try {
    localStorage.setItem(STORE, JSON.stringify({ ...saved(), [name]: record }));
  } catch {
    // Storage refused (a private window's quota): the answer still counts on this page.
  }
  document.dispatchEvent(new CustomEvent('weight-init:progress'));
}

/** Forgets every answer kept in this browser. */
export function forget() {
  try {
    localStorage.removeItem(STORE);
  } catch { /* nothing was kept */ }
  document.dispatchEvent(new CustomEvent('weight-init:progress'));
}
