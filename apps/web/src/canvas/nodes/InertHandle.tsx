import { Handle, type HandleType, type Position } from '@xyflow/react';

/**
 * A handle edges attach to but a learner cannot drag a connection from: dead letters,
 * alternate routes and publish lines are drawn from the document, not by hand.
 */
export function InertHandle({
  type,
  position,
  id,
}: {
  type: HandleType;
  position: Position;
  id?: string;
}) {
  return (
    <Handle
      type={type}
      position={position}
      id={id}
      className="handle--inert"
      isConnectable={false}
    />
  );
}
