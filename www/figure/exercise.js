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
import { askedState, exercise as byName, needs } from '../exercises/index.js';
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


/**
 * The sketch's drawing surface over the figure's canvas: the pointer's path becomes per-layer
 * values through the chart's plot area (its x range and log y range), painted as the reader draws.
 */
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
      wrap.classList.remove('sketch-host');
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

/** A button with its `data-action` and click handler. */
function button(text, action, on) {
  const b = el('button', { type: 'button', 'data-action': action, text });
  b.addEventListener('click', on);
  return b;
}

/** The simulator's answer, the page's reasoning and a link to the passage, under the verdict. */
function showReveal(x, key) {
  const { ex, fig, reveal, reasoning } = x;
  const see = document.getElementById(ex.see);
  const heading = see && (see.matches('h2, h3') ? see : see.querySelector('h2, h3'));
  reveal.replaceChildren(
    el('p', { class: 'exercise-answer', text: ex.explain(key, fig.state) }),
    ...(reasoning ? [reasoning.cloneNode(true)] : []),
    ...(see && !document.documentElement.classList.contains('embed')
      ? [el('p', {}, el('a', { href: `#${ex.see}`, text: `Read: ${heading?.textContent ?? 'the passage that explains it'}` }))]
      : []),
  );
  reveal.hidden = false;
}

/** Starts a sketch: the pad over the chart, whose lines hide (its axes reach the key's bounds). */
function startSketch(x) {
  const { ex, fig, body } = x;
  x.sketch = sketchPad(fig, ex, (values) => {
    x.guess = values;
    body.querySelector('input').value = knotText(values, x.firstLayer);
  });
  answerKey(ex, { ...fig.state }, fig.def).then((key) => {
    // While the reader draws, the chart keeps its axes (reaching `bounds`, so that they do not
    // give the curve away) and hides its lines.
    fig.overlays[ex.canvas] = (spec) => ({
      ...spec,
      series: [...spec.series.map((s) => ({ ...s, ghost: true })), { label: '', color: 0, ghost: true, values: key.bounds }],
    });
    fig.request();
    x.sketch.start();
    // The answer's parts move under the chart while the reader draws (on a phone the exercise
    // can be screens below it), and back when they have answered.
    fig.canvases[ex.canvas].parentElement.after(x.dock);
    x.dock.append(x.body, x.buttons, x.hintText, x.status);
    // The chart may be a screen above the exercise: bring it to the reader.
    fig.canvases[ex.canvas].scrollIntoView({ block: 'center', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
  });
}

/**
 * What the reader answers with, per kind: each fills `x.body` and `x.buttons` (after the Hint
 * button `hint`) and commits through `x.checking` and `x.commit`.
 */
const ANSWER = {
  choose(x, hint) {
    const { ex, fig, id } = x;
    const fieldset = el('fieldset', { class: 'exercise-options' }, el('legend', { class: 'visually-hidden', text: 'Options' }));
    for (const [value, label] of ex.options(fig.state)) {
      fieldset.append(el('label', {}, el('input', { type: 'radio', name: `${id}-options`, value }), ` ${label}`));
    }
    x.body.append(fieldset);
    x.buttons.append(button('Check', 'check', () => {
      const picked = fieldset.querySelector('input:checked');
      if (!picked) {
        x.status.textContent = 'Pick one of the options first.';
        return;
      }
      x.checking((key) => {
        const correct = picked.value === key.answer;
        const right = ex.options(fig.state).find(([v]) => v === key.answer)?.[1];
        x.commit(correct, picked.value, key, correct ? 'Right.' : `Not quite: the answer is “${right}”.`);
      });
    }), hint);
  },
  estimate(x, hint) {
    const { ex, id } = x;
    const input = el('input', { type: 'text', inputmode: 'decimal', id: `${id}-value`, autocomplete: 'off', 'aria-describedby': `${id}-q` });
    x.body.append(el('label', { for: `${id}-value`, text: 'Your estimate ' }), input);
    const check = () => {
      const value = parseNumber(input.value);
      if (!Number.isFinite(value)) {
        x.status.textContent = 'Type a number, such as 0.002, 2e-3 or 2^-9.';
        return;
      }
      x.checking((key) => {
        const { correct, within } = judgeEstimate(ex, value, key.answer);
        x.commit(correct, value, key, `${correct ? 'Right' : 'Not quite'}: the simulator gives ${fmt(key.answer)}; an answer ${within} counts (yours: ${fmt(value)}).`);
      });
    };
    input.addEventListener('keydown', (e) => e.key === 'Enter' && check());
    x.buttons.append(button('Check', 'check', check), hint);
  },
  sketch(x, hint) {
    const { ex, id } = x;
    const input = el('input', { type: 'text', id: `${id}-values`, autocomplete: 'off', 'aria-describedby': `${id}-help` });
    x.body.append(
      el('label', { for: `${id}-values`, text: 'Your guess ' }), input,
      el('p', { class: 'hint', id: `${id}-help`, text: 'Drag across the chart to draw it, or type one value per layer, or a few pairs such as “1: 1, 10: 0.1, 20: 0.01” (joined by straight lines on the log axis).' }),
    );
    input.addEventListener('change', () => {
      const parsed = parseSketch(input.value, x.sketch?.n || 1, x.firstLayer);
      if (parsed.error) {
        x.status.textContent = `Your guess: ${parsed.error}.`;
        return;
      }
      x.status.textContent = '';
      x.guess = parsed.values;
      x.sketch?.set(x.guess);
    });
    x.buttons.append(button('Check', 'check', () => {
      if (input.value && !x.guess) input.dispatchEvent(new Event('change'));
      if (!x.guess) {
        x.status.textContent = 'Draw your guess on the chart, or type it, first.';
        return;
      }
      x.checking((key) => {
        const distance = sketchDistance(x.guess, key.values);
        const correct = distance <= ex.tolerance.decades;
        x.commit(correct, x.guess.map((v) => Number(v.toPrecision(3))), key,
          `${correct ? 'Close' : 'Not quite'}: your curve is on average ${fmt(distance)} decades from the simulator’s (within ${fmt(ex.tolerance.decades)} counts). It is drawn over the figure’s lines now.`);
      });
    }), hint);
  },
  // Find the setting: checked live on every picture the figure draws (see `liveCheck`).
  find(x, hint) {
    x.body.append(el('p', { class: 'hint', text: 'Move the figure’s controls above; this is checked each time the figure redraws.' }));
    x.buttons.append(hint, button('Show me', 'show', () => x.checking((key) => {
      x.fig.choose(key.answer, { commit: true });
      x.commit(false, null, key, 'Shown: the figure is now at a setting that meets the condition.');
    })));
    liveCheck(x);
  },
};

/**
 * A find-the-setting exercise's check on the picture the figure shows: found once the reader has
 * moved the figure to a setting that meets the condition (not the one it started in).
 */
function liveCheck(x) {
  const { ex, fig, status } = x;
  if (ex.kind !== 'find' || x.done || x.pending || !x.started || !fig.shownData || !fig.def.compute) return;
  const { ok, text } = ex.holds(fig.shownData, fig.shownState);
  const now = JSON.stringify(fig.shownState);
  const moved = now !== x.from && now !== fig.exerciseSet;
  if (ok && moved) {
    x.pending = true;
    x.checking((key) => x.commit(true, { ...fig.shownState }, key, `Found: ${text}.`)).finally(() => { x.pending = false; });
  } else if (ok || moved) {
    status.className = 'exercise-status';
    status.textContent = ok ? `The figure starts at a setting that meets it (${text}): move a control away and back, or try another.` : `Not yet: ${text}.`;
  }
}

/** The exercise's controls for where the reader is: Start, the answer's input, or Try again. */
function render(x) {
  const { ex, fig } = x;
  x.showQuestion();
  x.body.replaceChildren();
  x.buttons.replaceChildren();
  if (x.done) {
    x.buttons.append(button('Try again', 'retry', () => {
      Object.assign(x, { done: false, started: !ex.conceal && !ex.setup, sketch: null, guess: null });
      delete fig.overlays[ex.canvas];
      x.reveal.hidden = true;
      x.status.textContent = '';
      x.status.className = 'exercise-status';
      fig.request();
      render(x);
    }));
  } else if (!x.started) {
    x.buttons.append(button(ex.conceal ? 'Start: hide the figure and set it up' : 'Start: set the figure up', 'start', () => {
      x.started = true;
      // The set-up is the first start's, so that trying again asks the same question.
      x.target ??= ex.setup?.(fig.state);
      if (x.target) {
        fig.choose(x.target, { commit: true });
        // Not a setting a find-the-setting exercise of the same figure counts as found.
        fig.exerciseSet = JSON.stringify(fig.state);
      }
      if (ex.conceal) {
        x.block.classList.add('asking');
        fig.conceal(true, `The pictures are hidden until you answer the exercise below: ${ex.question(fig.state)}`);
      }
      if (ex.kind === 'sketch') startSketch(x);
      render(x);
    }));
  } else {
    const hint = button('Hint', 'hint', () => {
      x.hintText.textContent = `Hint: ${ex.hint(fig.state)}`;
      x.hintText.hidden = false;
    });
    ANSWER[ex.kind](x, hint);
  }
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
  const id = `ex-${name.replace('/', '-')}`;
  // The page's own text stays for printing (the question, its options, room to answer); the live
  // exercise replaces it on the screen.
  const reasoning = block.querySelector('.exercise-a .reasoning')?.cloneNode(true);
  const printed = el('div', { class: 'exercise-static' }, ...block.childNodes);
  const printQuestion = printed.querySelector('[data-question]');
  const question = el('span', { 'data-question': '' });
  // The exercise's parts and where the reader is (started, done, a sketch's guess).
  const x = {
    ex, fig, id, reasoning, block, target: null,
    dock: el('div', { class: 'exercise asking sketch-dock' }),
    body: el('div', { class: 'exercise-body' }),
    buttons: el('div', { class: 'exercise-buttons' }),
    status: el('p', { class: 'exercise-status', role: 'status', 'aria-live': 'polite' }),
    hintText: el('p', { class: 'exercise-hint', hidden: true }),
    reveal: el('div', { class: 'exercise-reveal', hidden: true, tabindex: '-1' }),
    started: !ex.conceal && !ex.setup,
    done: false, pending: false, sketch: null, guess: null,
    firstLayer: ex.figure === 'residual' ? 0 : 1,
    from: JSON.stringify(fig.state),
  };
  x.showQuestion = () => {
    question.textContent = ex.question(x.started ? fig.state : askedState(ex, fig.state));
    if (printQuestion) printQuestion.textContent = question.textContent;
  };
  x.checking = async (fn) => {
    x.status.className = 'exercise-status';
    x.status.textContent = 'Checking with the simulator…';
    try {
      await fn(await answerKey(ex, { ...fig.state }, fig.def));
    } catch (e) {
      x.status.textContent = `The answer could not be checked: ${e.message ?? e}`;
    }
  };
  /** Shows the simulator's answer with the reasoning, and keeps and reports the reader's. */
  x.commit = (correct, answer, key, text) => {
    x.done = true;
    fig.conceal(false);
    block.classList.remove('asking');
    if (x.sketch) {
      fig.overlays[ex.canvas] = (spec) => ({ ...spec, series: [...spec.series, { label: 'your guess', color: 5, width: 3, values: x.guess }] });
      x.sketch.stop();
      x.live.insertBefore(x.hintText, x.reveal);
      x.live.insertBefore(x.status, x.reveal);
      x.live.insertBefore(x.buttons, x.hintText);
      x.live.insertBefore(x.body, x.buttons);
      x.dock.remove();
      fig.request();
    }
    x.status.textContent = text;
    x.status.className = `exercise-status ${correct ? 'right' : 'wrong'}`;
    showReveal(x, key);
    render(x);
    // What counts is the first answer: after seeing the key, trying again is practice. The
    // message says which attempt this is.
    const before = saved()[name];
    const attempt = (before?.attempts ?? 0) + 1;
    save(name, { correct: before ? before.correct : correct, answer: before ? before.answer : answer, attempts: attempt, last: { correct, answer }, at: new Date().toISOString() });
    const message = { type: 'weight-init:answer', figure: ex.figure, exercise: ex.id, correct, answer, attempt };
    fig.element.dispatchEvent(new CustomEvent('weight-init:answer', { bubbles: true, detail: message }));
    if (embedded) window.parent.postMessage(message, '*');
  };

  x.live = el('div', { class: 'exercise-live' },
    el('p', { class: 'exercise-q', id: `${id}-q` }, el('span', { class: 'exercise-kind', text: `${KINDS[ex.kind]}. ` }), question),
    x.body, x.buttons, x.hintText, x.status, x.reveal);
  block.replaceChildren(printed, x.live);
  // A link that fixes a control this exercise has to move leaves it out, saying so.
  const fixed = needs(ex, fig.state).filter((k) => fig.hidden.has(k));
  if (fixed.length) {
    const labels = fixed.map((k) => fig.def.controls.find((c) => c.key === k)?.label ?? k);
    x.live.replaceChildren(x.live.firstChild, el('p', { class: 'hint', text: `This link fixes ${labels.join(' and ')}, which this exercise has to move: it is left out here.` }));
    return { exercise: ex, block };
  }
  block.setAttribute('role', 'group');
  block.setAttribute('aria-labelledby', `${id}-q`);
  fig.element.addEventListener('weight-init:drawn', () => {
    if (!x.done) x.showQuestion();
    liveCheck(x);
  });
  render(x);
  const before = saved()[name];
  if (before) x.status.textContent = `You answered this before (${before.correct ? 'right' : 'not right'} the first time); answer again if you like.`;
  return { exercise: ex, block };
}
