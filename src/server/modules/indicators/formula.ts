import { sql, type RawBuilder } from 'kysely';

/**
 * Machine formulas of indicators: arithmetic (+ − × ÷, parentheses, numbers) over variable claves,
 * e.g. `DEF_HOM / POB_TOT * 100000`. Parsed here, evaluated by the database for every unit, period
 * and disaggregation at once. A division by zero or a missing variable gives no value and a reason.
 */
export type Node =
  | { k: 'num'; v: string }
  | { k: 'var'; name: string }
  | { k: 'neg'; e: Node }
  | { k: 'bin'; op: '+' | '-' | '*' | '/'; l: Node; r: Node };

export class FormulaError extends Error {}

type Token = { t: 'num' | 'id' | 'op' | 'lp' | 'rp'; v: string; pos: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z][A-Za-z0-9_]*)|([-+*/×÷])|(\()|(\)))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new FormulaError(`Carácter no válido en la posición ${pos + 1}: "${src.slice(pos).trim()[0]}"`);
    const at = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]).length;
    if (m[1]) out.push({ t: 'num', v: m[1], pos: at });
    else if (m[2]) out.push({ t: 'id', v: m[2], pos: at });
    else if (m[3]) out.push({ t: 'op', v: m[3] === '×' ? '*' : m[3] === '÷' ? '/' : m[3], pos: at });
    else if (m[4]) out.push({ t: 'lp', v: '(', pos: at });
    else out.push({ t: 'rp', v: ')', pos: at });
    pos = re.lastIndex;
  }
  return out;
}

export function parseFormula(src: string): Node {
  if (!src.trim()) throw new FormulaError('La fórmula está vacía.');
  if (src.length > 500) throw new FormulaError('La fórmula excede 500 caracteres.');
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const expr = (): Node => {
    let l = term();
    while (peek()?.t === 'op' && (peek().v === '+' || peek().v === '-')) {
      const op = toks[i++].v as '+' | '-';
      l = { k: 'bin', op, l, r: term() };
    }
    return l;
  };
  const term = (): Node => {
    let l = factor();
    while (peek()?.t === 'op' && (peek().v === '*' || peek().v === '/')) {
      const op = toks[i++].v as '*' | '/';
      l = { k: 'bin', op, l, r: factor() };
    }
    return l;
  };
  const factor = (): Node => {
    const tok = toks[i++];
    if (!tok) throw new FormulaError('La fórmula termina de forma incompleta.');
    if (tok.t === 'num') return { k: 'num', v: tok.v };
    if (tok.t === 'id') return { k: 'var', name: tok.v };
    if (tok.t === 'op' && tok.v === '-') return { k: 'neg', e: factor() };
    if (tok.t === 'lp') {
      const e = expr();
      if (toks[i++]?.t !== 'rp') throw new FormulaError('Falta cerrar un paréntesis.');
      return e;
    }
    throw new FormulaError(`Se esperaba un número, una variable o "(" en la posición ${tok.pos + 1}.`);
  };
  const tree = expr();
  if (i < toks.length) throw new FormulaError(`Sobra "${toks[i].v}" en la posición ${toks[i].pos + 1}.`);
  return tree;
}

export function variablesOf(n: Node, acc = new Set<string>()): Set<string> {
  if (n.k === 'var') acc.add(n.name);
  else if (n.k === 'neg') variablesOf(n.e, acc);
  else if (n.k === 'bin') {
    variablesOf(n.l, acc);
    variablesOf(n.r, acc);
  }
  return acc;
}

/** Plain evaluation, for checks and tests: null with a reason, as the SQL does. */
export function evaluate(n: Node, vars: Record<string, number | null | undefined>): { value: number | null; reason: string | null } {
  for (const name of variablesOf(n)) if (vars[name] == null) return { value: null, reason: `Falta el dato de ${name}` };
  let zero = false;
  const ev = (x: Node): number => {
    switch (x.k) {
      case 'num':
        return Number(x.v);
      case 'var':
        return vars[x.name]!;
      case 'neg':
        return -ev(x.e);
      case 'bin': {
        const a = ev(x.l);
        const b = ev(x.r);
        if (x.op === '/' && b === 0) zero = true;
        return x.op === '+' ? a + b : x.op === '-' ? a - b : x.op === '*' ? a * b : b === 0 ? 0 : a / b;
      }
    }
  };
  const v = ev(n);
  return zero ? { value: null, reason: 'División entre cero' } : { value: v, reason: null };
}

/**
 * SQL for the formula over columns named by `column(name)`, as numeric: `value` is null and
 * `reason` says why when a variable is missing or a denominator is zero (never Infinity or an error).
 */
export function toSql(
  n: Node,
  column: (name: string) => RawBuilder<unknown>,
): { value: RawBuilder<number | null>; reason: RawBuilder<string | null> } {
  const denominators: RawBuilder<unknown>[] = [];
  const expr = (x: Node): RawBuilder<unknown> => {
    switch (x.k) {
      case 'num':
        return sql.raw(`${x.v}::numeric`);
      case 'var':
        return sql`${column(x.name)}::numeric`;
      case 'neg':
        return sql`(-${expr(x.e)})`;
      case 'bin': {
        const l = expr(x.l);
        const r = expr(x.r);
        if (x.op === '/') {
          denominators.push(r);
          return sql`(${l} / nullif(${r}, 0))`;
        }
        return sql`(${l} ${sql.raw(x.op)} ${r})`;
      }
    }
  };
  const value = expr(n);
  const names = [...variablesOf(n)];
  const missing = names.map((name) => sql`when ${column(name)} is null then ${`Falta el dato de ${name}`}`);
  const zeros = denominators.map((d) => sql`when ${d} = 0 then 'División entre cero'`);
  const cases = [...missing, ...zeros];
  const reason = cases.length ? sql<string | null>`(case ${sql.join(cases, sql` `)} else null end)` : sql<string | null>`null::text`;
  return { value: sql<number | null>`(case when ${reason} is null then ${value} end)`, reason };
}
