import type { ClassroomViewRequest, Viewport } from '@warren/protocol';
import { useStore, useViewport } from '@xyflow/react';
import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useWarren, type WarrenState } from '../store/store';
import { putView } from './classroom-api';
import { useClassroom } from './classroom-store';
import { currentStepId, roundViewport, sameViewport } from './follow-logic';
import { throttle } from './throttle';

/** Sends what the teacher shows at most this often while a classroom is open. */
const VIEW_EVERY_MS = 150;

interface View {
  viewport: Viewport;
  selection: string[];
  stepId: string | null;
}

const selectSelection = (s: WarrenState) => [...s.selectedNodes, ...s.selectedEdges];
const selectStep = (s: WarrenState) =>
  s.lesson ? currentStepId(s.lesson.lesson.steps, s.lesson.done) : null;

/** Only what changed since the last view sent. */
function changes(view: View, sent: View | null): ClassroomViewRequest {
  const body: ClassroomViewRequest = {};
  if (!sent || !sameViewport(view.viewport, sent.viewport)) body.viewport = view.viewport;
  if (!sent || view.selection.join('\n') !== sent.selection.join('\n'))
    body.selection = view.selection;
  if (!sent || view.stepId !== sent.stepId) body.stepId = view.stepId;
  return body;
}

/** Sends a classroom the teacher's view: only what changed, at most every VIEW_EVERY_MS. */
function viewSender(code: string) {
  let sent: View | null = null;
  return throttle((view: View) => {
    const body = changes(view, sent);
    if (Object.keys(body).length === 0) return;
    sent = view;
    putView(code, useWarren.getState().editToken, body).catch((error: Error) => {
      // The next change sends everything again.
      sent = null;
      if (useClassroom.getState().teacher?.code === code)
        console.warn('The classroom did not take the view:', error.message);
    });
  }, VIEW_EVERY_MS);
}

/** The teacher's viewport, selection and lesson step, sent to the class as they change. */
export function TeacherViewSync({ code }: { code: string }) {
  const { x, y, zoom } = useViewport();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const selection = useWarren(useShallow(selectSelection));
  const stepId = useWarren(selectStep);
  const sender = useMemo(() => viewSender(code), [code]);
  useEffect(() => () => sender.cancel(), [sender]);
  useEffect(() => {
    const size = width > 0 && height > 0 ? { width, height } : {};
    sender.push({ viewport: roundViewport({ x, y, zoom, ...size }), selection, stepId });
  }, [sender, x, y, zoom, width, height, selection, stepId]);
  return null;
}
