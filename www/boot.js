// The page's WebAssembly module, fetched and compiled once; the page and every worker instantiate
// it. The article page loads this module from its head (`async`, with no imports), so compiling
// starts while the modules that use it are still loading; www/explainer.js imports it.
const url = new URL('../weight-init_bg.wasm', import.meta.url);

async function compile() {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    // A host that serves .wasm without its MIME type: compile from the bytes instead.
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
  }
}

/** Resolves to the compiled module (rejects, for whoever awaits it, if it cannot be had). */
export const compiled = compile();
// Its failure is reported where it is awaited, not also as an unhandled rejection here.
compiled.catch(() => {});
