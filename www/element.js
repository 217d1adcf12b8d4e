// <init-figure>: any of the explainer's figures as an HTML element, for pages that may load a
// module script (static sites, Jupyter Book, Quarto, MkDocs, plain HTML):
//
//   <script type="module" src="https://example.org/explainer/www/element.js"></script>
//   <init-figure figure="he" layers="40" hide="sigma"></init-figure>
//
// Attributes mirror the URL keys of the figure (`layers`, `sigma`, `seed`, …; the values a link
// takes), `hide` lists controls to hide, separated by commas or spaces. Changing an attribute
// updates the figure; changing `figure` or `hide` builds it again. Every change a reader makes
// dispatches a `change` event whose `detail` is the figure's state. The element brings the
// explainer's stylesheet into the page once.
import { FIGURES, mount } from './explainer.js';

const KEYS = [...new Set(Object.values(FIGURES).flatMap((def) => def.controls.map((c) => c.key)))];

function stylesheet() {
  const href = new URL('./style.css', import.meta.url).href;
  if ([...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === href)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}

export class InitFigure extends HTMLElement {
  static get observedAttributes() {
    return ['figure', 'hide', ...KEYS];
  }

  #figure = null;
  #building = null;
  #connected = false;

  /** The mounted figure's handle (see mount() in explainer.js), once built. */
  get figure() {
    return this.#figure;
  }

  connectedCallback() {
    this.#connected = true;
    stylesheet();
    this.#build();
  }

  disconnectedCallback() {
    this.#connected = false;
    this.#building = null;
    this.#figure?.destroy();
    this.#figure = null;
  }

  attributeChangedCallback(name, before, after) {
    // Before the element is in the page, connectedCallback builds from every attribute at once.
    if (!this.#connected || before === after) return;
    if (name === 'figure' || name === 'hide') this.#build();
    else this.#figure?.set({ [name]: after }, { silent: true });
  }

  #values() {
    const def = FIGURES[this.getAttribute('figure')];
    const state = {};
    for (const c of def?.controls ?? []) {
      if (this.hasAttribute(c.key)) state[c.key] = this.getAttribute(c.key);
    }
    return state;
  }

  #build() {
    const token = {};
    this.#building = token;
    this.#figure?.destroy();
    this.#figure = null;
    const hide = (this.getAttribute('hide') ?? '').split(/[\s,]+/).filter(Boolean);
    // Each build mounts into its own box, so one that is overtaken cannot clear a newer one.
    const box = document.createElement('div');
    this.replaceChildren(box);
    mount(box, {
      figure: this.getAttribute('figure'),
      state: this.#values(),
      hide,
      onChange: (state) => this.dispatchEvent(new CustomEvent('change', { detail: state, bubbles: true })),
    }).then((fig) => {
      if (this.#building !== token) fig.destroy();
      else this.#figure = fig;
    }, (e) => {
      if (this.#building !== token) return;
      const p = document.createElement('p');
      p.className = 'status error';
      p.textContent = `This figure could not be shown: ${e.message ?? e}`;
      box.replaceChildren(p);
    });
  }
}

if (!customElements.get('init-figure')) customElements.define('init-figure', InitFigure);
