// Lessons: a teacher's sequence of figures, each in a state they set, with controls hidden,
// exercises picked and a sentence of their own, as one link:
//
//   index.html?steps=he,explorer&he.layers=40&hide=he.sigma&ex=he/level,explorer/xavier-relu
//             &note.he=Start%20here&title=Week%203
//
// `steps` lists the figures in order (each once), their states and hidden controls are the
// page's usual `figure.key` and `hide` parameters, `ex` the exercises (all of a step's figure when
// it names none of them), `note.<figure>` the teacher's sentence for that step, `title` the
// lesson's. Everything from the link is shown as text, never as markup. A lesson opens as steps
// with Previous and Next and ends with the learner's answers on one screen, to copy or print.
//
// `?builder=1` is the lesson builder: it mounts each chosen figure so that its state is set with
// the figure's own controls, and writes the link and its embed code as the teacher goes.
import { el } from './figure/dom.js';
import { FIGURES, mount, stateToParams } from './explainer.js';
import { embedCode } from './figure/exports.js';
import { askedState, EXERCISES, needs } from './exercises/index.js';
import { defaults } from './figure/state.js';
import { saved } from './exercises/progress.js';

const KINDS = { choose: 'choose', estimate: 'estimate', sketch: 'sketch', find: 'find the setting' };
const MAX_NOTE = 600;
const MAX_TITLE = 120;

/** A lesson read from link parameters: `{ title, steps: [{ figure, note }], exercises }` (unknown names dropped). */
export function lessonFrom(params) {
  const figures = [...new Set((params.get('steps') ?? '').split(',').map((s) => s.trim()))]
    .filter((name) => Object.hasOwn(FIGURES, name) && document.getElementById(`fig-${name}`));
  const named = new Set((params.get('ex') ?? '').split(',').map((s) => s.trim()));
  const exercises = EXERCISES.filter((e) => named.has(`${e.figure}/${e.id}`)).map((e) => `${e.figure}/${e.id}`);
  const hidden = (params.get('hide') ?? '').split(',').map((s) => s.trim());
  return {
    hidden,
    title: (params.get('title') ?? '').slice(0, MAX_TITLE),
    steps: figures.map((figure) => ({ figure, note: (params.get(`note.${figure}`) ?? '').slice(0, MAX_NOTE) })),
    exercises,
  };
}

/** The link parameters of a lesson (its figures' states and hidden controls added by the caller). */
export function lessonParams(lesson, params = new URLSearchParams()) {
  params.set('steps', lesson.steps.map((s) => s.figure).join(','));
  if (lesson.title) params.set('title', lesson.title);
  if (lesson.exercises.length) params.set('ex', lesson.exercises.join(','));
  for (const s of lesson.steps) if (s.note) params.set(`note.${s.figure}`, s.note);
  return params;
}

/**
 * Which exercises a step shows: the lesson's picks for its figure, or all of them if it picked
 * none; never one that has to move a control the lesson hides.
 */
const stepExercises = (lesson, figure) => {
  const picked = lesson.exercises.filter((n) => n.startsWith(`${figure}/`));
  const start = defaults(FIGURES[figure]);
  return (picked.length ? picked : EXERCISES.filter((e) => e.figure === figure).map((e) => `${e.figure}/${e.id}`))
    .filter((n) => !needs(EXERCISES.find((e) => `${e.figure}/${e.id}` === n), start).some((k) => (lesson.hidden ?? []).includes(`${figure}.${k}`)));
};

/**
 * Turns the page into the lesson: the steps' figures (with their captions and chosen exercises)
 * one at a time, then the learner's answers. Call before the figures are mounted: only the
 * steps' figures stay in the page.
 */
export function showLesson(lesson) {
  const figures = lesson.steps.map((s) => document.getElementById(`fig-${s.figure}`));
  for (const [k, f] of figures.entries()) {
    const keep = new Set(stepExercises(lesson, lesson.steps[k].figure));
    for (const b of f.querySelectorAll('.exercise[data-exercise]')) if (!keep.has(b.dataset.exercise)) b.remove();
  }
  const status = el('p', { class: 'lesson-progress', 'aria-live': 'polite' });
  const bar = el('progress', { max: lesson.steps.length + 1, value: 1, 'aria-hidden': 'true' });
  const note = el('p', { class: 'lesson-note' });
  const heading = el('h2', { class: 'lesson-step', tabindex: '-1' });
  const prev = el('button', { type: 'button', 'data-action': 'previous', text: '← Previous' });
  const next = el('button', { type: 'button', 'data-action': 'next', text: 'Next →' });
  const summary = el('section', { class: 'lesson-summary', hidden: true });
  const stage = el('div', { class: 'lesson-stage' }, ...figures);
  const root = el('main', { class: 'lesson' },
    el('header', { class: 'lesson-head' },
      el('p', { class: 'kicker', text: 'Weight Initialization & Why It Matters · a lesson' }),
      el('h1', { text: lesson.title || 'A lesson on weight initialization' }), bar, status),
    heading, note, stage, summary,
    el('nav', { class: 'lesson-nav', 'aria-label': 'Lesson steps' }, prev, next));
  document.body.replaceChildren(root);
  document.documentElement.classList.add('lesson-view');

  let at = 0;
  const go = (k) => {
    at = Math.max(0, Math.min(lesson.steps.length, k));
    const last = at === lesson.steps.length;
    figures.forEach((f, i) => { f.hidden = i !== at; });
    summary.hidden = !last;
    note.hidden = last || !lesson.steps[at]?.note;
    if (!last) {
      const def = FIGURES[lesson.steps[at].figure];
      heading.textContent = `Step ${at + 1} of ${lesson.steps.length}: ${def.title}`;
      note.textContent = lesson.steps[at].note;
    } else {
      heading.textContent = 'Your answers';
      showAnswers(lesson, summary);
    }
    status.textContent = last ? `All ${lesson.steps.length} steps done.` : `Step ${at + 1} of ${lesson.steps.length}.`;
    bar.value = at + 1;
    prev.disabled = at === 0;
    next.disabled = last;
    next.textContent = at === lesson.steps.length - 1 ? 'See your answers →' : 'Next →';
    heading.focus({ preventScroll: true });
    window.scrollTo({ top: 0 });
    // A figure that was hidden draws now that it shows (see explainer.js's observer).
    window.dispatchEvent(new Event('resize'));
  };
  prev.addEventListener('click', () => go(at - 1));
  next.addEventListener('click', () => go(at + 1));
  go(0);
  return { go };
}

/** The learner's answers to the lesson's exercises on one screen, with Copy and Print. */
function showAnswers(lesson, box) {
  const answers = saved();
  const names = lesson.steps.flatMap((s) => stepExercises(lesson, s.figure));
  const rows = names.map((name) => {
    const ex = EXERCISES.find((e) => `${e.figure}/${e.id}` === name);
    const a = answers[name];
    const given = a === undefined ? 'not answered'
      : `${a.correct ? 'right' : 'not right'}${a.answer === null || a.answer === undefined ? ' (shown)' : `: ${typeof a.answer === 'object' ? JSON.stringify(a.answer) : String(a.answer)}`}`;
    const state = window.explainer?.figures?.get(ex.figure)?.state ?? defaults(FIGURES[ex.figure]);
    return { figure: FIGURES[ex.figure].title, kind: KINDS[ex.kind], question: ex.question(askedState(ex, state)), given };
  });
  const text = [lesson.title || 'A lesson on weight initialization', ...rows.map((r, i) => `${i + 1}. [${r.figure}, ${r.kind}] ${r.question}\n   ${r.given}`)].join('\n');
  const list = el('ol', { class: 'lesson-answers' }, ...rows.map((r) => el('li', {},
    el('strong', { text: `${r.figure} (${r.kind}). ` }), r.question, el('br'), el('em', { text: r.given }))));
  const out = el('textarea', { readonly: true, rows: Math.min(12, rows.length + 2), 'aria-label': 'Your answers, to copy' });
  out.value = text;
  const copy = el('button', { type: 'button', 'data-action': 'copy-answers', text: 'Copy my answers' });
  const told = el('p', { class: 'share-status', 'aria-live': 'polite' });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      told.textContent = 'Copied.';
    } catch {
      out.select();
      told.textContent = 'Select the text and copy it.';
    }
  });
  const print = el('button', { type: 'button', 'data-action': 'print-answers', text: 'Print' });
  print.addEventListener('click', () => window.print());
  box.replaceChildren(
    el('p', { text: `${rows.filter((r) => r.given.startsWith('right')).length} of ${rows.length} answered right. Your answers are kept in this browser only.` }),
    list, out, el('div', { class: 'exercise-buttons' }, copy, print), told);
}

/**
 * The lesson builder in `root`: pick figures in order, set each one's state with its own
 * controls, hide controls, pick exercises, add a sentence; the link and its embed code follow.
 * (One function: its parts share the list of steps and the `write` that turns it into the link.)
 */
export function showBuilder(root, base = new URL(window.location.href)) {
  const steps = [];
  const title = el('input', { type: 'text', id: 'lesson-title', maxlength: MAX_TITLE, autocomplete: 'off' });
  const pick = el('select', { id: 'lesson-add' }, ...Object.values(FIGURES).map((d) => el('option', { value: d.name, text: d.title })));
  const add = el('button', { type: 'button', 'data-action': 'add-step', text: 'Add this figure' });
  const list = el('ol', { class: 'builder-steps' });
  const link = el('textarea', { readonly: true, rows: 3, id: 'lesson-link' });
  const embed = el('textarea', { readonly: true, rows: 4, id: 'lesson-embed' });
  const open = el('a', { href: '#', 'data-action': 'open-lesson', target: '_blank', rel: 'noopener', text: 'Open the lesson' });

  const write = () => {
    const u = new URL(base);
    u.hash = '';
    const p = new URLSearchParams();
    const lesson = { title: title.value.trim(), steps: steps.map((s) => ({ figure: s.figure, note: s.note.value.trim() })), exercises: steps.flatMap((s) => s.exercises()) };
    lessonParams(lesson, p);
    const hide = [];
    for (const s of steps) {
      stateToParams(s.figure, s.fig.state, p);
      hide.push(...s.hidden().map((k) => `${s.figure}.${k}`));
    }
    if (hide.length) p.set('hide', hide.join(','));
    u.search = p.toString();
    link.value = steps.length ? u.href : '';
    embed.value = steps.length ? embedCode(u.href, { title: lesson.title || 'A lesson on weight initialization', embedHeight: 1200 }) : '';
    open.href = steps.length ? u.href : '#';
    open.hidden = !steps.length;
  };

  const addStep = async (name) => {
    if (steps.some((s) => s.figure === name)) return;
    const def = FIGURES[name];
    const slot = el('div', { class: 'builder-figure' });
    const note = el('textarea', { class: 'builder-note', id: `note-${name}`, rows: 2, maxlength: MAX_NOTE });
    const hides = el('fieldset', { class: 'builder-hide' }, el('legend', { text: 'Hide (these stay as you set them)' }),
      ...def.controls.map((c) => el('label', {}, el('input', { type: 'checkbox', value: c.key }), ` ${c.label}`)));
    const mine = EXERCISES.filter((e) => e.figure === name);
    const exs = el('fieldset', { class: 'builder-exercises' }, el('legend', { text: 'Exercises' }),
      ...mine.map((e) => el('label', {}, el('input', { type: 'checkbox', value: `${e.figure}/${e.id}`, checked: true }), ` ${e.kind}: ${e.question(askedState(e, defaults(def)))}`)));
    const up = el('button', { type: 'button', text: '↑', 'aria-label': `Move “${def.title}” up` });
    const remove = el('button', { type: 'button', text: 'Remove', 'aria-label': `Remove “${def.title}”` });
    const item = el('li', { class: 'builder-step', 'data-step': name },
      el('h3', { text: def.title }), slot,
      el('label', { for: `note-${name}`, text: 'Your sentence for this step' }), note, hides, exs, el('div', { class: 'exercise-buttons' }, up, remove));
    list.append(item);
    const step = {
      figure: name, item, note,
      hidden: () => [...hides.querySelectorAll('input:checked')].map((i) => i.value),
      exercises: () => [...exs.querySelectorAll('input:checked')].map((i) => i.value),
      fig: null,
    };
    steps.push(step);
    step.fig = await mount(slot, { figure: name, onChange: write, link: () => base.href });
    // An exercise that has to move a control the lesson hides cannot be offered with it.
    const offer = () => {
      const hidden = new Set(step.hidden());
      for (const box of exs.querySelectorAll('input')) {
        const ex = mine.find((e) => `${e.figure}/${e.id}` === box.value);
        const blocked = needs(ex, step.fig.state).filter((k) => hidden.has(k));
        box.disabled = blocked.length > 0;
        if (box.disabled) box.checked = false;
        box.parentElement.title = blocked.length ? `It moves ${blocked.map((k) => def.controls.find((c) => c.key === k).label).join(' and ')}, which this lesson hides.` : '';
      }
    };
    hides.addEventListener('change', offer);
    for (const input of item.querySelectorAll('input, textarea')) input.addEventListener('input', write);
    hides.addEventListener('change', write);
    up.addEventListener('click', () => {
      const k = steps.indexOf(step);
      if (k <= 0) return;
      [steps[k - 1], steps[k]] = [steps[k], steps[k - 1]];
      list.insertBefore(item, steps[k].item);
      write();
    });
    remove.addEventListener('click', () => {
      steps.splice(steps.indexOf(step), 1);
      step.fig.destroy();
      item.remove();
      write();
    });
    write();
  };
  add.addEventListener('click', () => addStep(pick.value));
  title.addEventListener('input', write);
  root.replaceChildren(
    el('h1', { text: 'Build a lesson' }),
    el('p', { text: 'Add figures in the order you want them, set each one with its own controls, hide the controls your students should not move, pick the exercises and add a sentence of your own. The link below opens the lesson as steps; the embed code puts it in a course page.' }),
    el('div', { class: 'control' }, el('label', { for: 'lesson-title', text: 'Lesson title' }), title),
    el('div', { class: 'controls' }, el('div', { class: 'control' }, el('label', { for: 'lesson-add', text: 'Figure' }), pick), el('div', { class: 'control' }, add)),
    list,
    el('h2', { text: 'The lesson' }),
    el('label', { for: 'lesson-link', text: 'Link' }), link,
    el('label', { for: 'lesson-embed', text: 'Embed code' }), embed, el('p', {}, open));
  write();
  return { addStep, steps, write };
}
