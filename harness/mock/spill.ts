/**
 * The mock's spill directory: finished blob bodies and the record-id lists behind the ledger live
 * on disk, not in memory, so `serve` holds only what is still being published. One temporary
 * directory per running mock, removed when the mock closes (and, failing that, when the process
 * exits).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class SpillDir {
  readonly root: string;
  private closed = false;

  /** `parent`: where the temporary directory is made (default: the OS temp directory) */
  constructor(parent: string = tmpdir()) {
    mkdirSync(parent, { recursive: true });
    this.root = mkdtempSync(join(parent, 'enumbench-spill-'));
    process.once('exit', this.removeSync);
  }

  /** a subdirectory of the spill directory, created if need be */
  dir(sub: string): string {
    const d = join(this.root, sub);
    mkdirSync(d, { recursive: true });
    return d;
  }

  private readonly removeSync = (): void => {
    rmSync(this.root, { recursive: true, force: true });
  };

  close(): void {
    if (this.closed) return;
    this.closed = true;
    process.off('exit', this.removeSync);
    this.removeSync();
  }
}
