/**
 * Starts the mock services for one replay: the login + Management Activity API server, the
 * diagnostic-settings storage server and the bench-only server (ledger, faults, lockstep), each
 * on its own port, bound to 127.0.0.1 unless asked otherwise. Returns the URLs and credentials a
 * detector is given (CONTRACTS.md §4) and a handle to stop everything.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { wallNow } from '../../src/core/clock.js';
import type { ContentType, DatasetManifest } from '../../src/core/dataset.js';
import { userError } from '../../src/core/errors.js';
import type { SourceId } from '../../src/core/sources.js';
import type { BlobLimits } from '../replay/blobs.js';
import { type SpeedMode, speedLabel } from '../replay/clock.js';
import { LockstepDriver, type LockstepState } from '../replay/http-lockstep.js';
import type { Publication } from '../replay/publication.js';
import { Replay } from '../replay/replay.js';
import { activityRouter, apiNotFound } from './activity-api.js';
import { AF, afBody } from './af-errors.js';
import { ContentStore } from './content-store.js';
import { type FaultConfig, FaultInjector, type FaultReport } from './faults.js';
import { derivePublicUrls, hostOf, type PublicHosts, requestHostname, serviceFor } from './hosts.js';
import { type MockIdentity, makeIdentity } from './identity.js';
import { newSigningKey, type SigningKey } from './jwt.js';
import { Ledger, type LedgerSummary } from './ledger.js';
import { loginRouter } from './login.js';
import { accountSasSignature } from './sas.js';
import { SpillDir } from './spill.js';
import { AppendBlobStore, type StorageDataRole, storageError, storageRouter } from './storage.js';
import { DEFAULT_WEBHOOK_OPTIONS, type Subscription, type WebhookOptions, Webhooks } from './subscriptions.js';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** the CA certificate (PEM) collectors must trust */
  ca?: string;
}

export interface MockServicesOptions {
  publication: Publication;
  speed: SpeedMode;
  host?: string;
  /** login + Management Activity API port (0: ephemeral) */
  port?: number;
  diagnosticsPort?: number;
  benchPort?: number;
  /** public base URLs, when collectors reach the mock by another name (host mapping, proxies) */
  publicUrls?: { login?: string; management?: string; diagnostics?: string };
  tls?: TlsMaterial;
  blobLimits?: BlobLimits;
  /** content items per /subscriptions/content page */
  pageSize?: number;
  rateLimitPerMinute?: number;
  /** wall ms between two accepted start requests for a content type (0: off; Microsoft: 15 minutes) */
  startWaitMs?: number;
  /** wall ms after a content type's first start before its content is listed or notified (0: off; Microsoft: up to 12 hours) */
  firstContentDelayMs?: number;
  faults?: Partial<FaultConfig>;
  webhooks?: Partial<WebhookOptions>;
  /** the token signing key (default: a new one); `serve` keeps one across runs (harness/mock/state.ts) */
  signingKey?: SigningKey;
  /**
   * the data role the app holds on the storage account, for Entra bearer tokens: `reader` (Storage
   * Blob Data Reader, the default) or `none` (a valid token gets 403 AuthorizationPermissionMismatch)
   */
  storageRole?: StorageDataRole;
  /** the certificate (PEM) registered for the app: client assertions must be signed with its key (default: none) */
  clientCertificate?: string;
  /** the app's client secret (default: the seeded one) */
  clientSecret?: string;
  /** do not start publishing until start() (default: start at once) */
  deferStart?: boolean;
  /** lockstep speed: simulated ms per tick acknowledged over ENUMBENCH_LOCKSTEP_URL (default 5 min) */
  lockstepTickMs?: number;
  /** where the temporary directory for published blob bodies is made (default: the OS temp directory) */
  spillDir?: string;
  /** uncompressed bytes per compressed chunk of an append blob in the spill directory (default 256 KiB) */
  spillChunkBytes?: number;
  /**
   * alert intake for detectors that are separate programs: POST /enumbench/alerts on the API port
   * (ENUMBENCH_ALERTS_URL), one JSON object, an array or JSON lines; each body is handed over whole
   */
  alerts?: AlertReceiver;
  /** the dataset's IP enrichment table (ip-networks.csv), told to detectors as ENUMBENCH_IP_NETWORKS */
  ipNetworksFile?: string;
  /**
   * the sources the tenant collects, told to detectors as ENUMBENCH_SOURCES (what an in-process
   * detector's context calls `sources`); default: the dataset manifest's, when the publication has one
   */
  sources?: readonly SourceId[];
}

/** Where alert bodies go (harness/run/alert-intake.ts). */
export interface AlertReceiver {
  body(text: string, where: string): { accepted: number; malformed: { index: number; problems: string[] }[] };
}

/** Requests a detector made where it should not: a wrong URL on the API port, the bench port without its token. */
export interface StrayRequests {
  wrongUrl: { count: number; sample: string[] };
  benchRefused: number;
}

/** What a detector receives (CONTRACTS.md §4). */
export interface DetectorEnvironment {
  ENUMBENCH_TENANT_ID: string;
  ENUMBENCH_CLIENT_ID: string;
  ENUMBENCH_CLIENT_SECRET: string;
  ENUMBENCH_LOGIN_URL: string;
  ENUMBENCH_MANAGEMENT_URL: string;
  ENUMBENCH_DIAGNOSTICS_URL: string;
  ENUMBENCH_SPEED: string;
  ENUMBENCH_CLOCK_URL: string;
  ENUMBENCH_LOCKSTEP_URL?: string;
  /** set when the mock takes alerts (run with a process: detector) */
  ENUMBENCH_ALERTS_URL?: string;
  /** the path of the dataset's IP enrichment table (docs/dataset.md "Enrichment") */
  ENUMBENCH_IP_NETWORKS?: string;
  /** the sources the tenant collects, comma-separated (`ual,signIns,graphActivity`) */
  ENUMBENCH_SOURCES?: string;
}

export interface MockServices {
  identity: MockIdentity;
  replay: Replay;
  ledger: Ledger;
  faults: FaultInjector;
  urls: {
    login: string;
    management: string;
    /** the storage service URL (path-style: includes the account) */
    diagnostics: string;
    /** the SAS query string for the storage feeds (without "?") */
    diagnosticsSas: string;
    /** an Azure Storage connection string (account key) for the feeds */
    diagnosticsConnectionString: string;
    clock: string;
    bench: string;
    /** lockstep only: GET the state, POST {"tick": N} to acknowledge */
    lockstep: string;
    /** with an alert intake: POST alerts here */
    alerts: string;
  };
  /** where the servers really listen (differs from urls when public URLs are given) */
  listening: { api: string; storage: string; bench: string };
  /** the spill directory (published blobs): where a full disk or a permission stops the replay */
  spillDir: string;
  env(): DetectorEnvironment;
  subscriptions: Map<string, Subscription>;
  /** the webhook notifications: validations seen, and whether any is still being sent */
  webhooks: Webhooks;
  start(): void;
  ledgerSummary(): LedgerSummary;
  faultReport(): FaultReport;
  strays(): StrayRequests;
  /** lockstep only: the tick the replay waits to have acknowledged */
  lockstepState?: () => LockstepState;
  /** lockstep: wall time at which the detector first read the current tick, undefined until it has */
  lockstepReadAt?: () => number | undefined;
  /** access tokens the login endpoints have issued since the services started */
  tokensIssued(): number;
  /** requests to the API and storage ports: how many are being answered, and when the last began or ended (wall) */
  traffic(): { inFlight: number; lastAt: number };
  close(): Promise<void>;
}

function listen(app: http.RequestListener, host: string, port: number, tls?: TlsMaterial): Promise<http.Server> {
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, app) : http.createServer(app);
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? userError(
              'E_PORT',
              `port ${port} on ${host} is already in use`,
              'pick another --port, or 0 for any free port',
            )
          : e,
      ),
    );
    server.listen(port, host, () => resolve(server));
  });
}

function baseUrl(server: http.Server, host: string, tls: boolean): string {
  const a = server.address() as AddressInfo;
  const h = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return `${tls ? 'https' : 'http'}://${h}:${a.port}`;
}

/** Errors that escape a route: bad percent-encoding gets the real service's 4xx, anything else AF50000, never a stack. */
function jsonErrors(app: Express): void {
  app.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (res.headersSent) {
      res.socket?.destroy();
      return;
    }
    const status = (err as { status?: number })?.status;
    if (status === 413) {
      res
        .status(413)
        .json({ error: { code: 'AF20002', message: 'Invalid parameter type: body. Expected type: object' } });
      return;
    }
    if (status !== undefined && status >= 400 && status < 500) {
      const raw = req.originalUrl.split('?')[0] ?? '';
      const api = /^\/api\/v1(?:\.0)?\/([^/]*)(\/activity\/feed\/audit\/(.*))?/.exec(raw);
      if (api?.[2] !== undefined) {
        res.status(400).json(afBody(AF.contentIdInvalid(api[3] ?? '')));
      } else if (api) {
        res.status(400).json(afBody(AF.tenantNotGuid(api[1] ?? '')));
      } else {
        const tenant = raw.split('/')[1] ?? '';
        res.status(400).json({
          error: 'invalid_request',
          error_description: `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
          error_codes: [90002],
        });
      }
      return;
    }
    res.status(500).json(afBody(AF.internal()));
  });
}

export async function startMockServices(opts: MockServicesOptions): Promise<MockServices> {
  const host = opts.host ?? '127.0.0.1';
  const pub = opts.publication;
  const seeded = makeIdentity(pub.seed, pub.tenantId, pub.domain);
  const identity = opts.clientSecret !== undefined ? { ...seeded, clientSecret: opts.clientSecret } : seeded;
  const key = opts.signingKey ?? newSigningKey();
  const faults = new FaultInjector({ seed: pub.seed, ...opts.faults });
  const spill = new SpillDir(opts.spillDir);
  const collected =
    opts.sources ?? (pub as Partial<{ manifest: DatasetManifest }>).manifest?.collection?.sources ?? undefined;
  const store = new ContentStore(spill);
  const blobs = new AppendBlobStore(spill, opts.spillChunkBytes);
  const ledger = new Ledger(store, blobs);
  const subs = new Map<ContentType, Subscription>();
  const webhooks = new Webhooks(
    { ...DEFAULT_WEBHOOK_OPTIONS, ...opts.webhooks, firstContentDelayMs: opts.firstContentDelayMs ?? 0 },
    pub.seed,
    () => subs,
    ledger.notified,
  );
  const replay = new Replay(pub, {
    speed: opts.speed,
    lateBlob: faults.lateBy,
    lateBlobMaxMs: faults.config.lateBlobRate > 0 ? faults.config.lateMs : 0,
    ...(opts.blobLimits ? { blobLimits: opts.blobLimits } : {}),
  });

  const urls = {
    login: '',
    management: '',
    diagnostics: '',
    diagnosticsSas: '',
    diagnosticsConnectionString: '',
    clock: '',
    bench: '',
    lockstep: '',
    alerts: '',
  };
  const strays: StrayRequests = { wrongUrl: { count: 0, sample: [] }, benchRefused: 0 };
  const traffic = { inFlight: 0, lastAt: wallNow() };
  const track: express.RequestHandler = (_req, res, next) => {
    traffic.inFlight++;
    traffic.lastAt = wallNow();
    res.once('close', () => {
      traffic.inFlight--;
      traffic.lastAt = wallNow();
    });
    next();
  };

  // login + management API
  const api = express();
  api.disable('x-powered-by');
  api.set('etag', false);
  api.set('query parser', 'simple');
  api.use(track);
  api.get('/enumbench/clock', async (_req, res) => {
    await replay.listable();
    res.json(replay.clock.snapshot());
  });
  /** resolved by start() (at once unless `deferStart`) */
  const started = { done: false, resolve: () => {}, promise: Promise.resolve() };
  started.promise = new Promise<void>((r) => {
    started.resolve = r;
  });
  const lockstep =
    opts.speed.kind === 'lockstep' ? new LockstepDriver(replay, opts.lockstepTickMs ?? 5 * 60_000) : undefined;
  if (lockstep) {
    // every answer waits until the replay has started (a deferred start: tick 0 is published by
    // start(), so an early read or acknowledgement must not see it empty and move on), until what it
    // announces is listable with endTime = the collector's now, and has been pushed to the webhooks
    // subscribed (each notification answered, or given up)
    api.get('/enumbench/lockstep', async (_req, res) => {
      await started.promise;
      await replay.listable();
      await webhooks.settled();
      lockstep.noteRead(wallNow());
      res.json(lockstep.state());
    });
    api.post('/enumbench/lockstep', express.json({ limit: '4kb', type: () => true }), async (req, res) => {
      const n = (req.body as { tick?: unknown } | undefined)?.tick;
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        res.status(400).json({ error: 'bad_request', message: 'POST {"tick": <the tick you acknowledge>}' });
        return;
      }
      await started.promise;
      // what the detector sent before this acknowledgement belongs to this tick: its stdout lines
      // already in the pipe are read first (the next turn of the event loop), and alert POSTs that
      // have begun arriving are taken first
      await alertsSettled();
      const r = lockstep.ack(n);
      await replay.listable();
      await webhooks.settled();
      res.status(r.accepted ? 200 : 409).json(r.state);
    });
  }
  const intake = opts.alerts;
  let alertPostsInFlight = 0;
  const alertsSettled = async () => {
    await new Promise((r) => setImmediate(r));
    while (alertPostsInFlight > 0) await new Promise((r) => setTimeout(r, 1));
  };
  if (intake) {
    let posts = 0;
    const inFlight: express.RequestHandler = (_req, res, next) => {
      alertPostsInFlight++;
      res.once('close', () => {
        alertPostsInFlight--;
      });
      next();
    };
    api.post('/enumbench/alerts', inFlight, express.text({ type: () => true, limit: '16mb' }), (req, res) => {
      const n = ++posts;
      const text = typeof req.body === 'string' ? req.body : '';
      const r = intake.body(text, `POST #${n}`);
      res.status(r.malformed.length > 0 ? 400 : 202).json(
        r.malformed.length > 0
          ? {
              error: 'malformed_alerts',
              accepted: r.accepted,
              malformed: r.malformed.slice(0, 20),
              hint: 'an alert is {"rule": "...", "principal" | "sessionId" | "evidence": ...} (CONTRACTS.md §4)',
            }
          : { accepted: r.accepted },
      );
    });
  }
  const actx = {
    identity,
    key,
    store,
    subs,
    webhooks,
    faults,
    ledger,
    managementBase: () => urls.management,
    audiences: () => [urls.management],
    pageSize: opts.pageSize ?? 200,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 0,
    startWaitMs: opts.startWaitMs ?? 0,
    firstContentDelayMs: opts.firstContentDelayMs ?? 0,
  };
  api.use('/api/v1.0/:tenant/activity/feed', activityRouter(actx));
  api.use('/api/v1/:tenant/activity/feed', activityRouter(actx));
  api.use('/api', apiNotFound);
  let tokensIssued = 0;
  const login = loginRouter({
    identity,
    key,
    loginBase: () => urls.login,
    ...(opts.clientCertificate ? { clientCertificate: opts.clientCertificate } : {}),
    onIssued: () => {
      tokensIssued++;
    },
  });
  // the API's own name (manage.office.com) serves only the API; by address, both
  api.use((req, res, next) => (serviceOf(req) === 'management' ? next() : login(req, res, next)));
  api.use((req, res) => {
    strays.wrongUrl.count++;
    if (strays.wrongUrl.sample.length < 10) strays.wrongUrl.sample.push(`${req.method} ${req.path}`);
    res.status(404).json({
      error: 'not_found',
      error_description: `No endpoint at ${req.method} ${req.path}`,
      ...(intake && req.method === 'POST' ? { hint: `POST alerts to ${urls.alerts}` } : {}),
    });
  });
  jsonErrors(api);

  // login.microsoftonline.com: the login endpoints only, Entra's error format
  const loginApp = express();
  loginApp.disable('x-powered-by');
  loginApp.set('etag', false);
  loginApp.set('query parser', 'simple');
  loginApp.use(track);
  loginApp.use(login);
  loginApp.use((req, res) => {
    strays.wrongUrl.count++;
    if (strays.wrongUrl.sample.length < 10) strays.wrongUrl.sample.push(`${req.method} ${req.hostname}${req.path}`);
    res.status(404).json({
      error: 'not_found',
      error_description: `No endpoint at ${req.method} ${req.path} on the login service (the Management Activity API is at ${urls.management})`,
    });
  });
  jsonErrors(loginApp);

  // diagnostic-settings storage
  const storage = express();
  storage.disable('x-powered-by');
  storage.set('etag', false);
  storage.set('query parser', 'simple');
  storage.use(track);
  storage.use(
    storageRouter({
      identity,
      store: blobs,
      faults,
      ledger,
      serviceUrl: () => urls.diagnostics,
      key,
      loginBase: () => urls.login,
      dataRole: opts.storageRole ?? 'reader',
    }),
  );
  // whatever escapes a storage route is answered as the storage service answers: XML, never JSON
  storage.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (res.headersSent) {
      res.socket?.destroy();
      return;
    }
    const status = (err as { status?: number })?.status;
    const head = req.method === 'HEAD';
    if (status !== undefined && status >= 400 && status < 500)
      storageError(res, 400, 'InvalidUri', 'The requested URI does not represent any resource on the server.', head);
    else
      storageError(
        res,
        500,
        'InternalError',
        'The server encountered an internal error. Please retry the request.',
        head,
      );
  });

  // one listener, every name: each request goes to the service named by its Host (or TLS SNI)
  const publicHosts = (): PublicHosts => ({
    login: hostOf(urls.login),
    management: hostOf(urls.management),
    storage: hostOf(urls.diagnostics),
  });
  const serviceOf = (req: http.IncomingMessage) => serviceFor(requestHostname(req), publicHosts());
  const front: http.RequestListener = (req, res) => {
    const s = serviceOf(req);
    if (s === 'storage') storage(req, res);
    else if (s === 'login') loginApp(req, res);
    else api(req, res);
  };

  // bench-only
  const bench = express();
  bench.disable('x-powered-by');
  bench.set('query parser', 'simple');
  bench.use((req, res, next) => {
    if (req.get('authorization') !== `Bearer ${identity.benchToken}`) {
      strays.benchRefused++;
      res.status(401).json({ error: 'unauthorized', message: 'bench endpoints need the bench token' });
      return;
    }
    next();
  });
  bench.get('/bench/status', async (_req, res) => {
    await replay.listable();
    res.json({ clock: replay.clock.snapshot(), replay: replay.status() });
  });
  bench.get('/bench/ledger', (_req, res) => {
    res.json(ledger.summary());
  });
  bench.get('/bench/ledger/never-collected', (_req, res) => {
    res.json(ledger.neverCollected());
  });
  bench.get('/bench/faults', (_req, res) => {
    res.json(faults.report());
  });
  bench.post('/bench/advance', express.json({ limit: '4kb' }), async (req, res) => {
    const b = (req.body ?? {}) as { to?: unknown; by?: unknown };
    let target: number;
    if (typeof b.to === 'string' && Number.isFinite(Date.parse(b.to))) target = Date.parse(b.to) - replay.clock.shift;
    else if (typeof b.by === 'number' && b.by >= 0) target = replay.clock.simNow() + b.by;
    else {
      const next = replay.nextAvailability();
      target = next ?? replay.clock.simEnd;
    }
    const published = replay.advanceTo(target);
    await replay.listable();
    await webhooks.settled();
    res.json({ published, clock: replay.clock.snapshot() });
  });
  bench.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });

  const servers: http.Server[] = [];
  const listening = { api: '', storage: '', bench: '' };
  try {
    const apiServer = await listen(front, host, opts.port ?? 0, opts.tls);
    servers.push(apiServer);
    const storageServer = await listen(
      storage,
      host,
      opts.diagnosticsPort ?? (opts.port ? opts.port + 1 : 0),
      opts.tls,
    );
    servers.push(storageServer);
    const benchServer = await listen(bench, host, opts.benchPort ?? (opts.port ? opts.port + 2 : 0));
    servers.push(benchServer);
    const apiBase = baseUrl(apiServer, host, Boolean(opts.tls));
    listening.api = apiBase;
    listening.storage = baseUrl(storageServer, host, Boolean(opts.tls));
    listening.bench = baseUrl(benchServer, host, false);
    const derived = derivePublicUrls(opts.publicUrls?.management ?? apiBase, identity.storageAccount);
    urls.login = (opts.publicUrls?.login ?? derived.login).replace(/\/+$/, '');
    urls.management = derived.management;
    urls.diagnostics = (
      opts.publicUrls?.diagnostics ??
      derived.diagnostics ??
      `${baseUrl(storageServer, host, Boolean(opts.tls))}/${identity.storageAccount}`
    ).replace(/\/+$/, '');
    urls.clock = `${urls.management}/enumbench/clock`;
    urls.lockstep = lockstep ? `${urls.management}/enumbench/lockstep` : '';
    urls.alerts = intake ? `${urls.management}/enumbench/alerts` : '';
    urls.bench = baseUrl(benchServer, host, false);
  } catch (e) {
    for (const s of servers) s.close();
    replay.stop();
    spill.close();
    throw e;
  }
  const expiry = new Date(replay.clock.wallEnd + 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const sasFields = {
    sv: '2022-11-02',
    ss: 'b',
    srt: 'sco',
    sp: 'rl',
    se: expiry,
    spr: opts.tls ? 'https' : 'https,http',
  };
  urls.diagnosticsSas = new URLSearchParams({
    ...sasFields,
    sig: accountSasSignature(identity.storageAccount, identity.storageKey, sasFields),
  }).toString();

  urls.diagnosticsConnectionString = `DefaultEndpointsProtocol=${opts.tls ? 'https' : 'http'};AccountName=${identity.storageAccount};AccountKey=${identity.storageKey};BlobEndpoint=${urls.diagnostics};`;

  replay.on({
    onContent: (ev) => {
      const blob = store.add(ev, faults.expires(ev.key));
      ledger.onContent(ev);
      const sub = subs.get(ev.contentType);
      if (sub?.webhook) {
        webhooks.enqueue(
          {
            tenantId: identity.tenantId,
            clientId: sub.clientId,
            contentType: blob.contentType,
            contentId: blob.contentId,
            contentUri: `${urls.management}/api/v1.0/${identity.tenantId}/activity/feed/audit/${blob.contentId}`,
            contentCreated: new Date(blob.created).toISOString(),
            contentExpiration: new Date(blob.expiration).toISOString(),
          },
          blob.created,
        );
      }
    },
    onDiagnostic: (ev) => {
      blobs.append(ev);
      ledger.onDiagnostic(ev);
    },
  });

  // expired content bodies and notification attempts too old to be listed are pruned once a
  // minute (bounded disk and memory over long real-time replays)
  const pruneTimer = setInterval(() => {
    store.prune(wallNow());
    webhooks.prune(wallNow());
  }, 60_000);
  pruneTimer.unref();

  const start = () => {
    if (started.done) return;
    started.done = true;
    if (lockstep) lockstep.begin();
    else replay.start();
    started.resolve();
  };
  if (!opts.deferStart) start();

  return {
    identity,
    replay,
    ledger,
    faults,
    urls,
    listening,
    spillDir: spill.root,
    subscriptions: subs,
    webhooks,
    start,
    env: () => ({
      ENUMBENCH_TENANT_ID: identity.tenantId,
      ENUMBENCH_CLIENT_ID: identity.clientId,
      ENUMBENCH_CLIENT_SECRET: identity.clientSecret,
      ENUMBENCH_LOGIN_URL: urls.login,
      ENUMBENCH_MANAGEMENT_URL: urls.management,
      ENUMBENCH_DIAGNOSTICS_URL: `${urls.diagnostics}?${urls.diagnosticsSas}`,
      ENUMBENCH_SPEED: speedLabel(replay.clock.mode),
      ENUMBENCH_CLOCK_URL: urls.clock,
      ...(urls.lockstep ? { ENUMBENCH_LOCKSTEP_URL: urls.lockstep } : {}),
      ...(urls.alerts ? { ENUMBENCH_ALERTS_URL: urls.alerts } : {}),
      ...(opts.ipNetworksFile ? { ENUMBENCH_IP_NETWORKS: opts.ipNetworksFile } : {}),
      ...(collected ? { ENUMBENCH_SOURCES: collected.join(',') } : {}),
    }),
    ledgerSummary: () => ledger.summary(),
    faultReport: () => faults.report(),
    ...(lockstep ? { lockstepState: () => lockstep.state(), lockstepReadAt: () => lockstep.readAt() } : {}),
    traffic: () => ({ ...traffic }),
    tokensIssued: () => tokensIssued,
    strays: () => ({
      wrongUrl: { ...strays.wrongUrl, sample: strays.wrongUrl.sample.slice() },
      benchRefused: strays.benchRefused,
    }),
    close: async () => {
      clearInterval(pruneTimer);
      replay.stop();
      void webhooks.close();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.close(() => r());
              s.closeAllConnections();
            }),
        ),
      );
      spill.close();
    },
  };
}
