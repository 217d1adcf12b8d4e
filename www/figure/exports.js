// What a reader takes away from a figure: the numbers behind it (a table, CSV, JSON), a PNG, a
// link to it as shown and the code to embed it, and the box that shows what was copied.
import { el, download, theme } from './dom.js';
import { settingsLine, stateToParams } from './state.js';
import { fmt } from '../format.js';

/** The explainer's base URL (the folder holding index.html), for links and embed snippets. */
export const BASE_URL = new URL('../../', import.meta.url);

/** A table as CSV: quoted where a cell holds a comma, a quote or a line break. */
export function csv(table) {
  const cell = (v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [table.columns, ...table.rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/**
 * Sizes every `<iframe data-weight-init>` of the page to the height its figure reports, for host
 * pages that load this module anyway (the embed code carries the same listener as a script).
 */
export function followEmbedHeights() {
  addEventListener('message', (e) => {
    const d = e.data;
    if (!d || d.type !== 'weight-init:height' || !(d.height > 0)) return;
    for (const f of document.querySelectorAll('iframe[data-weight-init]')) {
      if (f.contentWindow === e.source) f.style.height = `${Math.min(d.height, 20000)}px`;
    }
  });
  // Frames that reported before this listener started report again.
  for (const f of document.querySelectorAll('iframe[data-weight-init]')) {
    f.contentWindow?.postMessage({ type: 'weight-init:height?' }, '*');
  }
}

/** The listener an embedding page needs, as a script: the same as followEmbedHeights(). */
export const EMBED_LISTENER = "addEventListener('message',function(e){var d=e.data;if(!d||d.type!=='weight-init:height'||!(d.height>0))return;"
  + "document.querySelectorAll('iframe[data-weight-init]').forEach(function(f){if(f.contentWindow===e.source)f.style.height=Math.min(d.height,20000)+'px';});});"
  + "document.querySelectorAll('iframe[data-weight-init]').forEach(function(f){f.contentWindow&&f.contentWindow.postMessage({type:'weight-init:height?'},'*');});";

/**
 * The embed code for a figure: an iframe of the embed view, and the listener that sizes it. Its
 * fallback height (`def.embedHeight`) fits the figure in a 360 px column, so a host that strips
 * scripts cuts nothing off.
 */
export function embedCode(url, def) {
  const attr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${attr(url)}" title="${attr(def.title)}" width="100%" height="${def.embedHeight}" style="border:0;display:block" loading="lazy" data-weight-init></iframe>\n`
    + `<script>${EMBED_LISTENER}</script>`;
}

/** The link to `fig` as shown: its state, and the controls hidden (its own and other figures'). */
export function linkTo(fig) {
  const { name, options } = fig;
  const u = new URL(options.link ? options.link(fig.state) : BASE_URL);
  if (!options.link) {
    u.search = stateToParams(name, fig.state, new URLSearchParams()).toString();
    u.hash = `fig-${name}`;
  }
  const others = (u.searchParams.get('hide') ?? '').split(',').filter((k) => k && !k.startsWith(`${name}.`));
  const hide = [...others, ...[...fig.hidden].map((k) => `${name}.${k}`)];
  if (hide.length) u.searchParams.set('hide', hide.join(','));
  else u.searchParams.delete('hide');
  return u.href;
}

/** The embed view's URL for `fig` as shown. */
function embedUrl(fig) {
  const u = new URL(linkTo(fig));
  u.searchParams.set('embed', fig.name);
  u.hash = '';
  return u.href;
}

/** The table of the numbers behind the figure, into `slot`. */
function renderTable(slot, table) {
  const t = document.createElement('table');
  const head = t.createTHead().insertRow();
  for (const c of table.columns) head.append(el('th', { scope: 'col', text: c }));
  const body = t.createTBody();
  for (const row of table.rows) {
    const tr = body.insertRow();
    row.forEach((v, i) => {
      const cell = i === 0 ? el('th', { scope: 'row' }) : tr.insertCell();
      if (i === 0) tr.append(cell);
      cell.textContent = typeof v === 'number' && i > 0 ? fmt(v) : String(v ?? '–');
      if (typeof v === 'number') cell.className = 'num';
    });
  }
  slot.replaceChildren(t);
}

/** The figure drawn again at twice the screen's resolution (at least), under its title, settings and link. */
function png(fig, canvases) {
  const list = Object.entries(canvases);
  const rects = list.map(([, c]) => c.getBoundingClientRect());
  const left = Math.min(...rects.map((r) => r.left));
  const top = Math.min(...rects.map((r) => r.top));
  const width = Math.max(...rects.map((r) => r.right)) - left;
  const height = Math.max(...rects.map((r) => r.bottom)) - top;
  const t = { ...theme(), scale: Math.max(2, window.devicePixelRatio || 1) };
  const s = t.scale;
  const sharp = Object.fromEntries(list.map(([key], i) => {
    const c = document.createElement('canvas');
    c.width = Math.round(rects[i].width * s);
    c.height = Math.round(rects[i].height * s);
    return [key, c];
  }));
  fig.def.draw(fig.wasm, fig.shownState ?? fig.state, sharp, t, fig, fig.shownData);
  const head = 72;
  const out = document.createElement('canvas');
  out.width = Math.round(width * s);
  out.height = Math.round((height + head) * s);
  const ctx = out.getContext('2d');
  // The page's own colours (www/palette.css, generated from the charts' table).
  const css = getComputedStyle(fig.root);
  ctx.fillStyle = css.getPropertyValue('--bg').trim();
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = css.getPropertyValue('--fg').trim();
  ctx.textBaseline = 'top';
  ctx.font = `bold ${16 * s}px sans-serif`;
  ctx.fillText(fig.def.title, 8 * s, 8 * s, (width - 16) * s);
  ctx.font = `${12 * s}px sans-serif`;
  ctx.fillText(settingsLine(fig.def, fig.state), 8 * s, 32 * s, (width - 16) * s);
  ctx.fillText(linkTo(fig), 8 * s, 50 * s, (width - 16) * s);
  list.forEach(([key], i) => ctx.drawImage(sharp[key], Math.round((rects[i].left - left) * s), Math.round((rects[i].top - top + head) * s)));
  return out;
}

/**
 * The figure's take-away parts: `{ numbers, tools, shareBox, share(text, what), refresh() }`
 * (refresh redraws the table when it is open), and `fig.exportCSV/JSON/PNG`.
 */
export function buildExports(fig, canvases) {
  const { name, def } = fig;
  const shareBox = el('div', { class: 'share-box', hidden: true },
    el('p', { class: 'share-what' }), el('textarea', { readonly: true, rows: 3, 'aria-label': 'Text to copy' }), el('p', { class: 'share-status', 'aria-live': 'polite' }));
  /** Copies text, falling back to showing it selected in a box when the clipboard is unavailable. */
  const share = async (text, what) => {
    shareBox.hidden = false;
    const area = shareBox.querySelector('textarea');
    area.value = text;
    shareBox.querySelector('.share-what').textContent = what;
    try {
      await navigator.clipboard.writeText(text);
      shareBox.querySelector('.share-status').textContent = 'Copied to the clipboard.';
    } catch {
      area.focus();
      area.select();
      shareBox.querySelector('.share-status').textContent = 'Select and copy the text above.';
    }
  };
  const numbers = def.data === false ? null
    : el('details', { class: 'numbers' }, el('summary', { text: 'Numbers behind this figure' }), el('div', { class: 'table-slot' }));
  const refresh = () => {
    if (numbers?.open && fig.table) renderTable(numbers.querySelector('.table-slot'), fig.table);
  };
  numbers?.addEventListener('toggle', refresh);

  fig.exportCSV = () => fig.table && download(`${name}.csv`, 'text/csv', csv(fig.table));
  fig.exportJSON = () => fig.table && download(`${name}.json`, 'application/json', JSON.stringify({
    figure: name, state: fig.state, configs: fig.table.configs ?? [], columns: fig.table.columns, rows: fig.table.rows,
  }, null, 2));
  fig.exportPNG = () => png(fig, canvases).toBlob((blob) => download(`${name}.png`, 'image/png', blob), 'image/png');

  const tools = el('div', { class: 'figure-tools' });
  const button = (action, text, fn) => {
    const b = el('button', { type: 'button', 'data-action': action, text });
    b.addEventListener('click', fn);
    tools.append(b);
  };
  button('copy-link', 'Copy link', () => share(linkTo(fig), 'Link to this figure as shown:'));
  button('copy-embed', 'Copy embed code', () => share(embedCode(embedUrl(fig), def), 'Embed code for this figure as shown (the script sizes the frame to the figure; without it the frame keeps a height that fits at any width):'));
  if (numbers) {
    button('export-csv', 'CSV', () => fig.exportCSV());
    button('export-json', 'JSON', () => fig.exportJSON());
  }
  button('export-png', 'PNG', () => fig.exportPNG());
  return { numbers, tools, shareBox, share, refresh };
}
