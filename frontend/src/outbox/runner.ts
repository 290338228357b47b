// Sends the outbox: oldest first, one at a time, with backoff; a refusal parks its item for the user, a 401
// pauses everything until the user signs in again. An item leaves the outbox only when the server has it.
import { ApiError } from '@/api/errors'
import { deliverInspection } from './inspection'
import { deliverPatrol, type PatrolTransport } from './patrol'
import { allItems, removeItem, updateItem } from './queue'
import type { OutboxItem } from './types'

export interface Transport extends PatrolTransport {
  uploadPhoto(
    blob: Blob,
    meta: { lat: number | null; lon: number | null; accuracy_m: number | null; taken_at: string | null },
  ): Promise<{ id: string }>
  createIssue(body: Record<string, unknown>): Promise<unknown>
  postAction(issueId: string, body: Record<string, unknown>): Promise<unknown>
  getIssue(issueId: string): Promise<{ events: { action: string; actor: string; at: string }[] }>
  createInspection(body: Record<string, unknown>): Promise<unknown>
}

export interface RunnerOptions {
  transport: Transport
  /** the signed-in username (items are sent only under their owner's session), null when signed out */
  user: () => string | null
  onAuthLost?: () => void
  now?: () => number
}

const BASE_MS = 5_000
const MAX_MS = 5 * 60_000

/** How long to wait before attempt n+1 (n ≥ 1): 5 s, 10 s, 20 s … up to 5 min, ±20 % so phones spread out. */
export function backoffMs(attempts: number, random = Math.random): number {
  const plain = Math.min(MAX_MS, BASE_MS * 2 ** Math.max(0, attempts - 1))
  return Math.round(plain * (0.8 + 0.4 * random()))
}

export class OutboxRunner {
  paused = false
  private running: Promise<void> | null = null
  private again = false
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly opts: RunnerOptions) {}

  private now(): number {
    return (this.opts.now ?? Date.now)()
  }

  /** Sends what can be sent now. Calls while a run is going make it go round once more. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      do {
        this.again = false
        await this.withLock(() => this.pass())
      } while (this.again && !this.paused)
    })().finally(() => {
      this.running = null
    })
    return this.running
  }

  /** After a new sign-in: un-pause and send. */
  resume(): Promise<void> {
    this.paused = false
    return this.run()
  }

  /** The network came back: whatever waits for its backoff is tried now. */
  async networkBack(): Promise<void> {
    for (const item of await allItems())
      if (item.state === 'retrying' && item.error?.status === 0) await updateItem(item.id, (i) => void (i.nextAt = 0))
    await this.run()
  }

  /** At start: an item left 'sending' by a closed app is simply sent again (the server de-duplicates). */
  async recover(): Promise<void> {
    for (const item of await allItems())
      if (item.state === 'sending' || item.state === 'paused') await updateItem(item.id, (i) => void (i.state = 'waiting'))
  }

  private async withLock(fn: () => Promise<void>): Promise<void> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
    if (locks) await locks.request('xuncha-outbox', fn)
    else await fn()
  }

  private async pass(): Promise<void> {
    const user = this.opts.user()
    if (!user || this.paused) return
    // a patrol with a refused step: its later steps wait for the user's fix (sent now, the server would file
    // their points ahead of the refused batch's, out of order)
    const held = new Set<string>()
    for (const item of await allItems()) {
      const patrol = item.kind === 'patrol' ? item.patrol?.patrolId : undefined
      if (item.state === 'refused' && patrol) held.add(patrol)
      if (item.owner !== user || item.state === 'refused' || (patrol && held.has(patrol))) continue
      if (item.nextAt > this.now()) {
        this.schedule(item.nextAt) // in order: nothing later overtakes an item that waits to retry
        return
      }
      const sent = await this.sendOne(item)
      if (sent === 'stop') return
      if (sent === 'refused' && patrol) held.add(patrol)
    }
  }

  private schedule(at: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.run(), Math.max(0, at - this.now()))
  }

  /** Sends one item. 'stop': stop the pass (no network, server trouble, signed out). */
  private async sendOne(item: OutboxItem): Promise<'sent' | 'refused' | 'stop'> {
    await updateItem(item.id, (i) => void (i.state = 'sending'))
    try {
      await this.deliver(item)
      await removeItem(item.id)
      return 'sent'
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, String(e))
      const error = { status: err.status, detail: err.detail, message: err.message_zh }
      if (err.unauthorized) {
        this.paused = true
        await updateItem(item.id, (i) => Object.assign(i, { state: 'paused', error }))
        this.opts.onAuthLost?.()
        return 'stop'
      }
      if (err.transient) {
        const attempts = item.attempts + 1
        const nextAt = this.now() + backoffMs(attempts)
        await updateItem(item.id, (i) => Object.assign(i, { state: 'retrying', attempts, nextAt, error }))
        this.schedule(nextAt)
        return 'stop'
      }
      await updateItem(item.id, (i) => Object.assign(i, { state: 'refused', attempts: item.attempts + 1, error }))
      return 'refused'
    }
  }

  private async deliver(item: OutboxItem): Promise<void> {
    const t = this.opts.transport
    if (item.kind === 'patrol' && item.patrol) return deliverPatrol(t, item.patrol)
    for (const [n, photo] of item.photos.entries()) {
      if (photo.uploadedId) continue
      const meta = { lat: photo.lat, lon: photo.lon, accuracy_m: photo.accuracyM, taken_at: photo.takenAt }
      const { id } = await t.uploadPhoto(photo.blob, meta)
      photo.uploadedId = id
      await updateItem(item.id, (i) => void (i.photos[n].uploadedId = id))
    }
    const ids = (role: 'before' | 'after') => item.photos.filter((p) => p.role === role).map((p) => p.uploadedId!)
    if (item.kind === 'report' && item.report) {
      await t.createIssue({ id: item.id, ...item.report, crs: 'wgs84', photo_ids: ids('before'), after_photo_ids: ids('after') })
      return
    }
    if (item.kind === 'inspection' && item.inspection) return deliverInspection(item, t)
    if (item.kind === 'action' && item.action) {
      const { issueId, ...body } = item.action
      // a retry after a lost answer: if the action is already on the issue, it was delivered
      if (item.attempts > 0 && (await this.alreadyApplied(item))) return
      try {
        await t.postAction(issueId, { ...body, photo_ids: item.photos.map((p) => p.uploadedId!) })
      } catch (e) {
        if (e instanceof ApiError && e.status === 409 && item.attempts > 0 && (await this.alreadyApplied(item))) return
        throw e
      }
    }
  }

  private async alreadyApplied(item: OutboxItem): Promise<boolean> {
    const issue = await this.opts.transport.getIssue(item.action!.issueId)
    const since = new Date(item.createdAt).getTime() - 5 * 60_000
    return issue.events.some(
      (e) => e.action === item.action!.action && e.actor === item.owner && new Date(e.at).getTime() >= since,
    )
  }
}
