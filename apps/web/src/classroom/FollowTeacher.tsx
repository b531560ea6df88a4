import { useReactFlow, useStore } from '@xyflow/react';
import { useEffect } from 'react';
import { useWarren, type WarrenState } from '../store/store';
import { useClassroom, type ClassroomStore } from './classroom-store';
import { fitTeacherView, splitSelection } from './follow-logic';

const selectFollowing = (s: ClassroomStore) =>
  s.student?.phase === 'following' && s.student.following;
const selectViewport = (s: ClassroomStore) => s.student?.classroom?.viewport ?? null;
const selectSelection = (s: ClassroomStore) => s.student?.classroom?.selection ?? null;
const selectFitRequest = (s: WarrenState) => s.fitRequest;
const selectTopology = (s: WarrenState) => s.topology;

function nodeIds(s: WarrenState): Set<string> {
  const t = s.topology;
  return new Set(
    [...t.exchanges, ...t.queues, ...t.producers, ...(t.consumers ?? [])].map((n) => n.id),
  );
}

/** While the student follows, the canvas shows what the teacher's shows, as it moves. */
export function FollowTeacher() {
  const following = useClassroom(selectFollowing);
  const viewport = useClassroom(selectViewport);
  const selection = useClassroom(selectSelection);
  // A fit (a diagram arriving) would move the view away from the teacher's: come back after it.
  const fitRequest = useWarren(selectFitRequest);
  const topology = useWarren(selectTopology);
  const { setViewport } = useReactFlow();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);

  useEffect(() => {
    if (!following || !viewport) return;
    const fitted = fitTeacherView(viewport, { width, height });
    void setViewport(fitted, { duration: 200 });
    const again = setTimeout(() => void setViewport(fitted), 400);
    return () => clearTimeout(again);
  }, [following, viewport, width, height, fitRequest, setViewport]);

  useEffect(() => {
    if (!following || !selection) return;
    const state = useWarren.getState();
    state.select(splitSelection(selection, nodeIds(state)));
  }, [following, selection, topology]);

  return null;
}
