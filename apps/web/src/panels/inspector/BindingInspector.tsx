import { HEADERS_MATCH_MODES, type Binding, type ExchangeType } from '@warren/topology';
import { DeleteButton, Errors, Header, Section, useActions } from './common';
import { DraftField, readText } from './DraftField';
import { Field, FieldError, OtherProblems } from './fields';
import { KeyValueRows } from './KeyValueRows';
import { useFieldProblems } from './problems';

const matchHelp: Record<(typeof HEADERS_MATCH_MODES)[number], string> = {
  all: 'every header below must be present with that value',
  any: 'one matching header is enough',
  'all-with-x': 'like all, and headers starting with x- count too',
  'any-with-x': 'like any, and headers starting with x- count too',
};

const X_MATCH: ReadonlySet<string> = new Set(['x-match']);

function keyHint(type: ExchangeType | undefined): string | undefined {
  switch (type) {
    case 'topic':
      return '* matches one word, # zero or more; words are separated by dots.';
    case 'fanout':
      return 'A fanout exchange ignores the key.';
    case 'headers':
      return 'A headers exchange ignores the key; it matches the headers below.';
    case 'direct':
      return 'Messages whose routing key equals this key are routed here.';
    default:
      return undefined;
  }
}

function without(args: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([k]) => k !== key));
}

export function BindingInspector({
  binding,
  exchangeType,
}: {
  binding: Binding;
  exchangeType: ExchangeType | undefined;
}) {
  const { updateBinding } = useActions();
  const problems = useFieldProblems(binding.id);
  const args = binding.arguments ?? {};
  const setArguments = (next: Record<string, unknown>) =>
    updateBinding(binding.id, {
      arguments: Object.keys(next).length > 0 ? next : undefined,
    });
  const headers = exchangeType === 'headers';
  const rawMatch = args['x-match'];
  const match = rawMatch === undefined ? 'all' : typeof rawMatch === 'string' ? rawMatch : '';
  const knownMatch = (HEADERS_MATCH_MODES as readonly string[]).includes(match);
  const shown = new Set(['routingKey', 'x-match', ...Object.keys(args)]);

  return (
    <>
      <Header
        kind={binding.destinationType === 'exchange' ? 'Exchange binding' : 'Binding'}
        title={
          <>
            {binding.source} <span className="inspector__arrow">→</span> {binding.destination}
          </>
        }
        accent="binding"
      />
      <Errors id={binding.id} />
      {exchangeType === 'x-consistent-hash' ? (
        <Field
          label="Weight"
          hint="On a consistent-hash exchange the binding key is a weight: a queue with weight 2 gets about twice the share of one with weight 1."
        >
          <DraftField
            value={binding.routingKey}
            read={(text) => ({ value: text.trim() })}
            onCommit={(routingKey) => updateBinding(binding.id, { routingKey })}
            testId="inspector-weight"
            inputMode="numeric"
            invalid={problems.has('routingKey')}
            placeholder="1"
          />
        </Field>
      ) : (
        <Field
          label={exchangeType === 'topic' ? 'Binding pattern' : 'Routing key'}
          hint={keyHint(exchangeType)}
        >
          <DraftField
            value={binding.routingKey}
            read={readText}
            onCommit={(routingKey) => updateBinding(binding.id, { routingKey })}
            testId="inspector-routing-key"
            invalid={problems.has('routingKey')}
            placeholder={exchangeType === 'topic' ? 'e.g. order.*' : 'routing key'}
          />
        </Field>
      )}
      <FieldError field="routingKey" problems={problems} />
      {headers ? (
        <>
          <Field
            label="Match"
            hint={
              knownMatch
                ? `x-match ${match}: ${matchHelp[match as keyof typeof matchHelp]}.`
                : undefined
            }
          >
            <select
              data-testid="inspector-x-match"
              value={match}
              className={problems.has('x-match') ? 'is-invalid' : ''}
              onChange={(e) => setArguments({ ...args, 'x-match': e.target.value })}
            >
              {HEADERS_MATCH_MODES.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
              {!knownMatch && <option value={match}>{JSON.stringify(rawMatch)}</option>}
            </select>
          </Field>
          <FieldError field="x-match" problems={problems} />
          <Section title="Headers to match">
            <KeyValueRows
              values={without(args, 'x-match')}
              onChange={(rows) =>
                setArguments(rawMatch === undefined ? rows : { 'x-match': rawMatch, ...rows })
              }
              testIdPrefix="binding-header"
              problems={problems}
              reserved={X_MATCH}
              keyPlaceholder="header"
              addLabel="Add header"
            />
            <p className="inspector__note">
              Types count: the number 5 does not match the text “5”. Pick the type the producer
              sends.
            </p>
          </Section>
        </>
      ) : (
        (Object.keys(args).length > 0 || exchangeType === undefined) && (
          <Section title="Arguments">
            <KeyValueRows
              values={args}
              onChange={setArguments}
              testIdPrefix="binding-arg"
              problems={problems}
              keyPlaceholder="argument"
              addLabel="Add argument"
            />
          </Section>
        )
      )}
      <OtherProblems problems={problems} shown={shown} />
      <DeleteButton id={binding.id} label="Delete binding" />
    </>
  );
}
