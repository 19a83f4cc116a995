/**
 * The dataset's IP enrichment table (src/core/ip-networks.ts, docs/dataset.md "Enrichment"):
 * `generate` writes the world's table into every dataset directory as `ip-networks.csv`, listed in
 * the manifest with its sha256 like the records; a replay gives it to in-process detectors as
 * `ctx.networks` and to programs as the path in ENUMBENCH_IP_NETWORKS. A dataset written before the
 * table travelled gets the world's table, which is the same for every scenario and seed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { worldIpNetworks, worldIpNetworkTable } from '../../generators/world/index.js';
import {
  formatIpNetworksCsv,
  IP_NETWORKS_FILE,
  IpNetworkTable,
  parseIpNetworksCsv,
} from '../../src/core/ip-networks.js';

/** Write the world's table into `dir`; returns its manifest entry. */
export function writeIpNetworks(dir: string): { sha256: string; bytes: number } {
  const text = formatIpNetworksCsv(worldIpNetworks());
  writeFileSync(join(dir, IP_NETWORKS_FILE), text);
  return { sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
}

/** The table of the dataset in `dir` (validated), or the world's when the dataset has none. */
export function datasetIpNetworks(dir: string): IpNetworkTable {
  const file = join(dir, IP_NETWORKS_FILE);
  if (!existsSync(file)) return worldIpNetworkTable();
  return new IpNetworkTable(parseIpNetworksCsv(readFileSync(file, 'utf8'), file));
}

/**
 * The path of the table for a program's ENUMBENCH_IP_NETWORKS: the dataset's file, or the world's
 * table written once into a temporary folder when the dataset has none (or there is no dataset),
 * removed when the process exits.
 */
export function ipNetworksFileFor(dir: string | null): string {
  if (dir !== null) {
    const file = join(dir, IP_NETWORKS_FILE);
    if (existsSync(file)) return file;
  }
  if (worldFile === undefined) {
    const tmp = mkdtempSync(join(tmpdir(), 'enumbench-enrichment-'));
    process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));
    writeIpNetworks(tmp);
    worldFile = join(tmp, IP_NETWORKS_FILE);
  }
  return worldFile;
}

/** The world's table, written once per process (it is the same for every scenario and seed). */
let worldFile: string | undefined;
