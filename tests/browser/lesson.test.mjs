// Lessons: a link built in the builder opens as steps (the teacher's states, hidden controls,
// exercises and words), with Previous and Next, and ends with the learner's answers; a link's
// text is shown as text, never as markup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, open, ready, settled } from './helpers.mjs';

const s = session();

test('the builder writes a lesson link from figures set with their own controls', async () => {
  const { page, errors, context } = await open(s, 'index.html?builder=1');
  await ready(page);
  await page.fill('#lesson-title', 'Week 3');
  await page.selectOption('#lesson-add', 'he');
  await page.click('[data-action="add-step"]');
  await page.waitForSelector('.builder-step[data-step="he"] canvas');
  // The teacher sets the depth with the figure's own slider, hides σ and writes a sentence.
  const step = page.locator('.builder-step[data-step="he"]');
  await step.locator('input[data-control="layers"]').evaluate((el) => {
    el.value = '40';
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await step.locator('.builder-hide input[value="sigma"]').check();
  await step.locator('textarea.builder-note').fill('Look at <b>He</b> first.');
  await page.selectOption('#lesson-add', 'symmetry');
  await page.click('[data-action="add-step"]');
  await page.waitForSelector('.builder-step[data-step="symmetry"] canvas');
  // Symmetry first: the order is the teacher's.
  await page.locator('.builder-step[data-step="symmetry"] button', { hasText: '↑' }).click();
  const link = new URL(await page.inputValue('#lesson-link'));
  assert.equal(link.searchParams.get('steps'), 'symmetry,he');
  assert.equal(link.searchParams.get('he.layers'), '40');
  assert.equal(link.searchParams.get('hide'), 'he.sigma');
  assert.equal(link.searchParams.get('note.he'), 'Look at <b>He</b> first.');
  // He's exercise moves σ, which the lesson hides: the builder does not offer it.
  assert.equal(link.searchParams.get('ex'), 'symmetry/rows');
  assert.equal(await step.locator('.builder-exercises input[value="he/level"]').isDisabled(), true);
  assert.match(await page.inputValue('#lesson-embed'), /^<iframe src="[^"]*steps=symmetry%2Che/);
  assert.deepEqual(errors, []);
  await context.close();

  // The lesson it makes: two steps, then the answers.
  const lesson = await open(s, `${link.pathname.slice(1)}${link.search}`);
  const p = lesson.page;
  await ready(p);
  assert.match(await p.locator('.lesson-step').textContent(), /^Step 1 of 2: Identical weights/);
  assert.equal(await p.locator('#fig-he').isVisible(), false);
  await p.locator('.exercise[data-exercise="symmetry/rows"][data-live] input[value="one"]').check();
  await p.locator('.exercise[data-exercise="symmetry/rows"] [data-action="check"]').click();
  await p.locator('.exercise[data-exercise="symmetry/rows"] .exercise-status.right').waitFor();
  await p.click('[data-action="next"]');
  assert.match(await p.locator('.lesson-step').textContent(), /^Step 2 of 2: He, Xavier/);
  // The teacher's words as text, the hidden control fixed at the link's value.
  assert.equal(await p.locator('.lesson-note').textContent(), 'Look at <b>He</b> first.');
  assert.equal(await p.locator('.lesson-note b').count(), 0);
  await settled(p, 'he');
  assert.equal(await p.locator('#fig-he [data-key="sigma"]').isVisible(), false);
  assert.equal(await p.evaluate(() => window.explainer.figures.get('he').state.layers), 40);
  assert.equal(await p.locator('.exercise[data-exercise="he/level"]').count(), 0, 'an exercise that moves a hidden control is left out');
  await p.click('[data-action="next"]');
  assert.equal(await p.locator('.lesson-step').textContent(), 'Your answers');
  const summary = await p.locator('.lesson-summary').textContent();
  assert.match(summary, /1 of 1 answered right/);
  assert.match(summary, /right: one/);
  assert.match(await p.inputValue('.lesson-summary textarea'), /^Week 3\n1\. \[Identical weights/);
  await p.click('[data-action="previous"]');
  assert.match(await p.locator('.lesson-step').textContent(), /^Step 2 of 2/);
  assert.deepEqual(lesson.errors, []);
  await lesson.context.close();
});
