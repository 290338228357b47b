// The phone's position while a screen is open (watchPosition), and a point the user may drag to correct it.
import { computed, onBeforeUnmount, onMounted, ref } from 'vue'
import type { Fix } from './usePhotos'

export function usePosition() {
  const gps = ref<Fix | null>(null)
  const dragged = ref<{ lat: number; lon: number } | null>(null)
  const denied = ref(false)
  let watch: number | null = null

  onMounted(() => {
    if (!('geolocation' in navigator)) {
      denied.value = true
      return
    }
    watch = navigator.geolocation.watchPosition(
      (p) => {
        denied.value = false
        gps.value = { lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy ?? null }
      },
      (e) => {
        if (e.code === e.PERMISSION_DENIED) denied.value = true
      },
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 },
    )
  })
  onBeforeUnmount(() => {
    if (watch !== null) navigator.geolocation.clearWatch(watch)
  })

  /** Where the report goes: the dragged point if the user moved it, else the GPS fix. */
  const point = computed<Fix | null>(() =>
    dragged.value ? { ...dragged.value, accuracy: gps.value?.accuracy ?? null } : gps.value,
  )

  return { gps, dragged, denied, point }
}
