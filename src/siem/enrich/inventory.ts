/**
 * The organisation's hosts (`seclog actors --inventory`: JSON Lines of InventoryHost), for enriching records with
 * their host's owner and criticality. Hosts are matched by name without case and without a domain suffix
 * (`DC-01.corp.example.com` is `DC-01`).
 */
import type { InventoryHost } from '../../schema/record.js';
import { byHostName, readJsonLines } from './lines.js';

export class Inventory {
  private readonly byName = new Map<string, InventoryHost>();

  constructor(hosts: readonly InventoryHost[] = []) {
    for (const h of hosts) this.byName.set(h.host.toLowerCase(), h);
  }

  get size(): number {
    return this.byName.size;
  }

  lookup(host: string | null): InventoryHost | undefined {
    return byHostName(this.byName, host);
  }

  static read(file: string, key: string): Inventory {
    const hosts = readJsonLines<InventoryHost>(file, key, 'expected one host per line, as `seclog actors --inventory` writes', (h) => (typeof h.host === 'string' ? null : 'has no "host" string'));
    return new Inventory(hosts);
  }
}
