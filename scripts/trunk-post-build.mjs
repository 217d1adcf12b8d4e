// Trunk post-build hook: takes out the inline loader script Trunk injects, so the site runs under a
// Content-Security-Policy without 'unsafe-inline'. The page's own module (www/app.js) loads the
// WebAssembly instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'index.html');
const html = readFileSync(file, 'utf8');
// Trunk's loader is the only inline script: a module script without a src.
const out = html.replace(/<script type="module">[\s\S]*?<\/script>\s*/g, '');
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(out)) {
  console.error('trunk-post-build: an inline script is left in index.html');
  process.exit(1);
}
writeFileSync(file, out);
