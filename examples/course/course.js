// Mounts one of the explainer's figures into this course page with a chosen state, and sizes the
// embedded frame to its figure (this page's Content-Security-Policy allows no inline script, so the
// listener the embed code carries comes from the explainer's module instead).
import { followEmbedHeights, mount } from '../explainer/www/explainer.js';

followEmbedHeights();

const figure = await mount(document.getElementById('mounted-he'), {
  figure: 'he',
  state: { layers: 40 },
  hide: ['layers'],
});

// A course page can drive the figure too, e.g. from its own buttons.
window.courseFigure = figure;
