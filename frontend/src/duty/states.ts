// A post's state at a moment as the supervision team reads the list: the empty ones first (to go and check),
// then the short, the staffed, and those off their hours.
import type { PostState } from '@/api'

export type DutyState = PostState['state']

export const ORDER: readonly DutyState[] = ['empty', 'short', 'staffed', 'off_duty']

/** How many posts are in each state. */
export function countStates(posts: readonly PostState[]): Record<DutyState, number> {
  const out = Object.fromEntries(ORDER.map((s) => [s, 0])) as Record<DutyState, number>
  for (const p of posts) out[p.state] += 1
  return out
}

/** Empty first, then short, staffed, off duty; within a state by site name, then unit. */
export function sortPosts(posts: readonly PostState[]): PostState[] {
  const rank = (p: PostState) => ORDER.indexOf(p.state)
  return [...posts].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.post.site_name.localeCompare(b.post.site_name, 'zh-CN') ||
      a.post.unit_name.localeCompare(b.post.unit_name, 'zh-CN'),
  )
}
