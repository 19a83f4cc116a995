/**
 * Unmodified clients on Microsoft's own names (docs/mock.md "Collectors that cannot change their
 * URLs"), in a child process whose name resolution the test controls (test/mock/fixtures/
 * map-hosts.mjs: the names and port 443 lead to the mock's loopback port; no hosts file is touched).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeIdentity } from '../../harness/mock/identity.js';
import { type MockServices, type MockServicesOptions, startMockServices } from '../../harness/mock/services.js';
import { loadServeState, type ServeState } from '../../harness/mock/state.js';
import { parseSpeed } from '../../harness/replay/clock.js';
import type { LoadedDataset } from '../../harness/replay/dataset.js';
import { loadDataset } from '../../harness/replay/dataset.js';
import { buildFixture, writeDataset } from './dataset.js';
import { tempDir } from './tmp.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../mock/fixtures/', import.meta.url));

/** the child's environment: the CA trusted, the three names mapped to the mock's listener */
function mappedEnv(svc: MockServices, caFile: string): NodeJS.ProcessEnv {
  const to = `127.0.0.1:${new URL(svc.listening.api).port}`;
  const hosts = {
    'login.microsoftonline.com:443': to,
    'manage.office.com:443': to,
    [`${svc.identity.storageAccount}.blob.core.windows.net:443`]: to,
  };
  return { ...process.env, NODE_EXTRA_CA_CERTS: caFile, ENUMBENCH_TEST_HOSTS: JSON.stringify(hosts) };
}

/** node --import map-hosts.mjs SCRIPT ARG; its stdout */
export async function runMapped(svc: MockServices, caFile: string, script: string, arg: unknown): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', join(FIXTURES, 'map-hosts.mjs'), join(FIXTURES, script), JSON.stringify(arg)],
    { env: mappedEnv(svc, caFile), cwd: process.cwd() },
  );
  return stdout;
}

/** A client process that prints one JSON line per step and waits for a line on stdin before the next. */
export interface SteppedClient {
  next(): Promise<Record<string, unknown>>;
  go(): void;
  child: ChildProcess;
}

export function spawnMapped(svc: MockServices, caFile: string, script: string, arg: unknown): SteppedClient {
  const child = spawn(
    process.execPath,
    ['--import', join(FIXTURES, 'map-hosts.mjs'), join(FIXTURES, script), JSON.stringify(arg)],
    { env: mappedEnv(svc, caFile), cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const lines: string[] = [];
  const waiting: ((l: string | undefined) => void)[] = [];
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  rl.on('line', (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else lines.push(l);
  });
  rl.on('close', () => {
    for (const w of waiting.splice(0)) w(undefined);
  });
  return {
    child,
    next: async () => {
      const l = lines.shift() ?? (await new Promise<string | undefined>((r) => waiting.push(r)));
      if (l === undefined) throw new Error(`the client ended without answering: ${stderr}`);
      return JSON.parse(l) as Record<string, unknown>;
    },
    go: () => {
      child.stdin?.write('go\n');
    },
  };
}

export interface StandardNames {
  svc: MockServices;
  caFile: string;
  /** diagnostic lines in the dataset */
  lines: number;
  dataset: LoadedDataset;
  state: ServeState;
}

/** A small dataset directory, its state directory (keys kept as `serve` keeps them) and a mock on Microsoft's names. */
export async function startOnStandardNames(
  seed = 3,
  extra: Partial<MockServicesOptions> = {},
  stateDir?: string,
  rotate = false,
): Promise<StandardNames> {
  const f = buildFixture({ seed, ual: 20, signIns: 40, graph: 30 });
  const dir = join(tempDir('enumbench-hosts-'), 'ds');
  writeDataset(dir, f, seed);
  const dataset = loadDataset(dir);
  return startAgain(dataset, stateDir ?? join(dir, '..', 'state'), f.ids.signIns.length + f.ids.graphActivity.length, {
    extra,
    rotate,
  });
}

/** The mock again on the same dataset and state directory (a restart), on the given port. */
export async function startAgain(
  dataset: LoadedDataset,
  stateDir: string,
  lines: number,
  o: { extra?: Partial<MockServicesOptions>; rotate?: boolean; port?: number } = {},
): Promise<StandardNames> {
  const state = loadServeState(stateDir, {
    seededSecret: makeIdentity(dataset.seed, dataset.tenantId, dataset.domain).clientSecret,
    https: true,
    rotate: o.rotate === true,
    now: new Date(),
  });
  const tls = state.tls as NonNullable<ServeState['tls']>;
  const caFile = join(stateDir, 'ca.pem');
  writeFileSync(caFile, tls.caCert);
  const svc = await startMockServices({
    publication: dataset,
    speed: parseSpeed('max'),
    tls: { cert: tls.cert, key: tls.key, ca: tls.caCert },
    signingKey: state.signingKey,
    clientSecret: state.clientSecret,
    clientCertificate: state.clientCertificate.cert,
    publicUrls: { management: 'https://manage.office.com' },
    ...(o.port !== undefined ? { port: o.port, diagnosticsPort: 0, benchPort: 0 } : {}),
    ...o.extra,
  });
  await svc.replay.done;
  return { svc, caFile, lines, dataset, state };
}
