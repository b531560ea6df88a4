import {
  EXCHANGE_ARGUMENTS,
  EXCHANGE_TYPES,
  type Exchange,
  type ExchangeType,
} from '@warren/topology';
import { useExchangeNames } from '../../store/selectors';
import { DeleteButton, Errors, Header, NameField, useActions } from './common';
import { Field, FieldError, ToggleCell } from './fields';
import { ArgumentsEditor } from './ArgumentsEditor';
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

const FLAGS = [
  {
    field: 'durable',
    label: 'durable',
    testId: 'inspector-durable',
    hint: 'Survives a broker restart',
  },
  {
    field: 'autoDelete',
    label: 'auto-delete',
    testId: 'inspector-auto-delete',
    hint: 'Deleted when its last binding goes',
  },
  {
    field: 'internal',
    label: 'internal',
    testId: 'inspector-internal',
    hint: 'Only other exchanges may publish to it',
  },
] as const;

export function ExchangeInspector({ exchange }: { exchange: Exchange }) {
  const { updateExchange } = useActions();
  const exchanges = useExchangeNames();
  const problems = useFieldProblems(exchange.id);
  // Hash settings mean something on a consistent-hash exchange only; elsewhere they are shown
  // when set, so they can be seen and cleared.
  const specs = EXCHANGE_ARGUMENTS.filter(
    (s) =>
      !HASH_KEYS.has(s.key) ||
      exchange.type === 'x-consistent-hash' ||
      s.key in (exchange.arguments ?? {}),
  );
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
        {FLAGS.map((flag) => (
          <ToggleCell
            key={flag.field}
            {...flag}
            checked={exchange[flag.field]}
            onChange={(on) => updateExchange(exchange.id, { [flag.field]: on })}
            problems={problems}
          />
        ))}
      </div>
      <ArgumentsEditor
        object={{ kind: 'exchange', item: exchange }}
        groups={[{ title: 'Arguments', specs }]}
        catalogueKeys={CATALOGUE_KEYS}
        exchanges={exchanges.filter((n) => n !== exchange.name)}
        keyPlaceholder="argument"
        problems={problems}
        shown={SHOWN_FIELDS}
        update={(next) => updateExchange(exchange.id, { arguments: next })}
      />
      <p className="inspector__note">
        Changing the type, a flag or the alternate exchange of an applied exchange makes the broker
        refuse it until it is deleted and declared again (Apply offers to).
      </p>
      <DeleteButton id={exchange.id} label="Delete exchange" />
    </>
  );
}
