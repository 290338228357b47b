// The road chief's patrol (巡路) as every screen sees it: recording goes on while the user reports a problem and
// comes back. GPS points (watchPosition, high accuracy) go to the recorder, which keeps them in IndexedDB and hands
// batches to the outbox; the server's answers (coverage of the unit's road segments) are kept per patrol.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import * as api from '@/api'
import type { Fix } from '@/composables/usePhotos'
import { fmt, formatTime, m } from '@/messages'
import { getItem, onPatrolAnswer } from '@/outbox'
import { listEnded, loadEnded, type ActivePatrol, type EndedPatrol } from '@/patrol/db'
import { PatrolRecorder } from '@/patrol/recorder'
import { useOutboxStore } from './outbox'

const TICK_MS = 5_000

type WakeLockSentinelLike = { released: boolean; release(): Promise<void>; addEventListener(t: 'release', f: () => void): void }

export const usePatrolStore = defineStore('patrol', () => {
  const outbox = useOutboxStore()
  const active = shallowRef<ActivePatrol | null>(null)
  const position = ref<Fix | null>(null)
  /** waiting: no fix yet; denied: the user refused; unavailable: no GPS answer */
  const geo = ref<'waiting' | 'ok' | 'denied' | 'unavailable'>('waiting')
  /** the screen kept on: held; unsupported by this browser; lost (refused or released) */
  const wake = ref<'held' | 'unsupported' | 'lost' | null>(null)
  const answers = shallowRef(new Map<string, api.Patrol>())
  const history = ref<api.PatrolSummary[] | null>(null)
  const historyError = ref(false)
  const busy = ref(false)

  let recorder: PatrolRecorder | null = null
  let owner: string | null = null
  let watchId: number | null = null
  let timer: ReturnType<typeof setInterval> | null = null
  let lock: WakeLockSentinelLike | null = null
  let asking = false // a wake lock asked for and not yet answered

  onPatrolAnswer((p) => {
    const next = new Map(answers.value)
    next.set(p.id, p)
    answers.value = next
  })

  /** The points recorded but not yet on the server: those not batched and those in the outbox. */
  const waitingPoints = computed(() => {
    const a = active.value
    const queued = outbox.entries
      .filter((e) => e.kind === 'patrol' && e.patrol?.step === 'points' && (!a || e.patrol.patrolId === a.id))
      .reduce((n, e) => n + (e.patrol?.points?.length ?? 0), 0)
    return queued + (a?.pending.length ?? 0) + (a?.cutting?.points.length ?? 0)
  })
  const answer = computed(() => (active.value ? (answers.value.get(active.value.id) ?? null) : null))

  function recorderFor(user: string): PatrolRecorder {
    if (recorder && owner === user) return recorder
    stopWatching()
    owner = user
    recorder = new PatrolRecorder({
      owner: user,
      queue: (id, step) =>
        outbox.queuePatrol(id, fmt(m.patrol.outboxTitle, { time: formatTime(active.value?.startedAt ?? Date.now()) }), step, user),
      queued: async (id) => !!(await getItem(id)),
      onChange: (a) => {
        // a new object (and track) each time: the screens redraw from it
        active.value = a ? { ...a, track: a.track.slice() } : null
      },
    })
    return recorder
  }

  /** At start (and after a reload): a patrol left recording goes on. */
  async function resume(user: string): Promise<void> {
    const a = await recorderFor(user).resume()
    if (a) watch()
  }

  async function start(user: string): Promise<void> {
    busy.value = true
    try {
      await recorderFor(user).start()
      watch()
    } finally {
      busy.value = false
    }
  }

  async function end(): Promise<EndedPatrol | null> {
    if (!recorder) return null
    busy.value = true
    try {
      stopWatching()
      return await recorder.end()
    } finally {
      busy.value = false
    }
  }

  function watch(): void {
    if (watchId !== null || !recorder) return
    if (!('geolocation' in navigator)) {
      geo.value = 'unavailable'
    } else {
      watchId = navigator.geolocation.watchPosition(
        (p) => {
          geo.value = 'ok'
          const fix = { lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy ?? null }
          position.value = fix
          void recorder?.add({ t: new Date(p.timestamp || Date.now()).toISOString(), lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy })
        },
        (e) => {
          geo.value = e.code === e.PERMISSION_DENIED ? 'denied' : geo.value === 'ok' ? 'ok' : 'unavailable'
        },
        { enableHighAccuracy: true, maximumAge: 0, timeout: 60_000 },
      )
    }
    if (timer) clearInterval(timer)
    timer = setInterval(() => void recorder?.tick(), TICK_MS)
    void keepAwake()
    document.addEventListener('visibilitychange', onVisible)
  }

  function stopWatching(): void {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId)
    watchId = null
    if (timer) clearInterval(timer)
    timer = null
    document.removeEventListener('visibilitychange', onVisible)
    void lock?.release().catch(() => undefined)
    lock = null
    wake.value = null
  }

  function onVisible(): void {
    if (document.visibilityState === 'visible' && active.value) void keepAwake()
  }

  /** Asks the browser to keep the screen on (GPS stops in most browsers once the screen locks). */
  async function keepAwake(): Promise<void> {
    const wl = (navigator as Navigator & { wakeLock?: { request(t: 'screen'): Promise<WakeLockSentinelLike> } }).wakeLock
    if (!wl) {
      wake.value = 'unsupported'
      return
    }
    if ((lock && !lock.released) || asking) return
    asking = true
    try {
      const got = await wl.request('screen')
      if (watchId === null && timer === null) {
        // the patrol ended while the browser was answering: give the screen back at once
        void got.release().catch(() => undefined)
        return
      }
      lock = got
      wake.value = 'held'
      got.addEventListener('release', () => {
        if (active.value) wake.value = 'lost'
      })
    } catch {
      wake.value = 'lost'
    } finally {
      asking = false
    }
  }

  /** Signed out: stop listening to the GPS (the patrol stays on the phone for this user's next sign-in). */
  function detach(): void {
    stopWatching()
    recorder = null
    owner = null
    active.value = null
  }

  /** My patrols from the server (newest first); null while unknown. */
  async function loadHistory(): Promise<void> {
    try {
      history.value = await api.myPatrols()
      historyError.value = false
    } catch {
      historyError.value = true
    }
  }

  /** One patrol: the server's view when it can be had (null offline or not yet sent), and the phone's copy. */
  async function details(id: string): Promise<{ server: api.Patrol | null; local: EndedPatrol | null; error: api.ApiError | null }> {
    const local = await loadEnded(id).catch(() => null)
    try {
      const server = await api.getPatrol(id)
      const next = new Map(answers.value)
      next.set(id, server)
      answers.value = next
      return { server, local, error: null }
    } catch (e) {
      return { server: answers.value.get(id) ?? null, local, error: e instanceof api.ApiError ? e : new api.ApiError(0, String(e)) }
    }
  }

  const endedOnPhone = (user: string) => listEnded(user).catch(() => [] as EndedPatrol[])

  return {
    active,
    position,
    geo,
    wake,
    answers,
    answer,
    history,
    historyError,
    busy,
    waitingPoints,
    resume,
    start,
    end,
    detach,
    loadHistory,
    details,
    endedOnPhone,
  }
})
