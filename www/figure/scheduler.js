// When a figure computes and draws. Its numbers come from its simulation (www/simulation.js, in a
// worker); while a control moves, the newest request wins and a result older than the one on
// screen is never drawn. A figure computed a layer at a time (`def.simulation`) sends each
// request at once: its worker drops the older one between two layers. For the others one request
// is in flight and the latest newer one waits (replacing any older one that was waiting). The
// same values as the picture's (a resize, a theme change) redraw without computing.
import { createSimulation } from '../simulation.js';

/**
 * The scheduler of `fig`: `draw()` computes (when needed) and renders the current state;
 * `settled()` says whether the picture shows the newest values. `render(state, data, error)` draws;
 * `busy(on, text)` shows that it computes ("Computing… 40 %").
 */
export function createScheduler(fig, { render, busy }) {
  const { def } = fig;
  const layered = Boolean(def.simulation);
  let simulation = null;
  // seq: the newest request; shown: the one on screen; sent: the newest sent; key and data: the
  // numbers on screen and the state they are for.
  const flight = { seq: 0, shown: 0, sent: 0, inflight: false, queued: null, key: null, data: null };

  const send = (seq, state) => {
    flight.inflight = true;
    flight.sent = seq;
    simulation ??= createSimulation(def);
    const key = JSON.stringify(state);
    const done = (data, error) => {
      if (error?.cancelled) return;
      if (seq === flight.sent) flight.inflight = false;
      if (seq > flight.shown) {
        flight.shown = seq;
        if (!error) Object.assign(flight, { key, data });
        render(state, data, error);
      }
      const next = flight.queued;
      flight.queued = null;
      if (next) send(next.seq, next.state);
      else if (!flight.inflight) busy(false);
    };
    const onProgress = (share) => {
      if (flight.inflight) busy(true, `Computing… ${Math.round(100 * share)} %`);
    };
    simulation.run(state, { onProgress }).then((data) => done(data), (e) => done(null, e));
  };

  return {
    /** Numbers computed ahead for `state` (the page's first picture), drawn without a worker. */
    seed(state, data) {
      Object.assign(flight, { key: JSON.stringify(state), data });
    },
    draw() {
      const state = { ...fig.state };
      const seq = ++flight.seq;
      if (!def.compute) {
        flight.shown = seq;
        render(state);
        return;
      }
      if (!flight.inflight && flight.key === JSON.stringify(state)) {
        flight.shown = seq;
        render(state, flight.data);
        return;
      }
      busy(true);
      if (flight.inflight && !layered) flight.queued = { seq, state };
      else send(seq, state);
    },
    /** Whether the picture shows the newest values (nothing computing or waiting). */
    settled: () => !flight.inflight && !flight.queued && flight.shown === flight.seq,
    destroy() {
      simulation?.destroy();
    },
  };
}
