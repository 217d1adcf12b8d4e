// The code panel: code to take away for each network a figure shows — PyTorch, Keras, Flax, and a
// NumPy script that runs it and prints the numbers — from www/code.js, which is fetched the first
// time a reader opens a panel (it is not part of the first view).
//
// `def.codes(state, data)` lists the networks as [label, config, generator, options] (generator an
// export of code.js, frameworkCode when absent), from the state and the numbers on screen; a
// figure of one network gives `def.config(state)` instead. The configs may leave fields out: the
// panel fills them in from the schema (`withDefaults`) before code.js writes the code.
import { el, download } from './dom.js';
import { count } from '../format.js';

let codeModule = null;
let codeLoading = null;
const loadCode = () => {
  codeLoading ??= import('../code.js').then((m) => { codeModule = m; });
  return codeLoading;
};

const FRAMEWORKS = [['pytorch', 'PyTorch'], ['keras', 'Keras'], ['flax', 'JAX / Flax'], ['numpy', 'NumPy (runs it, prints the numbers)']];

/** How many numbers the network file of a complete `simulate` config holds: input, weights, biases, noise. */
function networkSize(config) {
  const { layers, width } = config;
  const { samples, features } = codeModule.inputShape(config.input);
  return (samples + layers) * width + features * (samples + width) + (layers - 1) * width * width;
}

/** What the NumPy script reproduces of the figure, in one sentence. */
function numpyNote(generator, config, options, fits) {
  const { seed } = config;
  if (generator !== 'frameworkCode') {
    return 'The NumPy script draws its own random numbers (NumPy\'s generator, not the simulator\'s): it prints the same statistics over seeds, not this figure\'s exact numbers.';
  }
  if (options.draws > 1) {
    return `The figure shows the median and the 10 % and 90 % points over ${count(options.draws)} networks; so does the NumPy script (draws = ${options.draws}), over networks from NumPy's generator: the same statistics, up to the noise of a finite number of draws. Set draws = 1 for one network, or download the network of seed ${seed} to print the simulator's own.`;
  }
  return fits
    ? `The NumPy script draws its own network with NumPy's generator (seed ${seed}), so its numbers differ from the figure's draw while following the same statistics over seeds. To print the figure's own numbers, download this network and set network_file to its path.`
    : `The NumPy script draws its own network with NumPy's generator (seed ${seed}): the same statistics over seeds, not this draw's numbers. This network is too large to offer as a file; a smaller depth or width can be downloaded and reproduced exactly.`;
}

/** The code panel of `fig` (null for a figure without networks); `render()` refreshes it when open. */
export function buildCodePanel(fig, share) {
  const { def } = fig;
  const listed = def.codes ? (state) => def.codes(state, fig.shownData) : def.config ? (state) => [[def.title, def.config(state)]] : null;
  if (!listed) return { panel: null, render() {} };
  // Each network's config completed from its generator's schema.
  const codes = (state) => listed(state).map(([label, config, generator = 'frameworkCode', options = {}]) =>
    [label, fig.wasm.withDefaults(codeModule.GENERATORS[generator], config), generator, options]);
  const panel = el('details', { class: 'code' },
    el('summary', { text: 'Code for this setting: PyTorch, Keras, Flax, NumPy' }),
    el('div', { class: 'code-bar' },
      def.codes ? el('label', {}, 'Network ', el('select', { 'data-code': 'network' })) : '',
      el('label', {}, 'Framework ', el('select', { 'data-code': 'framework' },
        ...FRAMEWORKS.map(([value, text]) => el('option', { value, text })))),
      el('button', { type: 'button', 'data-action': 'copy-code', text: 'Copy code' }),
      el('button', { type: 'button', 'data-action': 'network-file', text: 'Download this network' })),
    el('p', { class: 'code-note', 'data-code': 'note' }),
    el('pre', {}, el('code', {})),
    el('p', { class: 'code-defaults', text: 'When you write nothing:' }),
    el('ul', { class: 'code-defaults' }));
  const out = panel.querySelector('pre code');
  const network = panel.querySelector('[data-code="network"]');
  const chosen = () => codes(fig.shownState ?? fig.state)[Math.max(0, network ? network.selectedIndex : 0)];
  const render = () => {
    if (!panel.open) return;
    if (!codeModule) {
      loadCode().then(() => {
        panel.querySelector('ul.code-defaults').replaceChildren(...codeModule.DEFAULTS.map(([who, what, url]) => el('li', {}, `${who}: ${what} `, el('a', { href: url, text: 'documentation' }))));
        render();
      }, (e) => { out.textContent = `The code could not be loaded: ${e?.message ?? e}`; });
      return;
    }
    const list = codes(fig.shownState ?? fig.state);
    // A figure whose code needs its numbers writes it once they are on screen.
    if (!list.length) {
      out.textContent = '';
      return;
    }
    let k = 0;
    if (network) {
      // The labels follow the state (a fixed σ's value); the choice is kept by position.
      k = Math.min(list.length - 1, Math.max(0, network.selectedIndex));
      network.replaceChildren(...list.map(([label], i) => el('option', { value: String(i), text: label })));
      network.selectedIndex = k;
    }
    const which = panel.querySelector('[data-code="framework"]').value;
    const [, config, generator, options] = list[k];
    out.textContent = codeModule[generator](config, options)[which];
    // The file that makes the NumPy script print the figure's own numbers: a plain network of at
    // most NETWORK_FILE_LIMIT numbers.
    const fileButton = panel.querySelector('[data-action="network-file"]');
    const fits = generator === 'frameworkCode' && networkSize(config) <= codeModule.NETWORK_FILE_LIMIT;
    fileButton.hidden = generator !== 'frameworkCode';
    fileButton.disabled = !fits;
    panel.querySelector('[data-code="note"]').textContent = numpyNote(generator, config, options, fits);
  };
  panel.addEventListener('toggle', render);
  for (const select of panel.querySelectorAll('select')) select.addEventListener('change', render);
  panel.querySelector('[data-action="copy-code"]').addEventListener('click', () => share(out.textContent, 'Code for this setting:'));
  panel.querySelector('[data-action="network-file"]').addEventListener('click', () => {
    const [, config] = chosen();
    download(`${fig.name}-network.json`, 'application/json', codeModule.networkFile(config, fig.wasm.draws(config)));
  });
  return { panel, render };
}
