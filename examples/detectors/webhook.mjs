// A detector that subscribes rather than polls, in Node with nothing but `fetch` and `node:http` (Node 20+). It starts
// its own receiver (plain HTTP on this machine), starts a Management Activity API subscription to every content type
// with a webhook (learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-reference
// "Webhook validation", "Receiving notifications"), answers the validation request, and fetches each content blob a
// notification names with its own bearer token. The Graph activity logs have no webhook (diagnostic settings archive
// them to a storage account): it polls them, and applies the rule, with the parts of poller.mjs.
//   npx enumbench run scenarios/quickstart.yaml --detector webhook:"node examples/detectors/webhook.mjs"
// Options: those of poller.mjs, WEBHOOK_HOST (127.0.0.1), WEBHOOK_PORT (any free one), WEBHOOK_ADDRESS (the address
// the service is given, when the receiver sits behind a proxy; Microsoft requires https://).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { fetchBlob, pollAudit, pollGraph, sendAlerts, subscribe, untilDone } from './poller.mjs';

const env = process.env;
const tenant = env.ENUMBENCH_TENANT_ID;
// a secret of ours: the service sends it back as Webhook-AuthID, so a notification from anyone else is refused
const authId = randomBytes(16).toString('hex');

async function onNotification(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  // the validation request: {"validationCode": …} with the same code in a header; answering 200 validates
  if (req.headers['webhook-validationcode'] !== undefined) return 200;
  if (req.headers['webhook-authid'] !== authId) return 401;
  let items;
  try {
    items = JSON.parse(text);
  } catch {
    return 400;
  }
  if (!Array.isArray(items)) return 400;
  // an array of content descriptors: tenantId, clientId, contentType, contentId, contentUri, contentCreated, …
  // Answer at once and fetch afterwards, in order: a slow answer is a failed notification, sent again later.
  // One webhook may serve several tenants: only ours are fetched. A blob that cannot be fetched now is
  // fetched at the end, from the list of available content.
  work = work
    .then(async () => {
      for (const item of items) if (item.tenantId === tenant) await fetchBlob(item);
      await sendAlerts();
    })
    .catch((e) => console.error(`fetching notified content: ${e.message}`));
  return 200;
}
let work = Promise.resolve();

const server = createServer((req, res) => {
  onNotification(req).then(
    (status) => res.writeHead(status).end(),
    (e) => {
      console.error(`notification: ${e.message}`);
      res.writeHead(500).end();
    },
  );
});
await new Promise((listening) =>
  server.listen(Number(env.WEBHOOK_PORT ?? 0), env.WEBHOOK_HOST ?? '127.0.0.1', listening),
);
const address = env.WEBHOOK_ADDRESS ?? `http://${env.WEBHOOK_HOST ?? '127.0.0.1'}:${server.address().port}/notify`;
console.error(`listening for notifications at ${address}`);

// subscribe: the service validates the webhook before it answers (our server answers meanwhile)
await subscribe(JSON.stringify({ webhook: { address, authId, expiration: '' } }));
// the notifications come by themselves; the storage feeds are polled on our schedule (or each lockstep tick,
// once the blobs notified for it are fetched)
await untilDone(async () => [await work, await pollGraph()]);
// the end: a notification may have failed for good, so list what is available and fetch anything missed
await pollAudit();
await sendAlerts();
server.close();
server.closeAllConnections();
