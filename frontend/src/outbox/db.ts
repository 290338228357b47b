// The outbox's IndexedDB (opened and reopened by `lazyDb`), upgraded step by step so waiting items survive every
// new version.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb'
import { lazyDb } from '@/idb'
import type { OutboxItem } from './types'

export const DB_NAME = 'xuncha-outbox'
export const DB_VERSION = 2

interface OutboxSchema extends DBSchema {
  items: { key: string; value: OutboxItem; indexes: { bySeq: number } }
  meta: { key: string; value: number }
}

type Db = IDBPDatabase<OutboxSchema>
type UpgradeTx = IDBPTransaction<OutboxSchema, ('items' | 'meta')[], 'versionchange'>

/** Each step takes the database from version i to i+1; a step never deletes items. */
export const UPGRADES: ((db: Db, tx: UpgradeTx) => void)[] = [
  (db) => {
    db.createObjectStore('items', { keyPath: 'id' })
  },
  (db, tx) => {
    tx.objectStore('items').createIndex('bySeq', 'seq')
    db.createObjectStore('meta')
  },
]

const upgrade = (db: Db, oldVersion: number, newVersion: number | null, tx: UpgradeTx) => {
  for (let v = oldVersion; v < (newVersion ?? DB_VERSION); v++) UPGRADES[v](db, tx)
}
const conn = lazyDb<OutboxSchema>(DB_NAME, DB_VERSION, upgrade)
/** Opens the outbox's database at a version, outside the app's connection (tests: an older app's database). */
export function openOutboxDb(version = DB_VERSION, name = DB_NAME): Promise<Db> {
  return openDB<OutboxSchema>(name, version, { upgrade })
}

/** Runs fn on the open database; if the connection was closed under us, reopens once and runs it again. */
export const withDb = <T>(fn: (db: Db) => Promise<T>): Promise<T> => conn.run(fn)

/** Forgets the connection (tests; and the app's own close). */
export const resetConnection = conn.reset
