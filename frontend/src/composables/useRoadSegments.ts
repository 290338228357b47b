// The road segments of a unit (by default the signed-in user's), from the zones the phone keeps (so they show with
// no signal).
import { computed } from 'vue'
import { asTileCrs } from '@/geo/crs'
import type { ZoneCollection } from '@/geo/locate'
import { useCatalogueStore } from '@/stores/catalogue'
import { useSessionStore } from '@/stores/session'

export function useRoadSegments(unit?: () => string | null | undefined) {
  const catalogue = useCatalogueStore()
  const session = useSessionStore()
  const whose = () => (unit ? unit() : session.user?.unit)
  if (!catalogue.loaded) void catalogue.load()
  const segments = computed<ZoneCollection>(() => ({
    type: 'FeatureCollection',
    features: (catalogue.zones?.features ?? []).filter(
      (f) => f.properties.layer === 'road' && f.properties.unit === whose() && f.geometry,
    ),
  }))
  const tiles = computed(() => ({
    url: catalogue.config.tile_url ?? '',
    crs: asTileCrs(catalogue.config.tile_crs),
  }))
  return { segments, tiles, loaded: computed(() => catalogue.zones !== null) }
}
