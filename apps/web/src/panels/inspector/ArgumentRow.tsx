import {
  BUILT_IN_EXCHANGES,
  type ArgumentSpec,
  type EffectiveSetting,
  type Policy,
} from '@warren/topology';
import { useId, type ReactNode } from 'react';
import { FieldError } from './fields';

/**
 * Arguments of the catalogue (x-message-ttl, alternate-exchange, ...) as the queue and exchange
 * inspectors and the policies panel edit them: an input by the argument's kind, and what is in
 * force once policies are applied.
 */

/** Exchanges an argument may name: the diagram's and the broker's own `amq.*` ones. */
export const BUILT_IN_EXCHANGE_NAMES = Object.keys(BUILT_IN_EXCHANGES).filter((n) => n !== '');

const UNSET = '\u0000unset';

const units: Record<string, string> = {
  'x-message-ttl': 'ms',
  'x-expires': 'ms',
  'x-max-length-bytes': 'bytes',
  'x-max-length': 'messages',
  'message-ttl': 'ms',
  expires: 'ms',
  'max-length-bytes': 'bytes',
  'max-length': 'messages',
};

/** A value as the inspector shows it: `5000 ms`, `'dlx'`, `(default exchange)`. */
export function describeValue(key: string, value: unknown): string {
  if (typeof value === 'number') return `${value}${units[key] ? ` ${units[key]}` : ''}`;
  if (value === '' && key.endsWith('dead-letter-exchange')) return '(default exchange)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Text typed into a whole-number field: a number when it reads as one, else kept as typed. */
export function parseNumberText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : text;
}

/**
 * One input for an argument of the catalogue, by its kind. Empty means unset; a value the
 * input cannot represent (text in a number field, an unknown enum value) is still shown, so
 * nothing is lost on the way through the inspector.
 */
export function ArgumentInput({
  spec,
  value,
  onChange,
  exchanges,
  testId,
  placeholder,
  invalid,
  inputId,
}: {
  spec: ArgumentSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  exchanges: readonly string[];
  testId: string;
  placeholder?: string | undefined;
  invalid?: boolean;
  inputId?: string;
}) {
  const rule = spec.value;
  const className = invalid ? 'is-invalid' : '';
  const choose = (options: { value: string; label: string }[], parse: (raw: string) => unknown) => {
    const current =
      value === undefined ? UNSET : typeof value === 'string' ? value : JSON.stringify(value);
    const known = options.some((o) => o.value === current) || current === UNSET;
    return (
      <select
        id={inputId}
        data-testid={testId}
        className={className}
        value={current}
        onChange={(e) => onChange(e.target.value === UNSET ? undefined : parse(e.target.value))}
      >
        <option value={UNSET}>{placeholder ?? 'not set'}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {!known && <option value={current}>{current}</option>}
      </select>
    );
  };
  switch (rule.kind) {
    case 'integer':
      return (
        <input
          id={inputId}
          data-testid={testId}
          className={className}
          inputMode="numeric"
          spellCheck={false}
          autoComplete="off"
          value={
            value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)
          }
          placeholder={placeholder ?? 'not set'}
          onChange={(e) => onChange(parseNumberText(e.target.value))}
        />
      );
    case 'enum':
      return choose(
        rule.values.map((v) => ({ value: v, label: v })),
        (raw) => raw,
      );
    case 'boolean':
      return choose(
        [
          { value: 'true', label: 'on (true)' },
          { value: 'false', label: 'off (false)' },
        ],
        (raw) => (raw === 'true' ? true : raw === 'false' ? false : raw),
      );
    case 'exchange': {
      const names = [...new Set([...exchanges, ...BUILT_IN_EXCHANGE_NAMES])];
      const options = names.map((n) => ({ value: n, label: n }));
      if (spec.key.endsWith('dead-letter-exchange'))
        options.unshift({ value: '', label: '(default exchange)' });
      return choose(options, (raw) => raw);
    }
    case 'string':
      return (
        <input
          id={inputId}
          data-testid={testId}
          className={className}
          spellCheck={false}
          autoComplete="off"
          value={
            typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value)
          }
          placeholder={placeholder ?? 'not set'}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        />
      );
  }
}

/**
 * What is in force once policies are applied, when a policy has a say in it: the policy's
 * value, or this argument's with the reason it wins.
 */
export function EffectiveNote({
  spec,
  own,
  effective,
  policy,
  testId,
}: {
  spec: ArgumentSpec;
  own: unknown;
  effective: EffectiveSetting | undefined;
  policy: Policy | undefined;
  testId: string;
}) {
  const policyValue =
    policy !== undefined && spec.policyKey !== undefined
      ? policy.definition[spec.policyKey]
      : undefined;
  if (policy === undefined || policyValue === undefined || effective === undefined) return null;
  const value = describeValue(spec.key, effective.value);
  let reason: ReactNode;
  if (effective.source.from === 'policy') {
    reason =
      own === undefined ? (
        <>
          from policy <strong>{policy.name}</strong>
        </>
      ) : (
        <>
          from policy <strong>{policy.name}</strong>: the lower of the two wins
        </>
      );
  } else {
    reason =
      spec.combine === 'min' ? (
        <>
          this argument: lower than policy <strong>{policy.name}</strong>’s{' '}
          {describeValue(spec.key, policyValue)}
        </>
      ) : (
        <>
          this argument: it overrides policy <strong>{policy.name}</strong>’s{' '}
          {describeValue(spec.key, policyValue)}
        </>
      );
  }
  return (
    <span
      className={`effective effective--${effective.source.from}`}
      data-testid={testId}
      title="What the broker applies once policies are taken into account"
    >
      <span className="effective__label">In force</span>
      <code className="effective__value">{value}</code>
      <span className="effective__reason">{reason}</span>
    </span>
  );
}

/** A catalogue argument with its label, input, help, effective value and problems. */
export function ArgumentRow({
  spec,
  args,
  onChange,
  exchanges,
  effective,
  policy,
  problems,
}: {
  spec: ArgumentSpec;
  args: Record<string, unknown>;
  onChange: (key: string, value: unknown) => void;
  exchanges: readonly string[];
  effective: EffectiveSetting | undefined;
  policy: Policy | undefined;
  problems: ReadonlyMap<string, string[]>;
}) {
  const id = useId();
  const own = args[spec.key];
  const policyValue =
    policy !== undefined && spec.policyKey !== undefined
      ? policy.definition[spec.policyKey]
      : undefined;
  const placeholder =
    policyValue === undefined
      ? undefined
      : `${typeof policyValue === 'string' ? policyValue : JSON.stringify(policyValue)} (policy)`;
  return (
    <div className={`arg-field ${own === undefined ? '' : 'arg-field--set'}`}>
      <label className="arg-field__label" htmlFor={id} title={spec.help}>
        {spec.label}
        <code className="arg-field__key">{spec.key}</code>
      </label>
      <div className="arg-field__input">
        <ArgumentInput
          inputId={id}
          spec={spec}
          value={own}
          onChange={(value) => onChange(spec.key, value)}
          exchanges={exchanges}
          testId={`inspector-arg-${spec.key}`}
          placeholder={placeholder}
          invalid={problems.has(spec.key)}
        />
      </div>
      <span className="arg-field__help">{spec.help}</span>
      <EffectiveNote
        spec={spec}
        own={own}
        effective={effective}
        policy={policy}
        testId={`inspector-effective-${spec.key}`}
      />
      <FieldError field={spec.key} problems={problems} />
    </div>
  );
}
