/**
 * The apps and systems an admin has given an Open311 API key. Only the key's hash is stored,
 * so the key is shown once, when it is issued; a revoked client's key opens nothing again.
 * Written once for both databases on the shared Sql.
 */
import type { Sql } from './sql';

/** A client as the CLI lists it; never the key, which is not kept. */
export interface Open311Client {
  id: number;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface Open311ClientStore {
  /** Records a new client with the hash of its key. */
  addOpen311Client(name: string, keyHash: string, now: Date): Promise<Open311Client>;
  /** The client whose key has `keyHash`, if that key has not been revoked. */
  activeOpen311Client(keyHash: string): Promise<Open311Client | undefined>;
  /** Every client, revoked ones too, oldest first. */
  open311Clients(): Promise<Open311Client[]>;
  /** Revokes a client's key; false when there is no such client or it was already revoked. */
  revokeOpen311Client(id: number, now: Date): Promise<boolean>;
}

interface Open311ClientRow {
  id: number | string;
  name: string;
  created_at: string;
  revoked_at: string | null;
}

function toOpen311Client(row: Open311ClientRow): Open311Client {
  return { id: Number(row.id), name: row.name, createdAt: new Date(row.created_at).toISOString(), revokedAt: row.revoked_at && new Date(row.revoked_at).toISOString() };
}

export function createOpen311ClientStore(sql: Sql): Open311ClientStore {
  return {
    async addOpen311Client(name, keyHash, now) {
      const row = await sql.get<Open311ClientRow>(
        'INSERT INTO open311_clients (name, key_hash, created_at) VALUES (?, ?, ?) RETURNING id, name, created_at, revoked_at',
        [name, keyHash, now],
      );
      if (!row) throw new Error('the new Open311 client was not returned');
      return toOpen311Client(row);
    },
    async activeOpen311Client(keyHash) {
      const row = await sql.get<Open311ClientRow>('SELECT id, name, created_at, revoked_at FROM open311_clients WHERE key_hash = ? AND revoked_at IS NULL', [keyHash]);
      return row && toOpen311Client(row);
    },
    async open311Clients() {
      return (await sql.all<Open311ClientRow>('SELECT id, name, created_at, revoked_at FROM open311_clients ORDER BY id')).map(toOpen311Client);
    },
    async revokeOpen311Client(id, now) {
      return (await sql.run('UPDATE open311_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, id])) > 0;
    },
  };
}
