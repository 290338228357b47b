// The outbox's records: add, list in order, update, remove. Nothing here talks to the server.
import { withDb } from './db'
import type { OutboxItem } from './types'

type Listener = () => void
const listeners = new Set<Listener>()

/** Called after every change, so the screens can re-read the list. */
export function onOutboxChange(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function changed(): void {
  listeners.forEach((f) => f())
}

/** The next send position: past both the counter and every stored item (items from an older version count). */
async function nextSeq(): Promise<number> {
  return withDb(async (db) => {
    const tx = db.transaction(['meta', 'items'], 'readwrite')
    const last = await tx.objectStore('items').index('bySeq').openCursor(null, 'prev')
    const seq = Math.max((await tx.objectStore('meta').get('seq')) ?? 0, last?.value.seq ?? 0) + 1
    await tx.objectStore('meta').put(seq, 'seq')
    await tx.done
    return seq
  })
}

export type NewItem = Omit<OutboxItem, 'seq' | 'state' | 'attempts' | 'nextAt' | 'error' | 'createdAt'> &
  Partial<Pick<OutboxItem, 'createdAt'>>

/** Puts a report or an action in the outbox; it waits there until the server has it. */
export async function enqueue(item: NewItem): Promise<OutboxItem> {
  const full: OutboxItem = {
    createdAt: new Date().toISOString(),
    ...item,
    seq: await nextSeq(),
    state: 'waiting',
    attempts: 0,
    nextAt: 0,
    error: null,
  }
  await withDb((db) => db.put('items', full))
  changed()
  return full
}

/** Every waiting item, oldest first. */
export function allItems(): Promise<OutboxItem[]> {
  return withDb((db) => db.getAllFromIndex('items', 'bySeq'))
}

export function getItem(id: string): Promise<OutboxItem | undefined> {
  return withDb((db) => db.get('items', id))
}

/** Changes an item in place (state, error, uploaded photo ids, or the user's fix). */
export async function updateItem(id: string, change: (item: OutboxItem) => void): Promise<OutboxItem | undefined> {
  const item = await withDb(async (db) => {
    const tx = db.transaction('items', 'readwrite')
    const current = await tx.store.get(id)
    if (current) {
      change(current)
      await tx.store.put(current)
    }
    await tx.done
    return current
  })
  changed()
  return item
}

/** Removes an item: once the server has it, or when the user deletes it. */
export async function removeItem(id: string): Promise<void> {
  await withDb((db) => db.delete('items', id))
  changed()
}

/** Puts a changed item in place of another in one step (a fixed report that needs a new id keeps its place). */
export async function replaceItem(oldId: string, item: OutboxItem): Promise<void> {
  await withDb(async (db) => {
    const tx = db.transaction('items', 'readwrite')
    await tx.store.delete(oldId)
    await tx.store.put(item)
    await tx.done
  })
  changed()
}
