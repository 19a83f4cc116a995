import { compose, mergeActors, Splitter } from '../generators/index.js';
import { makeScenario } from '../test/generators/helpers/scenario.js';

const s = makeScenario({ users: 200 });
const c = compose(s);
const counts: Record<string, number> = {};
let n = 0;
const t0 = performance.now();
let bytes = 0;
const sp = new Splitter(s, s.seed, c.world.tenantId, c.campaigns, {
  record: (src, l) => {
    bytes += l.length;
    counts[src] = (counts[src] ?? 0) + 1;
  },
  delivery: () => {},
  label: () => {},
});
const samples: Record<string, unknown> = {};
for (const r of mergeActors(c.actors)) {
  sp.push(r);
  n++;
  if (!samples[r.source + r.label.malicious]) samples[r.source + r.label.malicious] = r.record;
}
const ms = performance.now() - t0;
console.log(n, counts, ((n / ms) * 1000).toFixed(0), 'rec/s', (bytes / n).toFixed(0), 'B/rec');
console.log(JSON.stringify(sp.truth('x', c.allActors).campaigns, null, 1).slice(0, 1500));
for (const [k, v] of Object.entries(samples)) console.log(k, JSON.stringify(v).slice(0, 700));
