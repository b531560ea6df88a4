import {
  definitionsToTopology,
  layoutTopology,
  type Definitions,
  type Topology,
} from '@warren/topology';

/** What the import dialog shows for the text pasted or read from a file, before anything changes. */
export type ImportPreview =
  | { state: 'empty' }
  | { state: 'problem'; message: string; vhosts?: string[] }
  | { state: 'pick-vhost'; message: string; vhosts: string[] }
  | {
      state: 'ready';
      topology: Topology;
      vhost: string | undefined;
      vhosts: string[];
      notImported: string[];
    };

export function problemText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads pasted or uploaded definitions the way the server would, without changing anything. */
export function previewImport(text: string, vhost: string): ImportPreview {
  if (text.trim() === '') return { state: 'empty' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { state: 'problem', message: `This is not valid JSON: ${problemText(error)}` };
  }
  try {
    const definitions = json as Definitions;
    const first = definitionsToTopology(definitions);
    const vhosts = first.ok ? [] : (first.vhosts ?? []);
    if (!first.ok && vhosts.length > 0 && vhost === '')
      return {
        state: 'pick-vhost',
        message: `This is a full export with ${vhosts.length} vhosts: pick the one to import.`,
        vhosts,
      };
    const result = vhost === '' ? first : definitionsToTopology(definitions, { vhost });
    if (!result.ok)
      return result.vhosts
        ? { state: 'problem', message: result.message, vhosts: result.vhosts }
        : { state: 'problem', message: result.message };
    return {
      state: 'ready',
      topology: result.topology,
      vhost: result.vhost,
      vhosts,
      notImported: result.notImported,
    };
  } catch (error) {
    return {
      state: 'problem',
      message: `These definitions could not be read: ${problemText(error)}`,
    };
  }
}

/** The import's own layout is narrow; lay it out the way the canvas lays out new documents. */
export function laidOut(topology: Topology): Topology {
  const strip = <T extends { position?: unknown }>({ position: _p, ...rest }: T) => rest;
  return layoutTopology({
    ...topology,
    exchanges: topology.exchanges.map(strip),
    queues: topology.queues.map(strip),
    producers: topology.producers.map(strip),
  });
}
