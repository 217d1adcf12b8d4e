// The hiking analogy: a walker on a plateau and one on a slope, the same number of steps.

export default {
  name: 'hiking',
  title: 'The hiking analogy',
  embedHeight: 880,
  data: false,
  canvases: [{ name: 'hiking', wide: true, label: 'A loss curve over one weight: a walker on a flat plateau barely moves, while a walker on a slope reaches the valley in the same number of gradient-descent steps.' }],
  controls: [],
  draw(wasm, state, canvases, theme) {
    wasm.drawHiking(canvases.hiking, theme);
    return null;
  },
};
