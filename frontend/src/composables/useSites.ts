// The sites list for the signed-in user: the office's readiness ranking, or a unit's own sites ranked the same
// way; fetched, and kept on the phone for when there is no signal.
import { ref, shallowRef } from 'vue'
import * as api from '@/api'
import { keep, recall } from '@/issues/cache'
import { keepChecklists } from '@/inspections/form'
import { rowOfStats, type SiteRow } from '@/inspections/sites'
import { isOfficeRole } from '@/roles'
import { useSessionStore } from '@/stores/session'

export function useSites() {
  const session = useSessionStore()
  const rows = shallowRef<SiteRow[]>([])
  const loading = ref(false)
  const error = ref('')
  const cachedAt = ref<string | null>(null)
  const user = () => session.user?.username ?? ''

  // the server ranks them (the office every site, a unit its own), least ready first
  async function fetchRows(): Promise<SiteRow[]> {
    if (!isOfficeRole(session.role) && !session.user?.unit) return []
    return (await api.siteReadiness()).map(rowOfStats)
  }

  async function load(): Promise<void> {
    loading.value = true
    error.value = ''
    try {
      rows.value = await fetchRows()
      cachedAt.value = null
      keep(user(), 'sites', rows.value)
      void keepChecklists(user()) // so that any of these sites can be inspected with no signal
    } catch (e) {
      const copy = recall<SiteRow[]>(user(), 'sites')
      if (copy) {
        rows.value = copy.data
        cachedAt.value = copy.at
      }
      if (!copy || !(e instanceof api.ApiError && e.transient)) error.value = e instanceof api.ApiError ? e.message_zh : String(e)
    } finally {
      loading.value = false
    }
  }

  return { rows, loading, error, cachedAt, load }
}
