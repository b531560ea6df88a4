import { nameProblem, pathOfElement } from '@warren/topology';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useElementErrors } from '../../store/selectors';
import { useWarren, type WarrenState } from '../../store/store';
import { DraftField, type Reading } from './DraftField';
import { Field } from './fields';

const selectActions = (s: WarrenState) => ({
  rename: s.rename,
  updateExchange: s.updateExchange,
  updateQueue: s.updateQueue,
  updateProducer: s.updateProducer,
  updateBinding: s.updateBinding,
  deleteElements: s.deleteElements,
});
export const useActions = () => useWarren(useShallow(selectActions));

/**
 * The name is edited as a draft: it reaches the document only while it is a valid, unique
 * name, because bindings and producers refer to objects by name.
 */
export function NameField({ id, name, hint }: { id: string; name: string; hint?: ReactNode }) {
  const { rename } = useActions();
  const read = (text: string): Reading<string> => {
    const problem =
      text === name ? undefined : nameProblem(useWarren.getState().topology, id, text);
    return problem === undefined ? { value: text } : { problem };
  };
  return (
    <Field label="Name">
      <DraftField
        value={name}
        read={read}
        onCommit={(next) => rename(id, next)}
        testId="inspector-name"
        hint={hint}
      />
    </Field>
  );
}

export function DeleteButton({ id, label }: { id: string; label: string }) {
  const { deleteElements } = useActions();
  return (
    <button
      type="button"
      className="danger-button"
      data-testid="inspector-delete"
      onClick={() => deleteElements([id])}
    >
      {label}
    </button>
  );
}

/**
 * What the last Apply said about the object as a whole (problems with one of its fields are
 * shown next to that field).
 */
export function Errors({ id }: { id: string }) {
  const errors = useElementErrors(id);
  const path = useWarren((s) => pathOfElement(s.topology, id));
  const general = errors.filter(
    (e) => e.path === undefined || path === undefined || !e.path.startsWith(`${path}/`),
  );
  if (general.length === 0) return null;
  return (
    <div className="inspector__errors" role="alert">
      {general.map((e, i) => (
        <p key={i}>
          {e.message}
          {e.brokerMessage && <code>{e.brokerMessage}</code>}
        </p>
      ))}
    </div>
  );
}

export function Header({
  kind,
  title,
  accent,
}: {
  kind: string;
  title: ReactNode;
  accent: string;
}) {
  return (
    <div className={`inspector__header inspector__header--${accent}`}>
      <span className="inspector__kind">{kind}</span>
      <span className="inspector__title">{title}</span>
    </div>
  );
}

/** A titled group of fields. */
export function Section({
  title,
  children,
  aside,
}: {
  title: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <section className="inspector__section">
      <h3 className="inspector__subtitle">
        {title}
        {aside && <span className="inspector__subtitle-aside">{aside}</span>}
      </h3>
      {children}
    </section>
  );
}
