// The read-out under the pointer: each drawing call is wrapped so that it also remembers where
// its plots landed and what they show; moving the pointer over a canvas then shows, in a box
// beside it, the values at that point (the numbers are in the table too, for screen readers).
import { el } from './dom.js';
import { fmt } from '../format.js';

const inside = (r, px, py) => px >= r.left && px <= r.right && py >= r.top && py <= r.bottom;

/** The values of a chart's lines at the layer nearest to x. */
function lineValues(area, spec, series, px, title) {
  const x = area.xMin + ((px - area.left) / (area.right - area.left)) * (area.xMax - area.xMin);
  const start = spec.xStart ?? 1;
  const step = spec.xStep ?? 1;
  const longest = Math.max(...series.map((line) => line.values.length));
  const i = Math.min(longest - 1, Math.max(0, Math.round((x - start) / step)));
  // An unlabelled line continues the labelled one before it (a band's other edge, one of many
  // networks): one row, the lowest to the highest of its values.
  const rows = [];
  for (const line of series) {
    if (line.label) rows.push({ label: line.label, values: [] });
    if (rows.length && i < line.values.length) rows[rows.length - 1].values.push(line.values[i]);
  }
  const range = (v) => (v.length === 1 ? fmt(v[0]) : `${fmt(Math.min(...v))} to ${fmt(Math.max(...v))}`);
  const lines = rows.filter((row) => row.values.length).map((row) => `${row.label}: ${range(row.values)}`);
  return [...(title ? [title] : []), `${spec.xLabel || 'x'} ${fmt(start + i * step)}`, ...lines];
}

/** The bin of a histogram panel under the pointer. */
function binValues(regions, spec, px, py) {
  const k = regions.findIndex((r) => r.right > r.left && inside(r, px, py));
  if (k < 0) return null;
  const { title, lo, hi, counts } = spec.panels[k];
  const r = regions[k];
  const i = Math.min(counts.length - 1, Math.floor(((px - r.left) / (r.right - r.left)) * counts.length));
  const width = (hi - lo) / counts.length;
  const total = counts.reduce((a, b) => a + b, 0);
  return [title, `values ${fmt(lo + i * width)} to ${fmt(lo + (i + 1) * width)}`, `${fmt(counts[i])} of ${fmt(total)} (${fmt((100 * counts[i]) / (total || 1))} %)`];
}

/** The cell of a grid under the pointer. */
function cellValues(regions, spec, px, py) {
  const k = regions.findIndex((r) => inside(r, px, py) && r.right > r.left);
  if (k < 0) return null;
  const { title, values } = spec.grids[k];
  const r = regions[k];
  const row = Math.min(values.length - 1, Math.floor(((py - r.top) / (r.bottom - r.top)) * values.length));
  const cols = Math.max(...values.map((v) => v.length));
  const col = Math.min(cols - 1, Math.floor(((px - r.left) / (r.right - r.left)) * cols));
  return [title, `layer ${row + 1}, neuron ${col + 1}`, `output ${fmt(values[row][col])}`];
}

/**
 * The read-out of one figure, in `grid` (the canvases' box): `drawer` is `wasm` with its
 * drawing calls wrapped to remember what they drew; `attach(canvas)` follows the pointer on it;
 * `areaOf(canvas)`, where its last line chart's plot landed (with its y range). `overlay(canvas)`
 * may give a function that changes a line chart's spec before it is drawn (an exercise's sketch:
 * the lines hidden while the reader draws, the guess drawn over them after).
 */
export function createReadout(grid, wasm, overlay = () => null) {
  // Per canvas: a function from a point in the canvas's pixels to the lines of text (or null).
  const plots = new WeakMap();
  const areas = new WeakMap();
  const box = el('div', { class: 'readout', 'aria-hidden': 'true', hidden: true });
  grid.append(box);
  const drawer = {
    ...wasm,
    drawLines(canvas, given, t) {
      const spec = overlay(canvas)?.(given) ?? given;
      const area = wasm.drawLines(canvas, spec, t);
      areas.set(canvas, area);
      const shown = spec.series.filter((line) => !line.ghost);
      plots.set(canvas, area && shown.length && ((px, py) => (inside(area, px, py) ? lineValues(area, spec, shown, px) : null)));
      return area;
    },
    drawLinePanels(canvas, spec, t) {
      const areas = wasm.drawLinePanels(canvas, spec, t);
      plots.set(canvas, (px, py) => {
        const k = areas.findIndex((a) => inside(a, px, py));
        if (k < 0) return null;
        const panel = spec.panels[k];
        return lineValues(areas[k], spec, panel.series, px, panel.title.split('\n')[0]);
      });
      return areas;
    },
    drawHistograms(canvas, spec, t) {
      const regions = wasm.drawHistograms(canvas, spec, t);
      plots.set(canvas, (px, py) => binValues(regions, spec, px, py));
      return regions;
    },
    drawGrids(canvas, spec, t) {
      const regions = wasm.drawGrids(canvas, spec, t);
      plots.set(canvas, (px, py) => cellValues(regions, spec, px, py));
      return regions;
    },
  };
  const point = (e) => {
    const canvas = e.currentTarget;
    const rect = canvas.getBoundingClientRect();
    const px = ((e.clientX - rect.left) * canvas.width) / rect.width;
    const py = ((e.clientY - rect.top) * canvas.height) / rect.height;
    const lines = plots.get(canvas)?.(px, py);
    if (!lines) {
      box.hidden = true;
      return;
    }
    box.textContent = lines.join('\n');
    box.hidden = false;
    const host = grid.getBoundingClientRect();
    const left = Math.min(e.clientX - host.left + 14, host.width - box.offsetWidth - 4);
    box.style.left = `${Math.max(4, left)}px`;
    box.style.top = `${Math.max(4, e.clientY - host.top - box.offsetHeight - 10)}px`;
  };
  return {
    drawer,
    areaOf: (canvas) => areas.get(canvas) ?? null,
    attach(canvas) {
      canvas.addEventListener('pointermove', point);
      canvas.addEventListener('pointerdown', point);
      canvas.addEventListener('pointerleave', () => { box.hidden = true; });
    },
  };
}
