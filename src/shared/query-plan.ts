/**
 * A PostgreSQL query plan as Tunebench shows it: PostgreSQL's EXPLAIN (FORMAT
 * JSON) output read into a typed tree (node type, relation, rows estimated and
 * actual, time, buffers), with each node's own share worked out and the
 * costliest node named. Pure, so the engine reads and the tests check it alike.
 */
import { z } from 'zod';

export const PlanBuffersSchema = z.object({
  sharedHit: z.number(),
  sharedRead: z.number(),
  sharedDirtied: z.number(),
  sharedWritten: z.number(),
  tempRead: z.number(),
  tempWritten: z.number(),
});
export type PlanBuffers = z.infer<typeof PlanBuffersSchema>;

export interface PlanNode {
  /** Pre-order index in the tree, the root 0. */
  id: number;
  nodeType: string;
  /** How it feeds its parent ("Outer", "Inner", "InitPlan" ...). */
  parentRelationship?: string | undefined;
  /** schema.table (or the table alone when PostgreSQL gave no schema). */
  relation?: string | undefined;
  alias?: string | undefined;
  index?: string | undefined;
  startupCost: number;
  totalCost: number;
  /** Rows the planner expected per loop. */
  planRows: number;
  /** Rows it really produced per loop (EXPLAIN ANALYZE only). */
  actualRows?: number | undefined;
  actualLoops?: number | undefined;
  /** All its loops together, children included, ms (EXPLAIN ANALYZE only). */
  totalMs?: number | undefined;
  /** Its own time: totalMs less its children's, ms (EXPLAIN ANALYZE only). */
  selfMs?: number | undefined;
  /** Its own cost: totalCost less its children's total costs. */
  selfCost: number;
  /** Buffers, children included, as PostgreSQL counts them (EXPLAIN ANALYZE with BUFFERS only). */
  buffers?: PlanBuffers | undefined;
  /** Conditions, filters, sort keys ... as PostgreSQL wrote them. */
  details: Array<{ label: string; value: string }>;
  children: PlanNode[];
}

export const PlanNodeSchema: z.ZodType<PlanNode> = z.object({
  id: z.number(),
  nodeType: z.string(),
  parentRelationship: z.string().optional(),
  relation: z.string().optional(),
  alias: z.string().optional(),
  index: z.string().optional(),
  startupCost: z.number(),
  totalCost: z.number(),
  planRows: z.number(),
  actualRows: z.number().optional(),
  actualLoops: z.number().optional(),
  totalMs: z.number().optional(),
  selfMs: z.number().optional(),
  selfCost: z.number(),
  buffers: PlanBuffersSchema.optional(),
  details: z.array(z.object({ label: z.string(), value: z.string() })),
  get children() {
    return z.array(PlanNodeSchema);
  },
});

export const QueryPlanSchema = z.object({
  root: PlanNodeSchema,
  /** Whether the statement was run (EXPLAIN ANALYZE) or only planned (EXPLAIN). */
  analyzed: z.boolean(),
  planningMs: z.number().optional(),
  executionMs: z.number().optional(),
  /** The node that cost the most: by its own time when analyzed, else by its own estimated cost. */
  costliest: z.object({ id: z.number(), by: z.enum(['self time', 'self cost']) }),
  nodes: z.number(),
});
export type QueryPlan = z.infer<typeof QueryPlanSchema>;

/** Fields of a plan node shown as details, in this order, when PostgreSQL gave them. */
const DETAIL_FIELDS = [
  'Join Type',
  'Strategy',
  'Operation',
  'Scan Direction',
  'Index Cond',
  'Recheck Cond',
  'Hash Cond',
  'Merge Cond',
  'Join Filter',
  'Filter',
  'Rows Removed by Filter',
  'Rows Removed by Join Filter',
  'Rows Removed by Index Recheck',
  'Heap Fetches',
  'Sort Key',
  'Sort Method',
  'Sort Space Used',
  'Group Key',
  'Cache Key',
  'Cache Hits',
  'Cache Misses',
  'Output',
  'Workers Planned',
  'Workers Launched',
  'Subplan Name',
] as const;

const MAX_DETAIL_TEXT = 500;
/** A plan deeper or wider than this is cut (a statement over hundreds of partitions, say). */
const MAX_NODES = 500;

type Raw = Record<string, unknown>;

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

function detailText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = Array.isArray(value) ? value.map(String).join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > MAX_DETAIL_TEXT ? `${text.slice(0, MAX_DETAIL_TEXT)}…` : text;
}

/** Reads PostgreSQL's EXPLAIN (FORMAT JSON) result (the array, or its first element) into a QueryPlan. */
export function readExplainJson(json: unknown): QueryPlan {
  const top = (Array.isArray(json) ? json[0] : json) as Raw | undefined;
  const rawRoot = top && typeof top === 'object' ? (top.Plan as Raw | undefined) : undefined;
  if (!rawRoot || typeof rawRoot !== 'object') throw new Error('not an EXPLAIN (FORMAT JSON) result: no "Plan"');
  let next = 0;
  const read = (raw: Raw): PlanNode => {
    const id = next++;
    const rawChildren = Array.isArray(raw.Plans) ? (raw.Plans as Raw[]) : [];
    const children = rawChildren.filter(() => next < MAX_NODES).map(read);
    const loops = num(raw['Actual Loops']);
    const perLoopMs = num(raw['Actual Total Time']);
    const totalMs = perLoopMs === undefined ? undefined : perLoopMs * (loops ?? 1);
    const childMs = children.reduce((sum, child) => sum + (child.totalMs ?? 0), 0);
    const totalCost = num(raw['Total Cost']) ?? 0;
    // InitPlans and SubPlans are costed apart from their parent's own work.
    const childCost = children.reduce((sum, child) => sum + child.totalCost, 0);
    const schema = str(raw.Schema);
    const relationName = str(raw['Relation Name']);
    const hit = num(raw['Shared Hit Blocks']);
    const details: PlanNode['details'] = [];
    for (const field of DETAIL_FIELDS) {
      const value = detailText(raw[field]);
      if (value !== undefined && !(field.startsWith('Rows Removed') && value === '0')) details.push({ label: field, value });
    }
    return {
      id,
      nodeType: str(raw['Node Type']) ?? 'Unknown',
      parentRelationship: str(raw['Parent Relationship']),
      relation: relationName ? (schema ? `${schema}.${relationName}` : relationName) : str(raw['Function Name']) ?? str(raw['CTE Name']),
      alias: str(raw.Alias),
      index: str(raw['Index Name']),
      startupCost: num(raw['Startup Cost']) ?? 0,
      totalCost,
      planRows: num(raw['Plan Rows']) ?? 0,
      actualRows: num(raw['Actual Rows']),
      actualLoops: loops,
      totalMs: totalMs === undefined ? undefined : round(totalMs),
      selfMs: totalMs === undefined ? undefined : round(Math.max(0, totalMs - childMs)),
      selfCost: round(Math.max(0, totalCost - childCost), 2),
      buffers:
        hit === undefined
          ? undefined
          : {
              sharedHit: hit,
              sharedRead: num(raw['Shared Read Blocks']) ?? 0,
              sharedDirtied: num(raw['Shared Dirtied Blocks']) ?? 0,
              sharedWritten: num(raw['Shared Written Blocks']) ?? 0,
              tempRead: num(raw['Temp Read Blocks']) ?? 0,
              tempWritten: num(raw['Temp Written Blocks']) ?? 0,
            },
      details,
      children,
    };
  };
  const root = read(rawRoot);
  const analyzed = root.totalMs !== undefined;
  return {
    root,
    analyzed,
    planningMs: num(top?.['Planning Time']),
    executionMs: num(top?.['Execution Time']),
    costliest: { id: costliestNode(root, analyzed).id, by: analyzed ? 'self time' : 'self cost' },
    nodes: next,
  };
}

/** The node with the most self time (analyzed) or self cost; the first in pre-order on a tie. */
export function costliestNode(root: PlanNode, analyzed: boolean): PlanNode {
  let best = root;
  const weight = (node: PlanNode) => (analyzed ? (node.selfMs ?? 0) : node.selfCost);
  const visit = (node: PlanNode) => {
    if (weight(node) > weight(best)) best = node;
    node.children.forEach(visit);
  };
  visit(root);
  return best;
}
