// An exercise under a figure, made live: the reader commits an answer (an option, a number, a
// sketched curve, or a setting of the figure's controls), then sees the simulator's answer for
// the figure's state with the page's reasoning. Without JavaScript the same block reads as a
// question with its answer in a <details>; this module replaces it once the figure is mounted.
//
// A prediction hides the figure's pictures until the reader commits (`conceal`); a hint is
// offered before the answer. Answers are kept in this browser only (localStorage), and an
// embedded figure tells its host page about each committed answer:
//   { type: 'weight-init:answer', figure, exercise, correct, answer }   (to window.parent, '*')
// Every committed answer also bubbles from the figure's element as `weight-init:answer`.
import { el } from './dom.js';
import { fmt } from '../format.js';
import { answerKey } from '../simulation.js';
import { exercise as byName, EXERCISES } from '../exercises/index.js';
import { save, saved } from '../exercises/progress.js';

const KINDS = { choose: 'Choose', estimate: 'Estimate', sketch: 'Sketch', find: 'Find the setting' };
/**
 * Reads a typed number: `0.002`, `2e-3`, `2 × 10^-3`, `2·10^-3`, `10^-3`, `2^-19`, `1/64`, with
 * the page's minus sign too. NaN when it is none of these.
 */
export function parseNumber(text) {
  const t = String(text).trim().replace(/[−–]/g, '-').replace(/\s+/g, '').replace(/,/g, '');
  if (!t || t.length > 40) return NaN;
  const num = '[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:e[-+]?\\d+)?';
  let m = t.match(new RegExp(`^(${num})$`, 'i'));
  if (m) return Number(m[1]);
  m = t.match(new RegExp(`^(?:(${num})[x×*·])?(${num})\\^\\(?(${num})\\)?$`, 'i'));
  if (m) return (m[1] === undefined ? 1 : Number(m[1])) * Number(m[2]) ** Number(m[3]);
  m = t.match(new RegExp(`^(${num})/(${num})$`, 'i'));
  if (m) return Number(m[1]) / Number(m[2]);
  return NaN;
}

/** Whether an estimate is within the exercise's tolerance of the key, and that tolerance in words. */
export function judgeEstimate(ex, value, answer) {
  const { factor, plus } = ex.tolerance;
  if (factor) return { correct: value > 0 && value / answer <= factor && answer / value <= factor, within: `within a factor of ${fmt(factor)}` };
  return { correct: Math.abs(value - answer) <= plus, within: `within ±${fmt(plus)}` };
}

/** A sketch's score: the mean distance, in decades, between the guess and the curve. */
export function sketchDistance(guess, values) {
  let sum = 0;
  let n = 0;
  values.forEach((v, i) => {
    const g = guess[i];
    if (!(v > 0) || !(g > 0)) return;
    sum += Math.abs(Math.log10(g) - Math.log10(v));
    n++;
  });
  return n ? sum / n : Infinity;
}

/**
 * A guess typed from the keyboard, for `n` layers numbered from `first`: either one value per
 * layer, or `layer: value` pairs (the layers between joined by straight lines on the log axis).
 * Returns the per-layer values, or a message saying what is wrong.
 */
export function parseSketch(text, n, first = 1) {
  const parts = String(text).split(/[;,\n]+/).map((s) => s.trim()).filter(Boolean);
  if (!parts.length) return { error: 'type a value for each layer, or pairs such as 1: 1, 20: 0.01' };
  const knots = [];
  const paired = parts.some((p) => p.includes(':'));
  for (const [k, p] of parts.entries()) {
    const [layerText, valueText] = paired ? p.split(':') : [String(first + k), p];
    const layer = Number(layerText);
    const value = parseNumber(valueText ?? '');
    if (!Number.isInteger(layer) || layer < first || layer >= first + n) return { error: `“${p}”: the layer must be a whole number from ${first} to ${first + n - 1}` };
    if (!(value > 0) || !Number.isFinite(value)) return { error: `“${p}”: the value must be a positive number (such as 0.01 or 1e-3)` };
    knots.push([layer - first, value]);
  }
  if (!paired && knots.length !== n) return { error: `give ${n} values, one per layer, or pairs such as ${first}: 1, ${first + n - 1}: 0.01` };
  return { values: fillLog(knots, n) };
}

/** Per-layer values from `[index, value]` knots, joined by straight lines in log₁₀ (flat past the ends). */
export function fillLog(knots, n) {
  const k = [...knots].sort((a, b) => a[0] - b[0]);
  return Array.from({ length: n }, (_, i) => {
    const j = k.findIndex(([x]) => x >= i);
    if (j === 0) return k[0][1];
    if (j < 0) return k[k.length - 1][1];
    const [x0, v0] = k[j - 1];
    const [x1, v1] = k[j];
    if (x1 === x0) return v1;
    const t = (i - x0) / (x1 - x0);
    return 10 ** (Math.log10(v0) + t * (Math.log10(v1) - Math.log10(v0)));
  });
}

/** The state the exercise asks about: the figure's, with its setup applied (for the question before it starts). */
const asked = (ex, fig) => ({ ...fig.state, ...(ex.setup?.(fig.state) ?? {}) });

/** The sketch's drawing surface over the figure's canvas, and the text box that mirrors it. */
function sketchPad(fig, ex, onGuess) {
  const target = fig.canvases[ex.canvas];
  const pad = el('canvas', { class: 'sketch-pad', 'aria-hidden': 'true' });
  const wrap = target.parentElement;
  let guess = null;
  let knots = [];
  const geometry = () => {
    const area = fig.areaOf(ex.canvas);
    return area && { area, n: Math.round(area.xMax - area.xMin), start: area.xMin + 0.5 };
  };
  const paint = () => {
    const r = target.getBoundingClientRect();
    const w = wrap.getBoundingClientRect();
    Object.assign(pad.style, { left: `${r.left - w.left}px`, top: `${r.top - w.top}px`, width: `${r.width}px`, height: `${r.height}px` });
    pad.width = target.width;
    pad.height = target.height;
    const g = geometry();
    const ctx = pad.getContext('2d');
    ctx.clearRect(0, 0, pad.width, pad.height);
    if (!g || !guess) return;
    const { area } = g;
    const toY = (v) => area.bottom - ((Math.log10(v) - area.yMin) / (area.yMax - area.yMin)) * (area.bottom - area.top);
    const toX = (i) => area.left + ((i + 0.5) / g.n) * (area.right - area.left);
    ctx.strokeStyle = getComputedStyle(fig.element).getPropertyValue('--chart-5') || '#b15928';
    ctx.lineWidth = 2.5 * (window.devicePixelRatio || 1);
    ctx.beginPath();
    guess.forEach((v, i) => (i ? ctx.lineTo(toX(i), toY(v)) : ctx.moveTo(toX(i), toY(v))));
    ctx.stroke();
  };
  const at = (e) => {
    const g = geometry();
    if (!g) return null;
    const r = pad.getBoundingClientRect();
    const px = ((e.clientX - r.left) * pad.width) / r.width;
    const py = ((e.clientY - r.top) * pad.height) / r.height;
    const { area } = g;
    const i = Math.round(((px - area.left) / (area.right - area.left)) * g.n - 0.5);
    const y = Math.min(area.bottom, Math.max(area.top, py));
    const log = area.yMin + ((area.bottom - y) / (area.bottom - area.top)) * (area.yMax - area.yMin);
    return { i: Math.min(g.n - 1, Math.max(0, i)), v: 10 ** log, n: g.n };
  };
  let drawing = false;
  const add = (e) => {
    const p = at(e);
    if (!p) return;
    knots = knots.filter(([x]) => x !== p.i);
    knots.push([p.i, p.v]);
    guess = fillLog(knots, p.n);
    paint();
    onGuess(guess, knots);
  };
  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    pad.setPointerCapture(e.pointerId);
    knots = [];
    add(e);
  });
  pad.addEventListener('pointermove', (e) => drawing && add(e));
  pad.addEventListener('pointerup', () => { drawing = false; });
  const ro = new ResizeObserver(paint);
  return {
    pad,
    start() {
      wrap.classList.add('sketch-host');
      target.classList.add('sketching');
      wrap.append(pad);
      ro.observe(target);
      paint();
    },
    set(values) {
      guess = values;
      paint();
    },
    stop() {
      ro.disconnect();
      pad.remove();
      target.classList.remove('sketching');
    },
    get n() {
      return geometry()?.n ?? 0;
    },
  };
}

/** The sketch guess as `layer: value` pairs for the text box, at about six layers. */
function knotText(guess, first) {
  const n = guess.length;
  const picks = [...new Set([0, Math.round(n / 5), Math.round((2 * n) / 5), Math.round((3 * n) / 5), Math.round((4 * n) / 5), n - 1])].filter((i) => i >= 0 && i < n);
  return picks.map((i) => `${i + first}: ${Number(guess[i].toPrecision(2))}`).join(', ');
}

/**
 * Makes the exercise block `block` live for the mounted figure `fig` (from explainer.js's
 * `mount`). Options: `embedded`, whether to post committed answers to the parent window.
 */
export function enhance(block, fig, { embedded = window.parent !== window } = {}) {
  const name = block.dataset.exercise;
  const ex = byName(name);
  if (!ex || block.dataset.live !== undefined) return null;
  block.dataset.live = '';
  const reasoning = block.querySelector('.exercise-a .reasoning')?.cloneNode(true);
  // The page's own text stays for printing (the question, its options, room to answer); the live
  // exercise replaces it on the screen.
  const printed = el('div', { class: 'exercise-static' }, ...block.childNodes);
  const printQuestion = printed.querySelector('[data-question]');
  const question = el('span', { 'data-question': '' });
  const status = el('p', { class: 'exercise-status', role: 'status', 'aria-live': 'polite' });
  const hintText = el('p', { class: 'exercise-hint', hidden: true });
  const reveal = el('div', { class: 'exercise-reveal', hidden: true, tabindex: '-1' });
  const body = el('div', { class: 'exercise-body' });
  const buttons = el('div', { class: 'exercise-buttons' });
  const button = (text, action, on) => {
    const b = el('button', { type: 'button', 'data-action': action, text });
    b.addEventListener('click', on);
    return b;
  };
  const id = `ex-${name.replace('/', '-')}`;
  block.replaceChildren(printed, el('div', { class: 'exercise-live' },
    el('p', { class: 'exercise-q', id: `${id}-q` }, el('span', { class: 'exercise-kind', text: `${KINDS[ex.kind]}. ` }), question),
    body, buttons, hintText, status, reveal,
  ));
  block.setAttribute('role', 'group');
  block.setAttribute('aria-labelledby', `${id}-q`);

  let started = !ex.conceal && !ex.setup;
  let done = false;
  let sketch = null;
  let guess = null;
  const showQuestion = () => {
    question.textContent = ex.question(started ? fig.state : asked(ex, fig));
    if (printQuestion) printQuestion.textContent = question.textContent;
  };

  /** Shows the simulator's answer with the reasoning, and keeps and reports the reader's. */
  const commit = (correct, answer, key, text) => {
    done = true;
    fig.conceal(false);
    if (sketch) {
      fig.overlays[ex.canvas] = (spec) => ({ ...spec, series: [...spec.series, { label: 'your guess', color: 5, width: 3, values: guess }] });
      sketch.stop();
      fig.request();
    }
    status.textContent = text;
    status.className = `exercise-status ${correct ? 'right' : 'wrong'}`;
    const see = document.getElementById(ex.see);
    reveal.replaceChildren(
      el('p', { class: 'exercise-answer', text: ex.explain(key, fig.state) }),
      ...(reasoning ? [reasoning.cloneNode(true)] : []),
      ...(see && !document.documentElement.classList.contains('embed')
        ? [el('p', {}, el('a', { href: `#${ex.see}`, text: `Read: ${see.querySelector('h2, h3')?.textContent ?? 'the passage that explains it'}` }))]
        : []),
    );
    reveal.hidden = false;
    render();
    const record = { correct, answer, at: new Date().toISOString() };
    save(name, record);
    const message = { type: 'weight-init:answer', figure: ex.figure, exercise: ex.id, correct, answer };
    fig.element.dispatchEvent(new CustomEvent('weight-init:answer', { bubbles: true, detail: message }));
    if (embedded) window.parent.postMessage(message, '*');
  };

  const keyNow = () => answerKey(ex, { ...fig.state }, fig.def);
  const checking = async (fn) => {
    status.className = 'exercise-status';
    status.textContent = 'Checking with the simulator…';
    try {
      await fn(await keyNow());
    } catch (e) {
      status.textContent = `The answer could not be checked: ${e.message ?? e}`;
    }
  };

  const start = () => {
    started = true;
    if (ex.setup) fig.choose(ex.setup(fig.state), { commit: true });
    if (ex.conceal) fig.conceal(true, `The pictures are hidden until you answer the exercise below: ${ex.question(fig.state)}`);
    if (ex.kind === 'sketch') {
      sketch = sketchPad(fig, ex, (values) => {
        guess = values;
        body.querySelector('input').value = knotText(values, firstLayer());
      });
      answerKey(ex, { ...fig.state }, fig.def).then((key) => {
        // While the reader draws, the chart keeps its axes (reaching `bounds`, so that they do
        // not give the curve away) and hides its lines.
        fig.overlays[ex.canvas] = (spec) => ({
          ...spec,
          series: [...spec.series.map((s) => ({ ...s, ghost: true })), { label: '', color: 0, ghost: true, values: key.bounds }],
        });
        fig.request();
        sketch.start();
        // The chart may be a screen above the exercise: bring it to the reader.
        fig.canvases[ex.canvas].scrollIntoView({ block: 'center', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
      });
    }
    render();
  };
  const firstLayer = () => (ex.figure === 'residual' ? 0 : 1);

  /** The controls for the current step: a Start button, the answer's input, or Try again. */
  const render = () => {
    showQuestion();
    body.replaceChildren();
    buttons.replaceChildren();
    if (done) {
      buttons.append(button('Try again', 'retry', () => {
        done = false;
        started = !ex.conceal && !ex.setup;
        delete fig.overlays[ex.canvas];
        sketch = null;
        guess = null;
        reveal.hidden = true;
        status.textContent = '';
        fig.request();
        render();
      }));
      return;
    }
    if (!started) {
      buttons.append(button(ex.conceal ? 'Start: hide the figure and set it up' : 'Start: set the figure up', 'start', start));
      return;
    }
    const hint = button('Hint', 'hint', () => {
      hintText.textContent = `Hint: ${ex.hint(fig.state)}`;
      hintText.hidden = false;
    });
    if (ex.kind === 'choose') {
      const group = `${id}-options`;
      const fieldset = el('fieldset', { class: 'exercise-options' }, el('legend', { class: 'visually-hidden', text: 'Options' }));
      for (const [value, label] of ex.options(fig.state)) {
        fieldset.append(el('label', {}, el('input', { type: 'radio', name: group, value }), ` ${label}`));
      }
      body.append(fieldset);
      buttons.append(button('Check', 'check', () => {
        const picked = fieldset.querySelector('input:checked');
        if (!picked) {
          status.textContent = 'Pick one of the options first.';
          return;
        }
        checking((key) => {
          const correct = picked.value === key.answer;
          const right = ex.options(fig.state).find(([v]) => v === key.answer)?.[1];
          commit(correct, picked.value, key, correct ? 'Right.' : `Not quite: the answer is “${right}”.`);
        });
      }), hint);
    } else if (ex.kind === 'estimate') {
      const input = el('input', { type: 'text', inputmode: 'decimal', id: `${id}-value`, autocomplete: 'off', 'aria-describedby': `${id}-q` });
      body.append(el('label', { for: `${id}-value`, text: 'Your estimate ' }), input);
      const check = () => {
        const value = parseNumber(input.value);
        if (!Number.isFinite(value)) {
          status.textContent = 'Type a number, such as 0.002, 2e-3 or 2^-9.';
          return;
        }
        checking((key) => {
          const { correct, within } = judgeEstimate(ex, value, key.answer);
          commit(correct, value, key, `${correct ? 'Right' : 'Not quite'}: the simulator gives ${fmt(key.answer)}; an answer ${within} counts (yours: ${fmt(value)}).`);
        });
      };
      input.addEventListener('keydown', (e) => e.key === 'Enter' && check());
      buttons.append(button('Check', 'check', check), hint);
    } else if (ex.kind === 'sketch') {
      const input = el('input', { type: 'text', id: `${id}-values`, autocomplete: 'off', 'aria-describedby': `${id}-help` });
      body.append(
        el('label', { for: `${id}-values`, text: 'Your guess ' }), input,
        el('p', { class: 'hint', id: `${id}-help`, text: 'Drag across the chart to draw it, or type one value per layer, or a few pairs such as “1: 1, 10: 0.1, 20: 0.01” (joined by straight lines on the log axis).' }),
      );
      input.addEventListener('change', () => {
        const parsed = parseSketch(input.value, sketch?.n || 1, firstLayer());
        if (parsed.error) {
          status.textContent = `Your guess: ${parsed.error}.`;
          return;
        }
        status.textContent = '';
        guess = parsed.values;
        sketch?.set(guess);
      });
      buttons.append(button('Check', 'check', () => {
        if (input.value && !guess) input.dispatchEvent(new Event('change'));
        if (!guess) {
          status.textContent = 'Draw your guess on the chart, or type it, first.';
          return;
        }
        checking((key) => {
          const distance = sketchDistance(guess, key.values);
          const correct = distance <= ex.tolerance.decades;
          commit(correct, guess.map((v) => Number(v.toPrecision(3))), key,
            `${correct ? 'Close' : 'Not quite'}: your curve is on average ${fmt(distance)} decades from the simulator’s (within ${fmt(ex.tolerance.decades)} counts). It is drawn over the figure’s lines now.`);
        });
      }), hint);
    } else {
      // Find the setting: checked live on every picture the figure draws.
      body.append(el('p', { class: 'hint', text: 'Move the figure’s controls above; this is checked each time the figure redraws.' }));
      buttons.append(hint, button('Show me', 'show', () => checking((key) => {
        fig.choose(key.answer, { commit: true });
        commit(false, null, key, 'Shown: the figure is now at a setting that meets the condition.');
      })));
      liveCheck();
    }
  };

  // A setting counts once the reader has moved the figure to it: not the one it started in.
  const from = JSON.stringify(fig.state);
  let pending = false;
  const liveCheck = () => {
    if (ex.kind !== 'find' || done || pending || !started || !fig.shownData || !fig.def.compute) return;
    const { ok, text } = ex.holds(fig.shownData, fig.shownState);
    if (ok && JSON.stringify(fig.shownState) !== from) {
      pending = true;
      checking((key) => commit(true, { ...fig.shownState }, key, `Found: ${text}.`)).finally(() => { pending = false; });
    } else if (ok) {
      status.className = 'exercise-status';
      status.textContent = `The figure starts at a setting that meets it (${text}): move a control away and back, or try another.`;
    } else if (JSON.stringify(fig.shownState) !== from) {
      status.className = 'exercise-status';
      status.textContent = `Not yet: ${text}.`;
    }
  };
  fig.element.addEventListener('weight-init:drawn', () => {
    if (!done) showQuestion();
    liveCheck();
  });

  const before = saved()[name];
  render();
  if (before) {
    status.textContent = `You answered this before (${before.correct ? 'right' : 'not right'}); answer again if you like.`;
  }
  return { exercise: ex, block };
}

/** Every exercise's name, in the article's order. */
export const names = () => EXERCISES.map((e) => `${e.figure}/${e.id}`);
