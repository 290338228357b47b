// Where the phone is, watched while the screen that asks is open and needs it (verify near me; rectify and
// verify photos). `active` turns the watch on and off (no location prompt for screens that need none).
import { onScopeDispose, ref, watch } from 'vue'
import type { Fix } from './usePhotos'

export function usePositionWhen(active: () => boolean = () => true) {
  const fix = ref<Fix | null>(null)
  const denied = ref(false)
  let id: number | null = null

  function stop(): void {
    if (id !== null) navigator.geolocation.clearWatch(id)
    id = null
    fix.value = null // where the phone was then is not where it will be when the screen asks again
  }

  watch(
    active,
    (on) => {
      if (!on) return stop()
      if (id !== null || typeof navigator === 'undefined' || !navigator.geolocation) return
      id = navigator.geolocation.watchPosition(
        (p) => (fix.value = { lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy }),
        (e) => (denied.value = e.code === e.PERMISSION_DENIED),
        { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 },
      )
    },
    { immediate: true },
  )
  onScopeDispose(stop)
  return { fix, denied }
}
