// A static file server on loopback for the browser tests and benchmarks: serves a folder with the
// right MIME types (application/wasm matters), optional extra headers, and gzip when asked.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Serves a folder on 127.0.0.1 at a free port — or several, with `root` as `{ '/prefix/': folder }`
 * (sub-path hosting, as a course site would). Returns { url, close, log }, where `log` lists
 * { path, bytes, gzipBytes } for every response.
 */
export async function serve(root, { headers = {} } = {}) {
  const mounts = Object.entries(typeof root === 'string' ? { '/': root } : root)
    .map(([prefix, dir]) => [prefix, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const log = [];
  const gzipped = new Map();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      const pathname = decodeURIComponent(url.pathname);
      const [prefix, base] = mounts.find(([p]) => pathname.startsWith(p)) ?? [];
      if (!base) throw new Error('no such folder');
      let path = normalize(join(base, pathname.slice(prefix.length)));
      if (!path.startsWith(base)) throw new Error('outside root');
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      // Compressed once per file content, as a static host would serve precompressed files.
      const key = `${path}:${body.length}:${(await stat(path)).mtimeMs}`;
      const gz = gzipped.get(key) ?? gzipSync(body, { level: 9 });
      gzipped.set(key, gz);
      log.push({ path: url.pathname, bytes: body.length, gzipBytes: gz.length });
      const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      res.writeHead(200, {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        ...headers,
      });
      res.end(gzip ? gz : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, log, close: () => new Promise((ok) => server.close(ok)) };
}
