import type { Binding, Exchange, Queue, Topology } from '@warren/topology';
import type { NodeError } from '@warren/protocol';
import { brokerRefusal } from '../broker/amqp-errors';
import { displayName } from './queue-names';
import { describeRefusal } from './refusals';

type Kind = 'exchange' | 'queue' | 'binding' | 'policy';

/**
 * What one apply did: each refusal attached to the node (and document path) that caused it, and
 * the objects declared and deleted, in words a learner reads.
 */
export class ApplyReport {
  readonly nodeErrors: NodeError[] = [];
  readonly declared: string[] = [];
  readonly deleted: string[] = [];
  /** `kind:key` of exchanges and queues that could not be declared: nothing binds to them. */
  private readonly failed = new Set<string>();

  /** `want` is the document being applied, its server-named queues under their diff keys. */
  constructor(private readonly want: Topology) {}

  private located(kind: Kind, key: string): { nodeId: string; path: string } {
    const list: { id: string; name?: string }[] =
      kind === 'exchange'
        ? this.want.exchanges
        : kind === 'queue'
          ? this.want.queues
          : kind === 'policy'
            ? (this.want.policies ?? [])
            : this.want.bindings;
    const index = list.findIndex((o) => (kind === 'binding' ? o.id : o.name) === key);
    const item = list[index];
    return item === undefined
      ? { nodeId: kind === 'binding' ? key : `${kind}:${displayName(key)}`, path: '' }
      : { nodeId: item.id, path: `/${kind === 'policy' ? 'policies' : `${kind}s`}/${index}` };
  }

  refused(
    kind: Kind,
    key: string,
    code: NodeError['code'],
    message: string,
    brokerMessage: string,
  ): void {
    this.nodeErrors.push({ ...this.located(kind, key), code, message, brokerMessage });
  }

  /** True when the operation went through; a broker refusal becomes the node's error. */
  outcome(
    result: PromiseSettledResult<unknown> | undefined,
    kind: 'exchange' | 'queue' | 'binding',
    key: string,
    subject: Exchange | Queue | Binding,
  ): boolean {
    if (result === undefined || result.status === 'fulfilled') return true;
    const refusal = brokerRefusal(result.reason);
    if (!refusal) throw result.reason;
    this.refused(
      kind,
      key,
      refusal.code,
      describeRefusal(kind, subject, refusal.code, refusal.brokerMessage),
      refusal.brokerMessage,
    );
    return false;
  }

  fail(kind: 'exchange' | 'queue', key: string): void {
    this.failed.add(`${kind}:${key}`);
  }

  /** Whether both ends of a binding were declared (or were there already). */
  canBind(b: Binding): boolean {
    return (
      !this.failed.has(`exchange:${b.source}`) &&
      !this.failed.has(`${b.destinationType}:${b.destination}`)
    );
  }
}
