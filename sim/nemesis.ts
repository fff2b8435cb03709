// The nemesis: fault schedules, and applying them to a simulation. The pieces live in sim/nemesis/, one
// concept per file; this module is what the rest of the simulator imports.
//
//   fault.ts            the Fault shape, the kinds and their intensities, validateFault
//   target.ts           the target grammar (`broker-2`, `brokers`, `leader:orders-0`, `active-controller`)
//   random-schedule.ts  random schedules: a mix of kinds, target pools, intensities, maxConcurrent
//   apply.ts            applySchedule: start, end, skip, trace and observe each fault
//   fault-effects.ts    what each kind does to the simulation, and how it undoes exactly that
//   network-ledger.ts   overlapping network faults, each removable on its own

export { NemesisError } from './nemesis/error.ts';
export { FAULT_KINDS, FAULT_KIND_INFO, intensityOf, intensityProblem, isFaultKind, linkTargetProblem, validateFault } from './nemesis/fault.ts';
export type { Fault, FaultFamily, FaultKind, FaultKindInfo, IntensitySpec } from './nemesis/fault.ts';
export { leaderTarget, parseTarget, resolveTarget } from './nemesis/target.ts';
export type { FaultTargets, TargetTerm } from './nemesis/target.ts';
export { randomSchedule } from './nemesis/random-schedule.ts';
export type { IntensityOptions, RandomScheduleOptions } from './nemesis/random-schedule.ts';
export { applySchedule } from './nemesis/apply.ts';
export type { ApplyOptions, NemesisObserver, NemesisRun, StoryFault } from './nemesis/apply.ts';
export type { SkippedFault, StartedFault } from './nemesis/fault-effects.ts';
