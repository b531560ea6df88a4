import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  SelectionMode,
  useReactFlow,
  type Connection,
  type Edge,
  type IsValidConnection,
  type OnConnect,
} from '@xyflow/react';
import { useCallback, useEffect, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { connectionKind } from '@warren/topology';
import { EditToolbar } from '../panels/EditToolbar';
import { ProducerExplainButtons } from '../panels/explain/ProducerExplainButtons';
import { GRID } from '../store/editing-slice';
import { ViewControls } from '../preferences/ViewControls';
import { useWarren, type WarrenState } from '../store/store';
import {
  ALTERNATE_MARKER,
  ARROW_MARKER,
  ARROW_MARKER_SELECTED,
  DEAD_LETTER_MARKER,
  type WarrenNode,
} from './derive/flow-elements';
import { onLayoutLoaded } from './derive/layout-loader';
import { edgeTypes } from './edge-types';
import { MessageLayer } from './MessageLayer';
import { nodeTypes } from './node-types';
import { PALETTE_MIME, parsePaletteItem, useAddNode } from './useAddNode';
import { useEditingShortcuts } from './useEditingShortcuts';
import { useCompactZoom } from './zoom';

const selectHandlers = (s: WarrenState) => ({
  onNodesChange: s.onNodesChange,
  onEdgesChange: s.onEdgesChange,
  connect: s.connect,
});
const selectFitRequest = (s: WarrenState) => s.fitRequest;
const selectViewing = (s: WarrenState) => s.viewing;
const selectSnap = (s: WarrenState) => s.snapToGrid;
const selectTheme = (s: WarrenState) => s.theme;
const { derived } = useWarren;

const isValidConnection: IsValidConnection = (c: Edge | Connection) =>
  connectionKind(useWarren.getState().topology, c.source, c.target) !== undefined;

/** Shift-click adds a node to the selection, like Ctrl-click (or ⌘-click) does. */
const multiSelectKeys = ['Shift', 'Control', 'Meta'];
const snapGrid: [number, number] = [GRID, GRID];
const minimapStyle = { width: 168, height: 112 };
/** Fitted clear of the edit toolbar above and the minimap and animation bar below. */
const fitOptions = {
  padding: { top: '76px', bottom: '140px', left: '36px', right: '36px' },
  maxZoom: 1.1,
} as const;

function minimapColor(node: WarrenNode): string {
  if (node.type === 'producer') return '#10b981';
  if (node.type === 'exchange') return '#f97316';
  if (node.type === 'consumer') return '#06b6d4';
  if (node.type === 'outside-client' || node.type === 'outside-object') return '#b4bcc8';
  return '#3b82f6';
}

/**
 * Zooms to the diagram when one arrives: loaded from the server, imported, opened, or grown
 * by objects outside clients declared (not on every local edit).
 */
function useFitOnLoad() {
  const fitRequest = useWarren(selectFitRequest);
  const { fitView } = useReactFlow();
  // Nodes without a position wait for the layout to be fetched: fit again once they are drawn.
  useEffect(() => onLayoutLoaded(() => useWarren.getState().requestFit()), []);
  useEffect(() => {
    if (fitRequest === 0) return;
    // Let the new nodes render and be measured first.
    const timer = setTimeout(() => void fitView(fitOptions), 60);
    return () => clearTimeout(timer);
  }, [fitRequest, fitView]);
}

function ArrowMarkers() {
  return (
    <svg className="marker-defs" aria-hidden="true">
      <defs>
        {[
          [ARROW_MARKER, 'marker--normal'],
          [ARROW_MARKER_SELECTED, 'marker--selected'],
          [DEAD_LETTER_MARKER, 'marker--dead-letter'],
          [ALTERNATE_MARKER, 'marker--alternate'],
        ].map(([id, className]) => (
          <marker
            key={id}
            id={id}
            className={className}
            viewBox="-10 -10 20 20"
            markerUnits="userSpaceOnUse"
            markerWidth="16"
            markerHeight="16"
            orient="auto-start-reverse"
            refX="0"
            refY="0"
          >
            <polyline
              points="-6,-4 0,0 -6,4 -6,-4"
              strokeLinecap="round"
              strokeLinejoin="round"
              strokeWidth="1.5"
            />
          </marker>
        ))}
      </defs>
    </svg>
  );
}

export function Canvas() {
  const nodes = useWarren(derived.flowNodes);
  const edges = useWarren(derived.flowEdges);
  const { onNodesChange, onEdgesChange, connect } = useWarren(useShallow(selectHandlers));
  const onConnect: OnConnect = useCallback((c) => connect(c.source, c.target), [connect]);
  const addNode = useAddNode();
  // A diagram opened through its view link is looked at: nothing moves, connects or deletes.
  const viewing = useWarren(selectViewing);
  const theme = useWarren(selectTheme);
  const { screenToFlowPosition } = useReactFlow();
  const snapToGrid = useWarren(selectSnap);
  useFitOnLoad();
  useEditingShortcuts();
  // Zoomed out, edge labels (keys, counts) are too small to read and only clutter.
  const compact = useCompactZoom();

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const item = parsePaletteItem(e.dataTransfer.getData(PALETTE_MIME));
      if (!item) return;
      e.preventDefault();
      addNode(item.kind, item.exchangeType, screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [addNode, screenToFlowPosition],
  );

  return (
    <div
      className={compact ? 'canvas is-compact' : 'canvas'}
      data-testid="canvas"
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <ArrowMarkers />
      <ReactFlow<WarrenNode>
        fitViewOptions={fitOptions}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        // Delete, like every editing key, is handled in useEditingShortcuts: one undo step for
        // the nodes and edges it removes together.
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={multiSelectKeys}
        selectionMode={SelectionMode.Partial}
        snapToGrid={snapToGrid}
        snapGrid={snapGrid}
        nodesDraggable={!viewing}
        nodesConnectable={!viewing}
        connectionRadius={28}
        attributionPosition="top-right"
        minZoom={0.1}
        maxZoom={2}
        colorMode={theme}
      >
        <Background
          variant={BackgroundVariant.Dots}
          gap={GRID}
          size={1.4}
          color="var(--canvas-dots)"
        />
        <EditToolbar />
        <Controls showInteractive={false} position="bottom-right" />
        <MiniMap<WarrenNode>
          pannable
          zoomable
          position="bottom-left"
          style={minimapStyle}
          nodeColor={minimapColor}
          nodeStrokeWidth={0}
          maskColor="var(--minimap-mask)"
        />
        <Panel position="bottom-center" className="view-panel">
          <ViewControls />
        </Panel>
        <MessageLayer />
        <ProducerExplainButtons />
      </ReactFlow>
    </div>
  );
}
