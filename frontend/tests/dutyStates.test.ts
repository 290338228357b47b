import { describe, expect, it } from 'vitest'
import type { PostState } from '@/api'
import { countStates, sortPosts } from '@/duty/states'

const post = (id: number, state: PostState['state'], site: string, unit = '城管局'): PostState => ({
  post: { id, site: `site:S${id}`, site_name: site, unit: 'u', unit_name: unit, headcount: 2, hours: null, active: true },
  on_duty: state !== 'off_duty',
  checked_in: state === 'staffed' ? 2 : state === 'short' ? 1 : 0,
  state,
})

describe('duty states', () => {
  const posts = [post(1, 'staffed', '人民路1段'), post(2, 'off_duty', '八一广场'), post(3, 'empty', '人民路2段'), post(4, 'short', '解放路'), post(5, 'empty', '八一广场')]

  it('lists the empty posts first, then short, staffed, off duty, by site within each', () => {
    expect(sortPosts(posts).map((p) => p.post.id)).toEqual([5, 3, 4, 1, 2])
  })
  it('counts each state, zero included', () => {
    expect(countStates(posts)).toEqual({ empty: 2, short: 1, staffed: 1, off_duty: 1 })
    expect(countStates([])).toEqual({ empty: 0, short: 0, staffed: 0, off_duty: 0 })
  })
})
