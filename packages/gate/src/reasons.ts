import { previewValue, type InteractionResult, type Mismatch, type SchemaViolation } from '@cutover/core';
import type { ReasonCode } from './evidence.js';

/** One reason a route may not move. Cites the consumer, interaction and the exact difference or violation. */
export interface BlockReason {
  code: ReasonCode;
  message: string;
  consumer?: string;
  interaction?: string;
  /** Results file or broker URL the evidence came from. */
  source?: string;
  difference?: { kind: string; path: string; monolith: unknown; candidate: unknown };
  violation?: Pick<SchemaViolation, 'code' | 'on' | 'instancePath' | 'schemaPath' | 'rule' | 'message'> & {
    /** What the monolith's schema check says at the same instance path. */
    monolith: 'violated' | 'not violated' | 'not checked';
  };
  mismatch?: Mismatch;
  operation?: { method: string; path: string };
}

/** What one check finds: reasons block the route, notes are facts that do not. */
export interface Findings {
  reasons: BlockReason[];
  notes: string[];
}

/** One interaction's result as the per-interaction checks cite it. */
export interface CitedResult {
  result: InteractionResult;
  /** Consumer, interaction and evidence source, spread into every reason about it. */
  base: { consumer: string; interaction: string; source: string };
  /** `consumer › "description"`, the start of every message about it. */
  who: string;
}

export function citeResult(result: InteractionResult, source: string): CitedResult {
  return {
    result,
    base: { consumer: result.consumer, interaction: result.description, source },
    who: `${result.consumer} › "${result.description}"`,
  };
}

/** A value in a reason's message. */
export function show(value: unknown): string {
  return previewValue(value, { absent: '(absent)' });
}
