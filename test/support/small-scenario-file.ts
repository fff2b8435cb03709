// The small scenario as a scenario file (its default export), for running it in the seed pool by path.
import { SMALL_SCENARIO } from './small-scenario.ts';

export default SMALL_SCENARIO;
