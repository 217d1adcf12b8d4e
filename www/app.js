// The article page: mounts every figure into its slot, keeps every control in the URL (links
// reproduce exactly what was shown; the back button steps through committed changes), and
// serves the chrome-less embed view `?embed=<figure>`.
import {
  FIGURES, load, mount, painted, prewarm, stateFromParams, stateToParams,
} from './explainer.js';

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
  if (!slot || params.has('embed') || document.readyState !== 'loading') return;
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

async function start() {
  await firstDraw;
  const embed = params.get('embed');
  const embedding = embed !== null && Object.hasOwn(FIGURES, embed);
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
  document.documentElement.dataset.ready = 'true';
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
