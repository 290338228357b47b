// One issue for its screen: fetched (or the phone's copy with no signal), the actions this user may take,
// and what of them waits in the outbox. An action goes through the outbox, so it works with no signal too.
import { computed, ref, shallowRef, watch } from 'vue'
import * as api from '@/api'
import { fmt, m } from '@/messages'
import type { OutboxPhoto } from '@/outbox'
import type { ActionName } from '@/issues/actions'
import { offers } from '@/issues/offers'
import { keep, recallIssue } from '@/issues/cache'
import { useOutboxStore } from '@/stores/outbox'
import { useSessionStore } from '@/stores/session'

export interface ActionFields {
  note?: string
  unit?: string | null
  duplicate_of?: string | null
  due_at?: string | null
}

export function useIssue(id: () => string) {
  const session = useSessionStore()
  const outbox = useOutboxStore()
  const issue = shallowRef<api.Issue | null>(null)
  const loading = ref(false)
  const error = ref('')
  const cachedAt = ref<string | null>(null)
  const user = () => session.user?.username ?? ''

  async function load(): Promise<void> {
    loading.value = true
    error.value = ''
    try {
      issue.value = await api.getIssue(id())
      cachedAt.value = null
      keep(user(), `issue.${issue.value.id}`, issue.value)
    } catch (e) {
      const copy = e instanceof api.ApiError && e.transient ? recallIssue(user(), id()) : null
      if (copy) {
        issue.value = copy.data
        cachedAt.value = copy.at
      } else error.value = e instanceof api.ApiError ? e.message_zh : String(e)
    } finally {
      loading.value = false
    }
  }

  /** this issue's actions still in the outbox (waiting, or refused with the server's reason) */
  const pending = computed(() =>
    outbox.entries.filter((e) => e.kind === 'action' && issue.value && e.action?.issueId === issue.value.id),
  )
  const offered = computed(() => (issue.value ? offers(issue.value, session.user) : []))

  // an action of ours reached the server: show the issue as it now stands
  watch(
    () => pending.value.filter((e) => e.state !== 'refused').length,
    (now, before) => {
      if (now < before) void load()
    },
  )

  async function act(action: ActionName, fields: ActionFields, photos: OutboxPhoto[] = []): Promise<void> {
    const current = issue.value
    if (!current) return
    const title = fmt(m.issue.actionTitle, { action: m.actions[action] ?? action, ref: current.ref })
    await outbox.queueAction(title, { issueId: current.id, action, ...clean(fields) }, photos)
  }

  return { issue, loading, error, cachedAt, pending, offered, load, act }
}

function clean(fields: ActionFields): ActionFields {
  const out: ActionFields = {}
  if (fields.note?.trim()) out.note = fields.note.trim()
  if (fields.unit) out.unit = fields.unit
  if (fields.duplicate_of) out.duplicate_of = fields.duplicate_of
  if (fields.due_at) out.due_at = fields.due_at
  return out
}
