// Delivers a patrol's steps from the outbox: start, track batches, end, each idempotent on the server (the patrol's
// and each batch's client id), so a resend after a lost answer changes nothing. The outbox's order (oldest first,
// nothing overtakes an item waiting to retry) keeps start → batches → end. Each answer (the server's view of the
// patrol: points, distance, coverage) goes to whoever listens (the patrol store).
import type { Patrol } from '@/api'
import type { PatrolStep } from './types'

export interface PatrolTransport {
  startPatrol(body: { id: string; started_at?: string | null }): Promise<unknown>
  postPatrolPoints(id: string, body: { batch_id: string; crs: 'wgs84'; points: NonNullable<PatrolStep['points']> }): Promise<unknown>
  endPatrol(id: string, body: { ended_at?: string | null }): Promise<unknown>
}

type Listener = (patrol: Patrol) => void
const listeners = new Set<Listener>()

/** Called with the server's patrol after each step it accepted. */
export function onPatrolAnswer(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function told(answer: unknown): void {
  const a = answer as { patrol?: Patrol } & Partial<Patrol>
  const patrol = a?.patrol ?? (a?.id && a.segments ? (a as Patrol) : null)
  if (patrol) listeners.forEach((f) => f(patrol))
}

export async function deliverPatrol(t: PatrolTransport, step: PatrolStep): Promise<void> {
  if (step.step === 'start') told(await t.startPatrol({ id: step.patrolId, started_at: step.started_at }))
  else if (step.step === 'points')
    told(await t.postPatrolPoints(step.patrolId, { batch_id: step.batch_id!, crs: 'wgs84', points: step.points ?? [] }))
  else told(await t.endPatrol(step.patrolId, { ended_at: step.ended_at }))
}
