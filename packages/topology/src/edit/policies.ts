import { policyFor, policyRegExp, queueTypeOf } from '../arguments';
import type { Policy, Topology } from '../model';
import { newId, nextName } from './ids';

export function addPolicy(topology: Topology): { topology: Topology; id: string } {
  const id = newId('pol');
  const policies = topology.policies ?? [];
  const policy: Policy = {
    id,
    name: nextName(
      policies.map((p) => p.name),
      'policy',
    ),
    pattern: '.*',
    applyTo: 'queues',
    priority: 0,
    definition: {},
  };
  return { id, topology: { ...topology, policies: [...policies, policy] } };
}

export function updatePolicy(
  topology: Topology,
  id: string,
  patch: Partial<Omit<Policy, 'id'>>,
): Topology {
  if (!topology.policies) return topology;
  return {
    ...topology,
    policies: topology.policies.map((p) => (p.id === id ? { ...p, ...patch } : p)),
  };
}

export function deletePolicy(topology: Topology, id: string): Topology {
  if (!topology.policies?.some((p) => p.id === id)) return topology;
  const policies = topology.policies.filter((p) => p.id !== id);
  if (policies.length > 0) return { ...topology, policies };
  const { policies: _gone, ...rest } = topology;
  return rest;
}

/** Why a policy cannot be called `name`, or undefined when it can. */
export function policyNameProblem(
  topology: Topology,
  id: string,
  name: string,
): string | undefined {
  if (name.trim() === '') return 'A policy needs a name.';
  if ((topology.policies ?? []).some((p) => p.id !== id && p.name === name))
    return `Another policy is named '${name}'.`;
  return undefined;
}

/** A queue or exchange of the diagram that a policy's pattern and apply-to reach. */
export interface PolicyMatch {
  kind: 'queue' | 'exchange';
  id: string;
  name: string;
}

/**
 * Which objects of the diagram a policy is in force on, and which it matches but loses to
 * another policy (the broker applies only the one with the highest priority).
 */
export function policyTargets(
  topology: Topology,
  policyId: string,
): { applied: PolicyMatch[]; outranked: (PolicyMatch & { by: string })[] } {
  const policy = topology.policies?.find((p) => p.id === policyId);
  const applied: PolicyMatch[] = [];
  const outranked: (PolicyMatch & { by: string })[] = [];
  if (!policy) return { applied, outranked };
  const pattern = policyRegExp(policy.pattern);
  if (!pattern) return { applied, outranked };
  // A policy on its own tells whether the pattern and apply-to reach an object at all.
  const alone: Topology = { ...topology, policies: [policy] };
  const consider = (target: PolicyMatch, queueType?: string) => {
    if (policyFor(alone, target.kind, target.name, queueType)?.id !== policy.id) return;
    const winner = policyFor(topology, target.kind, target.name, queueType);
    if (winner?.id === policy.id) applied.push(target);
    else if (winner) outranked.push({ ...target, by: winner.name });
  };
  for (const q of topology.queues)
    consider({ kind: 'queue', id: q.id, name: q.name }, queueTypeOf(q));
  for (const x of topology.exchanges) consider({ kind: 'exchange', id: x.id, name: x.name });
  return { applied, outranked };
}
