/**
 * Users, passwords and tokens. Passwords are kept as scrypt hashes (`scrypt$N$r$p$salt$hash`, compared in constant
 * time); tokens are HS256 JWTs naming the user and role, signed with the configured key or with one generated once
 * and kept in the database (so every instance on it accepts every instance's tokens).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '../config.js';
import type { Database } from '../store/database.js';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

const N = 16384;
const R = 8;
const P = 1;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected);
}

/** A hash to compare against when the user does not exist (the answer takes as long either way). */
let decoy: Promise<string> | null = null;

export interface Principal {
  readonly username: string;
  readonly role: Role;
}

export class Auth {
  private constructor(
    private readonly db: Database,
    private readonly key: Uint8Array,
    private readonly ttlMinutes: number,
  ) {}

  /** The token key: the configured one, else the database's (created on first start). */
  static async open(db: Database, configured: string | undefined, ttlMinutes: number): Promise<Auth> {
    if (configured !== undefined) return new Auth(db, new TextEncoder().encode(configured), ttlMinutes);
    await db.query("INSERT INTO settings (key, value) VALUES ('jwt_secret', $1) ON CONFLICT (key) DO NOTHING", [randomBytes(48).toString('base64')]);
    const [row] = await db.query<{ value: string }>("SELECT value FROM settings WHERE key = 'jwt_secret'");
    return new Auth(db, Buffer.from(row.value, 'base64'), ttlMinutes);
  }

  /** Creates the user or sets its password and role. */
  async setUser(username: string, password: string, role: Role): Promise<'created' | 'updated'> {
    const hash = await hashPassword(password);
    const rows = await this.db.query<{ created: boolean }>(
      `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [username, hash, role],
    );
    return rows[0].created ? 'created' : 'updated';
  }

  async userExists(username: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM users WHERE username = $1', [username])).length > 0;
  }

  /** The user, when the password is theirs. */
  async check(username: string, password: string): Promise<Principal | null> {
    const [row] = await this.db.query<{ password_hash: string; role: Role }>('SELECT password_hash, role FROM users WHERE username = $1', [username]);
    if (row === undefined) {
      decoy ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(password, await decoy);
      return null;
    }
    return (await verifyPassword(password, row.password_hash)) ? { username, role: row.role } : null;
  }

  async token(p: Principal): Promise<{ token: string; expires_at: string }> {
    const exp = Math.floor(Date.now() / 1000) + this.ttlMinutes * 60;
    const token = await new SignJWT({ role: p.role }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(p.username).setIssuedAt().setExpirationTime(exp).setIssuer('seclog-siem').sign(this.key);
    return { token, expires_at: new Date(exp * 1000).toISOString() };
  }

  /** The token's user, when it is valid, unexpired, and the user still has that role. */
  async verify(token: string): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: 'seclog-siem', algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string') return null;
      const [row] = await this.db.query<{ role: Role }>('SELECT role FROM users WHERE username = $1', [payload.sub]);
      return row === undefined ? null : { username: payload.sub, role: row.role };
    } catch {
      return null;
    }
  }
}

/** Records a change: who, what, on what, from where. */
export async function audit(db: Database, actor: string, action: string, target: string | null, details: Record<string, unknown> | null, ip: string | null): Promise<void> {
  await db.query('INSERT INTO audit_log (actor, action, target, details, ip) VALUES ($1, $2, $3, $4, $5)', [actor, action, target, details === null ? null : JSON.stringify(details), ip]);
}
