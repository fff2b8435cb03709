// Requests from each connection, one at a time, and their answers (Kafka's SocketServer processor + request
// channel, as far as ordering goes).
//
// Kafka reads one request from a connection, then mutes it until that request's response is sent: requests on
// one connection are handled strictly in order, and their responses leave in that order, even when a produce
// waits for its replicas or a fetch long-polls (a client pipelining five requests gains network round trips,
// not parallel handling). Here a connection is the pair (peer node, this broker). A request that arrives
// while its connection is busy waits in that connection's queue. A reset of the connection drops its queue
// and any answer still being prepared for it.
//
// Every answer (and an acks=0 produce, which has none) pays the CPU model before it leaves.

import type { Request, Response } from '../protocol/envelope.ts';
import type { NodeId, Runtime } from '../runtime.ts';
import type { CpuModel } from './cpu-model.ts';
import { invariantWith } from '../invariants.ts';

/** How a handler answers: exactly once, with the response, or with undefined for no response (acks=0). */
export type Reply = (response: Response | undefined) => void;

export type RequestDispatcher = (from: NodeId, request: Request, reply: Reply) => void;

interface Connection {
  busy: boolean;
  readonly queue: Request[];
  generation: number;
}

export class RequestChannel {
  private readonly connections = new Map<NodeId, Connection>();
  /** Requests handled so far, for metrics. */
  handled = 0;

  constructor(
    private readonly runtime: Runtime,
    private readonly cpu: CpuModel,
    private readonly dispatch: RequestDispatcher,
  ) {}

  receive(from: NodeId, request: Request): void {
    const connection = this.connectionOf(from);
    if (connection.busy) {
      connection.queue.push(request);
      return;
    }
    this.start(from, connection, request);
  }

  /** The connection from `peer` is gone: its waiting requests and pending answers with it. */
  connectionReset(peer: NodeId): void {
    const connection = this.connections.get(peer);
    if (connection === undefined) return;
    connection.generation++;
    connection.busy = false;
    connection.queue.length = 0;
  }

  private connectionOf(peer: NodeId): Connection {
    let connection = this.connections.get(peer);
    if (connection === undefined) {
      connection = { busy: false, queue: [], generation: 0 };
      this.connections.set(peer, connection);
    }
    return connection;
  }

  private start(from: NodeId, connection: Connection, request: Request): void {
    connection.busy = true;
    const generation = connection.generation;
    let replied = false;
    this.handled++;
    this.dispatch(from, request, (response) => {
      invariantWith(!replied, 'lifecycle', `request-channel`, () => `request ${request.type} ${request.correlationId} from ${from} was answered twice`);
      replied = true;
      const doneAtMs = this.cpu.run(this.runtime.now(), request.sizeBytes + (response?.sizeBytes ?? 0));
      const finish = (): void => {
        if (connection.generation !== generation) return;
        if (response !== undefined) this.runtime.send(from, response);
        this.next(from, connection);
      };
      const delayMs = doneAtMs - this.runtime.now();
      if (delayMs > 0) this.runtime.setTimer(delayMs, finish);
      else finish();
    });
  }

  private next(from: NodeId, connection: Connection): void {
    connection.busy = false;
    const request = connection.queue.shift();
    if (request !== undefined) this.start(from, connection, request);
  }
}
