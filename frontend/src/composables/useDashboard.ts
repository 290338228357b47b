// The dashboard's state: the figures, the overdue list page by page, the map's data, and the live feed that
// refreshes them (events come in bursts: one refresh per burst).
import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue'
import {
  mapConfig,
  mapIssues,
  openLiveFeed,
  statsHotspots,
  statsIndicators,
  statsOverdue,
  statsRanking,
  statsSummary,
  statsTrend,
  zonesGeoJson,
  type Hotspot,
  type Indicators,
  type LiveFeed,
  type MapConfig,
  type MapIssue,
  type OverdueIssue,
  type Ranking,
  type Summary,
  type TrendDay,
} from '@/api/dashboard'

const BURST_MS = 600

export function useDashboard() {
  const summary = ref<Summary | null>(null)
  const indicators = ref<Indicators | null>(null)
  const ranking = ref<Ranking | null>(null)
  const trend = shallowRef<TrendDay[]>([])
  const hotspots = ref<Hotspot[]>([])
  const overdue = ref<OverdueIssue[]>([])
  const overdueCursor = ref<string | null>(null)
  const issues = shallowRef<MapIssue[]>([])
  const zones = shallowRef<GeoJSON.FeatureCollection | null>(null)
  const config = ref<MapConfig>({ tileUrl: '', tileCrs: 'wgs84' })
  const live = ref(false)
  const failed = ref(false)
  const refreshes = ref(0)

  async function loadFigures() {
    const [s, i, r, t, h, o] = await Promise.all([
      statsSummary(),
      statsIndicators(),
      statsRanking(),
      statsTrend(30),
      statsHotspots(10),
      statsOverdue(null),
    ])
    summary.value = s
    indicators.value = i
    ranking.value = r
    trend.value = t
    hotspots.value = h
    overdue.value = o.items
    overdueCursor.value = o.next_cursor
  }

  async function load() {
    failed.value = false
    try {
      await loadFigures()
    } catch {
      failed.value = true
      return
    }
    // the map's data after the figures: the figures are what the office reads first
    const [z, c, i] = await Promise.all([zonesGeoJson(), mapConfig(), mapIssues()]).catch(() => [null, null, null])
    if (z) zones.value = z
    if (c) config.value = c
    if (i) issues.value = i
  }

  async function moreOverdue() {
    if (!overdueCursor.value) return
    const page = await statsOverdue(overdueCursor.value)
    overdue.value = [...overdue.value, ...page.items]
    overdueCursor.value = page.next_cursor
  }

  let timer: ReturnType<typeof setTimeout> | undefined
  function refreshSoon() {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      try {
        await loadFigures()
        issues.value = await mapIssues()
        failed.value = false
        refreshes.value++
      } catch {
        // the next event or the reconnect tries again
      }
    }, BURST_MS)
  }

  let feed: LiveFeed | undefined
  onMounted(() => {
    void load()
    feed = openLiveFeed(refreshSoon, (up) => {
      // after a reconnect, catch up on what happened while the feed was down
      if (up && !live.value && summary.value) refreshSoon()
      live.value = up
    })
  })
  onBeforeUnmount(() => {
    clearTimeout(timer)
    feed?.close()
  })

  return {
    summary,
    indicators,
    ranking,
    trend,
    hotspots,
    overdue,
    overdueCursor,
    issues,
    zones,
    config,
    live,
    failed,
    refreshes,
    load,
    moreOverdue,
  }
}
