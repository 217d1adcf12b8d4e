// Starts compiling the page's WebAssembly as soon as the page's head is read, before the modules
// that use it have loaded: a classic `async` script, run as soon as it arrives. The page's module
// (www/explainer.js) takes the compiled module from `weightInitModule` when it is there, and
// compiles one itself when it is not (a page that mounts figures without this script).
(() => {
  const url = new URL('../weight-init_bg.wasm', document.currentScript.src);
  const compile = async () => {
    try {
      return await WebAssembly.compileStreaming(fetch(url));
    } catch {
      // A host that serves .wasm without its MIME type: compile from the bytes instead.
      return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
    }
  };
  globalThis.weightInitModule ??= compile();
})();
