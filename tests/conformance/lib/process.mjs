import { createServer } from 'node:net';
import { readFileSync, existsSync } from 'node:fs';
import { request } from 'node:https';

/** A free port on 127.0.0.1 (the OS picks it; the listener is closed again at once). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits (at most 60 s) until the tenant answers its JWKS; over https, trusting only its own certificate. */
export async function waitForTenant(url, certificate, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the tenant exited with ${child.exitCode}`);
    try {
      if (certificate) {
        if (existsSync(certificate) && await httpsOk(`${url}/.well-known/jwks.json`, readFileSync(certificate))) return;
      } else if ((await fetch(`${url}/.well-known/jwks.json`)).ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within 60 s`);
}

function httpsOk(url, ca) {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', reject);
    req.end();
  });
}
