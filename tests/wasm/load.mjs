// Loads the release build of the simulator (target/pkg, made by scripts/build-wasm.sh) into Node
// through its public API: simulator.js, and deeper.js for the training figure's networks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as simulator from '../../target/pkg/simulator.js';
import * as deeper from '../../target/pkg/deeper.js';

const file = (name) => readFileSync(fileURLToPath(new URL(`../../target/pkg/${name}`, import.meta.url)));
/** The simulator module's exports; `memory` tells how much linear memory it holds. */
export const exports = simulator.initSync({ module: file('weight-init_bg.wasm') });
/** The second module's exports (training, the later sections). */
export const deeperExports = deeper.initSync({ module: file('weight-init-deeper_bg.wasm') });

export const { simulate, weights, weightVariance, schema, encode, SimulationRun, splitPlan, mergeParts, joinResults, withDefaults } = simulator;
export const { Trainer, loadDigits, isometry } = deeper;
