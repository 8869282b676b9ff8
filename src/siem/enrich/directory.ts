/**
 * The organisation's identity directory (`seclog actors --directory`: JSON Lines of DirectoryPerson), for joining one
 * person's records across sources that name them differently (an e-mail at Okta and Entra, `CORP\jdoe` or `jdoe` in
 * Windows, a unix user in auth.log). Accounts are matched without case; workstations like the inventory's hosts,
 * without case and without a domain suffix.
 */
import type { DirectoryPerson } from '../../schema/record.js';
import { byHostName, readJsonLines } from './lines.js';

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
    return byHostName(this.byWorkstation, host);
  }

  static read(file: string, key: string): Directory {
    const rows = readJsonLines<Record<string, unknown>>(file, key, EXPECTED, (o) => {
      if (typeof o.person !== 'string' || o.person === '') return 'has no "person" string';
      if (!Array.isArray(o.accounts) || !o.accounts.every((a) => typeof a === 'string' && a !== '')) return 'has no "accounts" list of names';
      if (o.workstation !== undefined && o.workstation !== null && typeof o.workstation !== 'string') return 'has a "workstation" that is not a hostname or null';
      return null;
    });
    return new Directory(
      rows.map((o) => ({
        person: o.person as string,
        display_name: typeof o.display_name === 'string' && o.display_name !== '' ? o.display_name : (o.person as string),
        department: typeof o.department === 'string' ? o.department : null,
        title: typeof o.title === 'string' ? o.title : null,
        accounts: o.accounts as string[],
        workstation: typeof o.workstation === 'string' && o.workstation !== '' ? o.workstation : null,
      })),
    );
  }
}
