/** Pure tree helpers of a plan: preorder, subtree, version comparison, progress roll-up. */

export interface TreeNode {
  id: number;
  parent_id: number | null;
  posicion: number;
}

/** Elements in reading order (preorder: each element followed by its children by position). */
export function preorder<T extends TreeNode>(rows: T[]): T[] {
  const children = new Map<number | null, T[]>();
  for (const r of rows) {
    const list = children.get(r.parent_id) ?? children.set(r.parent_id, []).get(r.parent_id)!;
    list.push(r);
  }
  for (const list of children.values()) list.sort((a, b) => a.posicion - b.posicion || a.id - b.id);
  const out: T[] = [];
  const stack = [...(children.get(null) ?? [])].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    const kids = children.get(n.id);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return out;
}

/** Ids of an element and all its descendants. */
export function subtreeIds(rows: TreeNode[], rootId: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const r of rows) if (r.parent_id !== null) (children.get(r.parent_id) ?? children.set(r.parent_id, []).get(r.parent_id)!).push(r.id);
  const out = new Set<number>([rootId]);
  const stack = [rootId];
  while (stack.length) for (const c of children.get(stack.pop()!) ?? []) if (!out.has(c)) out.add(c), stack.push(c);
  return out;
}

/** One element as frozen in a version (and as compared between versions). */
export interface SnapshotElement {
  id: number;
  parent_id: number | null;
  posicion: number;
  nivel: number;
  codigo: string;
  titulo: string;
  descripcion: string;
  responsables: number[];
  metas: { descripcion: string; indicator_id: number | null; linea_base: number | null; valores: { anio: number; valor: number }[] }[];
  ods: string[];
  alineaciones: number[];
}

export interface ElementChange {
  id: number;
  codigo: string;
  titulo: string;
  cambio: 'agregado' | 'eliminado' | 'modificado';
  campos: { campo: string; antes: unknown; despues: unknown }[];
}

const FIELDS = ['codigo', 'titulo', 'descripcion', 'parent_id', 'posicion', 'responsables', 'metas', 'ods', 'alineaciones'] as const;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Element-by-element comparison of two versions of a plan, in the newer version's reading order. */
export function compareVersions(a: SnapshotElement[], b: SnapshotElement[]): ElementChange[] {
  const before = new Map(a.map((e) => [e.id, e]));
  const after = new Map(b.map((e) => [e.id, e]));
  const changes: ElementChange[] = [];
  for (const e of preorder(b)) {
    const old = before.get(e.id);
    if (!old) {
      changes.push({ id: e.id, codigo: e.codigo, titulo: e.titulo, cambio: 'agregado', campos: [] });
      continue;
    }
    const campos = FIELDS.filter((f) => !same(old[f], e[f])).map((f) => ({ campo: f, antes: old[f], despues: e[f] }));
    if (campos.length) changes.push({ id: e.id, codigo: e.codigo, titulo: e.titulo, cambio: 'modificado', campos });
  }
  for (const e of preorder(a))
    if (!after.has(e.id)) changes.push({ id: e.id, codigo: e.codigo, titulo: e.titulo, cambio: 'eliminado', campos: [] });
  return changes;
}

export interface ActionWeight {
  id: number;
  avance: number;
  /** Budget weight: modificado where set, else aprobado, summed over funding sources. */
  peso: number;
  aprobado: number;
  modificado: number;
  ejercido: number;
}

export interface Rollup {
  acciones: number;
  aprobado: number;
  modificado: number;
  ejercido: number;
  /** Physical progress weighted by budget; a simple mean when no aligned action has budget. */
  avance: number | null;
}

export const ROLLUP_RULE =
  'Avance = Σ(avance físico de la acción × presupuesto modificado, o aprobado si no hay modificado) ÷ Σ presupuesto, sobre las acciones alineadas al elemento o a cualquiera de sus elementos hijos, cada acción contada una vez. Si ninguna tiene presupuesto, se usa el promedio simple.';

export function rollup(actions: Iterable<ActionWeight>): Rollup {
  let n = 0,
    peso = 0,
    ponderado = 0,
    simple = 0,
    aprobado = 0,
    modificado = 0,
    ejercido = 0;
  for (const a of actions) {
    n++;
    peso += a.peso;
    ponderado += a.avance * a.peso;
    simple += a.avance;
    aprobado += a.aprobado;
    modificado += a.modificado;
    ejercido += a.ejercido;
  }
  const avance = n === 0 ? null : peso > 0 ? ponderado / peso : simple / n;
  return { acciones: n, aprobado, modificado, ejercido, avance: avance === null ? null : Math.round(avance * 100) / 100 };
}

/** Roll-up for every element of a tree: each element gets the distinct actions of its subtree. */
export function rollupTree(
  rows: TreeNode[],
  alignments: { element_id: number; action_id: number }[],
  weights: Map<number, ActionWeight>,
): Map<number, Rollup> {
  const direct = new Map<number, Set<number>>();
  for (const a of alignments)
    if (weights.has(a.action_id)) (direct.get(a.element_id) ?? direct.set(a.element_id, new Set()).get(a.element_id)!).add(a.action_id);
  const order = preorder(rows);
  const sets = new Map<number, Set<number>>();
  // Children come after their parent in preorder, so walking backwards sees children first.
  for (let i = order.length - 1; i >= 0; i--) {
    const e = order[i];
    const mine = sets.get(e.id) ?? new Set<number>();
    for (const id of direct.get(e.id) ?? []) mine.add(id);
    sets.set(e.id, mine);
    if (e.parent_id !== null) {
      const p = sets.get(e.parent_id) ?? sets.set(e.parent_id, new Set()).get(e.parent_id)!;
      for (const id of mine) p.add(id);
    }
  }
  const out = new Map<number, Rollup>();
  for (const [id, set] of sets) out.set(id, rollup([...set].map((a) => weights.get(a)!)));
  return out;
}
