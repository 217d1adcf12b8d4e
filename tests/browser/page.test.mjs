// The explainer in headless Chromium: the release build (dist/, made by `trunk build --release`)
// served over loopback, driven like a reader would.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { ARTIFACTS, canvas, draws, drawn, fingerprints, open as openIn, session, setControl, settled } from './helpers.mjs';

const s = session();
before(() => mkdirSync(ARTIFACTS, { recursive: true }));

/** Opens the article, waits for its figures to mount, and collects console errors. */
async function open(options = {}) {
  const { page, errors } = await openIn(s, '', options);
  await page.waitForSelector('html[data-ready]');
  return { page, errors };
}

/** The fingerprint of one canvas, "figure/canvas". */
const pixels = async (page, name) => (await fingerprints(page, canvas(name)))[0];

/** The page's own figure table: each figure's name and the canvases its definition declares. */
const specs = (page) => page.evaluate(async () => {
  const { FIGURES } = await import('/www/figures/index.js');
  return Object.entries(FIGURES).map(([name, def]) => ({ name, canvases: def.canvases.map((c) => c.name) }));
});

test('the page loads with no console errors and every canvas draws', async () => {
  const { page, errors } = await open();
  // Training last: it stays on screen, so it redraws when its workers first report.
  const figures = (await specs(page)).sort((a, b) => (a.name === 'training') - (b.name === 'training'));
  assert.ok(figures.length >= 13, `${figures.length} figures`);
  for (const { name } of figures) await drawn(page, name);
  const names = await page.$$eval('canvas[data-canvas]', (cs) => cs.map((c) => `${c.closest('figure').id.slice(4)}/${c.dataset.canvas}`));
  assert.deepEqual(names.sort(), figures.flatMap((f) => f.canvases.map((c) => `${f.name}/${c}`)).sort());
  for (const name of names) {
    const p = await pixels(page, name);
    assert.ok(p.share > 0.01, `${name}: only ${(p.share * 100).toFixed(2)} % of its pixels are drawn`);
  }
  assert.equal(await page.locator('.status.error:not([hidden])').count(), 0, 'a figure reported an error');
  // Canvases describe what they now show, in words a screen reader can read.
  const label = await page.getAttribute('#fig-explorer canvas[data-canvas="variance"]', 'aria-label');
  assert.match(label, /Var\(Z\) goes from \S+ at layer 1 to \S+ at layer 20; theory predicts \S+\./);
  await page.screenshot({ path: `${ARTIFACTS}page.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the article reads without JavaScript: headings, prose, math and figure descriptions', async () => {
  const context = await s.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(s.server.url);
  assert.equal(await page.locator('h1').innerText(), 'Weight Initialization & Why It Matters');
  const h2 = await page.locator('h2').allInnerTexts();
  assert.deepEqual(h2, [
    'Why initialization matters', 'What goes wrong with a bad start', 'Random initialization and symmetry',
    'The experiment', 'Explore it yourself', 'Xavier initialization', 'He initialization', 'Does it train?',
    'Going deeper: the edge of chaos', 'Dynamical isometry: why orthogonal weights', 'Residual networks and normalization', 'Why attention divides by √d', 'In practice: LSUV, convolutions and biases', 'Summary',
  ]);
  assert.ok((await page.locator('math').count()) > 20, 'formulas are MathML');
  const text = await page.locator('main').innerText();
  for (const phrase of ['vanishing activations', 'exploding activations', 'second moment', '0.341', 'Xavier uniform', 'edge of chaos', 'handwritten digits', 'pre-LN', 'Fixup', 'saturated softmax', 'dynamical isometry', 'Free probability', 'LSUV', 'fan-in of 576']) {
    assert.ok(text.includes(phrase), `missing: ${phrase}`);
  }
  // Each figure describes itself in text where the canvas would be.
  const fallbacks = await page.locator('.figure-slot .fallback').allInnerTexts();
  assert.equal(fallbacks.length, 13);
  assert.ok(fallbacks.every((t) => t.length > 40));
  await context.close();
});

test('dragging the σ slider redraws the explorer while it moves and shows the value', async () => {
  const { page, errors } = await open();
  await drawn(page, 'explorer');
  const slider = page.locator('#fig-explorer [data-control="sigma"]');
  const shown = page.locator('#fig-explorer [data-show="sigma"]');
  const before = await pixels(page, 'explorer/variance');
  const valueBefore = await shown.innerText();
  await slider.scrollIntoViewIfNeeded();
  const box = await slider.boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.83, y);
  await page.mouse.down();
  const drawsBefore = await draws(page, 'explorer');
  // Redrawn during the drag, before the button is released: after each move the picture catches
  // up while the button is still down (however busy the machine, the worker answers).
  for (let k = 1; k <= 5; k++) {
    const last = await draws(page, 'explorer');
    await page.mouse.move(box.x + box.width * (0.83 - 0.08 * k), y, { steps: 2 });
    await page.waitForFunction((n) => Number(document.querySelector('#fig-explorer .figure-slot').dataset.drawn) > n, last);
  }
  const drawsDuring = await draws(page, 'explorer');
  await page.mouse.up();
  assert.ok(drawsDuring >= drawsBefore + 5, `redraws during the drag: ${drawsDuring - drawsBefore}`);
  await settled(page, 'explorer');
  const after = await pixels(page, 'explorer/variance');
  assert.notEqual(after.hash, before.hash, 'plot pixels changed');
  assert.notEqual(await shown.innerText(), valueBefore, 'the shown σ changed');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the pointer over a chart reads out the nearest layer and its values', async () => {
  const { page, errors } = await open();
  await drawn(page, 'explorer');
  await settled(page, 'explorer');
  const box = await page.locator(canvas('explorer/variance')).boundingBox();
  // Across the plot, left to right: the layer read out grows, and its Var(Z) is the table's.
  await page.locator('#fig-explorer details.numbers summary').click();
  let last = 0;
  for (const f of [0.3, 0.6, 0.9]) {
    await page.mouse.move(box.x + box.width * f, box.y + box.height * 0.5);
    const text = await page.innerText('#fig-explorer .readout');
    const layer = Number(/^layer (\d+)/.exec(text)?.[1]);
    assert.ok(layer > last, `layer ${layer} after ${last}: ${text}`);
    last = layer;
    const row = await page.$$eval('#fig-explorer .table-slot tbody tr', (rows, l) => rows[l - 1].cells[1].textContent, layer);
    assert.match(text, new RegExp(`Var\\(Z\\) measured: ${row.replace(/[.()]/g, '\\$&')}`));
  }
  await page.mouse.move(box.x - 20, box.y - 20);
  assert.equal(await page.isVisible('#fig-explorer .readout'), false, 'hidden when the pointer leaves');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the pointer reads out panels, histograms and grids too', async () => {
  const { page, errors } = await open();
  // Where a canvas's chart lies is known only in its pixels: move over a fraction of its box.
  const over = async (name, fx, fy) => {
    const box = await page.locator(canvas(name)).boundingBox();
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
    const figure = name.split('/')[0];
    return (await page.isVisible(`#fig-${figure} .readout`)) ? page.innerText(`#fig-${figure} .readout`) : null;
  };
  // The experiment's panels: the top left one is σ = 10⁻⁵, its lines read at a layer.
  await drawn(page, 'experiment');
  await settled(page, 'experiment');
  const panel = await over('experiment', 0.2, 0.35);
  assert.match(panel ?? '', /^σ = \S+\nlayer \d\nVar\(Z\), median of draws: \S+\nVar\(Z\), 10 % and 90 %: \S+ to \S+\n/, panel);
  // The explorer's histograms: a bin's range and its count out of the layer's values.
  await drawn(page, 'explorer');
  await settled(page, 'explorer');
  const hist = await over('explorer/histograms', 0.15, 0.35);
  assert.match(hist ?? '', /^layer \d+: H\nvalues \S+ to \S+\n\d+ of \d+ \(\S+ %\)$/, hist);
  // The symmetry grids: a cell's layer, neuron and output; with constant weights every neuron of
  // a layer reads the same.
  await drawn(page, 'symmetry');
  await settled(page, 'symmetry');
  const a = await over('symmetry', 0.15, 0.3);
  const b = await over('symmetry', 0.4, 0.3);
  assert.match(a ?? '', /^every weight 0\.3\nlayer (\d), neuron (\d+)\noutput \S+$/, a);
  assert.notEqual(a.split('\n')[1], b.split('\n')[1], 'another neuron');
  assert.equal(a.split('\n')[2], b.split('\n')[2], 'the same output');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the code panel writes the network shown, and follows the controls', async () => {
  const { page, errors } = await open();
  await drawn(page, 'explorer');
  await page.click('#fig-explorer details.code summary');
  // The panel fills in on its toggle event, which follows the click.
  await page.waitForFunction(() => document.querySelector('#fig-explorer details.code pre').textContent.length > 0);
  const code = () => page.innerText('#fig-explorer details.code pre');
  assert.match(await code(), /nn\.init\.normal_\(layer\.weight, mean=0\.0, std=0\.1\)/);
  await page.selectOption('#fig-explorer [data-control="scheme"]', 'he-normal');
  await settled(page, 'explorer');
  assert.match(await code(), /kaiming_normal_\(layer\.weight, mode="fan_in", nonlinearity="relu"\)/);
  await page.selectOption('#fig-explorer [data-code="framework"]', 'numpy');
  assert.match(await code(), /layers, width, features, samples = 20, 64, 64, 32/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('figures of several networks offer the code of each, and follow their controls', async () => {
  const { page, errors } = await open();
  await drawn(page, 'he');
  await page.click('#fig-he details.code summary');
  await page.waitForFunction(() => document.querySelector('#fig-he details.code pre').textContent.length > 0);
  const code = () => page.innerText('#fig-he details.code pre');
  const networks = () => page.locator('#fig-he [data-code="network"] option').allInnerTexts();
  assert.deepEqual(await networks(), ['He normal', 'Xavier normal', 'PyTorch default', 'fixed σ = 0.1']);
  assert.match(await code(), /kaiming_normal_\(layer\.weight, mode="fan_in", nonlinearity="relu"\)/);
  await page.selectOption('#fig-he [data-code="network"]', { label: 'PyTorch default' });
  assert.match(await code(), /layer\.reset_parameters\(\)/);
  // The last network follows the fixed-σ slider, in its label and its code; the choice stays.
  await page.selectOption('#fig-he [data-code="network"]', { index: 3 });
  await setControl(page, 'he', 'sigma', -2);
  await settled(page, 'he');
  assert.deepEqual((await networks())[3], 'fixed σ = 0.01');
  assert.match(await code(), /nn\.init\.normal_\(layer\.weight, mean=0\.0, std=0\.01\)/);
  await page.selectOption('#fig-he [data-code="framework"]', 'numpy');
  assert.match(await code(), /layers, width, features, samples = 30, 64, 64, 32/);
  // The Xavier figure offers its two deep networks.
  await drawn(page, 'xavier');
  await page.click('#fig-xavier details.code summary');
  await page.waitForFunction(() => document.querySelector('#fig-xavier details.code pre').textContent.length > 0);
  await page.selectOption('#fig-xavier [data-code="network"]', { label: 'Xavier uniform' });
  assert.match(await page.innerText('#fig-xavier details.code pre'), /nn\.init\.xavier_uniform_\(layer\.weight, gain=1\.0\)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the edge of chaos: a click moves the point, and the explorer opens on that network', async () => {
  const { page, errors } = await open();
  await drawn(page, 'edge');
  await settled(page, 'edge');
  assert.match(await page.innerText('#fig-edge [data-show="phase"]'), /χ₁ = 0\.939, ordered/);
  // A click far right in the diagram (σ_w² near 3.6) lands in the chaotic phase.
  const box = await page.locator(canvas('edge/phase')).boundingBox();
  await page.mouse.click(box.x + box.width * 0.85, box.y + box.height * 0.6);
  await settled(page, 'edge');
  const state = await page.evaluate(() => window.explainer.figures.get('edge').state);
  assert.ok(state.sw2 > 3 && state.sw2 <= 4, `σ_w² ${state.sw2}`);
  assert.ok(state.sb2 > 0.05 && state.sb2 < 0.45, `σ_b² ${state.sb2}`);
  assert.match(page.url(), /edge\.sw2=/);
  assert.match(await page.innerText('#fig-edge [data-show="phase"]'), /chaotic/);
  // The explorer takes the network: tanh, normal weights at the nearest σ it offers, σ_b, 256 × 40.
  await page.click('#fig-edge [data-action="open-explorer"]');
  await settled(page, 'explorer');
  const explorer = await page.evaluate(() => window.explainer.figures.get('explorer').state);
  assert.equal(explorer.activation, 'tanh');
  assert.equal(explorer.scheme, 'normal');
  assert.equal(explorer.width, 256);
  assert.equal(explorer.layers, 40);
  assert.ok(Math.abs(10 ** (2 * explorer.sigma) * 256 - state.sw2) / state.sw2 < 0.13, `σ ${explorer.sigma} for σ_w² ${state.sw2}`);
  assert.equal(explorer.sb, Number(Math.sqrt(state.sb2).toFixed(2)));
  assert.deepEqual(errors, []);
  await page.close();
});

test('residual blocks: the second module loads only when needed; pre-LayerNorm turns doubling into linear growth', async () => {
  const { page, errors } = await open();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await drawn(page, 'explorer');
  assert.ok(!requests.some((u) => u.includes('weight-init-deeper')), 'the second module loaded before its figures were near');
  await drawn(page, 'residual');
  await settled(page, 'residual');
  assert.ok(requests.some((u) => u.endsWith('weight-init-deeper_bg.wasm')));
  const table = async () => page.evaluate(() => window.explainer.figures.get('residual').table);
  let t = await table();
  // Block 50, α = 1: one network within a factor 4 of 2^50; α = 0 exactly the input's.
  const last = t.rows[50];
  assert.equal(last[2], 2 ** 50);
  assert.ok(last[1] > 2 ** 48 && last[1] < 2 ** 52, `x² ${last[1]}`);
  assert.equal(last[9], t.rows[0][9]);
  const before = await pixels(page, 'residual/forward');
  await page.selectOption('#fig-residual [data-control="norm"]', 'pre');
  await settled(page, 'residual');
  t = await table();
  assert.equal(t.rows[50][2], 51);
  assert.ok(Math.abs(t.rows[50][1] / 51 - 1) < 0.3, `pre-LN x² ${t.rows[50][1]}`);
  assert.notEqual((await pixels(page, 'residual/forward')).hash, before.hash);
  assert.match(page.url(), /residual\.norm=pre/);
  // The code follows the network: a LayerNorm, and a zero last layer for α = 0.
  await page.click('#fig-residual details.code summary');
  await page.waitForFunction(() => document.querySelector('#fig-residual details.code pre').textContent.length > 0);
  assert.match(await page.innerText('#fig-residual pre code'), /nn\.LayerNorm\(width, elementwise_affine=False\)/);
  await page.selectOption('#fig-residual [data-code="network"]', '2');
  assert.match(await page.innerText('#fig-residual pre code'), /nn\.init\.zeros_\(self\.fc2\.weight\)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('dynamical isometry: orthogonal tanh at small q* stays near 1, Gaussian spreads; raising q* or switching to ReLU spreads both', async () => {
  const { page, errors } = await open();
  await drawn(page, 'isometry');
  await settled(page, 'isometry');
  const table = () => page.evaluate(() => window.explainer.figures.get('isometry').table);
  let t = await table();
  // Rows per depth: orthogonal mean, spread, theory, Gaussian mean, spread, theory.
  let last = t.rows.at(-1);
  assert.equal(last[0], 32);
  assert.ok(last[2] < 0.05 && Math.abs(last[2] - last[3]) < 0.015, `orthogonal spread ${last[2]} vs ${last[3]}`);
  assert.ok(last[5] > 10, `Gaussian spread ${last[5]}`);
  // Its code writes the critical point the simulator computed.
  await page.click('#fig-isometry details.code summary');
  await page.waitForFunction(() => document.querySelector('#fig-isometry details.code pre').textContent.length > 0);
  const sw2 = await page.evaluate(() => window.explainer.figures.get('isometry').shownData[0].sw2);
  assert.match(await page.innerText('#fig-isometry details.code pre'), new RegExp(`^sw2, sb2 = ${String(Number(sw2.toPrecision(6))).replace('.', '\\.')}, `, 'm'));
  const before = await pixels(page, 'isometry/spectrum');
  await page.selectOption('#fig-isometry [data-control="activation"]', 'relu');
  await settled(page, 'isometry');
  t = await table();
  last = t.rows.at(-1);
  assert.equal(last[3], 32);
  assert.equal(last[6], 64);
  assert.ok(last[2] > 10, `ReLU orthogonal spread ${last[2]}`);
  assert.notEqual((await pixels(page, 'isometry/spectrum')).hash, before.hash);
  await page.selectOption('#fig-isometry [data-control="activation"]', 'linear');
  await settled(page, 'isometry');
  assert.match(await page.innerText('#fig-isometry [data-show="isometry"]'), /run from 1 to 1, 0 of 128 below 0\.01 with orthogonal weights/);
  assert.match(page.url(), /isometry\.activation=linear/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('attention: without 1/√d the softmax saturates as d grows, with it nothing changes', async () => {
  const { page, errors } = await open();
  await drawn(page, 'attention');
  await settled(page, 'attention');
  const t = await page.evaluate(() => window.explainer.figures.get('attention').table);
  // Rows d = 1 … 2048: entropy scaled, theory, unscaled, theory, largest scaled, theory, unscaled, theory.
  for (const r of t.rows) {
    for (const [m, th, tol] of [[1, 2, 0.12], [3, 4, 0.12], [5, 6, 0.04], [7, 8, 0.04]]) {
      assert.ok(Math.abs(r[m] - r[th]) < tol, `d ${r[0]}: ${t.columns[m]} ${r[m]} vs theory ${r[th]}`);
    }
  }
  assert.ok(t.rows[11][7] > 0.9 && t.rows[11][5] < 0.15, 'saturation at d = 2048 without the scale only');
  const before = await pixels(page, 'attention/weights');
  await setControl(page, 'attention', 'logd', 11);
  await settled(page, 'attention');
  assert.match(await page.innerText('#fig-attention [data-show="attention"]'), /^At d = 2048 the scores' spread is 4\d\.\d+ without the scale/);
  assert.notEqual((await pixels(page, 'attention/weights')).hash, before.hash);
  assert.match(page.url(), /attention\.logd=11/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('changing scheme and activation changes the plots', async () => {
  const { page, errors } = await open();
  await drawn(page, 'explorer');
  let last = await pixels(page, 'explorer/variance');
  for (const [control, value] of [['scheme', 'he-normal'], ['activation', 'tanh'], ['scheme', 'orthogonal']]) {
    await page.selectOption(`#fig-explorer [data-control="${control}"]`, value);
    await settled(page, 'explorer');
    const now = await pixels(page, 'explorer/variance');
    assert.notEqual(now.hash, last.hash, `${control} = ${value} changed nothing`);
    last = now;
  }
  // The gain multiplies the fan-based schemes (5/3 for tanh) and is off for σ-scaled ones.
  await setControl(page, 'explorer', 'gain', 1.67);
  await settled(page, 'explorer');
  assert.notEqual((await pixels(page, 'explorer/variance')).hash, last.hash, 'gain changed nothing');
  assert.match(page.url(), /explorer\.gain=1\.67/);
  await page.selectOption('#fig-explorer [data-control="scheme"]', 'normal');
  assert.equal(await page.locator('#fig-explorer [data-control="gain"]').isDisabled(), true);
  // tanh reports saturation instead of dead units.
  const fractions = await pixels(page, 'explorer/fraction');
  assert.ok(fractions.share > 0.01);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the sliders move with the arrow keys', async () => {
  const { page } = await open();
  await drawn(page, 'explorer');
  const depth = page.locator('#fig-explorer [data-control="layers"]');
  await depth.focus();
  const before = Number(await depth.inputValue());
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(Number(await depth.inputValue()), before + 2);
  assert.equal(await page.locator('#fig-explorer [data-show="layers"]').innerText(), String(before + 2));
  const sigma = page.locator('#fig-explorer [data-control="sigma"]');
  await sigma.focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(Number(await sigma.inputValue()), -1.05);
  assert.equal(await page.locator('#fig-explorer [data-show="sigma"]').innerText(), '0.0891');
  await page.close();
});

test('presets tell the story: He stays level, too small vanishes, too large explodes', async () => {
  const { page, errors } = await open();
  await drawn(page, 'explorer');
  const lastOverFirst = () => page.evaluate(() => {
    const rows = [...document.querySelectorAll('#fig-explorer .table-slot tbody tr')];
    const v = (r) => Number(r.cells[1].textContent.replace('−', '-'));
    return v(rows[rows.length - 1]) / v(rows[0]);
  });
  await page.locator('#fig-explorer details.numbers summary').click();
  const ratios = {};
  for (const preset of ['small', 'good', 'large']) {
    await page.click(`#fig-explorer [data-preset="${preset}"]`);
    assert.equal(await page.getAttribute(`#fig-explorer [data-preset="${preset}"]`, 'aria-pressed'), 'true');
    await settled(page, 'explorer');
    ratios[preset] = await lastOverFirst();
  }
  assert.ok(ratios.small < 1e-10, `too small: ${ratios.small}`);
  assert.ok(ratios.good > 0.05 && ratios.good < 20, `He: ${ratios.good}`);
  assert.ok(ratios.large > 1e10, `too large: ${ratios.large}`);
  await page.click('#fig-explorer [data-preset="zero"]');
  assert.deepEqual(errors, []);
  await page.close();
});

test('overflow shows as a band, not a crash, and the page keeps working', async () => {
  const { page, errors } = await open();
  await drawn(page, 'explorer');
  await page.evaluate(() => {
    const set = (name, v) => {
      const el = document.querySelector(`#fig-explorer [data-control="${name}"]`);
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    set('sigma', '1');
    set('layers', '100');
  });
  await settled(page, 'explorer');
  assert.equal(await page.locator('#fig-explorer .status.error:not([hidden])').count(), 0);
  const overflow = await page.evaluate(() => {
    const c = document.querySelector('#fig-explorer canvas[data-canvas="variance"]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let red = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] < 225 && d[i + 1] > 150 && d[i + 2] < 225) red++;
    return red / (d.length / 4);
  });
  assert.ok(overflow > 0.05, `overflow band covers ${(overflow * 100).toFixed(1)} % of the plot`);
  await page.click('#fig-explorer [data-action="reset"]');
  assert.equal(await page.locator('#fig-explorer [data-show="layers"]').innerText(), '20');
  assert.deepEqual(errors, []);
  await page.close();
});

/** The colours of a screenshot (PNG bytes), decoded in `page`: how many pixels lie within 40 of each. */
async function colours(page, png, wanted) {
  return page.evaluate(async ([b64, wanted]) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const x = c.getContext('2d');
    x.drawImage(bitmap, 0, 0);
    const d = x.getImageData(0, 0, c.width, c.height).data;
    const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return Object.fromEntries(wanted.map((hex) => {
      const [r, g, b] = rgb(hex);
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 40) n++;
      return [hex, n];
    }));
  }, [png.toString('base64'), wanted]);
}

test('the first figure is in the page itself: on screen before any script, in the reader\'s theme and width, then live', async () => {
  const { page: decoder } = await openIn(s, 'www/style.css');
  for (const [scheme, width, shown, hidden, line, background] of [
    ['light', 1280, 'wide', 'narrow', '#0072B2', '#FFFFFF'],
    ['dark', 390, 'narrow', 'wide', '#56B4E9', '#16181D'],
  ]) {
    const context = await s.browser.newContext({ javaScriptEnabled: false, colorScheme: scheme, viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(s.server.url);
    const picture = page.locator(`#fig-intro svg.first-frame.${shown}`);
    assert.ok(await picture.isVisible(), `${scheme}: the ${shown} picture shows`);
    assert.equal(await page.locator(`#fig-intro svg.first-frame.${hidden}`).isVisible(), false, `${scheme}: the ${hidden} one does not`);
    const box = await picture.boundingBox();
    assert.ok(box.width > width * 0.6 && box.height > 150, `${scheme}: ${box.width} × ${box.height} px`);
    const label = await picture.getAttribute('aria-label');
    assert.match(label, /Var\(Z\) goes from \S+ at layer 1 to \S+ at layer 50\./);
    // Both lines (one network, the average) and the theme's background, in the reader's colours.
    const found = await colours(decoder, await picture.screenshot(), [line, background]);
    assert.ok(found[line] > 500, `${scheme}: ${found[line]} pixels of the lines' ${line}`);
    assert.ok(found[background] > box.width * box.height * 0.5, `${scheme}: background ${background} (${found[background]} pixels)`);
    await context.close();
  }
  // With scripts, the live canvas takes the picture's place, saying the same numbers.
  const { page, errors } = await open();
  const built = (await (await fetch(s.server.url)).text()).match(/<svg class="first-frame wide" role="img" aria-label="([^"]*)"/)[1]
    .replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&amp;', '&');
  await drawn(page, 'intro');
  assert.equal(await page.locator('svg.first-frame').count(), 0);
  assert.equal(await page.getAttribute(canvas('intro'), 'aria-label'), built);
  assert.deepEqual(errors, []);
  await page.close();
  await decoder.close();
});

test('dark mode, a phone screen and a 2× display', async () => {
  const { page, errors } = await open({ colorScheme: 'dark', viewport: { width: 390, height: 844 }, scale: 2 });
  await drawn(page, 'experiment');
  const p = await pixels(page, 'experiment');
  const cssWidth = await page.$eval(canvas('experiment'), (c) => c.getBoundingClientRect().width);
  assert.equal(p.width, Math.round(cssWidth * 2), 'backing store is CSS size × devicePixelRatio');
  const bg = await page.evaluate(() => {
    const c = document.querySelector('#fig-experiment canvas');
    return Array.from(c.getContext('2d').getImageData(1, 1, 1, 1).data.slice(0, 3));
  });
  assert.ok(bg.every((v) => v < 60), `dark background, got ${bg}`);
  const overflowX = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(overflowX, false, 'no horizontal scrolling on a phone');
  await page.screenshot({ path: `${ARTIFACTS}phone-dark.png`, fullPage: false });
  assert.deepEqual(errors, []);
  await page.close();
});

test('figures off screen do not recompute', async () => {
  const { page } = await open();
  await page.evaluate(() => window.scrollTo(0, 0));
  const before = await draws(page, 'he');
  await page.evaluate(() => {
    const el = document.querySelector('#fig-he [data-control="layers"]');
    el.value = '40';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  assert.equal(await draws(page, 'he'), before, 'redrawn while off screen');
  await drawn(page, 'he', before + 1);
  await page.close();
});

test('no host object reaches WebAssembly while drawing: throwing getters, a tampered context, 1e308 on a log axis, empty arrays', async () => {
  const { page, errors } = await open();
  await drawn(page, 'explorer');
  const out = await page.evaluate(async () => {
    const m = await import(new URL('simulator.js', document.baseURI).href);
    const spec = { series: [{ values: [1, 2, 3], label: 'a' }] };
    const canvas = () => {
      const c = document.createElement('canvas');
      c.width = 300;
      c.height = 200;
      return c;
    };
    const lit = (c) => {
      const d = c.getContext('2d').getImageData(0, 0, 300, 200).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    };
    const message = (f) => {
      try { f(); return 'drawn'; } catch (e) { return e instanceof Error ? e.message : `not an Error: ${String(e)}`; }
    };
    // A canvas whose own width getter throws, 1,100 times: the <canvas> element's own getters read
    // its size, so every draw succeeds (the page's externref table once ran out after 1,024).
    const hostile = canvas();
    Object.defineProperty(hostile, 'width', { get() { throw new Error('w'); } });
    let drawnHostile = 0;
    for (let i = 0; i < 1100; i++) if (message(() => m.drawLines(hostile, spec, {})) === 'drawn') drawnHostile++;
    // A context whose fillText throws: an Error naming the canvas, and the next canvas still draws.
    const tampered = canvas();
    tampered.getContext('2d').fillText = () => { throw new Error('boom'); };
    const tamperedMessage = message(() => m.drawLines(tampered, spec, {}));
    const t0 = performance.now();
    const huge = message(() => m.drawLines(canvas(), { log: true, series: [{ values: [1e308] }] }, {}));
    const hugeMs = performance.now() - t0;
    const empties = [
      message(() => m.drawLines(canvas(), { series: [] }, {})),
      message(() => m.drawHistograms(canvas(), { panels: [] }, {})),
      message(() => m.drawWeights(canvas(), { samples: [] }, {})),
      message(() => m.drawGrids(canvas(), { grids: [{ values: [] }] }, {})),
    ];
    const after = canvas();
    m.drawLines(after, spec, {});
    return { drawnHostile, tamperedMessage, huge, hugeMs, empties, lit: lit(after), hostileLit: lit(hostile) };
  });
  assert.equal(out.drawnHostile, 1100, 'every draw on the canvas with a throwing getter');
  assert.ok(out.hostileLit > 1000, 'and it holds a picture');
  assert.match(out.tamperedMessage, /^canvas could not be painted on: its 2D context threw \(boom\)/);
  assert.equal(out.huge, 'drawn');
  assert.ok(out.hugeMs < 1000, `1e308 on a log axis drew in ${out.hugeMs} ms`);
  assert.match(out.empties[0], /^spec\.series must be an array of 1 to 64 objects \(got an empty array\)/);
  assert.match(out.empties[1], /^spec\.panels must be an array of 1 to \d+ objects \(got an empty array\)/);
  assert.match(out.empties[2], /^spec\.samples must be an array of 1 to \d+ objects \(got an empty array\)/);
  assert.match(out.empties[3], /^spec\.grids\[0\]\.values must be an array of 1 to \d+ arrays of numbers \(got an empty array\)/);
  assert.ok(out.lit > 1000, 'a canvas drawn after them all has its picture');
  const before = await draws(page, 'explorer');
  await page.focus('#fig-explorer [data-control="layers"]');
  await page.keyboard.press('ArrowRight');
  await drawn(page, 'explorer', before + 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the drawing functions refuse absurd specs with an Error naming the field, draw extreme data, and the page lives on', async () => {
  const { page, errors } = await open();
  await drawn(page, 'explorer');
  const outcomes = await page.evaluate(async () => {
    const m = await import(new URL('simulator.js', document.baseURI).href);
    const c = document.createElement('canvas');
    c.width = 300;
    c.height = 200;
    const tryDraw = (f) => {
      try { f(); return 'drawn'; } catch (e) { return e instanceof Error ? e.message : `not an Error: ${String(e)}`; }
    };
    return [
      tryDraw(() => m.drawLines(c, { xStart: NaN, series: [{ values: [1, 2, 3] }] }, {})),
      tryDraw(() => m.drawLines(c, { log: true, series: [{ values: [1, 1e308, 5e-324] }] }, {})),
      tryDraw(() => m.drawLines(c, { yMax: Infinity, series: [] }, {})),
      tryDraw(() => m.drawLines(c, { yMin: -1e308, yMax: 1e308, series: [] }, {})),
      tryDraw(() => m.drawWeights(c, { samples: [{ values: [-1e308, 1e308, 0] }] }, {})),
      tryDraw(() => m.drawHistograms(c, { panels: [{ lo: 1, hi: 0, counts: [1e300, Infinity] }] }, { scale: 99 })),
      tryDraw(() => m.drawLines({ getContext() { return null; } }, { series: [] }, {})),
      tryDraw(() => m.drawLines(c, new Map(), {})),
    ];
  });
  assert.match(outcomes[0], /^spec\.xStart must be a finite number/);
  assert.equal(outcomes[1], 'drawn');
  assert.match(outcomes[2], /^spec\.yMax must be a finite number/);
  assert.match(outcomes[3], /^spec\.yMin must be a finite number/);
  assert.equal(outcomes[4], 'drawn');
  assert.match(outcomes[5], /^theme\.scale must be a finite number from 0\.25 to 8/);
  assert.equal(outcomes[6], 'canvas must be a <canvas> element with a 2D context');
  assert.match(outcomes[7], /^spec must be an object .*\(got a Map\)/);
  // The module is alive: a slider still redraws the explorer.
  const before = await draws(page, 'explorer');
  await page.focus('#fig-explorer [data-control="layers"]');
  await page.keyboard.press('ArrowRight');
  await drawn(page, 'explorer', before + 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every setting the figures\' controls reach is within the simulator\'s limits', async () => {
  const { page, errors } = await open();
  // Each figure's configs (its code panel's list) with every range control at its minimum, then at
  // its maximum, under each option of each select control in turn; the simulator validates each
  // without running it.
  const refused = await page.evaluate(async () => {
    const { FIGURES } = await import('/www/figures/index.js');
    const { SimulationRun } = await import('/simulator.js');
    const out = [];
    let checked = 0;
    for (const [name, def] of Object.entries(FIGURES)) {
      // As the code panel lists them (explainer.js): `codes`, or one `config`.
      const codes = def.codes ? (st) => def.codes(st) : def.config ? (st) => [[def.title, def.config(st)]] : null;
      if (!codes) continue;
      const base = Object.fromEntries(def.controls.map((c) => [c.key, c.default]));
      const ranges = def.controls.filter((c) => c.type === 'range');
      const choices = [{}, ...def.controls.filter((c) => c.type === 'select').flatMap((c) => c.options.map(([v]) => ({ [c.key]: v })))];
      for (const end of ['min', 'max']) {
        for (const choice of choices) {
          const state = { ...base, ...Object.fromEntries(ranges.map((c) => [c.key, c[end]])), ...choice };
          // A code entry without a generator's name (the third element) is a simulate() config.
          for (const [label, config, generator] of codes(state) ?? []) {
            if (generator && generator !== 'frameworkCode') continue;
            checked++;
            try {
              new SimulationRun(config).free();
            } catch (e) {
              out.push(`${name} (${end}, ${JSON.stringify(choice)}) ${label}: ${e.message}`);
            }
          }
        }
      }
    }
    return { out, checked };
  });
  assert.ok(refused.checked > 50, `only ${refused.checked} configs checked`);
  assert.deepEqual(refused.out, []);
  assert.deepEqual(errors, []);
  await page.close();
});
