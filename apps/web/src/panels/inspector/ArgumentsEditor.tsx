import {
  effectiveExchangeArguments,
  effectiveQueueArguments,
  policyFor,
  queueTypeOf,
  withArgument,
  type ArgumentSpec,
  type EffectiveSetting,
  type Exchange,
  type Policy,
  type Queue,
} from '@warren/topology';
import { useMemo } from 'react';
import { useWarren, type WarrenState } from '../../store/store';
import { ArgumentRow } from './ArgumentRow';
import { Section } from './common';
import { OtherProblems } from './fields';
import { KeyValueRows } from './KeyValueRows';

type ExchangeOrQueue = { kind: 'exchange'; item: Exchange } | { kind: 'queue'; item: Queue };

const selectPolicies = (s: WarrenState) => s.topology.policies;

/**
 * What is in force on an exchange or a queue once policies apply (`effective`, by argument),
 * and the policy that applies; worked out again when the object or the policies change.
 */
function useInForce(object: ExchangeOrQueue): {
  effective: ReadonlyMap<string, EffectiveSetting>;
  policy: Policy | undefined;
} {
  const policies = useWarren(selectPolicies);
  const { kind, item } = object;
  return useMemo(() => {
    const doc = { ...useWarren.getState().topology, policies: policies ?? [] };
    return kind === 'exchange'
      ? {
          effective: effectiveExchangeArguments(doc, item),
          policy: policyFor(doc, 'exchange', item.name),
        }
      : {
          effective: effectiveQueueArguments(doc, item),
          policy: policyFor(doc, 'queue', item.name, queueTypeOf(item)),
        };
  }, [kind, item, policies]);
}

/**
 * The arguments of an exchange or a queue as the inspector edits them: the policy that applies,
 * the catalogue's keys one row each in titled groups (with what is in force for each), and every
 * other key in free rows; no arguments left is no `arguments` at all.
 */
export function ArgumentsEditor({
  object,
  groups,
  catalogueKeys,
  exchanges,
  keyPlaceholder,
  problems,
  shown,
  update,
}: {
  object: ExchangeOrQueue;
  groups: readonly { title: string; specs: readonly ArgumentSpec[] }[];
  catalogueKeys: ReadonlySet<string>;
  /** What an argument naming an exchange may pick from. */
  exchanges: readonly string[];
  keyPlaceholder: string;
  problems: ReadonlyMap<string, string[]>;
  /** The fields the inspector draws (the arguments' own keys are added here). */
  shown: ReadonlySet<string>;
  update: (args: Record<string, unknown> | undefined) => void;
}) {
  const current = object.item.arguments;
  const args = useMemo(() => current ?? {}, [current]);
  const { effective, policy } = useInForce(object);
  const inCatalogue = (known: boolean) =>
    Object.fromEntries(Object.entries(args).filter(([k]) => catalogueKeys.has(k) === known));
  const setArgument = (key: string, value: unknown) => update(withArgument(current, key, value));
  const setOthers = (others: Record<string, unknown>) => {
    const next = { ...inCatalogue(true), ...others };
    update(Object.keys(next).length > 0 ? next : undefined);
  };
  return (
    <>
      {policy && (
        <p className="inspector__policy" data-testid="inspector-policy">
          Policy <strong>{policy.name}</strong> applies to this {object.kind}.
        </p>
      )}
      {groups.map((group) => (
        <Section key={group.title} title={group.title}>
          {group.specs.map((spec) => (
            <ArgumentRow
              key={spec.key}
              spec={spec}
              args={args}
              onChange={setArgument}
              exchanges={exchanges}
              effective={effective.get(spec.key)}
              policy={policy}
              problems={problems}
            />
          ))}
        </Section>
      ))}
      <Section title="Other arguments">
        <KeyValueRows
          values={inCatalogue(false)}
          onChange={setOthers}
          testIdPrefix="inspector-other"
          problems={problems}
          reserved={catalogueKeys}
          keyPlaceholder={keyPlaceholder}
          addLabel="Add argument"
        />
      </Section>
      <OtherProblems problems={problems} shown={new Set([...shown, ...Object.keys(args)])} />
    </>
  );
}
