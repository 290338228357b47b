// What a report needs, also offline: categories (most used first), zones and their units, the locate rules.
// Read from the cache first, then refreshed from the server with If-None-Match.
import { defineStore } from 'pinia'
import { markRaw } from 'vue'
import * as api from '@/api'
import { readCache, writeCache } from '@/cache/db'
import { DEFAULT_RULES, PhoneZoneIndex, type LocateRules, type ZoneCollection } from '@/geo/locate'

export interface ClientConfig extends LocateRules {
  rectify_radius_m?: number
  max_upload_mb?: number
  tile_url?: string
  tile_crs?: string
  units?: { code: string; name: string }[]
}

/** Cached first, then the server's newer copy (or its 304). */
async function load<T>(key: string, path: string, use: (data: T) => void): Promise<void> {
  const cached = await readCache<T>(key)
  if (cached) use(cached.data)
  try {
    const { data, etag } = await api.getJson<T>(path, cached?.etag)
    if (data !== null) {
      use(data)
      await writeCache(key, { data, etag, at: Date.now() })
    }
  } catch {
    // offline, or the server does not have this yet: the cached copy (if any) stands
  }
}

export const useCatalogueStore = defineStore('catalogue', {
  state: () => ({
    categories: [] as api.Category[],
    usage: {} as Record<string, number>,
    zones: null as ZoneCollection | null,
    config: { ...DEFAULT_RULES } as ClientConfig,
    index: null as PhoneZoneIndex | null,
    loaded: false,
  }),
  getters: {
    /** The catalogue, the user's most used first (then in the catalogue's order). */
    byUse(s): api.Category[] {
      const order = new Map(s.categories.map((c, i) => [c.code, i]))
      return [...s.categories].sort((a, b) => (s.usage[b.code] ?? 0) - (s.usage[a.code] ?? 0) || order.get(a.code)! - order.get(b.code)!)
    },
    unitNames(s): Map<string, string> {
      const names = new Map((s.config.units ?? []).map((u) => [u.code, u.name]))
      for (const f of s.zones?.features ?? []) if (f.properties.unit_name) names.set(f.properties.unit, f.properties.unit_name)
      return names
    },
    categoryName(s) {
      return (code: string) => s.categories.find((c) => c.code === code)?.name ?? code
    },
  },
  actions: {
    async load(): Promise<void> {
      const rebuild = () => {
        if (this.zones) this.index = markRaw(new PhoneZoneIndex(this.zones, this.config))
      }
      await Promise.all([
        load<api.Category[]>('categories', '/api/v1/categories', (d) => (this.categories = d)),
        load<Record<string, number>>('usage', '/api/v1/me/category-usage', (d) => (this.usage = d)),
        load<ClientConfig>('client-config', '/api/v1/client-config', (d) => {
          this.config = { ...DEFAULT_RULES, ...d }
          rebuild()
        }),
        load<ZoneCollection>('zones', '/api/v1/zones', (d) => {
          this.zones = markRaw(d)
          rebuild()
        }),
      ])
      this.loaded = true
    },
  },
})
