import {
  withArgument,
  type ArgumentSpec,
  type EffectiveSetting,
  type Policy,
} from '@warren/topology';
import { useMemo } from 'react';
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
