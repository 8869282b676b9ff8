/**
 * The organisation's identity directory (`seclog actors --directory`: JSON Lines of DirectoryPerson), for joining one
 * person's records across sources that name them differently (an e-mail at Okta and Entra, `CORP\jdoe` or `jdoe` in
 * Windows, a unix user in auth.log). Accounts are matched without case; workstations like the inventory's hosts,
 * without case and without a domain suffix.
 */
import { readFileSync } from 'node:fs';
import type { DirectoryPerson } from '../../schema/record.js';
import { UsageError } from '../../util/errors.js';

const EXPECTED = 'expected one person per line, as `seclog actors --directory` writes';

export class Directory {
  private readonly byAccount = new Map<string, DirectoryPerson>();
  private readonly byWorkstation = new Map<string, DirectoryPerson>();

  constructor(people: readonly DirectoryPerson[] = []) {
    for (const p of people) {
      // The first person to claim a name keeps it: a directory that lists a name twice does not move it.
      for (const name of [p.person, ...p.accounts]) if (!this.byAccount.has(name.toLowerCase())) this.byAccount.set(name.toLowerCase(), p);
      if (p.workstation !== null && !this.byWorkstation.has(p.workstation.toLowerCase())) this.byWorkstation.set(p.workstation.toLowerCase(), p);
    }
  }

  get size(): number {
    return new Set(this.byAccount.values()).size;
  }

  /** The person an account name (or the person's key) belongs to. */
  lookup(account: string | null): DirectoryPerson | undefined {
    if (account === null || this.byAccount.size === 0) return undefined;
    return this.byAccount.get(account.toLowerCase());
  }

  /** The person whose workstation a host is. */
  ownerOf(host: string | null): DirectoryPerson | undefined {
    if (host === null || this.byWorkstation.size === 0) return undefined;
    const lower = host.toLowerCase();
    const exact = this.byWorkstation.get(lower);
    if (exact !== undefined) return exact;
    const dot = lower.indexOf('.');
    return dot > 0 ? this.byWorkstation.get(lower.slice(0, dot)) : undefined;
  }

  static read(file: string, key: string): Directory {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`${key}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const people: DirectoryPerson[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let p: unknown;
      try {
        p = JSON.parse(line);
      } catch {
        throw new UsageError(`${key}: ${file} line ${i + 1} is not JSON (${EXPECTED})`);
      }
      const o = p as Partial<Record<keyof DirectoryPerson, unknown>> | null;
      if (o === null || typeof o !== 'object' || typeof o.person !== 'string' || o.person === '') {
        throw new UsageError(`${key}: ${file} line ${i + 1} has no "person" string (${EXPECTED})`);
      }
      if (!Array.isArray(o.accounts) || !o.accounts.every((a) => typeof a === 'string' && a !== '')) {
        throw new UsageError(`${key}: ${file} line ${i + 1} has no "accounts" list of names (${EXPECTED})`);
      }
      if (o.workstation !== undefined && o.workstation !== null && typeof o.workstation !== 'string') {
        throw new UsageError(`${key}: ${file} line ${i + 1}: "workstation" is not a hostname or null (${EXPECTED})`);
      }
      people.push({
        person: o.person,
        display_name: typeof o.display_name === 'string' && o.display_name !== '' ? o.display_name : o.person,
        department: typeof o.department === 'string' ? o.department : null,
        title: typeof o.title === 'string' ? o.title : null,
        accounts: o.accounts as string[],
        workstation: typeof o.workstation === 'string' && o.workstation !== '' ? o.workstation : null,
      });
    });
    return new Directory(people);
  }
}
