// Builds simulate()'s result object from the flat array the Rust side packs (see `pack` in
// bindings.rs). The layout: an 8-number header, then per layer 12 numbers and the histogram
// counts, then per layer 6 theory numbers when theory is present, then the trace (layers × width).
export function unpack(d) {
  const n = d[2], bins = d[3], flags = d[4];
  const dead = (flags & 1) !== 0, sat = (flags & 2) !== 0, hasTheory = (flags & 4) !== 0;
  const hasTrace = (flags & 8) !== 0, width = d[7];
  const layers = new Array(n);
  let i = 8;
  for (let l = 0; l < n; l++) {
    // A plain loop: cheaper than Array.from(d.subarray(...)) for a few dozen numbers.
    const counts = new Array(bins);
    for (let b = 0; b < bins; b++) counts[b] = d[i + 12 + b];
    layers[l] = {
      layer: l + 1,
      preMean: d[i], preVariance: d[i + 1], postMean: d[i + 2], postVariance: d[i + 3],
      deadFraction: dead ? d[i + 4] : null,
      saturatedFraction: sat ? d[i + 5] : null,
      neuronSpread: d[i + 6],
      histogram: { lo: d[i + 7], hi: d[i + 8], counts, nonFinite: d[i + 9] },
      gradVariance: d[i + 10], weightGradVariance: d[i + 11],
    };
    i += 12 + bins;
  }
  let theory = null;
  if (hasTheory) {
    theory = new Array(n);
    for (let l = 0; l < n; l++, i += 6) {
      theory[l] = {
        layer: l + 1,
        preMean: d[i], preVariance: d[i + 1], postMean: d[i + 2], postVariance: d[i + 3],
        gradVariance: d[i + 4], weightGradVariance: d[i + 5],
      };
    }
  }
  let trace = null;
  if (hasTrace) {
    trace = new Array(n);
    for (let l = 0; l < n; l++, i += width) trace[l] = Array.from(d.subarray(i, i + width));
  }
  return {
    samples: d[0], features: d[1], layers, theory, trace,
    firstNonFiniteLayer: d[5] === 0 ? null : d[5],
    firstNonFiniteGradLayer: d[6] === 0 ? null : d[6],
  };
}
