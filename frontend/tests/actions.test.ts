// The phone's copy of the rules (src/issues/rules.ts) gives the actions the server gives, for every issue
// state × actor of tests/fixtures/actions_matrix.json (the state machine's own answers: dump_actions.py), and
// the buttons are the same whether the server's `actions` came with the issue or not.
import { describe, expect, it } from 'vitest'
import type { Issue, IssueEvent, Role } from '@/api'
import { offers } from '@/issues/offers'
import { allowedActions } from '@/issues/rules'
import data from './fixtures/actions_matrix.json'

interface Fixture {
  regenerate: string
  actors: { role: Role; unit: string | null }[]
  issues: {
    status: Status
    unit: string | null
    proposed_unit: string | null
    rectifier_unit: string | null
    disputed: boolean
    extension_pending: boolean
    due_at: string | null
    actions: string[][]
  }[]
}

type Status = Issue['status']

const fixture = data as unknown as Fixture

function rectified(unit: string): IssueEvent {
  return {
    seq: 4, action: 'rectify', from_status: 'in_progress', to_status: 'rectified', actor: 'x', actor_name: 'x',
    actor_unit: unit, at: '2026-11-29T10:00:00Z', note: '', photo_ids: [], unit: null, due_at: null, flags: [],
  }
}

/** The issue as a list gives it (no `actions`), in the state of one row of the fixture. */
function issueOf(row: Fixture['issues'][number]): Issue {
  return {
    id: 'i1', ref: '2026-000001', status: row.status, category: 'fac.bench', category_name: '座椅损坏',
    description: '', lat: 28.21, lon: 112.96, accuracy_m: null, zones: [], unit: row.unit, unit_name: null,
    proposed_unit: row.proposed_unit, reporter: 'demo_grid', reporter_name: '网格员',
    created_at: '2026-11-29T08:00:00Z', updated_at: '2026-11-29T08:00:00Z', dispatched_at: null,
    due_at: row.due_at, rectified_at: null, closed_at: null, overdue: false, duplicate_of: null,
    fixed_on_site: false, disputed: row.disputed, extension_pending: row.extension_pending, reopen_count: 0,
    version: 1, photos: [], events: row.rectifier_unit ? [rectified(row.rectifier_unit)] : [],
  }
}

const cases = fixture.issues.flatMap((row) =>
  fixture.actors.map((user, i) => ({ row, user, issue: issueOf(row), server: row.actions[i] })),
)
const label = (c: (typeof cases)[number]) => `${c.user.role}@${c.user.unit} on ${JSON.stringify({ ...c.row, actions: undefined })}`
const sorted = (xs: string[]) => [...xs].sort()

describe("the phone's copy of the rules", () => {
  it('holds every role, status and action', () => {
    expect(cases.length).toBe(fixture.issues.length * fixture.actors.length)
    expect(new Set(cases.map((c) => c.user.role)).size).toBe(5)
    expect(new Set(cases.map((c) => c.row.status)).size).toBe(7)
    expect(new Set(cases.flatMap((c) => c.server)).size).toBe(12)
  })

  it('gives the actions the server gives, for every case of the fixture', () => {
    const wrong = cases.filter((c) => sorted(allowedActions(c.issue, c.user)).join() !== sorted(c.server).join())
    expect(wrong.map(label), `regenerate the fixture with ${fixture.regenerate} if the rules changed`).toEqual([])
  })

  it('offers, offline, the same actions (verify blocked counted as not available)', () => {
    const takeable = (o: ReturnType<typeof offers>) => o.filter((x) => !x.blocked).map((x) => x.action)
    const wrong = cases.filter((c) => sorted(takeable(offers(c.issue, c.user))).join() !== sorted(c.server).join())
    expect(wrong.map(label)).toEqual([])
  })

  it("shows the same buttons online, from the server's actions, as offline from the copy", () => {
    const wrong = cases.filter((c) => {
      const online = offers({ ...c.issue, actions: c.server as Issue['actions'] }, c.user)
      return JSON.stringify(online) !== JSON.stringify(offers(c.issue, c.user))
    })
    expect(wrong.map(label)).toEqual([])
  })

  it('shows verify blocked to an office of the unit assigned or the rectifier, only on a rectified issue', () => {
    const blocked = cases.filter((c) => offers(c.issue, c.user).some((o) => o.blocked))
    expect(blocked.length).toBeGreaterThan(0)
    for (const c of blocked) {
      expect(c.row.status).toBe('rectified')
      expect(['office', 'admin']).toContain(c.user.role)
      expect([c.row.unit, c.row.rectifier_unit]).toContain(c.user.unit)
      expect(c.server).not.toContain('verify')
    }
  })
})
