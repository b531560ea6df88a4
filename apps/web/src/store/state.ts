import type {
  ApplyTopologyResponse,
  BrokerStatus,
  ConsumerStateReport as ConsumerState,
  ErrorDetail,
  NodeError,
  OutsideClient,
  QueueState,
  ServerFrame,
  WarrenEvent,
} from '@warren/protocol';
import type {
  Binding,
  Consumer,
  CounterSnapshot,
  DiagramFragment,
  EditHistory,
  ElementPatch,
  Exchange,
  ExchangeType,
  NodeKind,
  Policy,
  Position,
  Producer,
  Queue,
  Topology,
} from '@warren/topology';
import type { EdgeChange, NodeChange } from '@xyflow/react';
import type { Lesson, StepProgress } from '@warren/lessons';
import type { AnimationSpeed } from '../live/anim-clock';
import type { OutsideNamesChange } from './document-outside';
import type { OutsideObject } from './outside-state';
import type { ProducerRuntime, ProducerState } from './producer-runtime';

import type {
  DocumentInputs,
  ExplainDraft,
  ExplainInputs,
  OutsideInputs,
  SelectionInputs,
} from '../canvas-inputs';

export type { ExplainDraft, HeaderRow, Size } from '../canvas-inputs';

/**
 * The shape of the store: one slice per concern, each made by its `create…Slice`. Kept apart
 * from the slices, so that each can read the whole state without importing the others.
 */
export type WarrenState = DocumentSlice &
  UiSlice &
  SessionSlice &
  LiveSlice &
  ExplainSlice &
  DiagramSlice &
  LessonSlice &
  EditingSlice;

// ---------- document ----------

/** The diagram being edited. It is the source of truth; canvas nodes and edges derive from it. */
export interface DocumentSlice extends DocumentInputs {
  /** Only the parts of that document the broker sees, serialized. */
  baselineBrokerJson: string;
  /** Apply would change something on the broker: exchanges, queues or bindings differ. */
  dirty: boolean;
  /** The document differs from the server's copy at all (also in positions or producers). */
  unsaved: boolean;
  /** The documents Undo and Redo go back and forth between. */
  history: EditHistory;

  /**
   * Takes the server's copy of the document (session load, hello, apply reply). With
   * `keepLocalEdits` it only becomes the new baseline and the local document stays, with what
   * clients outside Warren declared or deleted since (`outsideNames` before and after) carried
   * into it, so Apply neither deletes the one nor declares the other again. Without any
   * options it is another diagram altogether, and the undo history starts anew.
   */
  loadServerTopology: (
    topology: Topology,
    options?: { keepLocalEdits?: boolean; outsideNames?: OutsideNamesChange },
  ) => void;
  addNode: (kind: NodeKind, position: Position, exchangeType?: ExchangeType) => string;
  rename: (id: string, name: string) => void;
  updateExchange: (id: string, patch: ElementPatch<Exchange>) => void;
  updateQueue: (id: string, patch: ElementPatch<Queue>) => void;
  updateProducer: (id: string, patch: ElementPatch<Producer>) => void;
  updateConsumer: (id: string, patch: ElementPatch<Consumer>) => void;
  updateBinding: (id: string, patch: Partial<Pick<Binding, 'routingKey' | 'arguments'>>) => void;
  connect: (sourceId: string, targetId: string) => void;
  deleteElements: (ids: string[]) => void;
  moveNode: (id: string, position: Position) => void;
  /** Several nodes moved at once, one undo step; moves of one `group` in a row fold together. */
  moveNodes: (positions: Record<string, Position>, group?: string) => void;
  /** Takes back the last change to the document (also a move or an import). */
  undo: () => void;
  redo: () => void;
  addPolicy: () => string;
  updatePolicy: (id: string, patch: Partial<Omit<Policy, 'id'>>) => void;
  deletePolicy: (id: string) => void;
  /** A paste or duplicate put in place, its new nodes and bindings selected. */
  addPasted: (topology: Topology, nodes: string[], edges: string[]) => void;
  /** Puts a whole new diagram in place (an import), one undo step, and zooms to fit it. */
  replaceTopology: (topology: Topology) => void;
  /**
   * Lays the whole diagram out again (Tidy) at the sizes the canvas measured, as one change
   * of the document, and zooms to fit it (once the layout is fetched, the first time).
   */
  tidy: () => Promise<void>;
}

// ---------- editing the selection ----------

export interface EditingSlice {
  /** What Copy took, to paste; kept in the page. */
  clipboard: DiagramFragment | null;
  /** Pastes of the clipboard so far, each one further from the original. */
  pasteCount: number;
  /** Dropped and nudged nodes land on the grid of the canvas's dots. */
  snapToGrid: boolean;

  /** Copies the selected nodes and the bindings among them; null when none is selected. */
  copySelection: () => DiagramFragment | null;
  cutSelection: () => DiagramFragment | null;
  paste: () => void;
  /** Pastes a copy of the selection beside it, leaving the clipboard alone. */
  duplicate: () => void;
  deleteSelection: () => void;
  selectAll: () => void;
  /** Moves the selected nodes by (dx, dy); a run of nudges is one undo step. */
  nudge: (dx: number, dy: number) => void;
  setSnapToGrid: (on: boolean) => void;
}

// ---------- canvas ----------

/** What the canvas needs besides the document (see `SelectionInputs`), and its panels. */
export interface UiSlice extends SelectionInputs {
  /** Bumped when a diagram arrives from the server, so the canvas zooms to fit it. */
  fitRequest: number;
  /** The policies panel is open over the canvas. */
  policiesOpen: boolean;

  onNodesChange: (changes: NodeChange[]) => void;
  onEdgesChange: (changes: EdgeChange[]) => void;
  select: (selection: { nodes?: string[]; edges?: string[] }) => void;
  requestFit: () => void;
  setPoliciesOpen: (open: boolean) => void;

  /** How fast moving dots travel: 1, 0.5 or 0.25 of their normal speed. */
  animationSpeed: AnimationSpeed;
  /** Dots stand still (counts keep counting). */
  animationPaused: boolean;
  /** The colour theme in use; `themeChosen` when the reader picked it rather than the system. */
  theme: Theme;
  themeChosen: boolean;
  /** Large type and high contrast for a projector; palette and inspectors hidden. */
  presentation: boolean;
  setAnimationSpeed: (speed: AnimationSpeed) => void;
  setAnimationPaused: (paused: boolean) => void;
  setTheme: (theme: Theme, chosen: boolean) => void;
  setPresentation: (on: boolean) => void;
}

export type Theme = 'light' | 'dark';

// ---------- session and Apply ----------

/** One problem from the last Apply, located on a node or edge when possible. */
export interface ApplyProblem {
  message: string;
  /** The node or edge it belongs to. */
  elementId?: string;
  path?: string;
  /** The broker's own words, when it was the broker that refused. */
  brokerMessage?: string;
  /** The catalogue code, e.g. PRECONDITION_FAILED when an object exists with other settings. */
  code?: string;
}

export type ApplyPhase = 'idle' | 'applying';
export type ApplyOutcome = 'none' | 'ok' | 'failed';

export interface SessionSlice {
  sessionId: string | null;
  /** Without it the session can be watched but not changed. */
  editToken: string | null;
  applyPhase: ApplyPhase;
  /**
   * The document of a PUT on its way to the server (an Apply or a quiet save), serialized; null
   * when none is. Edits made meanwhile must survive the server's echo of the older document.
   */
  sendingJson: string | null;
  /** How the last Apply went; reset by the next one. */
  applyOutcome: ApplyOutcome;
  applyProblems: ApplyProblem[];
  /** Problems by node or edge id, from Apply replies and node-error events. */
  elementErrors: Record<string, ApplyProblem[]>;

  setSession: (session: { id: string; editToken: string | null } | null) => void;
  applyStarted: () => void;
  /** A PUT of the document (serialized as sent) left, or (null) came back, whatever its answer. */
  setSending: (json: string | null) => void;
  /** `sentJson` is the document as it was sent, to tell whether the user edited meanwhile. */
  applySucceeded: (response: ApplyTopologyResponse, sentJson: string) => void;
  /** 400: nothing applied. `details` are located in the document that was sent. */
  applyRejected: (message: string, details: ErrorDetail[], sent: Topology) => void;
  /** 409: the broker refused some objects; the rest was applied. */
  applyPartly: (response: ApplyTopologyResponse, sentJson: string) => void;
  /** The server could not be asked at all. */
  applyUnreachable: (message: string) => void;
  addNodeErrors: (errors: NodeError[]) => void;
}

// ---------- live state from the server ----------

export type ServerConnection = 'connecting' | 'online' | 'offline';

/** What happened to a producer's last message, as shown on its node. */
export interface PublishResult {
  text: string;
  tone: 'ok' | 'warn' | 'error';
  messageId: string | null;
  /** When it was set, so the node can flash once per result. */
  at: number;
  /** The broker's own routing outcome, when the result came from it. */
  routedQueues?: string[];
  returned?: boolean;
  /** Every message a producer's send reply described (it then speaks for all of them). */
  messageIds?: string[];
}

/** A consumer's running state and exact counters, as its last consumer-state event said. */
export type { ConsumerState };

/** An exchange or queue deleted on the broker behind the diagram's back, by `kind:name`. */
export type MissingKey = `${'exchange' | 'queue'}:${string}`;

/** What the websocket client must do after a frame was taken in. */
export interface FrameOutcome {
  /** Events in order, without duplicates, for the animation. */
  accepted: WarrenEvent[];
  /** Events were missed: reconnect so the next hello brings exact state again. */
  resync: boolean;
}

export interface LiveSlice extends OutsideInputs {
  server: ServerConnection;
  serverMessage: string | null;
  broker: BrokerStatus | null;
  /** Seq of the last event taken in; -1 before the first hello. */
  seq: number;
  /**
   * Events the server said it left out for this (slow) client and whose gap in seq has not
   * been seen yet; the gap may show up in a later frame than the count.
   */
  droppedUnseen: number;
  /** Animation events the server left out for this client since the page opened. */
  droppedTotal: number;
  /** Messages on each edge and through each exchange, as the server last counted them. */
  counters: CounterSnapshot;
  queueStats: Record<string, QueueState>;
  publishResults: Record<string, PublishResult>;
  /** By consumer id. */
  consumerStates: Record<string, ConsumerState>;
  /** Objects the diagram has that were deleted on the broker (a fault); Apply declares them again. */
  missingOnBroker: Partial<Record<MissingKey, true>>;
  /** By producer id: producers run by the server, with exact counters and a measured rate. */
  producerStates: Record<string, ProducerRuntime>;
  /** `kind:name` of the diagram's objects that outside clients declared (the server says). */
  outsideNames: string[];
  /** Of those, the ones one client owns (its exclusive queues, their bindings): `kind:name` → client id. */
  outsideOwners: Record<string, string>;

  /** The one door through which server frames change the store. */
  applyServerFrame: (frame: ServerFrame) => FrameOutcome;
  setServer: (server: ServerConnection, message?: string) => void;
  setBroker: (broker: BrokerStatus | null) => void;
  /** A publish reply or failure, for when the event stream is slower or absent. */
  setPublishResult: (producerId: string, result: Omit<PublishResult, 'at'>) => void;
  /**
   * States read over HTTP (after a hello, which carries none). Events that arrived meanwhile
   * are newer, so a consumer already known keeps its state.
   */
  addConsumerStates: (states: ConsumerState[]) => void;
  /** A state a command's reply carried. */
  setConsumerState: (state: ConsumerState) => void;
  markMissing: (key: MissingKey) => void;
  /** An Apply declared every object of the diagram again. */
  clearMissing: () => void;
  /** Producer states read over HTTP; like consumers, a producer already known keeps its state. */
  addProducerStates: (states: ProducerState[]) => void;
  /** A state a producer command's reply carried. */
  setProducerState: (state: ProducerState) => void;
  /** Outside clients and objects read over HTTP (after a hello, which carries none). */
  addOutside: (clients: OutsideClient[], objects: OutsideObject[], outsideNames?: string[]) => void;
}

// ---------- route explainer ----------

/** What the broker did with a message sent while the panel was open, next to the prediction. */
export interface BrokerComparison {
  /** When the broker's answer arrived; a new one replaces the old. */
  at: number;
  messageId: string | null;
  predictedQueues: string[];
  /** Consistent-hash exchanges on the way: exactly one queue of each list is also expected. */
  hashChoices: { exchange: string; queues: string[] }[];
  predictedReturned: boolean;
  brokerQueues: string[];
  brokerReturned: boolean;
  agreed: boolean;
  /** The message compared, as JSON, to tell when the panel has moved on to another one. */
  messageKey: string;
  /** Set when there was no prediction to compare with (the explainer failed). */
  problem?: string;
}

export type TransferDialog = 'import' | 'export' | null;

export interface ExplainSlice extends ExplainInputs {
  explainComparison: BrokerComparison | null;
  /** The import or export dialog, when one is open. */
  transferDialog: TransferDialog;

  /** Opens the panel on a producer's message, the selected producer's, or the last draft. */
  openExplain: (producerId?: string | null) => void;
  closeExplain: () => void;
  editExplainMessage: (patch: Partial<ExplainDraft>) => void;
  setExplainComparison: (comparison: BrokerComparison | null) => void;
  openTransferDialog: (dialog: TransferDialog) => void;
}

// ---------- saved diagram ----------

/** The saved diagram this canvas belongs to, as this browser last saved or loaded it. */
export interface DiagramLink {
  id: string;
  /** The name as shown and typed; saved with the next save. */
  name: string;
  /** The revision the canvas was loaded from or last saved as: the base of the next save. */
  revision: number;
  /** Without it the diagram can be looked at, run and forked, not saved. */
  editToken: string | null;
  /** That revision's document, serialized with sorted keys, to tell unsaved changes. */
  savedJson: string;
  savedName: string;
}

export type DiagramDialog = 'share' | 'history' | 'mine' | null;

/** A short note at the bottom of the page, with at most one action (Undo). */
export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'error';
  action?: { label: string; testId: string; run: () => void };
}

export interface DiagramSlice {
  diagram: DiagramLink | null;
  /** The name the first save gives, while no saved diagram is linked. */
  draftName: string;
  /** Looking at a saved diagram through its view link: no session, nothing can change. */
  viewing: boolean;
  diagramDialog: DiagramDialog;
  saving: boolean;
  saveProblem: string | null;
  /** Someone saved since this canvas's revision: the user chooses, nothing is overwritten. */
  conflict: { latestRevision: number } | null;
  toast: Toast | null;

  setDiagram: (diagram: DiagramLink | null) => void;
  renameDiagram: (name: string) => void;
  setViewing: (viewing: boolean) => void;
  openDiagramDialog: (dialog: DiagramDialog) => void;
  saveStarted: () => void;
  saveFinished: (outcome?: { problem?: string; conflict?: { latestRevision: number } }) => void;
  /** Returns the toast's id, to dismiss just that one later. */
  showToast: (toast: Omit<Toast, 'id'>) => number;
  dismissToast: (id?: number) => void;
}

// ---------- lesson ----------

/** The lesson this session runs: its steps, which are done, and a step being run. */
export interface LessonRun {
  lesson: Lesson;
  done: Record<string, boolean>;
  /** This Warren's operator allows lessons to restart the broker (WARREN_BROKER_RESTART). */
  brokerRestart: boolean;
  /** The step whose action is being carried out. */
  running: string | null;
  problem: string | null;
}

export interface LessonSlice {
  lesson: LessonRun | null;
  /** The gallery dialog is open. */
  lessonsOpen: boolean;
  setLesson: (lesson: Lesson | null, steps?: StepProgress[], brokerRestart?: boolean) => void;
  lessonProgress: (steps: StepProgress[]) => void;
  lessonStepRunning: (stepId: string | null, problem?: string | null) => void;
  openLessons: (open: boolean) => void;
}
