// Loads the release build of the simulator (target/pkg, made by scripts/build-wasm.sh) into Node
// through its public API, simulator.js.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as simulator from '../../target/pkg/simulator.js';

const wasm = fileURLToPath(new URL('../../target/pkg/weight-init_bg.wasm', import.meta.url));
/** The module's exports; `memory` tells how much linear memory it holds. */
export const exports = simulator.initSync({ module: readFileSync(wasm) });

export const { simulate, weights, weightVariance, Trainer, schema, encode, SimulationRun, splitParts, mergeParts } = simulator;
