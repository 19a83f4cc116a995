/**
 * `enumbench serve <dataset dir>`: replays a dataset through the mock services and prints what a
 * collector needs (URLs, tenant id, client id and secret, a curl session); `--json` prints one
 * object with the names of CONTRACTS.md §4 (`--ready-file` writes the same object to a file,
 * atomically, once the services answer: the signal a script waits for). Runs until interrupted, or
 * (`--exit-when-done`) until everything published has been collected, or `--drain` has passed
 * since the last publication — the drain of `run` (harness/run/drain.ts). The answer key is never
 * served: a dataset directory holding its key (the format 1 layout) is refused, saying how to move
 * it out; a scenario's key is written beside the output folder (`<out>.truth/`, docs/dataset.md
 * "The answer key").
 */
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Argument, Option } from '@commander-js/extra-typings';
import { wallNow } from '../../../src/core/clock.js';
import { userError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { formatDuration } from '../../../src/scenario/units.js';
import { refuseAnswerKeyInside } from '../../dataset/answer-key.js';
import { ipNetworksFileFor } from '../../dataset/ip-networks.js';
import { onInterrupt } from '../../interrupt.js';
import { parseFaults } from '../../mock/fault-spec.js';
import { makeIdentity } from '../../mock/identity.js';
import { startMockServices } from '../../mock/services.js';
import { certificateThumbprint, loadServeState } from '../../mock/state.js';
import { unsubscribed, webhookContentTypes } from '../../mock/subscriptions.js';
import { resourceError, writeFileAtomic } from '../../output-files.js';
import { parseSpeed } from '../../replay/clock.js';
import { loadDataset } from '../../replay/dataset.js';
import { DEFAULT_DRAIN_MS, drain, wakeableNap } from '../../run/drain.js';
import { prepareInputs } from '../../run/run-scenarios.js';
import type { CommandModule } from '../command.js';
import { parseSeed, parseWallDuration, positiveDuration } from '../counts.js';
import { JOBS_HELP, parseJobs } from '../jobs.js';
import { createProgress, PROGRESS_INTERVAL_HELP, parseProgressInterval } from '../progress.js';

/** `--exit-when-done`: once everything is collected, serve until no request came for this long (wall ms) */
const QUIET_MS = 1000;

export const serveCommand: CommandModule = {
  name: 'serve',
  register(program, ctx) {
    program
      .command('serve')
      .description('replay a dataset through the mock Management Activity API and diagnostic-log feeds')
      .addArgument(new Argument('<input>', 'a scenario YAML file (generated first) or a dataset directory'))
      .option('--seed <n>', 'with a scenario: the seed (overrides the scenario)', parseSeed)
      .option('--out <dir>', 'with a scenario: where its dataset is written', 'out')
      .option('--jobs <n>', `with a scenario: ${JOBS_HELP}`, parseJobs)
      .option('--speed <speed>', 'realtime, a factor such as 60, max or lockstep', 'realtime')
      .option('--host <host>', 'address to bind (another than 127.0.0.1 only when you mean it)', '127.0.0.1')
      .option('--port <port>', 'API port; the storage feed uses port+1 and the bench port+2 (0: any free ports)', '0')
      .option('--https', 'serve HTTPS with a locally generated CA (see docs/mock.md)')
      .option('--ca-out <file>', 'with --https: write the CA certificate here', 'enumbench-ca.pem')
      .option(
        '--public-url <url>',
        'the base URL collectors use for the API (host mapping); https://manage.office.com also puts login and storage on their Microsoft names',
      )
      .option(
        '--state-dir <dir>',
        'where the signing key, client secret and certificates are kept between runs (default <--out>/serve-state/<scenario>/seed-<n>)',
      )
      .addOption(
        new Option(
          '--storage-role <role>',
          "the app's data role on the storage account, for Entra tokens: reader (Storage Blob Data Reader) or none (403 AuthorizationPermissionMismatch)",
        )
          .choices(['reader', 'none'] as const)
          .default('reader' as const),
      )
      .option('--rotate-keys', 'make a new signing key, client secret and certificates (cached tokens stop working)')
      .option('--faults <spec>', 'fault injection, e.g. error=0.05,throttle=0.02,slow=0.1:500ms,truncate=0.02')
      .option('--tick <duration>', 'lockstep: simulated time per acknowledged tick', '5m')
      .option('--page-size <n>', 'content items per /subscriptions/content page', '200')
      .option('--allow-http-webhooks', 'accept http:// webhook addresses (the real service demands HTTPS)')
      .addOption(
        new Option(
          '--start-wait <duration>',
          'the waiting period between start requests for a content type (Microsoft: 15m); a start within it is throttled (AF429). Wall time; 0: off',
        )
          .argParser(parseWallDuration('--start-wait'))
          .default(0, '0'),
      )
      .addOption(
        new Option(
          '--first-content-delay <duration>',
          "after a content type's first start, list and notify nothing until this has passed (Microsoft: up to 12h). Wall time; 0: off",
        )
          .argParser(parseWallDuration('--first-content-delay'))
          .default(0, '0'),
      )
      .option(
        '--wait-for-webhooks',
        'publish nothing until every content type the dataset publishes has a subscription with a validated webhook',
      )
      .option('--spill-dir <dir>', 'where published blobs are kept while serving (default: the OS temp directory)')
      .option('--json', 'print one JSON object (the ENUMBENCH_* names of docs/detectors.md) on stdout')
      .option(
        '--ready-file <path>',
        'write the --json object to this file, atomically, once the services answer (removed when serve exits)',
      )
      .option(
        '--exit-when-done',
        'stop once everything published has been collected (or --drain has passed since the last publication)',
      )
      .addOption(
        new Option(
          '--drain <duration>',
          'with --exit-when-done: how long (wall time) the collector has after the last publication to fetch everything',
        )
          .argParser(parseWallDuration('--drain'))
          .default(DEFAULT_DRAIN_MS, '6m'),
      )
      .option('--no-progress', 'with a scenario: no generation progress bar or line')
      .option('--progress-interval <duration>', PROGRESS_INTERVAL_HELP, parseProgressInterval)
      .action(async (input, opts) => {
        const { io } = ctx;
        // every option is checked before a scenario is generated
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65533)
          throw userError('E_PORT', `invalid --port ${opts.port}`, 'a port 0..65533 (0: any free ports)');
        const pageSize = Number(opts.pageSize);
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000)
          throw userError('E_PAGE_SIZE', `invalid --page-size ${opts.pageSize}`, 'an integer 1..10000');
        const speed = parseSpeed(opts.speed);
        const faults = opts.faults ? parseFaults(opts.faults) : undefined;
        const lockstepTickMs = positiveDuration('--tick', opts.tick);
        // a ready file left by an earlier serve must not be taken for this one's
        const readyFile = opts.readyFile !== undefined ? resolve(io.cwd, opts.readyFile) : undefined;
        if (readyFile) rmSync(readyFile, { force: true });
        const path = resolve(io.cwd, input);
        let dir = path;
        if (!existsSync(path)) {
          throw userError(
            'E_INPUT',
            `${input}: no such file or directory`,
            'give a scenario YAML file or a dataset directory',
          );
        }
        if (!statSync(path).isDirectory()) {
          // a scenario: generate its dataset first (the same bytes `enumbench generate` writes)
          const seed = opts.seed;
          const progress = createProgress({
            io,
            enabled: opts.progress,
            ...(opts.progressInterval !== undefined ? { intervalMs: opts.progressInterval } : {}),
          });
          const [prepared] = await prepareInputs({
            inputs: [input],
            catalog: ctx.catalog,
            cwd: io.cwd,
            out: resolve(io.cwd, opts.out),
            version: ctx.version,
            ...(seed !== undefined ? { seed } : {}),
            seeds: 1,
            jobs: opts.jobs ?? 'auto',
            onGenerate: (e) => {
              if (e.records === undefined) progress.start(`generating ${e.scenario} · seed ${e.seed}`);
              else {
                progress.stop();
                io.err(`generated ${e.scenario} · seed ${e.seed}: ${e.records} records\n`);
              }
            },
            onProgress: (done, records, simTime) => progress.update({ done, records, simTime }),
          });
          dir = prepared?.datasets[0] as string;
          // never served; said for `enumbench score` once an outside detector has run
          io.err(`answer key (never served): ${relative(io.cwd, prepared?.keys[0] as string)}\n`);
        } else if (!existsSync(join(path, 'delivery.jsonl'))) {
          throw userError(
            'E_DATASET',
            `${input} is not a dataset directory`,
            'pass a directory written by `enumbench generate --out DIR`, or a scenario file',
          );
        } else {
          // the served tree holds no answer key
          refuseAnswerKeyInside(path, input);
        }
        const publication = loadDataset(dir);
        // keys and certificates survive a restart: tokens cached by a collector stay valid
        const stateDir = opts.stateDir
          ? resolve(io.cwd, opts.stateDir)
          : join(
              resolve(io.cwd, opts.out),
              'serve-state',
              publication.manifest.scenario.name.replace(/[^A-Za-z0-9._-]/g, '_'),
              `seed-${publication.seed}`,
            );
        const state = loadServeState(stateDir, {
          seededSecret: makeIdentity(publication.seed, publication.tenantId, publication.domain).clientSecret,
          https: opts.https === true,
          rotate: opts.rotateKeys === true,
          now: new Date(wallNow()),
        });
        io.err(
          state.made.length === 0
            ? `keys and certificates reused from ${relative(io.cwd, stateDir) || '.'}\n`
            : `${state.made.join(', ')} made${opts.rotateKeys ? ' (--rotate-keys)' : ''}, kept in ${relative(io.cwd, stateDir) || '.'}\n`,
        );
        let tls: { cert: string; key: string; ca: string } | undefined;
        let caPath: string | undefined;
        if (opts.https && state.tls) {
          caPath = resolve(io.cwd, opts.caOut);
          writeFileSync(caPath, state.tls.caCert);
          tls = { cert: state.tls.cert, key: state.tls.key, ca: state.tls.caCert };
        }
        const publicUrl = opts.publicUrl?.replace(/\/+$/, '');
        const svc = await startMockServices({
          publication,
          speed,
          signingKey: state.signingKey,
          clientSecret: state.clientSecret,
          clientCertificate: state.clientCertificate.cert,
          storageRole: opts.storageRole,
          host: opts.host,
          port,
          pageSize,
          ...(tls ? { tls } : {}),
          ...(publicUrl ? { publicUrls: { management: publicUrl } } : {}),
          ...(faults ? { faults } : {}),
          webhooks: { allowHttp: opts.allowHttpWebhooks === true },
          startWaitMs: opts.startWait,
          firstContentDelayMs: opts.firstContentDelay,
          deferStart: opts.waitForWebhooks === true,
          ipNetworksFile: ipNetworksFileFor(dir),
          lockstepTickMs,
          ...(opts.spillDir ? { spillDir: resolve(io.cwd, opts.spillDir) } : {}),
        });
        const env = svc.env();
        const clock = svc.replay.clock.snapshot();
        const machine = `${JSON.stringify({
          ...env,
          ENUMBENCH_DIAGNOSTICS_SAS: svc.urls.diagnosticsSas,
          ENUMBENCH_DIAGNOSTICS_CONNECTION_STRING: svc.urls.diagnosticsConnectionString,
          ENUMBENCH_CLIENT_CERTIFICATE: state.clientCertificate.file,
          ENUMBENCH_CLIENT_CERTIFICATE_THUMBPRINT: certificateThumbprint(state.clientCertificate.cert),
          bench: { url: svc.urls.bench, token: svc.identity.benchToken },
          ...(caPath ? { caCertificate: caPath } : {}),
          clock,
          counts: publication.counts,
        })}\n`;
        if (readyFile) writeFileAtomic(readyFile, machine);
        if (opts.json) {
          io.out(machine);
        } else {
          const s = ctx.outStyle;
          const t = env.ENUMBENCH_TENANT_ID;
          io.out(
            [
              `${s.bold('enumbench serve')} ${input}  speed ${env.ENUMBENCH_SPEED}  records dated ${clock.start} … ${clock.end}`,
              `  shift ${clock.shiftMs >= 0 ? '+' : ''}${formatDuration(clock.shiftMs)} from the dataset: score alerts raised on this replay with --time-offset ${formatDuration(clock.shiftMs)}`,
              '',
              `  login (stands for https://login.microsoftonline.com)  ${env.ENUMBENCH_LOGIN_URL}`,
              `  API   (stands for https://manage.office.com)          ${env.ENUMBENCH_MANAGEMENT_URL}/api/v1.0/${t}/activity/feed/`,
              `  diagnostic-settings storage (SAS included)           ${env.ENUMBENCH_DIAGNOSTICS_URL}`,
              `  storage connection string                            ${svc.urls.diagnosticsConnectionString}`,
              `  simulated clock                                      ${env.ENUMBENCH_CLOCK_URL}`,
              ...(env.ENUMBENCH_LOCKSTEP_URL
                ? [`  lockstep (GET state, POST {"tick":N} to go on)       ${env.ENUMBENCH_LOCKSTEP_URL}`]
                : []),
              `  bench only (ledger; never give to a detector)        ${svc.urls.bench}/bench/ledger  token ${svc.identity.benchToken}`,
              ...(caPath ? [`  CA certificate                                       ${caPath}`] : []),
              '',
              `  tenant id      ${t}${svc.identity.tenantNames.length > 0 ? `  (or ${svc.identity.tenantNames.join(', ')})` : ''}`,
              `  client id      ${env.ENUMBENCH_CLIENT_ID}`,
              `  client secret  ${env.ENUMBENCH_CLIENT_SECRET}`,
              `  certificate    ${state.clientCertificate.file}  (thumbprint ${certificateThumbprint(state.clientCertificate.cert)})`,
              '',
              s.dim('# copy-paste session:'),
              ...(caPath ? [`export CURL_CA_BUNDLE=${caPath}`] : []),
              `TOKEN=$(curl -s ${env.ENUMBENCH_LOGIN_URL}/${t}/oauth2/v2.0/token -d grant_type=client_credentials -d client_id=${env.ENUMBENCH_CLIENT_ID} --data-urlencode 'client_secret=${env.ENUMBENCH_CLIENT_SECRET}' --data-urlencode scope=https://manage.office.com/.default | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
              `API=${env.ENUMBENCH_MANAGEMENT_URL}/api/v1.0/${t}/activity/feed`,
              `curl -s -X POST -H "Authorization: Bearer $TOKEN" "$API/subscriptions/start?contentType=Audit.AzureActiveDirectory"`,
              `curl -s -D - -H "Authorization: Bearer $TOKEN" "$API/subscriptions/content?contentType=Audit.AzureActiveDirectory"`,
              `curl -s -H "Authorization: Bearer $TOKEN" "<a contentUri from the list>"`,
              `curl -s "${env.ENUMBENCH_DIAGNOSTICS_URL.replace('?', '?comp=list&')}"`,
              '',
              s.dim(
                opts.exitWhenDone
                  ? 'serving until everything published is collected (Ctrl-C to stop)'
                  : 'serving until Ctrl-C',
              ),
              '',
            ].join('\n'),
          );
        }
        let interrupted = false;
        const { nap, wake } = wakeableNap();
        // SIGINT / SIGTERM (harness/interrupt.ts): stop serving, close, print the ledger line; the
        // handler then says "interrupted" and exits 130 / 143
        let closed: () => void = () => {};
        const closedAndSaid = new Promise<undefined>((r) => {
          closed = () => r(undefined);
        });
        const unregister = onInterrupt({
          stop: () => {
            interrupted = true;
            wake();
            return closedAndSaid;
          },
        });
        // a dataset whose files disagree stops the replay where it is found: stop serving too
        let replayOver = false;
        void svc.replay.done.then(() => {
          replayOver = true;
          wake();
        });
        if (opts.waitForWebhooks) {
          // the subscribed barrier of `run --detector webhook:` (docs/detectors.md), without a time limit
          const need = webhookContentTypes(publication);
          io.err(`waiting for a subscription with a validated webhook to ${need.join(', ') || 'nothing'}\n`);
          while (!interrupted && unsubscribed(svc.subscriptions, svc.webhooks, need).length > 0) await nap(100);
          if (!interrupted) {
            io.err('every content type has a validated webhook: publishing\n');
            svc.start();
          }
        }
        while (!interrupted && !(replayOver && (opts.exitWhenDone || svc.replay.failure))) {
          await nap(60_000);
        }
        let drained: 'over' | 'period' | undefined;
        if (!interrupted && opts.exitWhenDone && !svc.replay.failure) {
          // collected, and the collector's last requests answered: no request for a second
          drained = await drain({
            drainMs: opts.drain,
            over: () => {
              if (interrupted) return true;
              const t = svc.traffic();
              return svc.ledger.allFetched(wallNow()) && t.inFlight === 0 && wallNow() - t.lastAt >= QUIET_MS;
            },
            nap,
          });
        }
        const ledger = svc.ledgerSummary();
        await svc.close();
        if (readyFile) rmSync(readyFile, { force: true });
        io.err(
          `served ${ledger.published.records} records (${ledger.published.contentBlobs} content blobs); fetched ${ledger.fetched.records}; never collected ${ledger.neverCollected.count}\n`,
        );
        closed();
        unregister();
        if (drained === 'period' && !interrupted) {
          io.err(
            `stopped after the drain (${formatDuration(opts.drain)} after the last publication) with ${ledger.neverCollected.count} records never collected\n`,
          );
        }
        // a full spill disk stops the replay: the servers are closed and the ledger said, then the error (exit 4)
        if (svc.replay.failure)
          throw resourceError(svc.replay.failure, svc.spillDir, '--spill-dir') ?? svc.replay.failure;
        ctx.exit(ExitCode.Passed);
      });
  },
};
