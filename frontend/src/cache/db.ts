// What the phone keeps to work offline (zones, categories, settings), each with the ETag it came with.
// Losing it costs a download, never work: queued reports live in the outbox's own database.
import { lazyDb } from '@/idb'

export interface Cached<T> {
  data: T
  etag: string | null
  at: number // epoch ms of the last check with the server
}

const conn = lazyDb<unknown>('xuncha-cache', 1, (d) => {
  d.createObjectStore('entries')
})
const db = conn.get

export async function readCache<T>(key: string): Promise<Cached<T> | undefined> {
  try {
    return (await (await db()).get('entries', key)) as Cached<T> | undefined
  } catch {
    conn.reset()
    return undefined
  }
}

export async function writeCache<T>(key: string, value: Cached<T>): Promise<void> {
  try {
    await (await db()).put('entries', value, key)
  } catch {
    conn.reset() // a full or closed store only costs a later download
  }
}

export async function deleteCache(key: string): Promise<void> {
  try {
    await (await db()).delete('entries', key)
  } catch {
    conn.reset()
  }
}
