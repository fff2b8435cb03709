// Kafka's rules across keys: values that are each valid but contradict each other.
//
// Where Kafka quietly adjusts a value the user left at its default, so does this (and the parsed config shows
// the adjusted value): a producer whose acks=1 contradicts the default enable.idempotence=true gets
// idempotence off (Kafka 3.2+); delivery.timeout.ms left at its default but below linger.ms +
// request.timeout.ms becomes their sum. Where the user set both sides explicitly, the contradiction is a
// ConflictProblem and nothing starts.

import type { ConfigKind } from './definition.ts';
import { INT_MAX } from './definition.ts';
import type { ConflictProblem } from './errors.ts';
import { MAX_IN_FLIGHT_FOR_IDEMPOTENCE } from './producer-keys.ts';
import { parseQuorumVoters } from './quorum-voters.ts';
import type { ConfigValue } from './types.ts';

export interface RuleContext {
  /** Every key's value so far; a rule may adjust a value the user did not set. */
  readonly values: Record<string, ConfigValue>;
  /** The keys the user set (here or in the base config). */
  readonly explicit: ReadonlySet<string>;
}

interface CrossKeyRule {
  /** The keys the rule reads; it is skipped when any of them already has a problem. */
  readonly keys: readonly string[];
  check(context: RuleContext): ConflictProblem | undefined;
}

function conflict(keys: readonly string[], message: string): ConflictProblem {
  return { type: 'conflict', keys, message };
}

const num = (context: RuleContext, key: string): number => context.values[key] as number;

// ---- producer

const idempotence: CrossKeyRule = {
  keys: ['enable.idempotence', 'acks', 'retries', 'max.in.flight.requests.per.connection'],
  check(context) {
    if (context.values['enable.idempotence'] !== true) return undefined;
    const contradictions: [key: string, text: string][] = [];
    if (context.values['acks'] !== 'all') contradictions.push(['acks', `acks=${String(context.values['acks'])} (must be all)`]);
    if (num(context, 'retries') === 0) contradictions.push(['retries', 'retries=0 (must be above 0)']);
    const inFlight = num(context, 'max.in.flight.requests.per.connection');
    if (inFlight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
      contradictions.push(['max.in.flight.requests.per.connection',
        `max.in.flight.requests.per.connection=${inFlight} (must be at most ${MAX_IN_FLIGHT_FOR_IDEMPOTENCE})`]);
    }
    if (contradictions.length === 0) return undefined;
    if (!context.explicit.has('enable.idempotence')) {
      context.values['enable.idempotence'] = false;
      return undefined;
    }
    return conflict(['enable.idempotence', ...contradictions.map(([key]) => key)],
      `enable.idempotence=true needs acks=all, retries > 0 and max.in.flight.requests.per.connection <= ` +
      `${MAX_IN_FLIGHT_FOR_IDEMPOTENCE}, but ${contradictions.map(([, text]) => text).join(', ')}; ` +
      `fix those or set enable.idempotence=false`);
  },
};

const deliveryTimeout: CrossKeyRule = {
  keys: ['delivery.timeout.ms', 'linger.ms', 'request.timeout.ms'],
  check(context) {
    const lingerMs = num(context, 'linger.ms');
    const requestTimeoutMs = num(context, 'request.timeout.ms');
    const deliveryTimeoutMs = num(context, 'delivery.timeout.ms');
    if (deliveryTimeoutMs >= lingerMs + requestTimeoutMs) return undefined;
    if (!context.explicit.has('delivery.timeout.ms')) {
      context.values['delivery.timeout.ms'] = Math.min(INT_MAX, lingerMs + requestTimeoutMs);
      return undefined;
    }
    return conflict(['delivery.timeout.ms', 'linger.ms', 'request.timeout.ms'],
      `delivery.timeout.ms=${deliveryTimeoutMs} must be at least linger.ms + request.timeout.ms = ` +
      `${lingerMs} + ${requestTimeoutMs} = ${lingerMs + requestTimeoutMs}`);
  },
};

// ---- broker

const quorumMembership: CrossKeyRule = {
  keys: ['controller.quorum.voters', 'process.roles', 'node.id'],
  check(context) {
    const entries = context.values['controller.quorum.voters'] as readonly string[];
    const roles = context.values['process.roles'] as readonly string[];
    const nodeId = num(context, 'node.id');
    if (entries.length === 0) {
      return conflict(['controller.quorum.voters'],
        'controller.quorum.voters is empty: every KRaft node must know the controller quorum (id@host:port,...)');
    }
    let ids: number[];
    try {
      ids = parseQuorumVoters(entries).map((voter) => voter.id);
    } catch (error) {
      return conflict(['controller.quorum.voters'], (error as Error).message);
    }
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate !== undefined) {
      return conflict(['controller.quorum.voters'], `controller.quorum.voters names voter ${duplicate} twice`);
    }
    const isVoter = ids.includes(nodeId);
    if (roles.includes('controller') && !isVoter) {
      return conflict(['process.roles', 'node.id', 'controller.quorum.voters'],
        `process.roles includes controller, so node.id=${nodeId} must be one of controller.quorum.voters ` +
        `(voter ids: ${ids.join(', ')})`);
    }
    if (!roles.includes('controller') && isVoter) {
      return conflict(['process.roles', 'node.id', 'controller.quorum.voters'],
        `node.id=${nodeId} is a voter in controller.quorum.voters, so process.roles must include controller`);
    }
    return undefined;
  },
};

const fetchWaitBelowSocketTimeout: CrossKeyRule = {
  keys: ['replica.fetch.wait.max.ms', 'replica.socket.timeout.ms'],
  check(context) {
    const waitMs = num(context, 'replica.fetch.wait.max.ms');
    const socketMs = num(context, 'replica.socket.timeout.ms');
    if (waitMs <= socketMs) return undefined;
    return conflict(['replica.fetch.wait.max.ms', 'replica.socket.timeout.ms'],
      `replica.socket.timeout.ms=${socketMs} must be at least replica.fetch.wait.max.ms=${waitMs}, ` +
      'or a follower\'s waiting fetch times out');
  },
};

const fetchWaitBelowLagTime: CrossKeyRule = {
  keys: ['replica.fetch.wait.max.ms', 'replica.lag.time.max.ms'],
  check(context) {
    const waitMs = num(context, 'replica.fetch.wait.max.ms');
    const lagMs = num(context, 'replica.lag.time.max.ms');
    if (waitMs <= lagMs) return undefined;
    return conflict(['replica.fetch.wait.max.ms', 'replica.lag.time.max.ms'],
      `replica.fetch.wait.max.ms=${waitMs} must be at most replica.lag.time.max.ms=${lagMs}, ` +
      'or followers keep dropping out of the ISR');
  },
};

const RULES: { readonly [K in ConfigKind]: readonly CrossKeyRule[] } = {
  broker: [quorumMembership, fetchWaitBelowSocketTimeout, fetchWaitBelowLagTime],
  topic: [],
  producer: [idempotence, deliveryTimeout],
  consumer: [],
};

/** Applies the kind's rules in order, skipping those that read a key in `invalidKeys`. */
export function applyCrossKeyRules(kind: ConfigKind, context: RuleContext, invalidKeys: ReadonlySet<string>): ConflictProblem[] {
  const problems: ConflictProblem[] = [];
  for (const rule of RULES[kind]) {
    if (rule.keys.some((key) => invalidKeys.has(key))) continue;
    const problem = rule.check(context);
    if (problem) problems.push(problem);
  }
  return problems;
}
