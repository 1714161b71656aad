// What the two request handlers share.
import type { FaultTable } from './faults.js'
import type { Sleeper } from './http.js'
import type { SimState } from './state.js'
import type { RecordedRequest } from './types.js'

export interface SimContext {
  state: SimState;
  faults: FaultTable;
  sleeper: Sleeper;
  record (r: RecordedRequest): void;
  now (): number;
}
