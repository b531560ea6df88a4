import { emptyTopology } from '@warren/topology';
import { describe, expect, it } from 'vitest';
import { createWarrenStore } from '../store/store';
import { canonicalJson, fingerprint, selectSaveStatus } from './save-status';

describe('save status', () => {
  it('serializes equal documents alike whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: 0 } })).toBe(
      canonicalJson({ a: { c: 0, d: [{ x: 2, y: 1 }] }, b: 1 }),
    );
  });

  it('fingerprints documents by content, not key order', () => {
    expect(fingerprint({ a: 1, b: [2] })).toBe(fingerprint({ b: [2], a: 1 }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
  });

  it('tells saved, unsaved, renamed and view-only apart', () => {
    const store = createWarrenStore();
    const s = () => selectSaveStatus(store.getState());
    expect(s()).toBe('not saved');
    const topology = emptyTopology();
    store.getState().loadServerTopology(topology);
    store.getState().setDiagram({
      id: 'd1',
      name: 'A',
      savedName: 'A',
      revision: 1,
      editToken: 't',
      savedJson: canonicalJson(topology),
    });
    expect(s()).toBe('saved');
    store.getState().addNode('queue', { x: 0, y: 0 });
    expect(s()).toBe('unsaved');
    store.getState().replaceTopology(topology);
    expect(s()).toBe('saved');
    store.getState().renameDiagram('B');
    expect(s()).toBe('unsaved');
    store.getState().setViewing(true);
    expect(s()).toBe('viewing');
  });

  it('refuses every edit while a diagram is only viewed', () => {
    const store = createWarrenStore();
    store.getState().setViewing(true);
    store.getState().addNode('queue', { x: 0, y: 0 });
    expect(store.getState().topology.queues).toHaveLength(0);
  });
});
