// Loads the release build of the simulator (target/pkg, made by scripts/test.sh) into Node.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync, simulate } from '../../target/pkg/weight_init.js';

const wasm = fileURLToPath(new URL('../../target/pkg/weight_init_bg.wasm', import.meta.url));
initSync({ module: readFileSync(wasm) });

export { simulate };
