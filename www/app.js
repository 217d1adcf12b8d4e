// The article page: mounts every figure into its slot, keeps every control in the URL (links
// reproduce exactly what was shown; the back button steps through committed changes), and
// serves the chrome-less embed view `?embed=<figure>`.
import {
  FIGURES, load, mount, painted, prewarm, stateFromParams, stateToParams,
} from './explainer.js';
import { forget, saved } from './exercises/progress.js';

const params = new URLSearchParams(window.location.search);
const mounted = new Map();

/** A quiet notice at the top of the page (or of the embedded figure); text only, never markup. */
function notice(text, where = document.querySelector('main')) {
  const p = document.createElement('p');
  p.className = 'notice';
  p.setAttribute('role', 'status');
  p.textContent = text;
  where.prepend(p);
}

function pageLink(name, state) {
  const u = new URL(window.location.href);
  const p = new URLSearchParams(u.search);
  p.delete('embed');
  stateToParams(name, state, p);
  u.search = p.toString();
  u.hash = `fig-${name}`;
  return u.href;
}

// One history entry per committed change (a released slider, a chosen option, a button). Values
// passed through while dragging reach the URL at most every 250 ms (browsers throttle the history
// API), and the commit writes the final one as a new entry.
let pending = null;
let timer = 0;

function writeUrl(push) {
  if (!pending) return;
  const search = pending.toString();
  pending = null;
  if (search === window.location.search.replace(/^\?/, '') && !push) return;
  const url = `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`;
  if (push && search !== window.location.search.replace(/^\?/, '')) window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}

function onChange(name) {
  return (state, { commit }) => {
    pending = stateToParams(name, state, pending ?? new URLSearchParams(window.location.search));
    clearTimeout(timer);
    if (commit) writeUrl(true);
    else timer = setTimeout(() => writeUrl(false), 250);
  };
}

/**
 * The numbers of the page's first figure at its defaults, put into the page when it was built
 * (see scripts/trunk-post-build.mjs): that picture is drawn without waiting for a worker.
 */
let frame;
function firstFrame(name) {
  if (frame === undefined) {
    // Read once; the block is in the head, before any figure's slot.
    try {
      frame = JSON.parse(document.getElementById('first-frame')?.textContent ?? 'null');
    } catch {
      frame = null;
    }
  }
  return frame?.figure === name ? frame : undefined;
}

function mountSlot(slot, state, hidden) {
  const name = slot.dataset.figureMount;
  return mount(slot, {
    figure: name, state, hide: hidden, first: firstFrame(name), link: (s) => pageLink(name, s), onChange: onChange(name),
  });
}

// This module loads `async`: it starts fetching and compiling the WebAssembly while the page is
// still being parsed, and draws the first figure as soon as both are ready; the rest are mounted
// once the whole document is there.
const early = new Map();
// The first figure's worker (or the embedded one's) starts now, while the page is still being
// parsed and its WebAssembly compiles: the article's first figure is `intro`.
prewarm(params.get('embed') ?? document.querySelector('[data-figure-mount]')?.dataset.figureMount ?? 'intro');
const firstDraw = load().then(async () => {
  const slot = document.querySelector('[data-figure-mount]');
  if (!slot || params.has('embed') || params.has('steps') || params.has('builder') || document.readyState !== 'loading') return;
  const { state, hidden } = stateFromParams(slot.dataset.figureMount, params);
  early.set(slot, await mountSlot(slot, state, hidden));
});

/**
 * In the embed view inside a frame: tells the host page the height the figure needs, now and
 * whenever it changes, as `{ type: 'weight-init:height', figure, height }` (CSS pixels) posted to
 * the parent with target origin '*': the message carries no data of the host's, and the listener
 * in the embed code matches it to its frame by `event.source`. A `{ type: 'weight-init:height?' }`
 * from the parent asks for the height again.
 */
function tellHeight(figure) {
  if (window.parent === window) return;
  let last = 0;
  const post = () => {
    const style = getComputedStyle(document.body);
    const height = Math.ceil(document.body.getBoundingClientRect().height
      + parseFloat(style.marginTop) + parseFloat(style.marginBottom));
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'weight-init:height', figure, height }, '*');
  };
  new ResizeObserver(post).observe(document.body);
  // A host whose listener started after the last report asks again.
  addEventListener('message', (e) => {
    if (e.source !== window.parent || e.data?.type !== 'weight-init:height?') return;
    last = 0;
    post();
  });
  post();
}

/** The parts of the first half's sections that the 20-minute version leaves out. */
const LONG_PARTS = ['xavier-tanh', 'spread', 'digits', 'adam'];

/**
 * `?path=short`, the 20-minute version: the sections marked data-short (a bad start, symmetry,
 * the experiment, Xavier, He, does it train), without their longer asides, with their exercises.
 */
function shortPath() {
  document.documentElement.classList.add('short');
  for (const id of LONG_PARTS) {
    // An aside runs from its heading to the next heading (or the end of its section).
    const head = document.getElementById(id);
    for (let n = head; n; n = n.nextElementSibling) {
      if (n !== head && /^H[23]$/.test(n.tagName)) break;
      n.dataset.long = '';
    }
  }
  for (const li of document.querySelectorAll('.toc li')) {
    const id = li.querySelector('a')?.getAttribute('href')?.slice(1);
    if (document.getElementById(id)?.hasAttribute('data-short')) li.dataset.short = '';
  }
  const full = new URL(window.location.href);
  full.searchParams.delete('path');
  const p = document.createElement('p');
  p.className = 'notice';
  p.append('This is the 20-minute version: the first half of the article with its exercises. ');
  const a = document.createElement('a');
  a.href = full.href;
  a.textContent = 'Read the whole article';
  p.append(a, '.');
  document.querySelector('main').prepend(p);
}

/**
 * `?guide=1`, the teacher's guide: every exercise with its answer and reasoning open, each
 * answer computed for its figure's state (a lesson link's state changes it), ready to print.
 */
async function teachersGuide() {
  document.documentElement.classList.add('guide');
  const [{ askedState, exercise }, { answerKey }] = await Promise.all([import('./exercises/index.js'), import('./simulation.js')]);
  for (const block of document.querySelectorAll('.exercise[data-exercise]')) {
    block.querySelector('details')?.setAttribute('open', '');
    const ex = exercise(block.dataset.exercise);
    const fig = mounted.get(ex?.figure);
    if (!ex || !fig) continue;
    const state = askedState(ex, fig.state);
    const slot = block.querySelector('[data-explain]');
    block.querySelector('[data-question]').textContent = ex.question(state);
    answerKey(ex, state, FIGURES[ex.figure]).then(async (key) => {
      slot.textContent = ex.explain(ex.kind === 'find' ? await answerKey(ex, { ...state, ...key.answer }, FIGURES[ex.figure]) : key,
        ex.kind === 'find' ? { ...state, ...key.answer } : state);
    }, (e) => { slot.textContent = `The answer could not be computed: ${e.message ?? e}`; });
  }
}

/**
 * Draws every figure (the ones never scrolled to have no picture yet), waits until each shows
 * its numbers, then opens the print dialog: the handout, or with `?guide=1` the teacher's guide.
 */
async function prepareHandout(button) {
  const label = button?.textContent;
  // The figures the page shows (the 20-minute version leaves some out).
  const figures = [...mounted.values()].filter((fig) => fig.element.checkVisibility?.() !== false);
  let done = 0;
  const tell = () => { if (button) button.textContent = `Drawing the figures… ${done} of ${figures.length}`; };
  tell();
  // A figure has its picture once it has drawn the numbers of its newest state.
  const shown = (fig) => new Promise((resolve) => {
    const check = () => {
      if (fig.drawn === 0 || !fig.settled()) return;
      fig.element.removeEventListener('weight-init:drawn', check);
      done++;
      tell();
      resolve();
    };
    fig.element.addEventListener('weight-init:drawn', check);
    fig.visible = true;
    fig.draw();
    check();
  });
  await Promise.all(figures.map(shown));
  if (button) button.textContent = label;
}

/** `?builder=1`: the lesson builder instead of the article (see lesson.js). */
async function builder() {
  const { showBuilder } = await import('./lesson.js');
  const root = document.createElement('main');
  root.className = 'builder';
  document.body.replaceChildren(root);
  window.explainer = { builder: showBuilder(root) };
  document.documentElement.dataset.started = '';
  document.documentElement.dataset.ready = 'true';
}

/** `?steps=…`: the lesson the link describes, its steps' figures only (see lesson.js). */
async function lesson() {
  const { lessonFrom, showLesson } = await import('./lesson.js');
  const read = lessonFrom(params);
  if (read.steps.length) window.lesson = showLesson(read);
  else notice('This lesson link names no figure of the article; showing the whole article instead.');
}

async function start() {
  if (params.get('path') === 'short') shortPath();
  await firstDraw;
  if (params.get('builder') === '1') {
    await builder();
    return;
  }
  const embed = params.get('embed');
  const embedding = embed !== null && Object.hasOwn(FIGURES, embed);
  if (!embedding && params.has('steps')) await lesson();
  if (embedding) {
    document.documentElement.classList.add('embed');
    const figure = document.getElementById(`fig-${embed}`);
    document.body.replaceChildren(figure);
  } else if (embed !== null) {
    notice('This link asks to embed a figure that does not exist; showing the whole article instead.');
  }

  const rejected = [];
  // Until the first figure is on the screen, the sections below it are not laid out (see the
  // stylesheet); then each is laid out in the task that mounts its first figure, one figure per
  // task, so that the page (and a worker waiting to start) gets the main thread in between.
  const sections = [...document.querySelectorAll('main > section')];
  let laid = 0;
  const layOut = (upTo) => {
    for (; laid <= upTo && laid < sections.length; laid++) sections[laid].dataset.laid = '';
  };
  let first = true;
  for (const slot of document.querySelectorAll('[data-figure-mount]')) {
    const name = slot.dataset.figureMount;
    const { state, hidden, rejected: bad } = stateFromParams(name, params);
    rejected.push(...bad);
    if (!first) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      layOut(sections.indexOf(slot.closest('main > section')));
    }
    const fig = early.get(slot) ?? await mountSlot(slot, state, hidden);
    mounted.set(name, fig);
    if (first) await painted();
    first = false;
  }
  document.documentElement.dataset.started = '';
  if (embedding) tellHeight(embed);
  else if (window.lesson) tellHeight('lesson');
  if (rejected.length) {
    const where = embedding ? document.body : document.querySelector('main');
    notice(`Some settings in this link were not understood and were left at their defaults: ${rejected.join(', ')}.`, where);
  }

  // A figure asks to show a network in another one (the edge of chaos → the explorer): set it
  // and scroll to it when it is on this page, otherwise open the article there.
  document.addEventListener('weight-init:open', (e) => {
    const { figure, state } = e.detail ?? {};
    const target = mounted.get(figure);
    if (target && !embedding) {
      target.choose(state, { commit: true });
      document.getElementById(`fig-${figure}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    } else if (FIGURES[figure]) {
      window.open(pageLink(figure, { ...Object.fromEntries(FIGURES[figure].controls.map((c) => [c.key, c.default])), ...state }), '_blank', 'noopener');
    }
  });

  window.addEventListener('popstate', () => {
    const now = new URLSearchParams(window.location.search);
    for (const [name, fig] of mounted) fig.set(stateFromParams(name, now).state, { silent: true });
  });
  window.explainer = { figures: mounted, simulate: (await load()).simulate };
  if (params.get('guide') === '1') await teachersGuide();
  else exercisesWhenReached(embedding || Boolean(window.lesson));
  window.explainer.prepareHandout = prepareHandout;
  const printButton = document.querySelector('[data-action="print-handout"]');
  if (printButton && !embedding) {
    printButton.hidden = false;
    printButton.addEventListener('click', () => prepareHandout(printButton).then(() => window.print()));
  }
  document.documentElement.dataset.ready = 'true';
}

/**
 * The exercises under the figures become live (figure/exercise.js, loaded when the first one
 * comes near the screen, or before printing the teacher's guide); until then, and without
 * JavaScript, each reads as a question with its answer in a <details>.
 */
let exerciseModule = null;
const WAKE = ['scroll', 'pointerdown', 'keydown', 'focusin', 'touchstart'];
const loadExercises = () => {
  exerciseModule ??= import('./figure/exercise.js');
  return exerciseModule;
};
function exercisesWhenReached(embedding) {
  const blocks = [...document.querySelectorAll('.exercise[data-exercise]')];
  const enhance = (block) => {
    // A reader reading the page's own answer keeps it until they close it.
    const details = block.querySelector('details');
    if (details?.open) {
      details.addEventListener('toggle', () => enhance(block), { once: true });
      return;
    }
    loadExercises().then((m) => {
      const fig = mounted.get(block.dataset.exercise.split('/')[0]);
      if (fig) m.enhance(block, fig, { embedded: embedding && window.parent !== window });
    });
  };
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      io.unobserve(e.target);
      enhance(e.target);
    }
  }, { rootMargin: '600px 0px' });
  // Not in the first view's budget: the exercises load once the reader scrolls, points, types or
  // tabs (the first one sits under the first figure).
  const begin = (e) => {
    // Opening an exercise's answer before the exercises load is reading it, not a start.
    if (e?.target?.closest?.('.exercise')) return;
    for (const kind of WAKE) removeEventListener(kind, begin, true);
    for (const b of blocks) io.observe(b);
  };
  // An embedded figure is all its page has: its exercises load with it.
  if (embedding) begin();
  else for (const kind of WAKE) addEventListener(kind, begin, { capture: true, passive: true });
  showProgress(blocks.length);
}

/** "Exercises answered here: 3 of 16 (2 right)" in the contents, with a way to forget them. */
function showProgress(total) {
  const line = document.getElementById('progress');
  if (!line || !total) return;
  const text = line.querySelector('[data-show="progress"]');
  const update = () => {
    const answers = saved();
    // The exercises this page shows (the 20-minute version leaves some out).
    const shown = [...document.querySelectorAll('.exercise[data-exercise]')].filter((b) => b.checkVisibility?.() !== false);
    const names = new Set(shown.map((b) => b.dataset.exercise));
    const mine = Object.entries(answers).filter(([k]) => names.has(k));
    text.textContent = `Exercises answered in this browser: ${mine.length} of ${names.size} (${mine.filter(([, a]) => a.correct).length} right the first time).`;
  };
  line.querySelector('[data-action="reset-answers"]').addEventListener('click', forget);
  document.addEventListener('weight-init:progress', update);
  update();
  line.hidden = false;
}

/**
 * Display equations and wide tables that scroll sideways on a narrow screen say so: a box whose
 * content is wider than it fades out on the side where more is hidden (classes `more-left`,
 * `more-right`, kept current as it scrolls and resizes).
 */
function scrollCues() {
  const update = (el) => {
    const hidden = el.scrollWidth - el.clientWidth;
    el.classList.toggle('more-left', hidden > 1 && el.scrollLeft > 1);
    el.classList.toggle('more-right', hidden > 1 && el.scrollLeft < hidden - 1);
  };
  const ro = new ResizeObserver((entries) => { for (const e of entries) update(e.target); });
  for (const el of document.querySelectorAll('p.math, .table-wrap')) {
    ro.observe(el);
    el.addEventListener('scroll', () => update(el), { passive: true });
  }
}
scrollCues();

const begin = () => start().catch((e) => {
  document.documentElement.dataset.started = '';
  notice(`The figures could not start: ${e.message ?? e}`);
  console.error(e);
});
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', begin);
else begin();
