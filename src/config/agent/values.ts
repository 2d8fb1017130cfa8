/** Value types of Grafana Agent / Prometheus YAML: durations, sizes, label names. */
import { z } from 'zod';
import { parseDuration } from '../duration.js';

/** A Prometheus duration (`15s`, `1m30s`), as milliseconds. */
export const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.issues.push({
      code: 'custom',
      input: text,
      message: 'must be a duration',
      params: { hint: 'write a number and a unit: 500ms, 15s, 1m, 1h30m, 1d' },
    });
    return z.NEVER;
  }
  return ms;
});

const SIZE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
  KIB: 1024,
  MIB: 1024 ** 2,
  GIB: 1024 ** 3,
};

/** Prometheus's `body_size_limit` (`10MB`, base 1024, 0 = no limit), as bytes. */
export const byteSize = z
  .union([z.number().int().nonnegative(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const m = /^(\d+)\s*([KMGT]?i?B)?$/i.exec(v.trim());
    const unit = SIZE_UNITS[(m?.[2] ?? 'B').toUpperCase()];
    if (!m || unit === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: v,
        message: 'must be a size',
        params: { hint: 'write a number and a unit, e.g. 10MB or 512KB (0 for no limit)' },
      });
      return z.NEVER;
    }
    return Number(m[1]) * unit;
  });

export const labelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { message: 'is not a valid label name' });

export const labelSet = z.record(labelName, z.string());

/** Keys Signet knows from Grafana Agent and Prometheus but does not implement yet. */
export const notImplemented = z.unknown().optional();
