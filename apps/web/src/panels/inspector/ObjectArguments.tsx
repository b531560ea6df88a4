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

/**
 * The arguments of an exchange or a queue as the inspector edits them: the catalogue's keys
 * one row each (`setArgument`), every other key in free rows (`setOthers`); no arguments left
 * is no `arguments` at all.
 */
export function useObjectArguments(
  current: Record<string, unknown> | undefined,
  catalogueKeys: ReadonlySet<string>,
  update: (args: Record<string, unknown> | undefined) => void,
) {
  const args = useMemo(() => current ?? {}, [current]);
  const inCatalogue = (known: boolean) =>
    Object.fromEntries(Object.entries(args).filter(([k]) => catalogueKeys.has(k) === known));
  return {
    args,
    others: inCatalogue(false),
    setArgument: (key: string, value: unknown) => update(withArgument(current, key, value)),
    setOthers: (others: Record<string, unknown>) => {
      const next = { ...inCatalogue(true), ...others };
      update(Object.keys(next).length > 0 ? next : undefined);
    },
  };
}

const selectPolicies = (s: WarrenState) => s.topology.policies;

/**
 * What is in force on an exchange or a queue once policies apply (`effective`, by argument),
 * and the policy that applies; worked out again when the object or the policies change.
 */
export function useInForce(
  object: { kind: 'exchange'; item: Exchange } | { kind: 'queue'; item: Queue },
): { effective: ReadonlyMap<string, EffectiveSetting>; policy: Policy | undefined } {
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

/** A titled section of catalogue arguments, one row each, with what is in force for each. */
export function ArgumentSection({
  title,
  specs,
  effective,
  ...row
}: {
  title: string;
  specs: readonly ArgumentSpec[];
  effective: ReadonlyMap<string, EffectiveSetting>;
} & Omit<Parameters<typeof ArgumentRow>[0], 'spec' | 'effective'>) {
  return (
    <Section title={title}>
      {specs.map((spec) => (
        <ArgumentRow key={spec.key} spec={spec} effective={effective.get(spec.key)} {...row} />
      ))}
    </Section>
  );
}

export function PolicyNote({ policy, kind }: { policy: Policy | undefined; kind: string }) {
  if (!policy) return null;
  return (
    <p className="inspector__policy" data-testid="inspector-policy">
      Policy <strong>{policy.name}</strong> applies to this {kind}.
    </p>
  );
}

/** The arguments outside the catalogue, and any problem the rows above do not show. */
export function OtherArguments({
  others,
  onChange,
  catalogueKeys,
  keyPlaceholder,
  problems,
  shown,
}: {
  others: Record<string, unknown>;
  onChange: (others: Record<string, unknown>) => void;
  catalogueKeys: ReadonlySet<string>;
  keyPlaceholder: string;
  problems: ReadonlyMap<string, string[]>;
  /** The fields the inspector draws itself (the arguments' keys are added here). */
  shown: ReadonlySet<string>;
}) {
  return (
    <>
      <Section title="Other arguments">
        <KeyValueRows
          values={others}
          onChange={onChange}
          testIdPrefix="inspector-other"
          problems={problems}
          reserved={catalogueKeys}
          keyPlaceholder={keyPlaceholder}
          addLabel="Add argument"
        />
      </Section>
      <OtherProblems problems={problems} shown={new Set([...shown, ...Object.keys(others)])} />
    </>
  );
}
