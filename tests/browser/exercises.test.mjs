// The exercises as a reader meets them in the built page: one of each kind answered wrong, then
// right (the feedback announced in a status line, the figure hidden until a prediction is
// committed, the sketch drawn over the chart), progress kept in the browser and forgotten on
// request, an embedded figure telling its host about an answer, the page without JavaScript,
// and the handout's page count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { session, open, ready, drawn, settled, fingerprints } from './helpers.mjs';
import { serve } from './server.mjs';

const s = session();

/** The live exercise block `name` (figure/id), once its figure is mounted and it is enhanced. */
async function live(page, name) {
  const block = page.locator(`.exercise[data-exercise="${name}"]`);
  await block.scrollIntoViewIfNeeded();
  await page.waitForSelector(`.exercise[data-exercise="${name}"][data-live]`);
  return block;
}

/** The exercise's status line once it says something other than "Checking…". */
async function verdict(block) {
  const status = block.locator('.exercise-live .exercise-status');
  await status.filter({ hasNotText: /Checking/ }).filter({ hasText: /./ }).waitFor();
  return { text: await status.textContent(), cls: await status.getAttribute('class'), live: await status.getAttribute('aria-live') };
}

test('choose, from the keyboard: a wrong option, then the right one; progress kept, then forgotten', async () => {
  const { page, errors, context } = await open(s, 'index.html#fig-hiking');
  await ready(page);
  const block = await live(page, 'hiking/gradient');
  // Tab to the first option and move with the arrow keys, as a keyboard reader does.
  await block.locator('input[type="radio"]').first().focus();
  await page.keyboard.press('ArrowDown'); // "about as large"
  await block.locator('[data-action="check"]').press('Enter');
  let v = await verdict(block);
  assert.match(v.cls, /wrong/);
  assert.match(v.text, /about a billion times smaller/);
  assert.equal(v.live, 'polite', 'the feedback is announced');
  assert.match(await block.locator('.exercise-answer').textContent(), /times the one at layer 20/);
  await block.locator('[data-action="retry"]').click();
  await block.locator('input[value="billion"]').check();
  await block.locator('[data-action="check"]').click();
  v = await verdict(block);
  assert.match(v.cls, /right/);
  // The first answer counts; trying again after seeing the key is practice.
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('weight-init:answers')));
  assert.equal(kept['hiking/gradient'].correct, false);
  assert.equal(kept['hiking/gradient'].answer, 'same');
  assert.equal(kept['hiking/gradient'].attempts, 2);
  assert.deepEqual(kept['hiking/gradient'].last, { correct: true, answer: 'billion' });
  const progress = page.locator('#progress');
  assert.match(await progress.textContent(), /1 of 16 \(0 right the first time\)/);
  // A reload shows the answer given before.
  await page.reload();
  await ready(page);
  const again = await live(page, 'hiking/gradient');
  assert.match(await again.locator('.exercise-status').first().textContent(), /answered this before \(not right the first time\)/);
  await page.click('[data-action="reset-answers"]');
  assert.match(await progress.textContent(), /0 of 16/);
  assert.equal(await page.evaluate(() => localStorage.getItem('weight-init:answers')), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('estimate: the explorer hides its pictures until the prediction is in; wrong, then right', async () => {
  const { page, errors, context } = await open(s, 'index.html#fig-explorer');
  await ready(page);
  await drawn(page, 'explorer');
  const block = await live(page, 'explorer/xavier-relu');
  const canvas = page.locator('#fig-explorer canvas[data-canvas="variance"]');
  assert.equal(await canvas.evaluate((c) => getComputedStyle(c).visibility), 'visible');
  await block.locator('[data-action="start"]').click();
  // The setting the question is about, hidden until the answer is in.
  assert.equal(await page.inputValue('#fig-explorer select[data-control="scheme"]'), 'xavier-normal');
  assert.equal(await canvas.evaluate((c) => getComputedStyle(c).visibility), 'hidden');
  assert.equal(await page.locator('#fig-explorer .veil').isVisible(), true);
  // Nor can the numbers be had another way: the exports and the other exercises' lines wait too.
  assert.equal(await page.locator('#fig-explorer .figure-tools').evaluate((e) => getComputedStyle(e).visibility), 'hidden');
  assert.equal(await page.locator('.exercise[data-exercise="explorer/gradient-level"] .exercise-status').evaluate((e) => getComputedStyle(e).visibility), 'hidden');
  const input = block.locator('.exercise-body input');
  await input.fill('1e-3');
  await input.press('Enter');
  let v = await verdict(block);
  assert.match(v.cls, /wrong/);
  assert.match(v.text, /the simulator gives 1\.97e−6; an answer within a factor of 2 counts/);
  // While it waited, the figure's exports and its other exercises' lines were hidden too.
  assert.equal(await canvas.evaluate((c) => getComputedStyle(c).visibility), 'visible', 'shown once answered');
  await block.locator('[data-action="retry"]').click();
  await block.locator('[data-action="start"]').click();
  await input.fill('2^-19');
  await block.locator('[data-action="check"]').click();
  v = await verdict(block);
  assert.match(v.cls, /right/);
  // A lesson link's state changes the key: at 10 layers the answer is ½⁹ of layer 1.
  await page.goto(new URL('index.html?explorer.layers=10#fig-explorer', s.server.url).href);
  await ready(page);
  const ten = await live(page, 'explorer/xavier-relu');
  assert.match(await ten.locator('[data-question]').last().textContent(), /at layer 10\?/);
  await ten.locator('[data-action="start"]').click();
  await ten.locator('.exercise-body input').fill('0.002');
  await ten.locator('[data-action="check"]').click();
  v = await verdict(ten);
  assert.match(v.cls, /right/, v.text);
  assert.deepEqual(errors, []);
  await context.close();
});

test('sketch: typed and drawn guesses over the residual figure\'s own axes; wrong, then right', async () => {
  const { page, errors, context } = await open(s, 'index.html#fig-residual');
  await ready(page);
  await drawn(page, 'residual');
  const block = await live(page, 'residual/pre-norm');
  await block.locator('[data-action="start"]').click();
  await settled(page, 'residual');
  const pad = page.locator('#fig-residual canvas.sketch-pad');
  await pad.waitFor();
  // While sketching, the chart keeps its axes and hides its lines: few coloured pixels.
  const [empty] = await fingerprints(page, '#fig-residual canvas[data-canvas="forward"]');
  // A drag from the left to the right fills the guess box with layer: value pairs.
  const box = await pad.boundingBox();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.7);
  await page.mouse.down();
  for (let k = 1; k <= 12; k++) await page.mouse.move(box.x + box.width * (0.2 + 0.06 * k), box.y + box.height * (0.7 - 0.02 * k));
  await page.mouse.up();
  // While the reader draws, the guess box and Check sit under the chart.
  const input = page.locator('#fig-residual .sketch-dock .exercise-body input');
  assert.match(await input.inputValue(), /^0: [\d.e+-]+, \d+: /);
  // A typed guess replaces it: doubling, as without normalization, is far off.
  await input.fill('0: 1, 50: 1e15');
  await input.dispatchEvent('change');
  await page.locator('#fig-residual .sketch-dock [data-action="check"]').click();
  let v = await verdict(block);
  assert.match(v.cls, /wrong/);
  assert.match(v.text, /decades from the simulator’s/);
  await settled(page, 'residual');
  const [withGuess] = await fingerprints(page, '#fig-residual canvas[data-canvas="forward"]');
  assert.ok(withGuess.ink > empty.ink, `the lines and the guess are drawn after answering (${withGuess.ink} against ${empty.ink} pixels)`);
  await block.locator('[data-action="retry"]').click();
  await block.locator('[data-action="start"]').click();
  await input.fill('0: 1, 50: 51');
  await input.dispatchEvent('change');
  await page.locator('#fig-residual .sketch-dock [data-action="check"]').click();
  v = await verdict(block);
  assert.match(v.cls, /right/, v.text);
  assert.deepEqual(errors, []);
  await context.close();
});

test('find the setting: checked live as the slider moves; not yet, then found', async () => {
  const { page, errors, context } = await open(s, 'index.html#fig-he');
  await ready(page);
  await drawn(page, 'he');
  const block = await live(page, 'he/level');
  const slider = page.locator('#fig-he input[data-control="sigma"]');
  const move = async (v) => {
    await slider.evaluate((el, x) => {
      el.value = x;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, String(v));
    await settled(page, 'he');
  };
  await move(-0.5);
  let v = await verdict(block);
  assert.match(v.text, /Not yet: the fixed σ ends at/);
  await slider.focus();
  // From the keyboard: −0.5 down to −0.75, five steps of 0.05.
  for (let k = 0; k < 5; k++) await page.keyboard.press('ArrowLeft');
  await settled(page, 'he');
  await block.locator('.exercise-status.right').waitFor();
  v = await verdict(block);
  assert.match(v.text, /Found: the fixed σ ends at/);
  assert.match(await block.locator('.exercise-answer').textContent(), /σ = 0\.178/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an embedded figure posts each committed answer to its host page', async () => {
  const hosts = mkdtempSync(join(tmpdir(), 'answers-'));
  writeFileSync(join(hosts, 'host.html'), `<!doctype html><meta charset="utf-8"><title>host</title>
<script>window.answers = []; addEventListener('message', (e) => { if (e.data?.type === 'weight-init:answer') window.answers.push(e.data); });</script>
<iframe src="${s.server.url}index.html?embed=symmetry" width="760" height="1200" style="border:0"></iframe>`);
  const host = await serve(hosts);
  const context = await s.browser.newContext({ viewport: { width: 800, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${host.url}host.html`);
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  await frame.waitForSelector('html[data-ready]');
  const block = frame.locator('.exercise[data-exercise="symmetry/rows"]');
  await block.scrollIntoViewIfNeeded();
  await frame.waitForSelector('.exercise[data-exercise="symmetry/rows"][data-live]');
  await block.locator('input[value="ten"]').check();
  await block.locator('[data-action="check"]').click();
  await page.waitForFunction(() => window.answers.length === 1);
  assert.deepEqual(await page.evaluate(() => window.answers), [{ type: 'weight-init:answer', figure: 'symmetry', exercise: 'rows', correct: false, answer: 'ten', attempt: 1 }]);
  await context.close();
  await host.close();
});

test('without JavaScript every exercise reads as a question with its answer and reasoning', async () => {
  const context = await s.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(new URL('index.html', s.server.url).href);
  const blocks = await page.$$eval('.exercise', (bs) => bs.map((b) => ({
    question: b.querySelector('[data-question]')?.textContent.trim(),
    answer: b.querySelector('details [data-explain]')?.textContent.trim(),
    reasoning: b.querySelector('details .reasoning')?.textContent.trim(),
  })));
  assert.equal(blocks.length, 16);
  for (const b of blocks) {
    assert.ok(b.question.length > 30 && b.answer.length > 20 && b.reasoning.length > 80, JSON.stringify(b));
  }
  await context.close();
});

/** Pages in a PDF made by Chromium. */
const pages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

test('the handout: the article prints in at most 16 A4 pages, the 20-minute version in at most 8, the guide with its answers', async () => {
  const { page, context } = await open(s, 'index.html');
  await ready(page);
  // "Print a handout" draws every figure first, as its button does before the print dialog.
  await page.evaluate(() => window.explainer.prepareHandout());
  assert.equal(await page.locator('.figure-slot:not([data-drawn])').count(), 0, 'every figure has its picture');
  const whole = pages(await page.pdf({ format: 'A4', preferCSSPageSize: true }));
  const { page: short } = await open(s, 'index.html?path=short');
  await ready(short);
  await short.evaluate(() => window.explainer.prepareHandout());
  assert.equal(await short.locator('#edge').isVisible(), false, 'the short path leaves out the later sections');
  assert.equal(await short.locator('#spread').isVisible(), false, 'and the first half’s asides');
  assert.match(await short.locator('#progress').textContent(), / 0 of 7 /, 'its seven exercises');
  const brief = pages(await short.pdf({ format: 'A4', preferCSSPageSize: true }));
  const { page: guide } = await open(s, 'index.html?guide=1');
  await ready(guide);
  await guide.waitForFunction(() => [...document.querySelectorAll('[data-explain]')].every((p) => !/could not/.test(p.textContent)));
  await guide.emulateMedia({ media: 'print' });
  assert.equal(await guide.locator('.exercise details').first().isVisible(), true, 'the guide prints the answers');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.exercise details').first().isVisible(), false, 'the handout leaves room instead');
  assert.equal(await page.locator('#fig-explorer .controls').isVisible(), false, 'no controls on paper');
  assert.match(await page.locator('#fig-explorer .print-settings').textContent(), /^Settings: Scheme /);
  console.log(`handout: ${whole} pages for the article, ${brief} for the 20-minute version`);
  assert.ok(whole <= 16, `${whole} pages`);
  assert.ok(brief <= 8, `${brief} pages`);
  await context.close();
});
