// A list of issues for a screen: fetched, ordered on the phone, and kept for when there is no signal.
import { computed, ref, shallowRef } from 'vue'
import * as api from '@/api'
import { keep, recall } from '@/issues/cache'
import { useSessionStore } from '@/stores/session'

export function useIssueList(name: string, query: () => api.IssueQuery, order: (items: api.Issue[]) => api.Issue[]) {
  const session = useSessionStore()
  const raw = shallowRef<api.Issue[]>([])
  const loading = ref(false)
  const error = ref('')
  /** when the list shown was fetched, if it comes from the phone's copy */
  const cachedAt = ref<string | null>(null)
  const user = () => session.user?.username ?? ''
  const cacheName = `list.${name}`

  async function load(): Promise<void> {
    loading.value = true
    error.value = ''
    try {
      raw.value = await api.listIssues(query())
      cachedAt.value = null
      keep(user(), cacheName, raw.value)
    } catch (e) {
      const copy = recall<api.Issue[]>(user(), cacheName)
      if (copy) {
        raw.value = copy.data
        cachedAt.value = copy.at
      }
      if (!copy || !(e instanceof api.ApiError && e.transient)) error.value = e instanceof api.ApiError ? e.message_zh : String(e)
    } finally {
      loading.value = false
    }
  }

  const items = computed(() => order(raw.value))
  return { items, loading, error, cachedAt, load }
}
