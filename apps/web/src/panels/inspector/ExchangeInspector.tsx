import {
  effectiveExchangeArguments,
  EXCHANGE_ARGUMENTS,
  EXCHANGE_TYPES,
  policyFor,
  withArgument,
  type Exchange,
  type ExchangeType,
} from '@warren/topology';
import { useMemo } from 'react';
import { useExchangeNames } from '../../store/selectors';
import { useWarren, type WarrenState } from '../../store/store';
import { DeleteButton, Errors, Header, NameField, Section, useActions } from './common';
import { ArgumentRow } from './ArgumentRow';
import { Field, FieldError, OtherProblems, Toggle } from './fields';
import { KeyValueRows } from './KeyValueRows';
import { useFieldProblems } from './problems';

export const exchangeTypeHelp: Record<ExchangeType, string> = {
  direct: 'Routes to bindings whose key equals the message routing key.',
  fanout: 'Routes a copy to every bound queue; keys are ignored.',
  topic: 'Binding keys are patterns: * is one word, # is zero or more words.',
  headers: 'Matches message headers against binding arguments (x-match all/any).',
  'x-consistent-hash':
    'Spreads messages over its queues by hashing the routing key; each binding key is a weight.',
};

const CATALOGUE_KEYS: ReadonlySet<string> = new Set(EXCHANGE_ARGUMENTS.map((s) => s.key));
const HASH_KEYS = new Set(['hash-header', 'hash-property']);
const SHOWN_FIELDS: ReadonlySet<string> = new Set([
  ...CATALOGUE_KEYS,
  'name',
  'type',
  'durable',
  'autoDelete',
  'internal',
]);

const selectPolicies = (s: WarrenState) => s.topology.policies;

export function ExchangeInspector({ exchange }: { exchange: Exchange }) {
  const { updateExchange } = useActions();
  const exchanges = useExchangeNames();
  const policies = useWarren(selectPolicies);
  const problems = useFieldProblems(exchange.id);
  const args = useMemo(() => exchange.arguments ?? {}, [exchange.arguments]);
  const { effective, policy } = useMemo(() => {
    const doc = { ...useWarren.getState().topology, policies: policies ?? [] };
    return {
      effective: effectiveExchangeArguments(doc, exchange),
      policy: policyFor(doc, 'exchange', exchange.name),
    };
  }, [exchange, policies]);
  const setArgument = (key: string, value: unknown) =>
    updateExchange(exchange.id, { arguments: withArgument(exchange.arguments, key, value) });
  const setOthers = (others: Record<string, unknown>) => {
    const known = Object.fromEntries(Object.entries(args).filter(([k]) => CATALOGUE_KEYS.has(k)));
    const next = { ...known, ...others };
    updateExchange(exchange.id, { arguments: Object.keys(next).length > 0 ? next : undefined });
  };
  // Hash settings mean something on a consistent-hash exchange only; elsewhere they are shown
  // when set, so they can be seen and cleared.
  const specs = EXCHANGE_ARGUMENTS.filter(
    (s) => !HASH_KEYS.has(s.key) || exchange.type === 'x-consistent-hash' || s.key in args,
  );
  const others = Object.fromEntries(Object.entries(args).filter(([k]) => !CATALOGUE_KEYS.has(k)));
  return (
    <>
      <Header kind="Exchange" title={exchange.name} accent="exchange" />
      <Errors id={exchange.id} />
      <NameField id={exchange.id} name={exchange.name} />
      <Field label="Type" hint={exchangeTypeHelp[exchange.type]}>
        <select
          data-testid="inspector-exchange-type"
          value={exchange.type}
          onChange={(e) => updateExchange(exchange.id, { type: e.target.value as ExchangeType })}
        >
          {EXCHANGE_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      <FieldError field="type" problems={problems} />
      <div className="toggles toggles--grid">
        <div className="toggle-cell">
          <Toggle
            label="durable"
            checked={exchange.durable}
            onChange={(durable) => updateExchange(exchange.id, { durable })}
            testId="inspector-durable"
            hint="Survives a broker restart"
          />
          <FieldError field="durable" problems={problems} />
        </div>
        <div className="toggle-cell">
          <Toggle
            label="auto-delete"
            checked={exchange.autoDelete}
            onChange={(autoDelete) => updateExchange(exchange.id, { autoDelete })}
            testId="inspector-auto-delete"
            hint="Deleted when its last binding goes"
          />
          <FieldError field="autoDelete" problems={problems} />
        </div>
        <div className="toggle-cell">
          <Toggle
            label="internal"
            checked={exchange.internal}
            onChange={(internal) => updateExchange(exchange.id, { internal })}
            testId="inspector-internal"
            hint="Only other exchanges may publish to it"
          />
          <FieldError field="internal" problems={problems} />
        </div>
      </div>
      {policy && (
        <p className="inspector__policy" data-testid="inspector-policy">
          Policy <strong>{policy.name}</strong> applies to this exchange.
        </p>
      )}
      <Section title="Arguments">
        {specs.map((spec) => (
          <ArgumentRow
            key={spec.key}
            spec={spec}
            args={args}
            onChange={setArgument}
            exchanges={exchanges.filter((n) => n !== exchange.name)}
            effective={effective.get(spec.key)}
            policy={policy}
            problems={problems}
          />
        ))}
      </Section>
      <Section title="Other arguments">
        <KeyValueRows
          values={others}
          onChange={setOthers}
          testIdPrefix="inspector-other"
          problems={problems}
          reserved={CATALOGUE_KEYS}
          keyPlaceholder="argument"
          addLabel="Add argument"
        />
      </Section>
      <OtherProblems problems={problems} shown={new Set([...SHOWN_FIELDS, ...Object.keys(args)])} />
      <p className="inspector__note">
        Changing the type, a flag or the alternate exchange of an applied exchange makes the broker
        refuse it until it is deleted and declared again (Apply offers to).
      </p>
      <DeleteButton id={exchange.id} label="Delete exchange" />
    </>
  );
}
