/**
 * The file currently being written: opened under a hidden temporary name, renamed to its final name (which carries
 * the time range of its records) when complete.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { writevAll } from '../../encode/fd-write.js';
import { ensureDir } from '../../util/files.js';
import { fileName, lastSequence, temporaryName } from './naming.js';

export interface ClosedFile {
  path: string;
  bytes: number;
  records: number;
}

export class RotatingFile {
  private handle: FileHandle | null = null;
  private tmpPath = '';
  private openedAt = 0;
  private sequence = 0;
  size = 0;
  records = 0;
  private minTime = Infinity;
  private maxTime = -Infinity;
  readonly closed: ClosedFile[] = [];

  constructor(
    private readonly dir: string,
    private readonly label: string,
    private readonly extension: string,
    /** Go on after the highest sequence number already in `dir` (`--append`) instead of starting at 1. */
    private readonly continueNumbering = false,
  ) {}

  get isOpen(): boolean {
    return this.handle !== null;
  }

  /** Wall-clock age of the open file in ms (0 when none is open). */
  age(now = Date.now()): number {
    return this.handle ? now - this.openedAt : 0;
  }

  async append(chunks: readonly Uint8Array[], records: number, minTime: number, maxTime: number): Promise<void> {
    if (!this.handle) await this.openNext();
    let bytes = 0;
    for (const c of chunks) bytes += c.length;
    // Not FileHandle#writev: see fd-write.ts (fs/promises requests make the main thread run GCs).
    if (bytes > 0) await writevAll(this.handle!.fd, chunks);
    this.size += bytes;
    this.records += records;
    if (minTime < this.minTime) this.minTime = minTime;
    if (maxTime > this.maxTime) this.maxTime = maxTime;
  }

  private async openNext(): Promise<void> {
    if (this.sequence === 0) {
      await ensureDir(this.dir);
      if (this.continueNumbering) this.sequence = await lastSequence(this.dir, this.label);
    }
    this.sequence++;
    this.tmpPath = join(this.dir, temporaryName(this.label, this.sequence, this.extension));
    this.handle = await open(this.tmpPath, 'w');
    this.openedAt = Date.now();
    this.size = 0;
    this.records = 0;
    this.minTime = Infinity;
    this.maxTime = -Infinity;
  }

  /** Completes the open file: close, then rename to its final name. */
  async finish(): Promise<void> {
    if (!this.handle) return;
    const handle = this.handle;
    this.handle = null;
    await handle.close();
    if (this.records === 0) {
      await rm(this.tmpPath, { force: true });
      this.sequence--;
      return;
    }
    const path = join(this.dir, fileName(this.label, this.minTime, this.maxTime, this.sequence, this.extension));
    await rename(this.tmpPath, path);
    this.closed.push({ path, bytes: this.size, records: this.records });
  }

  /** Removes the incomplete file. */
  async discard(): Promise<void> {
    if (!this.handle) return;
    const handle = this.handle;
    this.handle = null;
    await handle.close().catch(() => undefined);
    await rm(this.tmpPath, { force: true });
  }
}
