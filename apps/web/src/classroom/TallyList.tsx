import type { Question } from '@warren/protocol';
import { tallyLines } from './question-logic';

/** The class's predictions, most chosen first; once revealed, the right one marked. */
export function TallyList({ question, mine }: { question: Question; mine?: string | null }) {
  const lines = tallyLines(question);
  if (lines.length === 0) return <p className="classroom-note">No answers yet.</p>;
  return (
    <ul className="tally" data-testid="question-tally" aria-label="How the class answered">
      {lines.map((line) => (
        <li
          key={line.key}
          className={`tally__row ${line.correct === true ? 'is-correct' : ''} ${line.correct === false ? 'is-wrong' : ''}`}
          data-testid="tally-row"
          data-correct={line.correct === undefined ? undefined : String(line.correct)}
        >
          <span className="tally__label">
            {line.correct === true && <span aria-label="right">✓ </span>}
            {line.label}
            {mine === line.key && <span className="tally__mine"> (you)</span>}
          </span>
          <span className="tally__bar" aria-hidden="true">
            <span style={{ width: `${line.percent}%` }} />
          </span>
          <span className="tally__count">{line.count}</span>
        </li>
      ))}
    </ul>
  );
}
