/**
 * `structured_metadata`: like `labels`, but into the entry's structured
 * metadata (Loki 3), which is not part of the stream's identity. As in
 * Promtail, a source not in the extracted map is looked up among the labels,
 * and a label whose value was moved is removed from the labels.
 */
import type { CompiledStage, StageFactory } from '../types.js';
import { labelValueFrom, readLabelSources } from './labels.js';

export const structuredMetadataStage: StageFactory = (config, context): CompiledStage => {
  const sources = readLabelSources(config, context.path, 'structured_metadata');
  return {
    name: 'structured_metadata',
    create: () => ({
      process(entry, out) {
        // source → the value taken from it, so labels carrying it are moved rather than copied.
        const moved = new Map<string, string>();
        for (const { name, source } of sources) {
          const value = labelValueFrom(entry.extracted, source);
          if (value === undefined) continue;
          entry.structuredMetadata[name] = value;
          moved.set(source, value);
        }
        for (const { name, source } of sources) {
          if (moved.has(source) || !Object.hasOwn(entry.labels, source)) continue;
          const value = entry.labels[source]!;
          entry.structuredMetadata[name] = value;
          moved.set(source, value);
        }
        for (const [source, value] of moved) {
          if (entry.labels[source] === value) delete entry.labels[source];
        }
        out.output(entry);
      },
    }),
  };
};
