// A figure's view: its presets, controls, canvases and status lines, and `sync`, which shows the
// state in them. The controls are native elements (a range input, a select, a checkbox, a number
// box) with labels, so they work from the keyboard and with a screen reader.
import { schema } from '../simulator.js';
import { el } from './dom.js';
import { defaults, settingsLine, shown } from './state.js';

let uid = 0;

/** One control's element: a labelled select, checkbox, slider (with its mark) or seed box. */
function control(fig, c) {
  const id = `c${++uid}-${c.key}`;
  if (c.type === 'select') {
    const select = el('select', { id, 'data-control': c.key });
    for (const [value, label] of c.options) select.append(el('option', { value, text: label }));
    return el('div', { class: 'control', 'data-key': c.key }, el('label', { for: id, text: c.label }), select);
  }
  if (c.type === 'toggle') {
    const input = el('input', { id, type: 'checkbox', 'data-control': c.key });
    return el('div', { class: 'control toggle', 'data-key': c.key }, el('label', { for: id }, input, ` ${c.label}`));
  }
  if (c.type === 'range') {
    const input = el('input', { id, type: 'range', 'data-control': c.key, min: c.min, max: c.max, step: c.step });
    const out = el('output', { for: id, 'data-show': c.key });
    if (!c.mark) {
      return el('div', { class: 'control slider', 'data-key': c.key },
        el('label', { for: id }, `${c.label} `, out), input);
    }
    // A marked value (`mark: { value, label }`): a tick on the track and its label under it, at
    // the thumb's centre for that value (the thumb is about 16 px wide).
    input.setAttribute('list', `${id}-marks`);
    const at = (c.mark.value - c.min) / (c.max - c.min);
    const tick = el('span', { class: 'slider-mark', 'data-mark': c.key, 'aria-hidden': 'true', text: c.mark.label });
    tick.style.left = `calc(${(100 * at).toFixed(3)}% + ${((0.5 - at) * 16).toFixed(2)}px)`;
    return el('div', { class: 'control slider marked', 'data-key': c.key },
      el('label', { for: id }, `${c.label} `, out),
      el('div', { class: 'slider-track' }, input, tick),
      el('datalist', { id: `${id}-marks` }, el('option', { value: c.mark.value, label: c.mark.label })));
  }
  // seed: a number box and a button that draws new random weights.
  const input = el('input', { id, type: 'number', 'data-control': c.key, min: 0, max: schema().limits.maxSeed, step: 1, inputmode: 'numeric' });
  const again = el('button', { type: 'button', 'data-action': 'new-seed', text: 'New random weights' });
  again.addEventListener('click', () => fig.set({ [c.key]: Math.floor(Math.random() * 1e6) }, { commit: true }));
  return el('div', { class: 'control seed', 'data-key': c.key },
    el('label', { for: id, text: c.label }), el('div', { class: 'inline' }, input, again));
}

/** A control's value as its element holds it. */
function read(c, input) {
  if (c.type === 'seed') {
    const v = Math.floor(Number(input.value));
    return Number.isFinite(v) ? Math.min(schema().limits.maxSeed, Math.max(0, v)) : 0;
  }
  if (c.type === 'toggle') return input.checked ? 1 : 0;
  return c.type === 'select' ? input.value : Number(input.value);
}

/**
 * Builds the view of `fig` (its `def`, `state`, `hidden` and `set`/`choose`); returns
 * `{ ui, grid, canvases, computing, status }`. Moving a control calls `fig.set` with its value
 * (and the values it moves with it, `also`); releasing it calls `fig.committed()`.
 */
export function buildView(fig) {
  const { def } = fig;
  const ui = el('div', { class: 'figure-ui', 'data-figure': fig.name });
  if (def.presets) {
    const presets = el('div', { class: 'presets', role: 'group', 'aria-label': 'Presets' }, el('span', { class: 'presets-label', text: 'Presets:' }));
    for (const [key, label, values] of def.presets) {
      const b = el('button', { type: 'button', 'data-preset': key, 'aria-pressed': 'false', text: label });
      b.addEventListener('click', () => fig.choose({ ...defaults(def), seed: fig.state.seed, ...values }, { commit: true }));
      presets.append(b);
    }
    ui.append(presets);
  }
  if (def.controls.length) {
    const controls = el('div', { class: 'controls', role: 'group', 'aria-label': `${def.title}: controls` });
    for (const c of def.controls) {
      const box = control(fig, c);
      box.hidden = fig.hidden.has(c.key);
      const input = box.querySelector(`[data-control="${c.key}"]`);
      input.addEventListener('input', () => {
        const v = read(c, input);
        // A control the link hides stays as it is.
        const also = Object.entries(c.also?.({ ...fig.state, [c.key]: v }) ?? {}).filter(([k]) => !fig.hidden.has(k));
        fig.set({ ...Object.fromEntries(also), [c.key]: v });
      });
      input.addEventListener('change', () => fig.committed());
      controls.append(box);
    }
    const reset = el('button', { type: 'button', 'data-action': 'reset', text: 'Reset' });
    reset.addEventListener('click', () => fig.choose(defaults(def), { commit: true }));
    controls.append(el('div', { class: 'control' }, reset));
    ui.append(controls);
  }
  if (def.note) ui.append(el('p', { class: 'hint', 'data-show': 'note', 'aria-live': 'polite' }));
  // On paper the controls are their values, in one line.
  if (def.controls.length) ui.append(el('p', { class: 'print-settings', 'data-show': 'settings' }));
  if (def.setup) def.setup(fig, ui, el);
  const grid = el('div', { class: def.canvases.length > 1 ? 'chart-grid' : 'chart-single' });
  const canvases = {};
  for (const c of def.canvases) {
    canvases[c.name] = el('canvas', {
      class: c.wide ? 'chart chart-wide' : 'chart', 'data-canvas': c.name, role: 'img', 'aria-label': c.label,
    }, c.label);
    grid.append(canvases[c.name]);
  }
  const computing = el('p', { class: 'status computing-note', role: 'status', hidden: true, text: 'Computing…' });
  grid.append(computing);
  // Over the pictures while an exercise asks for a prediction (see figure/exercise.js).
  const veil = el('p', { class: 'veil', hidden: true });
  ui.append(veil, grid);
  const status = el('p', { class: 'status error', role: 'status', hidden: true });
  return { ui, grid, canvases, computing, status, veil };
}

/** Hides (or shows again) what a view's pictures and numbers say, with `text` over them. */
export function concealView(view, on, text = '') {
  view.ui.classList.toggle('concealed', on);
  // The figure's other exercises say nothing while one waits for its answer.
  view.ui.closest('figure')?.classList.toggle('concealing', on);
  view.veil.textContent = text;
  view.veil.hidden = !on;
  if (on) view.grid.setAttribute('aria-hidden', 'true');
  else view.grid.removeAttribute('aria-hidden');
}

/** Shows `fig.state` in its controls, presets and note. */
export function syncView(fig) {
  const { def, ui, hidden } = fig;
  for (const c of def.controls) {
    const input = ui.querySelector(`[data-control="${c.key}"]`);
    const v = fig.state[c.key];
    if (c.type === 'toggle') input.checked = v === 1;
    else if (input.value !== String(v)) input.value = String(v);
    if (c.type === 'range') {
      const text = shown(c, v);
      ui.querySelector(`[data-show="${c.key}"]`).textContent = text;
      input.setAttribute('aria-valuetext', `${c.label} ${text}`);
    }
    input.disabled = c.enabled ? !c.enabled(fig.state) : false;
  }
  for (const b of ui.querySelectorAll('[data-preset]')) {
    const values = def.presets.find(([k]) => k === b.dataset.preset)[2];
    const on = Object.entries({ ...defaults(def), ...values }).every(([k, v]) => k === 'seed' || hidden.has(k) || fig.state[k] === v);
    b.setAttribute('aria-pressed', String(on));
    // A preset that needs a control this link hides at another value is not offered: the
    // lesson's fixed controls stay as the link set them.
    const blocked = Object.entries(values).filter(([k, v]) => hidden.has(k) && fig.state[k] !== v)
      .map(([k]) => def.controls.find((c) => c.key === k).label);
    b.disabled = blocked.length > 0;
    if (blocked.length) b.title = `This link fixes ${blocked.join(' and ')}; the preset would change ${blocked.length > 1 ? 'them' : 'it'}.`;
    else b.removeAttribute('title');
  }
  if (def.note) ui.querySelector('[data-show="note"]').textContent = def.note(fig.state);
  const settings = ui.querySelector('[data-show="settings"]');
  if (settings) settings.textContent = `Settings: ${settingsLine(def, fig.state)}.`;
}
