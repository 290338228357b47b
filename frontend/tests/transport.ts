// A fake server's transport for the outbox tests: the calls a test gives, every other call refused as one the
// test does not expect (an item of another kind reaching it is a bug the test should see).
import type { Transport } from '@/outbox'

const unexpected = (name: string) => async () => {
  throw new Error(`${name}: not expected in this test`)
}

export function transportWith(calls: Partial<Transport>): Transport {
  return {
    uploadPhoto: unexpected('uploadPhoto'),
    createIssue: unexpected('createIssue'),
    postAction: unexpected('postAction'),
    getIssue: async () => ({ events: [] }),
    createInspection: unexpected('createInspection'),
    startPatrol: unexpected('startPatrol'),
    postPatrolPoints: unexpected('postPatrolPoints'),
    endPatrol: unexpected('endPatrol'),
    ...calls,
  }
}
