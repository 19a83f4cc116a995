/**
 * The Log Analytics row shape of a dataset's Graph activity logs (`generate --log-analytics`): the
 * same requests as `graph-activity.jsonl` (the diagnostic-settings JSON a storage account or an
 * event hub receives), as rows of the `MicrosoftGraphActivityLogs` table a workspace stores — what a
 * KQL rule queries (PascalCase columns, `ClientAuthMethod` an int, `Type`, `TenantId` = the
 * workspace, `_BilledSize`; shape from ../shared/reference/samples/graph-activity-la.jsonl, tested
 * in test/generators/shapes.test.ts).
 *
 * Written after the records, by streaming the finished Graph file, so the generation's hot path is
 * untouched and a merged shard set can be converted the same way.
 */
import { join } from 'node:path';
import { graphActivityLaRow } from '../../generators/records/graph-activity.js';
import { rngStream } from '../../src/core/rng.js';
import { SOURCES } from '../../src/core/sources.js';
import { LineReader } from '../replay/line-reader.js';
import { JsonlWriter } from './jsonl-writer.js';

export const LA_GRAPH_FILE = 'graph-activity.la.jsonl';

/** The workspace id (the rows' `TenantId` column): the workspace's, not the Entra tenant's; fixed by the seed. */
export function laWorkspaceId(seed: number): string {
  return rngStream(seed, 'log-analytics', 'workspace').uuid();
}

/**
 * Converts `<dir>/graph-activity.jsonl` to `<dir>/graph-activity.la.jsonl`. `_BilledSize` is the
 * row's own size in bytes without the underscore columns (Log Analytics bills the ingested row).
 */
export function writeGraphLaRows(dir: string, seed: number): { sha256: string; bytes: number; rows: number } {
  const workspace = laWorkspaceId(seed);
  const out = new JsonlWriter(join(dir, LA_GRAPH_FILE));
  const reader = new LineReader(join(dir, SOURCES.graphActivity.file));
  try {
    for (let line = reader.nextText(); line !== undefined; line = reader.nextText()) {
      const row = graphActivityLaRow(JSON.parse(line) as Record<string, unknown>, workspace, 0);
      const { _BilledSize: _b, _IsBillable: _i, ...billed } = row;
      row._BilledSize = Buffer.byteLength(JSON.stringify(billed));
      out.line(JSON.stringify(row));
    }
  } finally {
    reader.close();
  }
  const rows = out.lines;
  return { ...out.close(), rows };
}
