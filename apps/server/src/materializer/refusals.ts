import {
  canonicalJson,
  queueTypeOf,
  type Binding,
  type Exchange,
  type Queue,
} from '@warren/topology';
import { displayName } from './queue-names';

/** The first setting in which `want` differs from what the broker has, in the broker's words. */
export function firstDifference(had: Queue, want: Queue): string {
  if (had.durable !== want.durable) return 'durable';
  if (had.exclusive !== want.exclusive) return 'exclusive';
  if (had.autoDelete !== want.autoDelete) return 'auto_delete';
  const a = had.arguments ?? {};
  const b = want.arguments ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.find((k) => canonicalJson(a[k]) !== canonicalJson(b[k])) ?? 'arguments';
}

export function changedMessage(kind: 'exchange' | 'queue', name: string, setting: string): string {
  const Kind = kind === 'queue' ? 'Queue' : 'Exchange';
  const lost = kind === 'queue' ? ' (its messages are lost)' : '';
  return `${Kind} '${name}' already exists on the broker and was declared with a different ${setting}; apply with Recreate to replace it${lost}.`;
}

const QUEUE_PROPERTIES: Record<string, string> = {
  'exclusive-owner': 'cannot be exclusive',
  'non-durable': 'must be durable',
  'auto-delete': 'cannot be auto-delete',
};

/** A broker refusal in words that tell a learner what to do about it. */
export function describeRefusal(
  kind: 'exchange' | 'queue' | 'binding',
  subject: Exchange | Queue | Binding,
  code: string,
  brokerMessage: string,
): string {
  const detail = brokerMessage.replace(/^[A-Z_]+ - /, '');
  const name =
    'name' in subject
      ? displayName(subject.name)
      : `${subject.source} -> ${displayName(subject.destination)}`;
  const inequivalent = /inequivalent arg '([^']+)'/.exec(brokerMessage);
  if (code === 'PRECONDITION_FAILED' && inequivalent && kind !== 'binding') {
    return changedMessage(kind, name, inequivalent[1] ?? 'settings');
  }
  const invalidArg = /invalid arg '([^']+)' for queue .* of queue type rabbit_(\w+?)_queue/.exec(
    brokerMessage,
  );
  if (invalidArg) {
    return `The broker refused queue '${name}': ${invalidArg[2] ?? ''} queues do not support ${invalidArg[1] ?? 'this argument'}.`;
  }
  const property = /invalid property '([^']+)'/.exec(brokerMessage)?.[1];
  if (property !== undefined && 'durable' in subject && kind === 'queue') {
    const type = queueTypeOf(subject as Queue);
    return `The broker refused queue '${name}': a ${type} queue ${QUEUE_PROPERTIES[property] ?? `does not allow '${property}'`}.`;
  }
  if (/reserved prefix 'amq\.\*'/.test(brokerMessage)) {
    return `Names starting with 'amq.' are reserved for the broker: rename ${kind} '${name}'${kind === 'queue' ? ', or let the broker name it (server-named)' : ''}.`;
  }
  if (/RESOURCE_LOCKED/.test(brokerMessage)) {
    return `Queue '${name}' is exclusive to another connection (an outside client); only that connection can use or delete it.`;
  }
  if (code === 'BROKER_NOT_FOUND')
    return `The broker could not find what ${kind} '${name}' refers to (${detail}).`;
  if (code === 'ACCESS_REFUSED') return `The broker refused ${kind} '${name}' (${detail}).`;
  return `The broker refused ${kind} '${name}': ${detail}`;
}
