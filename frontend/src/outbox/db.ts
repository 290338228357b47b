// The outbox's IndexedDB: opened lazily, reopened when the browser closes it (iOS Safari does under memory
// pressure), upgraded step by step so waiting items survive every new version.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb'
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

let dbPromise: Promise<Db> | null = null

export function openOutboxDb(version = DB_VERSION, name = DB_NAME): Promise<Db> {
  return openDB<OutboxSchema>(name, version, {
    upgrade(db, oldVersion, newVersion, tx) {
      for (let v = oldVersion; v < (newVersion ?? version); v++) UPGRADES[v](db, tx)
    },
    blocking() {
      // a newer tab wants to upgrade: step aside, the next call reopens at the new version
      void dbPromise?.then((db) => db.close())
      dbPromise = null
    },
    terminated() {
      dbPromise = null
    },
  })
}

function db(): Promise<Db> {
  dbPromise ??= openOutboxDb().catch((e) => {
    dbPromise = null
    throw e
  })
  return dbPromise
}

/** Runs fn on the open database; if the connection was closed under us, reopens once and runs it again. */
export async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  try {
    return await fn(await db())
  } catch (e) {
    if (!(e instanceof DOMException) || !['InvalidStateError', 'TransactionInactiveError'].includes(e.name)) throw e
    dbPromise = null
    return fn(await db())
  }
}

/** Forgets the connection (tests; and the app's own close). */
export function resetConnection(): void {
  dbPromise = null
}
