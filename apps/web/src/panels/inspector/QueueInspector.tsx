import { QUEUE_ARGUMENTS, type ArgumentSpec, type Queue } from '@warren/topology';
import { useExchangeNames, useQueueStats } from '../../store/selectors';
import { DeleteButton, Errors, Header, NameField, useActions } from './common';
import { ToggleCell } from './fields';
import { ArgumentsEditor } from './ArgumentsEditor';
import { useFieldProblems } from './problems';
import { FateLog } from './FateLog';

/** The catalogue in groups a learner recognises; keys not listed here go under "More". */
const GROUPS: { title: string; keys: readonly string[] }[] = [
  { title: 'Expiry', keys: ['x-message-ttl', 'x-expires'] },
  { title: 'Length limit', keys: ['x-max-length', 'x-max-length-bytes', 'x-overflow'] },
  { title: 'Dead-lettering', keys: ['x-dead-letter-exchange', 'x-dead-letter-routing-key'] },
  {
    title: 'Type and consumers',
    keys: ['x-queue-type', 'x-max-priority', 'x-single-active-consumer'],
  },
];

function groupedSpecs(): { title: string; specs: ArgumentSpec[] }[] {
  const grouped = GROUPS.map((g) => ({
    title: g.title,
    specs: g.keys
      .map((k) => QUEUE_ARGUMENTS.find((s) => s.key === k))
      .filter((s): s is ArgumentSpec => s !== undefined),
  }));
  const listed = new Set(GROUPS.flatMap((g) => g.keys));
  const more = QUEUE_ARGUMENTS.filter((s) => !listed.has(s.key));
  return more.length > 0 ? [...grouped, { title: 'More', specs: more }] : grouped;
}

const SPEC_GROUPS = groupedSpecs();
const CATALOGUE_KEYS: ReadonlySet<string> = new Set(QUEUE_ARGUMENTS.map((s) => s.key));
const SHOWN_FIELDS: ReadonlySet<string> = new Set([
  ...CATALOGUE_KEYS,
  'name',
  'durable',
  'exclusive',
  'autoDelete',
  'serverNamed',
]);

export function QueueInspector({ queue }: { queue: Queue }) {
  const { updateQueue } = useActions();
  const stats = useQueueStats(queue.name);
  const exchanges = useExchangeNames();
  const problems = useFieldProblems(queue.id);
  const toggle = (
    field: 'durable' | 'exclusive' | 'autoDelete' | 'serverNamed',
    label: string,
    testId: string,
    hint: string,
  ) => (
    <ToggleCell
      field={field}
      problems={problems}
      label={label}
      checked={queue[field] === true}
      onChange={(on) =>
        updateQueue(
          queue.id,
          field === 'serverNamed' ? { serverNamed: on || undefined } : { [field]: on },
        )
      }
      testId={testId}
      hint={hint}
    />
  );

  return (
    <>
      <Header kind="Queue" title={queue.name} accent="queue" />
      <Errors id={queue.id} />
      <div className="stat-row">
        <div className="stat">
          <span className="stat__value">{stats?.messages ?? 0}</span>
          <span className="stat__label">ready</span>
        </div>
        <div className="stat">
          <span className="stat__value">{stats?.unacked ?? '–'}</span>
          <span className="stat__label">unacked</span>
        </div>
        <div className="stat">
          <span className="stat__value">{stats?.consumers ?? 0}</span>
          <span className="stat__label">consumers</span>
        </div>
      </div>
      <NameField
        id={queue.id}
        name={queue.name}
        hint={
          queue.serverNamed === true
            ? 'The broker picks the real name (amq.gen-…); this one labels it in the diagram.'
            : undefined
        }
      />
      <div className="toggles toggles--grid">
        {toggle('durable', 'durable', 'inspector-durable', 'Survives a broker restart')}
        {toggle('exclusive', 'exclusive', 'inspector-exclusive', 'Used by one connection only')}
        {toggle(
          'autoDelete',
          'auto-delete',
          'inspector-auto-delete',
          'Deleted when its last consumer goes',
        )}
        {toggle(
          'serverNamed',
          'server-named',
          'inspector-server-named',
          'Declared with an empty name: the broker picks one (amq.gen-…)',
        )}
      </div>
      <ArgumentsEditor
        object={{ kind: 'queue', item: queue }}
        groups={SPEC_GROUPS}
        catalogueKeys={CATALOGUE_KEYS}
        exchanges={exchanges}
        keyPlaceholder="x-argument"
        problems={problems}
        shown={SHOWN_FIELDS}
        update={(next) => updateQueue(queue.id, { arguments: next })}
      />
      <FateLog
        logKey={`queue:${queue.name}`}
        testId="inspector-queue-log"
        empty="Messages that leave this queue by dead-lettering, expiry or overflow show here."
      />
      <DeleteButton id={queue.id} label="Delete queue" />
    </>
  );
}
