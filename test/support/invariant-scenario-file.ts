// The broken-invariant scenario as a scenario file (its default export), for the seed pool and the CLI.
import { INVARIANT_SCENARIO } from './invariant-scenario.ts';

export default INVARIANT_SCENARIO;
