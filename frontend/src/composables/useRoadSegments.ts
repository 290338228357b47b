// The road segments of the signed-in user's unit, from the zones the phone keeps (so they show with no signal).
import { computed } from 'vue'
import type { ZoneCollection } from '@/geo/locate'
import { useCatalogueStore } from '@/stores/catalogue'
import { useSessionStore } from '@/stores/session'

export function useRoadSegments() {
  const catalogue = useCatalogueStore()
  const session = useSessionStore()
  if (!catalogue.loaded) void catalogue.load()
  const segments = computed<ZoneCollection>(() => ({
    type: 'FeatureCollection',
    features: (catalogue.zones?.features ?? []).filter(
      (f) => f.properties.layer === 'road' && f.properties.unit === session.user?.unit && f.geometry,
    ),
  }))
  const tiles = computed(() => ({
    url: catalogue.config.tile_url ?? '',
    crs: (['wgs84', 'gcj02', 'bd09'].includes(catalogue.config.tile_crs ?? '') ? catalogue.config.tile_crs : 'wgs84') as 'wgs84' | 'gcj02' | 'bd09',
  }))
  return { segments, tiles, loaded: computed(() => catalogue.zones !== null) }
}
