// The phone's copy of the patrol being recorded (so a reload or a killed tab resumes it) and of the last ended
// ones (what the phone knows before the server has the track). Its own database: the outbox's stays as it is.
import type { DBSchema } from 'idb'
import { lazyDb } from '@/idb'
import type { TrackPoint } from './track'

export interface ActivePatrol {
  id: string // the client uuid the server keeps
  owner: string
  startedAt: string
  /** the start is in the outbox */
  startQueued: boolean
  /** points not yet in a batch */
  pending: TrackPoint[]
  /** a batch being handed to the outbox (re-queued on resume: its batch_id makes a resend harmless) */
  cutting: { batchId: string; points: TrackPoint[] } | null
  lastCutAt: number
  batches: number
  points: number
  distanceM: number
  /** the drawn track, [lat, lon] */
  track: [number, number][]
  lastT: string | null
  /** End was pressed: the last batch and the end are being queued */
  ending: { endedAt: string } | null
}

export interface EndedPatrol {
  id: string
  owner: string
  startedAt: string
  endedAt: string
  points: number
  distanceM: number
  track: [number, number][]
}

interface PatrolSchema extends DBSchema {
  active: { key: string; value: ActivePatrol }
  ended: { key: string; value: EndedPatrol; indexes: { byEnd: string } }
}

export const PATROL_DB = 'xuncha-patrol'
const KEEP_ENDED = 10
const conn = lazyDb<PatrolSchema>(PATROL_DB, 1, (d) => {
  d.createObjectStore('active')
  d.createObjectStore('ended', { keyPath: 'id' }).createIndex('byEnd', 'endedAt')
})

/** Forgets the connection (tests). */
export const resetPatrolDb = conn.reset

export async function loadActive(owner: string): Promise<ActivePatrol | null> {
  return (await conn.run((d) => d.get('active', owner))) ?? null
}

export async function saveActive(a: ActivePatrol): Promise<void> {
  await conn.run((d) => d.put('active', a, a.owner))
}

/** The patrol ends on the phone: it leaves 'active' and joins the last ended ones, in one step. */
export async function finishActive(a: ActivePatrol, ended: EndedPatrol): Promise<void> {
  await conn.run(async (d) => {
    const tx = d.transaction(['active', 'ended'], 'readwrite')
    await tx.objectStore('active').delete(a.owner)
    await tx.objectStore('ended').put(ended)
    const all = await tx.objectStore('ended').index('byEnd').getAllKeys()
    for (const key of all.slice(0, Math.max(0, all.length - KEEP_ENDED))) await tx.objectStore('ended').delete(key)
    await tx.done
  })
}

export async function loadEnded(id: string): Promise<EndedPatrol | null> {
  return (await conn.run((d) => d.get('ended', id))) ?? null
}

export async function listEnded(owner: string): Promise<EndedPatrol[]> {
  const all = await conn.run((d) => d.getAllFromIndex('ended', 'byEnd'))
  return all.filter((e) => e.owner === owner).reverse()
}
