/**
 * The organisation's hosts (`seclog actors --inventory`: JSON Lines of InventoryHost), for enriching records with
 * their host's owner and criticality. Hosts are matched by name without case and without a domain suffix
 * (`DC-01.corp.example.com` is `DC-01`).
 */
import { readFileSync } from 'node:fs';
import type { InventoryHost } from '../../schema/record.js';
import { UsageError } from '../../util/errors.js';

export class Inventory {
  private readonly byName = new Map<string, InventoryHost>();

  constructor(hosts: readonly InventoryHost[] = []) {
    for (const h of hosts) this.byName.set(h.host.toLowerCase(), h);
  }

  get size(): number {
    return this.byName.size;
  }

  lookup(host: string | null): InventoryHost | undefined {
    if (host === null || this.byName.size === 0) return undefined;
    const lower = host.toLowerCase();
    const exact = this.byName.get(lower);
    if (exact !== undefined) return exact;
    const dot = lower.indexOf('.');
    return dot > 0 ? this.byName.get(lower.slice(0, dot)) : undefined;
  }

  static read(file: string, key: string): Inventory {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`${key}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const hosts: InventoryHost[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let h: unknown;
      try {
        h = JSON.parse(line);
      } catch {
        throw new UsageError(`${key}: ${file} line ${i + 1} is not JSON (expected one host per line, as \`seclog actors --inventory\` writes)`);
      }
      if (h === null || typeof h !== 'object' || typeof (h as { host?: unknown }).host !== 'string') {
        throw new UsageError(`${key}: ${file} line ${i + 1} has no "host" string (expected one host per line, as \`seclog actors --inventory\` writes)`);
      }
      hosts.push(h as InventoryHost);
    });
    return new Inventory(hosts);
  }
}
