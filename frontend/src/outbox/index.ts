// The outbox's public face: queue a report or an action; the runner sends it when it can.
export { enqueue, allItems, getItem, updateItem, removeItem, replaceItem, onOutboxChange } from './queue'
export { OutboxRunner, backoffMs, type Transport } from './runner'
export type { OutboxItem, OutboxEntry, OutboxPhoto, ReportPayload, ActionPayload, ItemState, PatrolStep } from './types'
export { entryOf } from './types'
export { newId } from './id'
export type { InspectionPayload, InspectionAnswer } from './inspection'
export { deliverPatrol, onPatrolAnswer } from './patrol'
