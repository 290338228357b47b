// What the phone keeps to work offline (zones, categories, settings), each with the ETag it came with.
// Losing it costs a download, never work: queued reports live in the outbox's own database.
import { openDB, type IDBPDatabase } from 'idb'

export interface Cached<T> {
  data: T
  etag: string | null
  at: number // epoch ms of the last check with the server
}

let dbPromise: Promise<IDBPDatabase> | null = null

function db(): Promise<IDBPDatabase> {
  dbPromise ??= openDB('xuncha-cache', 1, {
    upgrade(d) {
      d.createObjectStore('entries')
    },
    blocking() {
      void dbPromise?.then((d) => d.close())
      dbPromise = null
    },
    terminated() {
      dbPromise = null
    },
  }).catch((e) => {
    dbPromise = null
    throw e
  })
  return dbPromise
}

export async function readCache<T>(key: string): Promise<Cached<T> | undefined> {
  try {
    return (await (await db()).get('entries', key)) as Cached<T> | undefined
  } catch {
    dbPromise = null
    return undefined
  }
}

export async function writeCache<T>(key: string, value: Cached<T>): Promise<void> {
  try {
    await (await db()).put('entries', value, key)
  } catch {
    dbPromise = null // a full or closed store only costs a later download
  }
}

export async function deleteCache(key: string): Promise<void> {
  try {
    await (await db()).delete('entries', key)
  } catch {
    dbPromise = null
  }
}
