// The small DOM helpers the figure component is built with.

/** An element: `attrs` are attributes (`class`, `text` for its text; false and null left out). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children);
  return e;
}

/** The page's theme for drawing: dark or light, and device pixels per CSS pixel. */
export function theme() {
  return { dark: window.matchMedia('(prefers-color-scheme: dark)').matches, scale: window.devicePixelRatio || 1 };
}

/** CSS sizes of canvases, kept current by a ResizeObserver so drawing never forces a layout. */
export const sizes = new WeakMap();

/** Sizes a canvas's backing store to its CSS size × devicePixelRatio, so it stays sharp. */
export function fit(canvas) {
  let size = sizes.get(canvas);
  if (!size) {
    const rect = canvas.getBoundingClientRect();
    size = { width: rect.width, height: rect.height };
  }
  const s = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(size.width * s));
  const h = Math.max(1, Math.round(size.height * s));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  return canvas;
}

/** Saves `data` (a Blob or text of `type`) as a file called `name`. */
export function download(name, type, data) {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
