// Starts the real local tenant twice (https and http, each on a free loopback port with its own data folder and its
// test controls on), serves the SPA test page, runs every suite/*.test.mjs with node:test, then stops everything it
// started. Needs the Release build of web/LegacyLinking.LocalTenant (scripts/test.sh builds it first).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForTenant } from './lib/process.mjs';
import { startSpaServer } from './lib/spa-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dll = join(root, 'web/LegacyLinking.LocalTenant/bin/Release/net10.0/LegacyLinking.LocalTenant.dll');
if (!existsSync(dll)) {
  console.error(`conformance: ${dll} is missing; build the solution in Release first.`);
  process.exit(2);
}

const started = [];
const folders = [];
function stopAll() {
  for (const child of started) if (child.exitCode === null) child.kill('SIGTERM');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
}
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const spa = await startSpaServer(here);

async function startTenant(scheme) {
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), `ll-conformance-${scheme}-`));
  folders.push(folder);
  const url = `${scheme}://127.0.0.1:${port}`;
  const args = [dll,
    `--LocalTenant:Url=${url}`,
    `--LocalTenant:DataPath=${join(folder, 'localtenant.db')}`,
    '--LocalTenant:TestControls=true',
    // The SPA client's page is the harness's static server.
    `--LocalTenant:Clients:1:RedirectUris:0=${spa.url}/spa.html`,
    `--LocalTenant:Clients:1:AllowedLogoutUrls:0=${spa.url}/spa.html`,
    `--LocalTenant:Clients:1:AllowedOrigins:0=${spa.url}`,
    '--Logging:LogLevel:Default=Warning',
  ];
  const child = spawn('dotnet', args, { cwd: dirname(dll), stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const certificate = scheme === 'https' ? join(folder, 'localtenant-https.pem') : null;
  try {
    await waitForTenant(url, certificate, child);
  } catch (error) {
    console.error(`conformance: the ${scheme} tenant did not start:\n${output}`);
    throw error;
  }
  return { url, certificate };
}

const [https, http] = await Promise.all([startTenant('https'), startTenant('http')]);

const files = ['suite'];
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  cwd: here,
  stdio: 'inherit',
  env: {
    ...process.env,
    // Every official SDK builds https://{domain}: Node trusts the tenant's development certificate, and only it is added.
    NODE_EXTRA_CA_CERTS: https.certificate,
    LL_TENANT_HTTPS: https.url,
    LL_TENANT_HTTP: http.url,
    LL_TENANT_CERTIFICATE: https.certificate,
    LL_SPA_URL: spa.url,
  },
});
const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
spa.close();
stopAll();
process.exit(code);
