// The only module views and stores call for the server: each function is one use of the API.
import { authedFetch, client, unwrap } from './http'
import { ApiError } from './errors'
import { loadTokens, saveTokens, tokensFrom } from './tokens'
import type { components } from './schema'

export { ApiError, explain } from './errors'
export { onAuthLost, refreshTokens } from './http'

type S = components['schemas']
export type User = S['UserPublic']
export type Category = S['CategoryPublic']
export type Issue = S['IssuePublic']
export type IssueEvent = S['EventPublic']
export type Photo = S['PhotoPublic']
export type Location = S['LocatePublic']
export type IssueReport = S['IssueReport']
export type IssueAction = S['IssueAction']
export type Role = S['Role']
export type Action = S['Action']
export type Directive = S['DirectivePublic']
export type DutyPost = S['DutyPostPublic']
export type DutyStatus = S['DutyStatus']
export type PostState = S['PostState']
export type UnitScore = S['UnitScore']

/** Signs in with username and password; keeps the tokens. */
export async function signIn(username: string, password: string): Promise<void> {
  const body = await unwrap(
    client.POST('/api/v1/auth/token', {
      body: { username, password } as never,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      bodySerializer: (b) => new URLSearchParams(b as Record<string, string>),
    }),
  )
  saveTokens(tokensFrom(body as { access_token: string; refresh_token?: string; expires_in?: number }))
}

/** Ends the session here and, when the server knows refresh tokens, there too. */
export async function signOut(): Promise<void> {
  const refresh = loadTokens()?.refresh
  saveTokens(null)
  if (refresh) {
    await fetch('/api/v1/auth/logout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: refresh }),
    }).catch(() => undefined)
  }
}

export function hasSession(): boolean {
  return loadTokens() !== null
}

export const me = () => unwrap(client.GET('/api/v1/me'))
export const categories = () => unwrap(client.GET('/api/v1/categories'))
export const getIssue = (id: string) => unwrap(client.GET('/api/v1/issues/{key}', { params: { path: { key: id } } }))

/** Uploads one photo with what the phone knew when it was taken. The same bytes again give the same id. */
export async function uploadPhoto(
  file: Blob,
  meta: { lat?: number | null; lon?: number | null; accuracy_m?: number | null; taken_at?: string | null },
): Promise<Photo> {
  const form = new FormData()
  form.append('file', file, 'photo.jpg')
  for (const [k, v] of Object.entries(meta)) if (v !== null && v !== undefined) form.append(k, String(v))
  form.append('crs', 'wgs84')
  return unwrap(client.POST('/api/v1/photos', { body: form as never, bodySerializer: () => form }))
}

export const createIssue = (body: IssueReport) => unwrap(client.POST('/api/v1/issues', { body }))

export const postAction = (id: string, body: IssueAction) =>
  unwrap(client.POST('/api/v1/issues/{key}/actions', { params: { path: { key: id } }, body }))

export const locate = (lat: number, lon: number) =>
  unwrap(client.GET('/api/v1/locate', { params: { query: { lat, lon } } }))

/** A GET of a route the generated types may not know yet; with an ETag it may answer "unchanged" (data null). */
export async function getJson<T>(path: string, etag?: string | null): Promise<{ data: T | null; etag: string | null }> {
  const request = new Request(path, { headers: etag ? { 'If-None-Match': etag } : {} })
  const response = await authedFetch(request)
  if (response.status === 304) return { data: null, etag: etag ?? null }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}))
    throw new ApiError(response.status, typeof body.detail === 'string' ? body.detail : '')
  }
  return { data: (await response.json()) as T, etag: response.headers.get('ETag') }
}

/** A photo (display or thumbnail URL from an issue) as a Blob: photos need the bearer token, so no plain <img src>. */
export async function photoBlob(url: string): Promise<Blob> {
  const response = await authedFetch(new Request(url))
  if (!response.ok) throw new ApiError(response.status, '')
  return response.blob()
}

/** A slim issue of a list (GET /issues?view=slim): no events. */
export interface IssueSlim {
  id: string
  ref: string
  status: string
  category: string
  category_name: string | null
  description: string
  lat: number
  lon: number
  unit: string | null
  unit_name: string | null
  proposed_unit?: string | null
  proposed_unit_name?: string | null
  reporter: string
  created_at: string
  due_at: string | null
  overdue: boolean
  fixed_on_site: boolean
  photo_ids?: string[]
}

/** My reports, newest first (a page and the cursor of the next). */
export async function myReports(username: string, cursor?: string | null): Promise<{ items: IssueSlim[]; next_cursor: string | null }> {
  const q = new URLSearchParams({ mine: 'true', view: 'slim', limit: '30' })
  if (cursor) q.set('cursor', cursor)
  const { data } = await getJson<{ items: IssueSlim[]; next_cursor: string | null }>(`/api/v1/issues?${q}`)
  // a server without `mine` lists every issue the user may see: keep the user's own
  return { items: data!.items.filter((i) => i.reporter === username), next_cursor: data!.next_cursor }
}

// -- issues as the unit's and the office's screens read them (tasks, review, verify, one issue)

export type Unit = S['UnitPublic']
export type IssuePhoto = S['IssuePhotoPublic']
export type DuplicateCandidate = S['DuplicateCandidate']

/** A list's question. `sort`, `near` and `view` are sent for the server to use where it knows them. */
export interface IssueQuery {
  status: string[]
  unit?: string | null
  sort?: 'due' | 'near'
  near?: { lat: number; lon: number } | null
  limit?: number
}

const MAX_PAGES = 5

/** The issues that answer a query, following the server's cursor a few pages at most. */
export async function listIssues(q: IssueQuery): Promise<Issue[]> {
  const query: Record<string, string | number> = { status: q.status.join(','), limit: q.limit ?? 200 }
  if (q.unit) query.unit = q.unit
  if (q.sort) query.sort = q.sort
  if (q.near) query.near = `${q.near.lat},${q.near.lon}`
  const items: Issue[] = []
  let cursor: string | null = null
  for (let page = 0; page < MAX_PAGES; page++) {
    if (cursor) query.cursor = cursor
    const body = await unwrap(client.GET('/api/v1/issues', { params: { query: query as never } }))
    items.push(...(body.items as Issue[])) // full items: this list does not ask for view=slim
    cursor = body.next_cursor
    if (!cursor) break
  }
  return items
}

/** The units an issue may be sent to (office). */
export const listUnits = () => unwrap(client.GET('/api/v1/units'))

/** A photo of an issue by id, as a Blob: its thumbnail or its display size. */
export function photoById(id: string, size: 'thumb' | 'display' = 'thumb'): Promise<Blob> {
  return photoBlob(`/api/v1/photos/${encodeURIComponent(id)}${size === 'thumb' ? '/thumb' : ''}`)
}

/** The directives sent to the user's unit (its inbox), newest first. */
export const directives = () => unwrap(client.GET('/api/v1/directives'))

/** 已阅: the unit acknowledges a directive. */
export const readDirective = (id: number) =>
  unwrap(client.POST('/api/v1/directives/{directive_id}/read', { params: { path: { directive_id: id } } }))

/** The unit reports a directive done, with a note and its own photos. */
export const reportDirectiveDone = (id: number, note: string, photo_ids: string[]) =>
  unwrap(
    client.POST('/api/v1/directives/{directive_id}/done', {
      params: { path: { directive_id: id } },
      body: { note, photo_ids },
    }),
  )

/** Every post at a moment (now by default): staffed, short, empty or off duty (office). */
export const dutyStatus = (at?: string) =>
  unwrap(client.GET('/api/v1/duty/status', { params: { query: at ? { at } : {} } }))

/** A post found empty on the spot (office): the finder's position goes with it. */
export const recordEmptyPost = (body: S['FindingCreate']) => unwrap(client.POST('/api/v1/duty/findings', { body }))

// -- the office's side of directives: send one, follow every recipient unit

export type DirectiveCreate = S['DirectiveCreate']

/** Every directive sent (the office), newest first; the server keeps the last 200. */
export const sentDirectives = () => unwrap(client.GET('/api/v1/directives'))

/** One directive with every recipient unit's state, who and when, its note and photos (the office). */
export const getDirective = (id: number) =>
  unwrap(client.GET('/api/v1/directives/{directive_id}', { params: { path: { directive_id: id } } }))

/** Sends a directive (office): its photos uploaded first, `units` codes and/or `zones` (`site:<code>`). */
export const sendDirective = (body: DirectiveCreate) => unwrap(client.POST('/api/v1/directives', { body }))

/** The duty posts of the user's unit. */
export const dutyPosts = () => unwrap(client.GET('/api/v1/duty/posts'))

/** Checks in at a post: where the phone is, and a fresh photo of one's own. */
export const checkIn = (body: S['CheckInCreate']) => unwrap(client.POST('/api/v1/duty/checkins', { body }))

/** The signed-in unit handler's own unit's score over a period (local ISO dates, `to` included; default: this week). */
export const myScore = (range: { from?: string; to?: string } = {}) =>
  unwrap(client.GET('/api/v1/score/me', { params: { query: range } }))

// -- road-chief patrols as the office reads them

export type UnitPatrolDay = S['UnitPatrolDay']
export type UnpatrolledSegment = S['UnpatrolledSegment']

/** Per unit with road segments, one local day (YYYY-MM-DD; default today): due, patrolled, coverage, distance. */
export const patrolDaily = (date?: string) =>
  unwrap(client.GET('/api/v1/patrols/daily', { params: { query: date ? { date } : {} } }))

/** Road segments nobody patrolled for `days` due days (default: the server's setting). */
export const unpatrolledSegments = (days?: number) =>
  unwrap(client.GET('/api/v1/patrols/unpatrolled', { params: { query: days ? { days } : {} } }))

// -- site inspections (点位检查): the office's readiness ranking, a site's checklist, inspections

export type SiteStats = S['SiteStats']
export type InspectionForm = S['InspectionForm']
export type ChecklistItem = S['ChecklistItemPublic']
export type InspectionCreate = S['InspectionCreate']
export type InspectionSummary = S['InspectionSummary']

/** The sites with their latest inspection, the least ready first: every site for the office, a unit its own. */
export const siteReadiness = () =>
  unwrap(client.GET('/api/v1/stats/sites', { params: { query: { order: 'readiness' } } }))

export type Checklist = S['ChecklistPublic']

/** The latest checklist of every site kind. */
export const checklists = () => unwrap(client.GET('/api/v1/checklists'))

/** What the phone needs to inspect a site: its checklist, last time's failures first. */
export const inspectionForm = (code: string) =>
  unwrap(client.GET('/api/v1/sites/{code}/inspection-form', { params: { path: { code } } }))

/** Records an inspection; the same id again answers 200 with the inspection already recorded. */
export const createInspection = (body: InspectionCreate) => unwrap(client.POST('/api/v1/inspections', { body }))

export type Inspection = S['InspectionPublic']

/** A site's inspections, newest first (one page). */
export async function siteInspections(site: string, limit = 20): Promise<InspectionSummary[]> {
  const body = await unwrap(client.GET('/api/v1/inspections', { params: { query: { site, limit } } }))
  return body.items
}

/** One inspection with every item's answer and the issue a failed item became. */
export const getInspection = (id: string) =>
  unwrap(client.GET('/api/v1/inspections/{inspection_id}', { params: { path: { inspection_id: id } } }))

// -- road-chief patrols (路长制): the outbox sends start, track batches and end; the screens read the answers

export type Patrol = S['PatrolPublic']
export type PatrolSummary = S['PatrolSummary']
export type TrackBatch = S['TrackBatch']
export type BatchAccepted = S['BatchAccepted']

/** Starts a patrol under the phone's id (the same id again is a retry: the same patrol). */
export const startPatrol = (body: S['PatrolStart']) => unwrap(client.POST('/api/v1/patrols', { body }))

/** One batch of track points (the same batch_id again changes nothing). */
export const postPatrolPoints = (id: string, body: TrackBatch) =>
  unwrap(client.POST('/api/v1/patrols/{patrol_id}/points', { params: { path: { patrol_id: id } }, body }))

/** Ends a patrol (ending it again changes nothing). */
export const endPatrol = (id: string, body: S['PatrolEnd']) =>
  unwrap(client.POST('/api/v1/patrols/{patrol_id}/end', { params: { path: { patrol_id: id } }, body }))

/** My patrols, newest first. */
export const myPatrols = () => unwrap(client.GET('/api/v1/patrols', { params: { query: { limit: 30 } } }))

/** A unit's patrols with a point on a local day (office). */
export const unitPatrols = (date: string, unit: string) =>
  unwrap(client.GET('/api/v1/patrols', { params: { query: { date, unit, limit: 100 } } }))

/** A patrol's trusted track from the server, as [lat, lon] (for a patrol this phone did not record). */
/** A patrol's track as the server holds it: the trusted points as runs of [lat, lon] in the order sent (broken
 *  where coverage breaks it), and each point it left out with its flag and time (GET /patrols/{id}/track). */
export interface PatrolTrack {
  line: [number, number][][]
  flagged: { lat: number; lon: number; flag: string; t: string }[]
}

export async function patrolTrack(id: string): Promise<PatrolTrack> {
  const { data } = await getJson<GeoJSON.FeatureCollection>(`/api/v1/patrols/${encodeURIComponent(id)}/track`)
  const track: PatrolTrack = { line: [], flagged: [] }
  for (const f of data?.features ?? []) {
    const g = f.geometry
    if (f.properties?.kind === 'trusted' && g.type === 'MultiLineString')
      track.line = g.coordinates.map((run) => run.map(([lon, lat]) => [lat, lon] as [number, number]))
    if (f.properties?.kind === 'flagged' && g.type === 'Point')
      track.flagged.push({ lat: g.coordinates[1], lon: g.coordinates[0], flag: String(f.properties.flag), t: String(f.properties.t) })
  }
  return track
}

/** One patrol with its coverage of the unit's road segments and the issues reported during it. */
export const getPatrol = (id: string) =>
  unwrap(client.GET('/api/v1/patrols/{patrol_id}', { params: { path: { patrol_id: id } } }))
