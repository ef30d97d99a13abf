import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The SPA test page and auth0.js, served from loopback by the harness (never by the app): what a Lock-era single-page
 * application was, a static page talking to the tenant from the browser.
 */
export function startSpaServer(root) {
  const files = {
    '/spa.html': { path: join(root, 'spa', 'spa.html'), type: 'text/html; charset=utf-8' },
    '/auth0.min.js': { path: join(root, 'node_modules', 'auth0-js', 'dist', 'auth0.min.js'), type: 'text/javascript' },
  };
  const server = createServer((req, res) => {
    const file = files[new URL(req.url, 'http://x').pathname];
    if (!file || req.method !== 'GET') { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(readFileSync(file.path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => server.close(),
  })));
}
