// Records a patrol on the phone: start, each GPS point, a batch to the outbox every BATCH_MS or BATCH_POINTS, end.
// Every change is written to IndexedDB before it is handed on, so a reload or a killed tab resumes where it was and
// nothing is lost or sent twice (the outbox items carry the patrol's and each batch's client id).
import { newId, type PatrolStep } from '@/outbox'
import { finishActive, loadActive, saveActive, type ActivePatrol, type EndedPatrol } from './db'
import { dueForCut, stepFrom, type TrackPoint } from './track'

export interface RecorderOptions {
  owner: string
  /** puts a step in the outbox under this id (the patrol's id for the start, the batch id for a batch) */
  queue: (id: string, step: PatrolStep) => Promise<unknown>
  /** is an item with this id waiting in the outbox */
  queued: (id: string) => Promise<boolean>
  now?: () => number
  /** after every change of the active patrol (null: none) */
  onChange?: (active: ActivePatrol | null) => void
}

export class PatrolRecorder {
  active: ActivePatrol | null = null
  private chain: Promise<unknown> = Promise.resolve()

  constructor(private readonly opts: RecorderOptions) {}

  private now(): number {
    return (this.opts.now ?? Date.now)()
  }

  /** One change at a time: GPS callbacks, the timer and the buttons never interleave their writes. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn)
    this.chain = run.catch(() => undefined)
    return run
  }

  private async save(): Promise<void> {
    if (!this.active) return
    await saveActive(structuredClone(this.active))
    this.opts.onChange?.(this.active)
  }

  /** After a reload: the patrol left active, with any step it was handing to the outbox finished. */
  resume(): Promise<ActivePatrol | null> {
    return this.serial(() => this.restore())
  }

  private async restore(): Promise<ActivePatrol | null> {
    this.active = await loadActive(this.opts.owner)
    const a = this.active
    if (!a) {
      this.opts.onChange?.(null)
      return null
    }
    if (!a.startQueued) await this.queueStart()
    if (a.cutting) await this.queueCut()
    if (a.ending) return (await this.finish(), null)
    this.opts.onChange?.(a)
    return a
  }

  /** Starts a patrol, or goes on with the one this user left recording (a tap before the resume finished, or
   * another tab): a second start never writes over a patrol's unsent points. */
  start(): Promise<ActivePatrol> {
    return this.serial(async () => {
      if (this.active) return this.active
      const kept = await this.restore()
      if (kept) return kept
      const now = this.now()
      this.active = {
        id: newId(),
        owner: this.opts.owner,
        startedAt: new Date(now).toISOString(),
        startQueued: false,
        pending: [],
        cutting: null,
        lastCutAt: now,
        batches: 0,
        points: 0,
        distanceM: 0,
        track: [],
        lastT: null,
        ending: null,
      }
      await this.save()
      await this.queueStart()
      return this.active
    })
  }

  /** A GPS fix. A point not later than the last one is left out (the server would flag it out of order). */
  add(p: TrackPoint): Promise<void> {
    return this.serial(async () => {
      const a = this.active
      if (!a || a.ending) return
      if (a.lastT && Date.parse(p.t) <= Date.parse(a.lastT)) return
      a.lastT = p.t
      a.pending.push(p)
      a.points++
      const step = stepFrom(a.track.at(-1), p)
      if (step !== null) {
        a.distanceM += step
        a.track.push([p.lat, p.lon])
      }
      await this.save()
      if (dueForCut(a.pending.length, a.lastCutAt, this.now())) await this.cut()
    })
  }

  /** The timer: a batch when its time has come even if no new point arrives. */
  tick(): Promise<void> {
    return this.serial(async () => {
      const a = this.active
      if (a && !a.ending && dueForCut(a.pending.length, a.lastCutAt, this.now())) await this.cut()
    })
  }

  /** End: the last batch, then the end, into the outbox; the patrol joins the phone's ended ones. */
  end(): Promise<EndedPatrol | null> {
    return this.serial(async () => {
      const a = this.active
      if (!a) return null
      a.ending ??= { endedAt: new Date(Math.max(this.now(), Date.parse(a.startedAt))).toISOString() }
      await this.save()
      return this.finish()
    })
  }

  private async finish(): Promise<EndedPatrol> {
    const a = this.active!
    if (a.pending.length) await this.cut()
    // the end's id is made from the patrol's: a second try after a crash puts the same item, not a new one
    await this.opts.queue(`${a.id}:end`, { patrolId: a.id, step: 'end', ended_at: a.ending!.endedAt })
    const ended: EndedPatrol = {
      id: a.id,
      owner: a.owner,
      startedAt: a.startedAt,
      endedAt: a.ending!.endedAt,
      points: a.points,
      distanceM: a.distanceM,
      track: a.track,
    }
    await finishActive(structuredClone(a), structuredClone(ended))
    this.active = null
    this.opts.onChange?.(null)
    return ended
  }

  private async queueStart(): Promise<void> {
    const a = this.active!
    if (!(await this.opts.queued(a.id))) await this.opts.queue(a.id, { patrolId: a.id, step: 'start', started_at: a.startedAt })
    a.startQueued = true
    await this.save()
  }

  /** Moves the pending points into a batch (saved first), hands it to the outbox, then forgets it. */
  private async cut(): Promise<void> {
    const a = this.active!
    if (!a.cutting) {
      if (!a.pending.length) return
      a.cutting = { batchId: newId(), points: a.pending }
      a.pending = []
      await this.save()
    }
    await this.queueCut()
  }

  private async queueCut(): Promise<void> {
    const a = this.active!
    const c = a.cutting!
    if (!(await this.opts.queued(c.batchId)))
      await this.opts.queue(c.batchId, { patrolId: a.id, step: 'points', batch_id: c.batchId, points: c.points })
    a.cutting = null
    a.batches++
    a.lastCutAt = this.now()
    await this.save()
  }
}
