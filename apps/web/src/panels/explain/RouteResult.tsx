import type {
  BindingVerdict,
  ExchangeHop,
  Explanation,
  HeaderCheck,
  LaterFate,
  QueueFate,
  TopicStep,
} from '@warren/topology';
import { ExchangeIcon, QueueIcon } from '../../canvas/nodes/NodeIcons';

/** Test ids and labels name the nameless default exchange the way the management API does. */
export const DEFAULT_EXCHANGE_ID = 'amq.default';
const idName = (exchange: string) => (exchange === '' ? DEFAULT_EXCHANGE_ID : exchange);
const shownName = (exchange: string) => (exchange === '' ? '(default exchange)' : exchange);

function show(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function Verdict({ ok, maybe = false }: { ok: boolean; maybe?: boolean }) {
  if (maybe && !ok)
    return (
      <span className="verdict verdict--maybe" aria-label="one of the candidates">
        ?
      </span>
    );
  return (
    <span
      className={`verdict verdict--${ok ? 'yes' : 'no'}`}
      aria-label={ok ? 'matched' : 'no match'}
    >
      {ok ? '✓' : '✗'}
    </span>
  );
}

function TopicSteps({ steps, testId }: { steps: TopicStep[]; testId: string }) {
  return (
    <div
      className="topic-steps"
      aria-label="Pattern against routing key, word by word"
      data-testid={testId}
    >
      {steps.map((step, i) => (
        <div
          key={i}
          className={`topic-step topic-step--${step.ok ? 'yes' : 'no'}`}
          data-ok={step.ok ? 'true' : 'false'}
        >
          <code className="topic-step__pattern">{step.pattern ?? '∅'}</code>
          <code className="topic-step__words">
            {step.words.length > 0 ? step.words.join('.') : step.pattern === '#' ? '(none)' : '∅'}
          </code>
        </div>
      ))}
    </div>
  );
}

function HeaderTable({ mode, checks }: { mode: string; checks: HeaderCheck[] }) {
  return (
    <table className="header-checks">
      <caption>
        x-match: <code>{mode}</code>{' '}
        {mode.startsWith('any') ? '— one matching header is enough' : '— every header must match'}
      </caption>
      <thead>
        <tr>
          <th>header</th>
          <th>binding wants</th>
          <th>message has</th>
          <th aria-label="matches" />
        </tr>
      </thead>
      <tbody>
        {checks.map((check) => (
          <tr key={check.key} className={check.ok ? 'is-ok' : 'is-not'}>
            <td>
              <code>{check.key}</code>
            </td>
            <td>
              <code>
                {'expected' in check && check.expected !== undefined
                  ? show(check.expected)
                  : 'any value'}
              </code>
            </td>
            <td>{check.present ? <code>{show(check.actual)}</code> : <em>missing</em>}</td>
            <td>
              <Verdict ok={check.ok} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BindingRow({ verdict }: { verdict: BindingVerdict }) {
  return (
    <li
      className={`explain-binding explain-binding--${verdict.matched ? 'yes' : verdict.candidate ? 'maybe' : 'no'}`}
      data-testid={`explain-binding-${idName(verdict.source)}-${verdict.destination}`}
      data-matched={verdict.matched ? 'true' : 'false'}
    >
      <Verdict ok={verdict.matched} maybe={verdict.candidate === true} />
      <div className="explain-binding__body">
        <div className="explain-binding__line">
          <span className={`explain-dest explain-dest--${verdict.destinationType}`}>
            {verdict.destinationType === 'queue' ? <QueueIcon /> : <ExchangeIcon />}
            {verdict.destination}
          </span>
          {verdict.routingKey !== '' && <code className="explain-key">{verdict.routingKey}</code>}
        </div>
        <p className="explain-binding__reason">{verdict.reason}</p>
        {verdict.topic && verdict.topic.length > 0 && (
          <TopicSteps
            steps={verdict.topic}
            testId={`explain-topic-${idName(verdict.source)}-${verdict.destination}`}
          />
        )}
        {verdict.headers && (
          <HeaderTable mode={verdict.headers.mode} checks={verdict.headers.checks} />
        )}
      </div>
    </li>
  );
}

function via(hop: ExchangeHop) {
  switch (hop.via.kind) {
    case 'publish':
      return 'published here';
    case 'binding':
      return (
        <>
          bound from <strong>{shownName(hop.via.from)}</strong>
        </>
      );
    case 'alternate':
      return (
        <>
          alternate exchange of <strong>{shownName(hop.via.from)}</strong>
        </>
      );
  }
}

function Hop({ hop, index }: { hop: ExchangeHop; index: number }) {
  return (
    <li className="explain-hop" data-testid={`explain-hop-${idName(hop.exchange)}`}>
      <div className="explain-hop__head">
        <span className="explain-hop__step">{index + 1}</span>
        <span className="explain-hop__icon">
          <ExchangeIcon />
        </span>
        <span className="explain-hop__name">{shownName(hop.exchange)}</span>
        <span className={`type-badge type-badge--${hop.type}`}>{hop.type}</span>
      </div>
      <div className="explain-hop__via">
        {via(hop)}
        {hop.viaHashChoice !== undefined && (
          <span className="explain-hop__if">
            {' '}
            — only if <strong>{hop.viaHashChoice}</strong> picks this way
          </span>
        )}
      </div>
      {hop.bindings.length > 0 ? (
        <ul className="explain-bindings">
          {hop.bindings.map((verdict, i) => (
            <BindingRow
              key={verdict.bindingId ?? `${verdict.destination}-${i}`}
              verdict={verdict}
            />
          ))}
        </ul>
      ) : (
        <p className="explain-hop__note">This exchange has no bindings.</p>
      )}
      {hop.hashCandidates && hop.hashCandidates.length > 0 && (
        <p className="explain-hop__hash" data-testid={`explain-hash-${idName(hop.exchange)}`}>
          The broker hashes the routing key and picks <strong>one of</strong>{' '}
          {hop.hashCandidates.map((c, i) => (
            <span key={c.destination}>
              {i > 0 && ', '}
              <code>{c.destination}</code> (weight {c.weight})
            </span>
          ))}
          .
        </p>
      )}
      {hop.alternate !== undefined && (
        <p className="explain-hop__alternate">
          No binding matched, so it goes on to the alternate exchange{' '}
          <strong>{shownName(hop.alternate)}</strong>.
        </p>
      )}
      {hop.notes.map((note, i) => (
        <p key={i} className="explain-hop__note">
          {note}
        </p>
      ))}
    </li>
  );
}

function QueueChip({ name, tone = 'route' }: { name: string; tone?: 'route' | 'maybe' }) {
  return (
    <span className={`queue-chip queue-chip--${tone}`}>
      <QueueIcon />
      {name}
    </span>
  );
}

function Destination({ explanation }: { explanation: Explanation }) {
  const { queues, hashChoices, unroutable, returned } = explanation;
  return (
    <section className="explain-section" aria-label="Where it ends">
      <h3 className="explain-section__title">Ends in</h3>
      <div className="explain-queues" data-testid="explain-queues">
        {queues.map((q) => (
          <QueueChip key={q} name={q} />
        ))}
        {hashChoices.map((choice) => (
          <span key={choice.exchange} className="explain-queues__choice">
            {queues.length > 0 ? 'and ' : ''}one of{' '}
            {choice.queues.map((q) => (
              <QueueChip key={q} name={q} tone="maybe" />
            ))}
            <span className="explain-queues__by">picked by {choice.exchange}</span>
          </span>
        ))}
        {unroutable && (
          <span
            className={`explain-unroutable ${returned ? 'explain-unroutable--returned' : ''}`}
            data-testid="explain-unroutable"
          >
            {returned
              ? 'No queue: returned to the producer (312 NO_ROUTE), because it is mandatory'
              : 'No queue: unroutable, the broker drops it'}
          </span>
        )}
      </div>
    </section>
  );
}

function Later({ fate }: { fate: LaterFate }) {
  const route = fate.deadLetter?.route;
  return (
    <li className={`explain-later explain-later--${fate.kind}`}>
      <span className="explain-later__kind">{fate.reason}</span>
      <div>
        <p>{fate.text}</p>
        {fate.deadLetter?.cycle && fate.deadLetter.cycle.length > 0 && (
          <p className="explain-later__cycle">
            The broker drops the copy at {fate.deadLetter.cycle.join(', ')}: it would go round a
            dead-letter cycle.
          </p>
        )}
        {route && (
          <p className="explain-later__then">
            then{' '}
            {route.queues.length > 0 ? (
              route.queues.map((q) => <QueueChip key={q} name={q} />)
            ) : (
              <em>no queue: dropped</em>
            )}
          </p>
        )}
      </div>
    </li>
  );
}

function Fates({ fates }: { fates: QueueFate[] }) {
  const withLater = fates.filter((f) => f.later.length > 0);
  if (withLater.length === 0) return null;
  return (
    <section className="explain-section" aria-label="Later">
      <h3 className="explain-section__title">Later</h3>
      <ul className="explain-fates" data-testid="explain-fates">
        {withLater.map((fate) => (
          <li key={fate.queue} className="explain-fate" data-testid={`explain-fate-${fate.queue}`}>
            <div className="explain-fate__queue">
              in <QueueChip name={fate.queue} tone={fate.viaHashChoice ? 'maybe' : 'route'} />
              {fate.viaHashChoice && <span>if {fate.viaHashChoice} picks it</span>}
            </div>
            <ul className="explain-later-list">
              {fate.later.map((later, i) => (
                <Later key={i} fate={later} />
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The explanation, hop by hop, with every binding's verdict and reason. */
export function RouteResult({ explanation }: { explanation: Explanation }) {
  return (
    <div className="explain-result" data-testid="explain-result">
      <p className="explain-summary" data-testid="explain-summary">
        {explanation.summary}
      </p>
      {explanation.error && (
        <p className="explain-error" data-testid="explain-error">
          {explanation.error.message}
        </p>
      )}
      {explanation.hops.length > 0 && (
        <section className="explain-section" aria-label="Route">
          <h3 className="explain-section__title">Route</h3>
          <ol className="explain-hops">
            {explanation.hops.map((hop, i) => (
              <Hop key={`${hop.exchange}-${i}`} hop={hop} index={i} />
            ))}
          </ol>
        </section>
      )}
      {!explanation.error && <Destination explanation={explanation} />}
      <Fates fates={explanation.fates} />
    </div>
  );
}
