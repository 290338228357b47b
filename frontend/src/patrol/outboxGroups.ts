// The outbox's patrol steps shown as one line per patrol: its start, its waiting batches (and their points), its end.
import type { ItemState, OutboxEntry } from '@/outbox'

export interface PatrolGroup {
  patrolId: string
  title: string
  createdAt: string
  entries: OutboxEntry[]
  hasStart: boolean
  hasEnd: boolean
  batches: number
  points: number
  /** the state that matters: a refusal or a lost session first, else that of the step to go next */
  state: ItemState
  /** the entry whose state and reason are shown */
  lead: OutboxEntry
}

export function patrolGroups(entries: OutboxEntry[]): PatrolGroup[] {
  const byId = new Map<string, OutboxEntry[]>()
  for (const e of entries) {
    if (e.kind !== 'patrol' || !e.patrol) continue
    const list = byId.get(e.patrol.patrolId) ?? []
    list.push(e)
    byId.set(e.patrol.patrolId, list)
  }
  return [...byId.entries()].map(([patrolId, list]) => {
    const lead = list.find((e) => e.state === 'refused') ?? list.find((e) => e.state === 'paused') ?? list[0]
    const batches = list.filter((e) => e.patrol!.step === 'points')
    return {
      patrolId,
      title: list[0].title,
      createdAt: list[0].createdAt,
      entries: list,
      hasStart: list.some((e) => e.patrol!.step === 'start'),
      hasEnd: list.some((e) => e.patrol!.step === 'end'),
      batches: batches.length,
      points: batches.reduce((n, e) => n + (e.patrol!.points?.length ?? 0), 0),
      state: lead.state,
      lead,
    }
  })
}
