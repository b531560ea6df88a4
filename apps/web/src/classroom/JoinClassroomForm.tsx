import { useId, useState, type FormEvent } from 'react';
import { joinPath, readJoinCode } from './join-code';

/** A code field that opens a classroom's join page. */
export function JoinClassroomForm({ compact = false }: { compact?: boolean }) {
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const problemId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const read = readJoinCode(typed);
    if ('problem' in read) {
      setProblem(read.problem);
      return;
    }
    window.location.assign(joinPath(read.code));
  };
  return (
    <form
      className={`join-form ${compact ? 'join-form--compact' : ''}`}
      onSubmit={submit}
      data-testid="join-form"
      aria-label="Join a classroom"
    >
      <label htmlFor={id}>Join a classroom</label>
      <span className="join-form__row">
        <input
          id={id}
          value={typed}
          placeholder="Code, like K3P9ZZ"
          autoComplete="off"
          spellCheck={false}
          data-testid="join-code-input"
          aria-invalid={problem !== null}
          aria-describedby={problem ? problemId : undefined}
          onChange={(e) => {
            setTyped(e.target.value);
            setProblem(null);
          }}
        />
        <button type="submit" className="classroom-secondary" data-testid="join-submit">
          Join
        </button>
      </span>
      {problem && (
        <span id={problemId} className="classroom-problem" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}
