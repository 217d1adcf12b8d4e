// Trunk post-build hook:
// 1. takes out the inline loader script Trunk injects, so the site runs under a
//    Content-Security-Policy without 'unsafe-inline' (the page's own module, www/app.js, loads the
//    WebAssembly instead);
// 2. builds the second WebAssembly module (scripts/build-deeper.sh), which the page loads when a
//    figure of the later sections comes into view;
// 3. puts the numbers of the article's first figure at its defaults into the page, as a JSON data
//    block computed here by the build's own simulator, so the first picture is drawn as soon as
//    the page's WebAssembly is ready, without waiting for a worker to start (www/app.js uses it
//    only when the figure's state is the default one);
// 4. puts that picture itself into the figure's slot, drawn as SVG by the same chart code
//    (scripts/first-frame.rs), once wide and once for narrow screens: it is on the screen at the
//    first paint, before any script has run, and stays for readers without JavaScript. The
//    figure's live canvas replaces it when the figure mounts.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.TRUNK_STAGING_DIR ?? 'dist';
const file = join(dir, 'index.html');
const html = readFileSync(file, 'utf8');
// Trunk's loader is the only inline script: a module script without a src.
let out = html.replace(/<script type="module">[\s\S]*?<\/script>\s*/g, '');
if (/<script(?![^>]*\b(src=|type="application\/json"))[^>]*>/.test(out)) {
  console.error('trunk-post-build: an inline script is left in index.html');
  process.exit(1);
}

const FIRST = 'intro';
const simulator = await import(pathToFileURL(join(dir, 'www', 'simulator.js')).href);
simulator.initSync({ module: readFileSync(join(dir, 'weight-init_bg.wasm')) });
const { FIGURES } = await import(pathToFileURL(join(dir, 'www', 'figures', 'index.js')).href);
const def = FIGURES[FIRST];
const state = Object.fromEntries(def.controls.map((c) => [c.key, c.default]));
const data = def.compute(simulator, state);
const json = JSON.stringify({ figure: FIRST, state, data }, (key, v) => {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`${FIRST}: ${key} is ${v}, which JSON cannot hold`);
  return v;
});
// A data block is never run; `<` is escaped so that no text in it can close the element.
const block = `<script type="application/json" id="first-frame">${json.replaceAll('<', '\\u003c')}</script>\n`;
out = out.replace(/<script type="application\/json" id="first-frame">[\s\S]*?<\/script>\s*/g, '');
out = out.replace('</head>', `  ${block}</head>`);

// The spec the figure's draw() hands to drawLines, and the words it gives the canvas.
let spec = null;
const recorder = { drawLines: (canvas, s) => { spec = s; return null; } };
const table = def.draw(recorder, state, { [FIRST]: {} }, { dark: false, scale: 1 }, {}, data);
if (!spec) throw new Error(`${FIRST}: its draw() did not call drawLines`);
const label = `${def.canvases[0].label} ${table.summaries[FIRST]}`;
const attr = (t) => t.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
const svg = (width, height, kind) => {
  const drawn = execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'first-frame'], {
    input: JSON.stringify({ spec, width, height }), stdio: ['pipe', 'pipe', 'inherit'],
  }).toString();
  if (!drawn.startsWith(`<svg width="${width}" height="${height}" `)) throw new Error('first-frame: not the SVG expected');
  return strokes(drawn.replace(`<svg width="${width}" height="${height}" `, `<svg class="first-frame ${kind}" role="img" aria-label="${attr(label)}" `)
    .replaceAll(' opacity="1"', '').replace(/>\s+/g, '>').replace(/\s+</g, '<'));
};
// plotters writes every grid line and every dash as an element of its own, some 190 of them per
// picture, and the browser lays out each before the first paint. Consecutive lines and polylines
// of the same stroke become one path: the same strokes, painted in the same order.
function strokes(svg) {
  const shape = /<(line|polyline) ([^>]*?)\/>/y;
  const geometry = /\s*\b(x1|y1|x2|y2|points)="([^"]*)"/g;
  let out = '';
  let run = null;
  const flush = () => {
    if (run) out += `<path fill="none" ${run.style} d="${run.d}"/>`;
    run = null;
  };
  for (let at = 0; at < svg.length;) {
    shape.lastIndex = at;
    const m = shape.exec(svg);
    if (!m) {
      flush();
      const next = svg.indexOf('<', at + 1);
      const end = next < 0 ? svg.length : next;
      out += svg.slice(at, end);
      at = end;
      continue;
    }
    const g = Object.fromEntries([...m[2].matchAll(geometry)].map(([, k, v]) => [k, v]));
    const style = m[2].replace(geometry, '').replace(/\s*\bfill="none"/, '').trim();
    const points = m[1] === 'line' ? [`${g.x1} ${g.y1}`, `${g.x2} ${g.y2}`] : g.points.trim().split(/\s+/).map((p) => p.replace(',', ' '));
    const d = `M${points[0]}${points.slice(1).map((p) => `L${p}`).join('')}`;
    if (run?.style === style) run.d += d;
    else {
      flush();
      run = { style, d };
    }
    at = shape.lastIndex;
  }
  flush();
  return out;
}
// The canvas is 3 : 1 on wide screens and 3 : 2 on narrow ones (www/style.css).
const pictures = svg(900, 300, 'wide') + svg(345, 230, 'narrow');
const slot = new RegExp(`(<div class="figure-slot" data-figure-mount="${FIRST}">)(?:<svg class="first-frame[\\s\\S]*?</svg>)*`);
if (!slot.test(out)) throw new Error(`index.html has no slot for ${FIRST}`);
out = out.replace(slot, `$1${pictures}`);

// Every module the page's first view loads (what www/app.js imports, and what those import),
// preloaded from the head so the browser fetches them at once rather than level by level. The
// modules loaded later (the code panels, the second module, the workers) are not.
const graph = new Set();
const visit = (path) => {
  if (graph.has(path)) return;
  graph.add(path);
  const text = readFileSync(join(dir, path), 'utf8');
  for (const [, spec] of text.matchAll(/^\s*(?:import|export)\s[^;'"]*?from\s*'([^']+)'/gm)) {
    const next = new URL(spec, `file:///${path}`).pathname.slice(1);
    if (!next.endsWith('weight-init.js')) visit(next);
  }
};
visit('www/app.js');
graph.delete('www/app.js');
const preloads = [...graph].sort().map((p) => `  <link rel="modulepreload" href="${p}">\n`).join('');
out = out.replace(/\s*<link rel="modulepreload"[^>]*>/g, '').replace('</head>', `${preloads}</head>`);
writeFileSync(file, out);

// The API at the site's root, where hosts load it from (README): simulator.js and deeper.js
// re-export the modules in www/, which the page imports.
for (const api of ['simulator', 'deeper']) {
  const shim = `// The explainer's ${api === 'simulator' ? '' : 'second '}API: see www/${api}.js.\nexport * from './www/${api}.js';\nexport { default } from './www/${api}.js';\n`;
  writeFileSync(join(dir, `${api}.js`), shim);
  writeFileSync(join(dir, `${api}.d.ts`), shim);
}
execFileSync('bash', ['scripts/build-deeper.sh', dir], { stdio: 'inherit' });
