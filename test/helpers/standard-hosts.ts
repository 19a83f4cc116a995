/**
 * Unmodified clients on Microsoft's own names (docs/mock.md "Collectors that cannot change their
 * URLs"), in a child process whose name resolution the test controls (test/mock/fixtures/
 * map-hosts.mjs: the names and port 443 lead to the mock's loopback port; no hosts file is touched).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type MockServices, type MockServicesOptions, startMockServices } from '../../harness/mock/services.js';
import { makeLocalCa } from '../../harness/mock/tls.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import { loadDataset } from '../../harness/replay/dataset.js';
import { buildFixture, writeDataset } from './dataset.js';
import { tempDir } from './tmp.js';

const run = promisify(execFile);

/** node --import map-hosts.mjs SCRIPT ARG, with the three names mapped to the mock's listener */
export async function runMapped(svc: MockServices, caFile: string, script: string, arg: unknown): Promise<string> {
  const api = new URL(svc.listening.api);
  const to = `127.0.0.1:${api.port}`;
  const hosts = {
    'login.microsoftonline.com:443': to,
    'manage.office.com:443': to,
    [`${svc.identity.storageAccount}.blob.core.windows.net:443`]: to,
  };
  const dir = fileURLToPath(new URL('../mock/fixtures/', import.meta.url));
  const { stdout } = await run(
    process.execPath,
    ['--import', join(dir, 'map-hosts.mjs'), join(dir, script), JSON.stringify(arg)],
    {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, ENUMBENCH_TEST_HOSTS: JSON.stringify(hosts) },
      cwd: process.cwd(),
    },
  );
  return stdout;
}

export async function startOnStandardNames(
  seed = 3,
  extra: Partial<MockServicesOptions> = {},
): Promise<{ svc: MockServices; caFile: string; lines: number }> {
  const f = buildFixture({ seed, ual: 20, signIns: 40, graph: 30 });
  const dir = join(tempDir('enumbench-hosts-'), 'ds');
  writeDataset(dir, f, seed);
  const ca = makeLocalCa(undefined, new Date());
  const caFile = join(dir, '..', 'ca.pem');
  writeFileSync(caFile, ca.caCert);
  const s = await startMockServices({
    publication: loadDataset(dir),
    speed: parseSpeed('max'),
    tls: { cert: ca.cert, key: ca.key, ca: ca.caCert },
    publicUrls: { management: 'https://manage.office.com' },
    ...extra,
  });
  await s.replay.done;
  return { svc: s, caFile, lines: f.ids.signIns.length + f.ids.graphActivity.length };
}
