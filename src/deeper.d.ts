// The API of the article's later sections (src/deeper.js), over its own WebAssembly module.
// Initialize simulator.js first: its `encode` reads this API's arguments.
import type { AttentionConfig, AttentionSide, IsometryConfig, IsometryResult, ResidualConfig, ResidualResult } from './simulator.js';

/** Loads the module (by default from beside this file). */
export default function init(options?: { module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module }): Promise<unknown>;
/** Loads the module synchronously from bytes or a compiled module. */
export function initSync(options: { module: BufferSource | WebAssembly.Module }): unknown;

/** Residual blocks x + α F(x), or x + α F(LN(x)), at initialization. Throws an Error naming a malformed field. */
export function residual(config?: ResidualConfig): ResidualResult;

/** The softmax of query–key scores with and without the 1/√d scale. Throws an Error naming a malformed field. */
export function attention(config?: AttentionConfig): { scaled: AttentionSide; unscaled: AttentionSide };

/** A square network at the edge of chaos: its input–output Jacobian's singular values. Throws an Error naming a malformed field. */
export function isometry(config?: IsometryConfig): IsometryResult;
