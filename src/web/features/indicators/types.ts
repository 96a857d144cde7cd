// Shapes of the indicator API (see /api/v1/openapi.json, tag "indicadores").
export type Semaforo = 'verde' | 'amarillo' | 'rojo';

export interface DashboardItem {
  clave: string;
  nombre: string;
  tema: string;
  odsMeta: string | null;
  unidadMedida: string;
  periodo: string | null;
  valor: number | null;
  anterior: number | null;
  cambio: number | null;
  mejora: boolean | null;
  meta: number | null;
  semaforo: Semaforo | null;
  actualizado: string;
}

export interface Dashboard {
  temas: { tema: string; nombre: string; verde: number; amarillo: number; rojo: number; sinDato: number }[];
  indicadores: DashboardItem[];
  ultimasCargas: { archivo: string; filas: number; fecha: string; por: string | null }[];
}

export interface Ficha {
  id: number;
  municipalityId: string;
  clave: string;
  nombre: string;
  tema: string;
  temaNombre: string;
  odsMeta: string | null;
  unidadMedida: string;
  sentido: 'ascendente' | 'descendente';
  estado: string;
  isDemo: boolean;
  updatedAt: string;
  definicion: string;
  metodoCalculo: string;
  formula: string;
  tipo: string;
  dimension: string;
  frecuencia: string;
  lineaBaseValor: number | null;
  lineaBaseAnio: number | null;
  semaforoVerde: number;
  semaforoAmarillo: number;
  departmentName: string | null;
  cobertura: string[];
  desagregaciones: string[];
  nivelMir: string | null;
  decimales: number;
  notas: string;
  variables: { clave: string; nombre: string; unidad: string; fuente: string }[];
  metas: { anio: number; trimestre: number | null; valor: number }[];
  comparativos: { serie: string; periodo: string; valor: number | null; posicion: number | null; de: number | null; fuente: string }[];
}

export interface ValueRow {
  unitId: number;
  cvegeo: string;
  unidad: string;
  periodo: string;
  desagregacion: string;
  valor: number | null;
  motivo: string | null;
  meta: number | null;
  semaforo: Semaforo | null;
  avance: number | null;
}
