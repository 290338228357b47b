import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { usePositionWhen } from '@/composables/usePositionWhen'

describe('usePositionWhen', () => {
  const original = navigator.geolocation
  afterEach(() => Object.defineProperty(navigator, 'geolocation', { value: original, configurable: true }))

  it('forgets the fix when it stops watching: the next time asks the phone again', async () => {
    let report: PositionCallback = () => undefined
    const geolocation = {
      watchPosition: vi.fn((ok: PositionCallback) => {
        report = ok
        return 1
      }),
      clearWatch: vi.fn(),
    }
    Object.defineProperty(navigator, 'geolocation', { value: geolocation, configurable: true })
    const on = ref(true)
    const scope = effectScope()
    const { fix } = scope.run(() => usePositionWhen(() => on.value))!
    report({ coords: { latitude: 28.2, longitude: 112.9, accuracy: 8 } } as GeolocationPosition)
    expect(fix.value).toEqual({ lat: 28.2, lon: 112.9, accuracy: 8 })

    on.value = false // the sheet closed; the worker drives to the next post
    await nextTick()
    expect(geolocation.clearWatch).toHaveBeenCalledWith(1)
    expect(fix.value).toBeNull()

    on.value = true
    await nextTick()
    expect(geolocation.watchPosition).toHaveBeenCalledTimes(2)
    expect(fix.value).toBeNull() // not the old place, until the phone answers
    scope.stop()
  })
})
