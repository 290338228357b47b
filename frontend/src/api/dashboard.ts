// The office dashboard's calls: the figures, the issues and zones for its map, the exports and the live feed.
import { authedFetch, client, refreshTokens, unwrap } from './http'
import { ApiError } from './errors'
import { getJson } from './index'
import { loadTokens } from './tokens'
import { asTileCrs, type TileCrs } from '@/geo/crs'
import type { components } from './schema'

type S = components['schemas']
export type Summary = S['Summary']
export type Indicators = S['Indicators']
export type Ranking = S['Ranking']
export type RankedUnit = S['RankedUnit']
export type TrendDay = S['TrendDay']
export type OverduePage = S['OverduePage']
export type OverdueIssue = S['OverdueIssue']
export type Hotspot = S['Hotspot']
export type { TileCrs }

/** The map's base tiles as the server is configured ("" : no tiles, the zones and points alone). */
export interface MapConfig {
  tileUrl: string
  tileCrs: TileCrs
}

export const statsSummary = () => unwrap(client.GET('/api/v1/stats/summary'))
export const statsIndicators = () => unwrap(client.GET('/api/v1/stats/indicators'))
export const statsRanking = (limit = 10) =>
  unwrap(client.GET('/api/v1/stats/ranking', { params: { query: { limit } } }))
export const statsTrend = (days = 30) => unwrap(client.GET('/api/v1/stats/trend', { params: { query: { days } } }))
export const statsHotspots = (limit = 20) =>
  unwrap(client.GET('/api/v1/stats/hotspots', { params: { query: { limit } } }))
export const statsOverdue = (cursor?: string | null, limit = 10) =>
  unwrap(client.GET('/api/v1/stats/overdue', { params: { query: { limit, cursor: cursor ?? undefined } } }))

/** One point of the map: an issue that is not finished (closed, rejected and merged ones are left off). */
export interface MapIssue {
  id: string
  ref: string
  status: string
  lat: number
  lon: number
  overdue: boolean
}

const OPEN = 'reported,dispatched,in_progress,rectified'
const MAP_PAGE = 200
const MAP_MAX = 5000

/** The open issues for the map, page by page (at most MAP_MAX: the map is a picture, not the register). */
export async function mapIssues(): Promise<MapIssue[]> {
  const out: MapIssue[] = []
  let cursor: string | undefined
  do {
    const page = await unwrap(
      client.GET('/api/v1/issues', { params: { query: { status: OPEN, limit: MAP_PAGE, cursor } } }),
    )
    for (const i of page.items) out.push({ id: i.id, ref: i.ref, status: i.status, lat: i.lat, lon: i.lon, overdue: i.overdue })
    cursor = page.next_cursor ?? undefined
  } while (cursor && out.length < MAP_MAX)
  return out
}

/** Every zone layer as one GeoJSON FeatureCollection in WGS-84. */
export async function zonesGeoJson(): Promise<GeoJSON.FeatureCollection> {
  const { data } = await getJson<GeoJSON.FeatureCollection>('/api/v1/zones')
  return data ?? { type: 'FeatureCollection', features: [] }
}

/** The base-map settings from /client-config; a server without that route, or without tiles, gives none. */
export async function mapConfig(): Promise<MapConfig> {
  try {
    const { data } = await getJson<{ tile_url?: string; tile_crs?: string }>('/api/v1/client-config')
    return {
      tileUrl: data?.tile_url ?? '',
      tileCrs: asTileCrs(data?.tile_crs),
    }
  } catch {
    return { tileUrl: '', tileCrs: 'wgs84' }
  }
}

export type ExportName = 'issues.csv' | 'issues.xlsx' | 'daily-report.xlsx'

/** Downloads an export with the session's token (a bare link would carry none) and hands it to the browser. */
export async function downloadExport(name: ExportName): Promise<void> {
  const response = await authedFetch(new Request(`/api/v1/exports/${name}`))
  if (!response.ok) {
    const body = await response.json().catch(() => ({}))
    throw new ApiError(response.status, typeof body.detail === 'string' ? body.detail : '')
  }
  const disposition = response.headers.get('Content-Disposition') ?? ''
  const filename = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1]
  const url = URL.createObjectURL(await response.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = filename ? decodeURIComponent(filename) : name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

/** One issue event of the live feed (the fields the dashboard reads; the server may send more). */
export interface FeedEvent {
  issue_id?: string
  action?: string
  status?: string
  [key: string]: unknown
}

export interface LiveFeed {
  close(): void
}

/**
 * The live feed (Server-Sent Events). EventSource cannot send headers, so the token rides in ?access_token=.
 * The browser reconnects by itself after a dropped connection; a refused one (an expired token) is reopened
 * here after a token refresh, with backoff. `onState` says whether the feed is up.
 */
export function openLiveFeed(onEvent: (e: FeedEvent) => void, onState: (live: boolean) => void): LiveFeed {
  let source: EventSource | null = null
  let closed = false
  let retry = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const open = () => {
    const token = loadTokens()?.access
    if (closed || !token) return
    source = new EventSource(`/api/v1/events/stream?access_token=${encodeURIComponent(token)}`)
    source.onopen = () => {
      retry = 0
      onState(true)
    }
    source.onmessage = (message) => {
      try {
        onEvent(JSON.parse(message.data) as FeedEvent)
      } catch {
        onEvent({})
      }
    }
    source.onerror = () => {
      onState(false)
      if (source?.readyState !== EventSource.CLOSED) return // the browser is reconnecting by itself
      source = null
      const wait = Math.min(30_000, 1000 * 2 ** retry++)
      timer = setTimeout(async () => {
        await refreshTokens().catch(() => false)
        open()
      }, wait)
    }
  }
  open()
  return {
    close() {
      closed = true
      clearTimeout(timer)
      source?.close()
      onState(false)
    },
  }
}
