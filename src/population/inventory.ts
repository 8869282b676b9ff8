/**
 * The organisation's inventory (its CMDB): people's workstations (columns of the population: workstation_hostname,
 * _os, _ip) and the servers, with their role, environment, criticality, owner and address. A pure function of the
 * population: the endpoint and host sources, and the alerts that reference hosts, all see the same inventory.
 */
import type { Actor, Population } from './actor.js';
import { ENVIRONMENTS, SERVER_ROLES } from './data/organisation.js';
import { Rng } from '../util/rng.js';
import type { InventoryHost } from '../schema/record.js';

export interface Server {
  readonly hostname: string;
  readonly role: string;
  readonly environment: string;
  readonly criticality: 'high' | 'medium' | 'low';
  readonly os: string;
  readonly ip: string;
  /** The person who owns it (an administrator or developer of the population), by actor id. */
  readonly owner_id: string | null;
  readonly account_id: string;
  /** The Active Directory domain it belongs to (Windows servers), or null. */
  readonly domain: string | null;
}

/** How many of each role the organisation runs grows with its size: a 500-person company runs the base counts. */
function sizeFactor(people: number): number {
  return Math.max(1, Math.round(Math.sqrt(people / 500)));
}

/**
 * The inventory of a list of actors (in a worker, without the population file's account list): accounts in the order
 * the actors name them, as every stage that needs servers derives them, so all see the same inventory.
 */
export function inventoryOf(actors: readonly Actor[]): Server[] {
  return buildInventory({ actors: [...actors], account_ids: [...new Set(actors.map((a) => a.account_id))] });
}

export function buildInventory(population: Population): Server[] {
  const people = population.actors.filter((a) => a.kind === 'human');
  const owners = people.filter((a) => a.role === 'admin' || a.role === 'developer');
  const account = population.account_ids[0] ?? '000000000000';
  const rng = new Rng(population.account_ids.join(','), 'inventory/servers');
  const domain = `corp.${(people.find((p) => p.email)?.email ?? 'x@example.com').split('@')[1]}`;
  const factor = sizeFactor(people.length);
  const servers: Server[] = [];
  for (const env of ENVIRONMENTS) {
    let host = 10;
    for (const r of SERVER_ROLES) {
      const count = Math.max(1, Math.round(r.perEnv * factor * env.scale));
      for (let n = 1; n <= count; n++) {
        const owner = owners.length > 0 ? owners[rng.int(owners.length)] : null;
        servers.push({
          hostname: r.windows ? `${r.role.toUpperCase()}${env.name === 'prod' ? '' : `-${env.name.toUpperCase()}`}-${String(n).padStart(2, '0')}` : `${r.role}-${env.name}-${String(n).padStart(2, '0')}`,
          role: r.role,
          environment: env.name,
          criticality: env.name === 'prod' ? (r.critical ? 'high' : 'medium') : 'low',
          os: r.os[rng.int(r.os.length)],
          ip: `10.${env.subnet}.${1 + Math.floor(host / 250)}.${(host % 250) + 4}`,
          owner_id: owner?.id ?? null,
          account_id: population.account_ids.length > 1 ? population.account_ids[rng.int(population.account_ids.length)] : account,
          domain: r.windows ? domain : null,
        });
        host++;
      }
    }
  }
  return servers;
}

/** The inventory as the shared vocabulary's hosts (`seclog actors --inventory`): servers, then people's workstations. */
export function inventoryHosts(population: Population): InventoryHost[] {
  const byId = new Map(population.actors.map((a) => [a.id, a]));
  const ownerOf = (id: string | null) => {
    const a = id === null ? undefined : byId.get(id);
    return a === undefined ? null : (a.email ?? a.id);
  };
  const servers = buildInventory(population).map(
    (s): InventoryHost => ({ host: s.hostname, kind: 'server', role: s.role, environment: s.environment, criticality: s.criticality, os: s.os, ip: s.ip, owner: ownerOf(s.owner_id) }),
  );
  const workstations = population.actors
    .filter((a) => a.workstation_hostname !== null)
    .map(
      (a): InventoryHost => ({
        host: a.workstation_hostname as string,
        kind: 'workstation',
        role: 'workstation',
        environment: 'corporate',
        // A workstation of someone who administers the organisation is worth more to an attacker.
        criticality: a.role === 'admin' ? 'medium' : 'low',
        os: a.workstation_os ?? '',
        ip: a.workstation_ip ?? '',
        owner: a.email ?? a.id,
      }),
    );
  return [...servers, ...workstations];
}
