// Mounts one of the explainer's figures into this course page, with a chosen state and the fixed-σ
// slider hidden.
import { mount } from '../explainer/www/explainer.js';

const figure = await mount(document.getElementById('mounted-he'), {
  figure: 'he',
  state: { layers: 40 },
  hide: ['sigma'],
});

// A course page can drive the figure too, e.g. from its own buttons.
window.courseFigure = figure;
