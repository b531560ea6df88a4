import { isServerGeneratedQueueName } from '@warren/topology';
import { useDeclaredOutside, useQueueOwner } from '../../store/selectors';

/**
 * Marks an exchange or queue of the diagram that a client outside Warren declared. A queue one
 * client owns (its exclusive queue, often server-named `amq.gen-…`) names that client: it lives
 * and dies with the client's connection, and Apply never touches it.
 */
export function OutsideBadge({
  kind,
  name,
  exclusive = false,
}: {
  kind: 'exchange' | 'queue';
  name: string;
  exclusive?: boolean;
}) {
  const outside = useDeclaredOutside(kind, name);
  const owner = useQueueOwner(kind === 'queue' ? name : '');
  if (!outside) return null;
  if (kind === 'queue' && (owner !== undefined || isServerGeneratedQueueName(name))) {
    const whose = owner === undefined ? 'a client' : owner.label;
    return (
      <div
        className="outside-note outside-note--owned"
        title={`Declared by ${whose} for itself${exclusive ? ': exclusive to its connection, deleted when it disconnects' : ''}. Apply leaves it alone.`}
      >
        <span className="outside-badge" data-testid={`outside-badge-${name}`}>
          client's
        </span>
        <span
          className="outside-owner"
          data-testid={`outside-owner-${name}`}
          data-owner={owner?.id}
        >
          {whose}
        </span>
        {isServerGeneratedQueueName(name) && (
          <span className="outside-tag" data-testid={`outside-server-named-${name}`}>
            server-named
          </span>
        )}
        {exclusive && (
          <span className="outside-tag" data-testid={`outside-exclusive-${name}`}>
            exclusive
          </span>
        )}
      </div>
    );
  }
  return (
    <div
      className="outside-note"
      title={`Declared on the broker by a client outside Warren, not by this diagram's Apply`}
    >
      <span className="outside-badge" data-testid={`outside-badge-${name}`}>
        outside
      </span>
      declared elsewhere
    </div>
  );
}
