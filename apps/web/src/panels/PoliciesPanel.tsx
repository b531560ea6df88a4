import {
  POLICY_KEYS,
  POLICY_TARGETS,
  policyNameProblem,
  policyTargets,
  QUEUE_ARGUMENTS,
  type ArgumentSpec,
  type Policy,
  type PolicyTarget,
} from '@warren/topology';
import { useState, type ReactNode } from 'react';
import { Glyph, Stroke } from '../canvas/nodes/NodeIcons';
import { useExchangeNames } from '../store/selectors';
import { useWarren, type WarrenState } from '../store/store';
import { ArgumentInput, parseNumberText } from './inspector/ArgumentRow';
import { DraftField, type Reading } from './inspector/DraftField';
import { KeyValueRows } from './inspector/KeyValueRows';
import { useFieldProblems } from './inspector/problems';
import './inspector/inspector.css';
import './PoliciesPanel.css';

const selectOpen = (s: WarrenState) => s.policiesOpen;
const selectPolicies = (s: WarrenState) => s.topology.policies;
const selectTopology = (s: WarrenState) => s.topology;

const targetLabels: Record<PolicyTarget, string> = {
  queues: 'queues',
  exchanges: 'exchanges',
  all: 'queues and exchanges',
  classic_queues: 'classic queues',
  quorum_queues: 'quorum queues',
};

const QUEUE_POLICY_KEYS = new Set(QUEUE_ARGUMENTS.map((s) => s.policyKey));

/** The policy keys that mean something for what the policy applies to. */
function keysFor(applyTo: PolicyTarget): ArgumentSpec[] {
  return [...POLICY_KEYS.values()].filter((spec) => {
    const forQueues = QUEUE_POLICY_KEYS.has(spec.policyKey);
    if (applyTo === 'exchanges') return !forQueues;
    if (applyTo === 'all') return true;
    return forQueues;
  });
}

/** The catalogue spec with the policy's key in place of the argument's, for inputs and ids. */
function asPolicySpec(spec: ArgumentSpec): ArgumentSpec {
  return { ...spec, key: spec.policyKey ?? spec.key };
}

function Problem({
  field,
  problems,
  index,
}: {
  field: string;
  problems: ReadonlyMap<string, string[]>;
  index: number;
}) {
  const messages = problems.get(field);
  if (!messages) return null;
  return (
    <span className="field-error" role="alert" data-testid={`policy-field-error-${index}-${field}`}>
      {messages.join(' ')}
    </span>
  );
}

function Matches({ policy }: { policy: Policy }) {
  const topology = useWarren(selectTopology);
  const { applied, outranked } = policyTargets(topology, policy.id);
  const select = (id: string) => useWarren.getState().select({ nodes: [id] });
  return (
    <div className="policy-matches" data-testid={`policy-matches-${policy.name}`}>
      <span className="policy-matches__label">In force on</span>
      {applied.length === 0 ? (
        <span className="policy-matches__none">nothing in this diagram</span>
      ) : (
        applied.map((t) => (
          <button
            key={t.id}
            type="button"
            className={`policy-chip policy-chip--${t.kind}`}
            title={`Select ${t.kind} ${t.name}`}
            onClick={() => select(t.id)}
          >
            {t.name}
          </button>
        ))
      )}
      {outranked.length > 0 && (
        <span className="policy-matches__outranked">
          Also matches{' '}
          {outranked.map((t, i) => (
            <span key={t.id}>
              {i > 0 && ', '}
              <strong>{t.name}</strong> (policy {t.by} wins)
            </span>
          ))}
          : one policy per object, the highest priority.
        </span>
      )}
    </div>
  );
}

/** A labelled field of a policy card; `modifier` sizes it in the card's grid. */
function PolicyField({
  label,
  modifier,
  title,
  children,
}: {
  label: string;
  modifier?: string;
  title?: string;
  children: ReactNode;
}) {
  return (
    <label
      className={modifier ? `policy-field policy-field--${modifier}` : 'policy-field'}
      title={title}
    >
      <span className="field__label">{label}</span>
      {children}
    </label>
  );
}

function PolicyCard({ policy, index }: { policy: Policy; index: number }) {
  const { updatePolicy, deletePolicy } = useWarren.getState();
  const exchanges = useExchangeNames();
  const problems = useFieldProblems(policy.id);
  // Keys picked from the list but not given a value yet: an empty value means unset.
  const [pending, setPending] = useState<string[]>([]);
  const readName = (text: string): Reading<string> => {
    const problem =
      text === policy.name
        ? undefined
        : policyNameProblem(useWarren.getState().topology, policy.id, text);
    return problem === undefined ? { value: text } : { problem };
  };

  const specs = [...POLICY_KEYS.values()];
  const catalogueKeys = new Set(specs.map((s) => s.policyKey));
  const shownKeys = [
    ...specs
      .filter((s) => s.policyKey !== undefined && s.policyKey in policy.definition)
      .map((s) => s.policyKey as string),
    ...pending.filter((k) => !(k in policy.definition)),
  ];
  const addable = keysFor(policy.applyTo).filter(
    (s) => s.policyKey !== undefined && !shownKeys.includes(s.policyKey),
  );
  const others = Object.fromEntries(
    Object.entries(policy.definition).filter(([k]) => !catalogueKeys.has(k)),
  );
  const setValue = (key: string, value: unknown) => {
    const definition = { ...policy.definition };
    if (value === undefined) delete definition[key];
    else definition[key] = value;
    updatePolicy(policy.id, { definition });
  };
  const setOthers = (next: Record<string, unknown>) => {
    const known = Object.fromEntries(
      Object.entries(policy.definition).filter(([k]) => catalogueKeys.has(k)),
    );
    updatePolicy(policy.id, { definition: { ...known, ...next } });
  };
  const removeKey = (key: string) => {
    setPending(pending.filter((k) => k !== key));
    setValue(key, undefined);
  };

  return (
    <li className="policy-card" data-testid={`policy-${index}`}>
      <DraftField
        value={policy.name}
        read={readName}
        onCommit={(name) => updatePolicy(policy.id, { name })}
        testId={`policy-name-${index}`}
      >
        {(nameInput, nameProblem) => (
          <>
            <div className="policy-card__top">
              <PolicyField label="Name" modifier="name">
                {nameInput}
              </PolicyField>
              <button
                type="button"
                className="icon-button"
                data-testid={`policy-delete-${index}`}
                title={`Delete policy ${policy.name}`}
                aria-label={`Delete policy ${policy.name}`}
                onClick={() => deletePolicy(policy.id)}
              >
                <Glyph viewBox="0 0 16 16" size={14}>
                  <Stroke d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5" width={1.5} />
                </Glyph>
              </button>
            </div>
            {nameProblem && <span className="field-error">{nameProblem}</span>}
          </>
        )}
      </DraftField>
      <Problem field="name" problems={problems} index={index} />
      <div className="policy-card__grid">
        <PolicyField
          label="Pattern"
          modifier="pattern"
          title="A regular expression matched against names; anchor it with ^ and $"
        >
          <input
            data-testid={`policy-pattern-${index}`}
            value={policy.pattern}
            spellCheck={false}
            autoComplete="off"
            placeholder="^orders\.|^work$"
            className={problems.has('pattern') ? 'is-invalid' : ''}
            onChange={(e) => updatePolicy(policy.id, { pattern: e.target.value })}
          />
        </PolicyField>
        <PolicyField label="Applies to">
          <select
            data-testid={`policy-apply-to-${index}`}
            value={policy.applyTo}
            onChange={(e) => updatePolicy(policy.id, { applyTo: e.target.value as PolicyTarget })}
          >
            {POLICY_TARGETS.map((t) => (
              <option key={t} value={t}>
                {targetLabels[t]}
              </option>
            ))}
          </select>
        </PolicyField>
        <PolicyField
          label="Priority"
          modifier="priority"
          title="When several policies match an object, the highest priority wins"
        >
          <input
            data-testid={`policy-priority-${index}`}
            inputMode="numeric"
            value={String(policy.priority)}
            onChange={(e) => {
              const n = parseNumberText(e.target.value);
              updatePolicy(policy.id, { priority: typeof n === 'number' ? Math.trunc(n) : 0 });
            }}
          />
        </PolicyField>
      </div>
      <Problem field="pattern" problems={problems} index={index} />
      <Problem field="priority" problems={problems} index={index} />
      <div className="policy-definition">
        <span className="field__label">Sets</span>
        {shownKeys.length === 0 && Object.keys(others).length === 0 && (
          <p className="policy-definition__empty">Nothing yet: pick a setting below.</p>
        )}
        {shownKeys.map((key) => {
          const spec = POLICY_KEYS.get(key);
          if (!spec) return null;
          return (
            <div className="policy-setting" key={key}>
              <div className="policy-setting__row">
                <span className="policy-setting__label" title={spec.help}>
                  {spec.label.replace(/ \(.*\)$/, '')}
                  <code className="arg-field__key">{key}</code>
                </span>
                <div className="policy-setting__input">
                  <ArgumentInput
                    spec={asPolicySpec(spec)}
                    value={policy.definition[key]}
                    onChange={(value) => setValue(key, value)}
                    exchanges={exchanges}
                    testId={`policy-def-${index}-${key}`}
                    placeholder={
                      spec.value.kind === 'integer' ? spec.label.match(/\((.*)\)$/)?.[1] : undefined
                    }
                    invalid={problems.has(key)}
                  />
                </div>
                <button
                  type="button"
                  className="kv-row__remove"
                  data-testid={`policy-def-remove-${index}-${key}`}
                  aria-label={`Remove ${key}`}
                  title="Remove"
                  onClick={() => removeKey(key)}
                >
                  ×
                </button>
              </div>
              <Problem field={key} problems={problems} index={index} />
            </div>
          );
        })}
        {Object.keys(others).length > 0 && (
          <KeyValueRows
            values={others}
            onChange={setOthers}
            testIdPrefix={`policy-other-${index}`}
            problems={problems}
            keyPlaceholder="key"
            addLabel="Add other key"
          />
        )}
        {addable.length > 0 && (
          <select
            className="policy-definition__add"
            data-testid={`policy-add-key-${index}`}
            value=""
            onChange={(e) => {
              if (e.target.value !== '') setPending([...pending, e.target.value]);
            }}
          >
            <option value="">+ Add a setting…</option>
            {addable.map((s) => (
              <option key={s.policyKey} value={s.policyKey}>
                {s.label} ({s.policyKey})
              </option>
            ))}
          </select>
        )}
        <Problem field="definition" problems={problems} index={index} />
      </div>
      <Matches policy={policy} />
    </li>
  );
}

/**
 * The vhost's policies: each sets arguments on every queue or exchange whose name matches
 * its pattern, without redeclaring them (so no 406 when a policy changes).
 */
export function PoliciesPanel() {
  const open = useWarren(selectOpen);
  const policies = useWarren(selectPolicies) ?? [];
  if (!open) return null;
  return (
    <section className="policies-panel" data-testid="policies-panel" aria-label="Policies">
      <header className="policies-panel__header">
        <div>
          <h2 className="policies-panel__title">Policies</h2>
          <p className="policies-panel__intro">
            A policy sets arguments on every queue or exchange whose name matches its pattern. Each
            object gets at most one: the matching policy with the highest priority. Unlike
            arguments, a policy can change without redeclaring anything.
          </p>
        </div>
        <button
          type="button"
          className="icon-button"
          data-testid="policies-close"
          aria-label="Close policies"
          title="Close"
          onClick={() => useWarren.getState().setPoliciesOpen(false)}
        >
          ×
        </button>
      </header>
      <ol className="policies-panel__list">
        {policies.map((policy, i) => (
          <PolicyCard key={policy.id} policy={policy} index={i} />
        ))}
      </ol>
      <button
        type="button"
        className="add-button add-button--wide"
        data-testid="policy-add"
        onClick={() => useWarren.getState().addPolicy()}
      >
        + Add policy
      </button>
    </section>
  );
}
